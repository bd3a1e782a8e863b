#!/usr/bin/env bash
# Parley and Converse.js side by side (issue 12): the release bundle and the npm package
# converse.js, each served the same way on loopback, against a fresh bench Prosody holding the
# data set, driven through the same steps in headless Chromium. Prints one table (median of the
# runs after a warm-up) and writes target/bench/compare.json. Run after scripts/setup.sh:
#   scripts/bench.sh [contacts rooms occupants archived runs]    (default 2000 2000 200 5000 3)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PARLEY_BENCH_CONTACTS=${1:-${PARLEY_BENCH_CONTACTS:-2000}}
export PARLEY_BENCH_ROOMS=${2:-${PARLEY_BENCH_ROOMS:-2000}}
export PARLEY_BENCH_OCCUPANTS=${3:-${PARLEY_BENCH_OCCUPANTS:-200}}
export PARLEY_BENCH_ARCHIVED=${4:-${PARLEY_BENCH_ARCHIVED:-5000}}
export PARLEY_BENCH_RUNS=${5:-${PARLEY_BENCH_RUNS:-3}}
if [ "$PARLEY_BENCH_OCCUPANTS" -gt 999 ]; then
  echo "at most 999 occupants (bot001..bot999)" >&2
  exit 2
fi
exec scripts/bench-on-prosody.sh compare compare
