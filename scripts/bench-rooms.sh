#!/usr/bin/env bash
# Figures for rooms in the real app: the release bundle in headless Chromium against a Prosody
# of its own (port 5445) with 10,000 rooms and 500 occupant accounts. Prints figures; asserts
# only that the app got there. Run after scripts/setup.sh: scripts/bench-rooms.sh
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/bench-on-prosody.sh" bench rooms
