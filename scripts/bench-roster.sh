#!/usr/bin/env bash
# Figures for a large roster in the real app: the release bundle in headless Chromium against the
# bench Prosody (port 5445), whose roster2k and roster10k accounts hold 2,000 and 10,000 contacts.
# Prints figures; asserts only that the app got there. Run after scripts/setup.sh:
# scripts/bench-roster.sh
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
npx playwright test --config bench.config.ts roster.bench.ts
