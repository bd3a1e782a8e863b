#!/usr/bin/env bash
# Figures for history and reconnection in the real app: the release bundle in headless Chromium
# against the test Prosody (reset first: its data is the tests' and is recreated each run),
# 5,000 archived messages and a relay that cuts the link. Prints figures; asserts only that the
# app got there. Run after scripts/setup.sh: scripts/bench-history.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

[ -f dist/index.html ] || scripts/build.sh
repo=$PWD
trap '"$repo/server/prosody.sh" stop test >/dev/null || true' EXIT
server/prosody.sh reset test >/dev/null
server/prosody.sh start test
set -a
# shellcheck source=/dev/null
. .run/test/env
set +a
export PARLEY_E2E_BASE_URL=https://localhost:5444/
cd tests/e2e
npx playwright test --config bench.config.ts history.bench.ts
