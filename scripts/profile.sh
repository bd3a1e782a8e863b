#!/usr/bin/env bash
# A Chromium performance trace of one step of the side-by-side benchmark, for Parley, to open
# in DevTools (Performance, Load profile): builds a release bundle that keeps the wasm function
# names (wasm-opt -g) into target/profile-dist, then runs that step once against the compare
# Prosody. Run after scripts/setup.sh:
#   scripts/profile.sh form|roster|rooms|join|history [contacts rooms occupants archived]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
case "${1:-}" in
  form | roster | rooms | join | history) step=$1 ;;
  *) echo "usage: $0 form|roster|rooms|join|history [contacts rooms occupants archived]" >&2; exit 2 ;;
esac
shift

# Trunk reads the page beside the sources; this copy differs only in wasm-opt's -g.
page=index.profile.html
trap 'rm -f "$page"' EXIT
sed 's/data-wasm-opt-params="/data-wasm-opt-params="-g /' index.html >"$page"
PATH="$PWD/tests/e2e/node_modules/.bin:$PATH" trunk build --release --offline --locked --dist target/profile-dist "$page"
rm -f "$page"

export PARLEY_BENCH_PROFILE=$step PARLEY_BENCH_DIST=target/profile-dist
exec scripts/bench.sh "${1:-2000}" "${2:-2000}" "${3:-200}" "${4:-5000}" 0
