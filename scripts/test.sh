#!/usr/bin/env bash
# The whole test suite: host unit tests, release build, native integration tests against a
# local Prosody and ejabberd, in-browser wasm tests, Playwright end to end, then the budgets
# against Converse.js (scripts/budgets.sh) and a bounded fuzzing run. Stops at the
# first failure; always stops the server; ends with one summary line.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

step=setup
started=$SECONDS

finish() {
  local status=$?
  server/prosody.sh stop test >/dev/null || true
  server/ejabberd.sh stop >/dev/null || true
  server/prosody.sh stop compare >/dev/null || true
  local elapsed="$(((SECONDS - started) / 60))m$(((SECONDS - started) % 60))s"
  if [ "$status" -eq 0 ]; then
    echo "test: all passed (unit, bench, build, integration, wasm, e2e, budgets, fuzz) in $elapsed"
  else
    echo "test: FAILED at step '$step' after $elapsed (exit $status)"
  fi
}
trap finish EXIT

run() {
  step=$1
  shift
  printf '\n== %s\n' "$step"
  "$@"
}

run setup scripts/setup.sh
run unit cargo test --locked
run bench cargo bench --locked --bench core
run build scripts/build.sh

# A fresh server each run: same seed data, no history left from earlier runs.
run server server/prosody.sh reset test
server/prosody.sh start test
set -a
# shellcheck source=/dev/null
. .run/test/env
set +a

# ejabberd pages its room list (XEP-0059): the same seed each run, alice and 1,200 rooms.
run ejabberd server/ejabberd.sh reset
server/ejabberd.sh start
set -a
# shellcheck source=/dev/null
. .run/ejabberd/env
set +a

run integration cargo test --locked --test live_server -- --include-ignored
run wasm env CHROMEDRIVER=/usr/bin/chromedriver CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test --locked --target wasm32-unknown-unknown
run e2e scripts/e2e.sh
run budgets scripts/budgets.sh
run fuzz scripts/fuzz.sh 30
