#!/usr/bin/env bash
# Runs one Playwright benchmark (tests/e2e/bench/NAME.bench.ts) with the release bundle against a
# freshly reset Prosody instance, which it stops afterwards: scripts/bench-on-prosody.sh INSTANCE NAME
# (bench-rooms.sh, bench-roster.sh and bench-history.sh call it). Prints figures.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
instance=$1
name=$2

[ -f dist/index.html ] || scripts/build.sh
repo=$PWD
trap '"$repo/server/prosody.sh" stop "$instance" >/dev/null || true' EXIT
server/prosody.sh reset "$instance" >/dev/null
server/prosody.sh start "$instance"
set -a
# shellcheck source=/dev/null
. ".run/$instance/env"
set +a
# The app is served by the same Prosody as the WebSocket.
wss=${PARLEY_TEST_WSS_URL#wss://}
export PARLEY_E2E_BASE_URL="https://${wss%%/*}/"
cd tests/e2e
npx playwright test --config bench.config.ts "$name.bench.ts"
