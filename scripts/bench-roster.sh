#!/usr/bin/env bash
# Figures for a large roster in the real app: the release bundle in headless Chromium against the
# bench Prosody (port 5445), whose roster2k and roster10k accounts hold 2,000 and 10,000 contacts.
# Prints figures; asserts only that the app got there. Run after scripts/setup.sh:
# scripts/bench-roster.sh
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/bench-on-prosody.sh" bench roster
