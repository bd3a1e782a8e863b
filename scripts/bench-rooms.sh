#!/usr/bin/env bash
# Figures for rooms in the real app: the release bundle in headless Chromium against a Prosody
# of its own (port 5445) with 10,000 rooms and 500 occupant accounts. Prints figures; asserts
# only that the app got there. Run after scripts/setup.sh: scripts/bench-rooms.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

[ -f dist/index.html ] || scripts/build.sh
repo=$PWD
trap '"$repo/server/prosody.sh" stop bench >/dev/null || true' EXIT
server/prosody.sh reset bench >/dev/null
server/prosody.sh start bench
set -a
# shellcheck source=/dev/null
. .run/bench/env
set +a
export PARLEY_E2E_BASE_URL=https://localhost:5445/
cd tests/e2e
npx playwright test --config bench.config.ts rooms.bench.ts
