#!/usr/bin/env bash
# Figures for history and reconnection in the real app: the release bundle in headless Chromium
# against the test Prosody (reset first: its data is the tests' and is recreated each run),
# 5,000 archived messages and a relay that cuts the link. Prints figures; asserts only that the
# app got there. Run after scripts/setup.sh: scripts/bench-history.sh
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/bench-on-prosody.sh" test history
