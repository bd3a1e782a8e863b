#!/usr/bin/env bash
# Budgets (issue 12): the side-by-side benchmark on a small data set, once after a warm-up,
# failing when Parley's first load or a Parley/Converse.js ratio goes past
# tests/e2e/bench/budgets.json. Part of scripts/test.sh; needs the release bundle in dist/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PARLEY_BENCH_BUDGETS=1 exec scripts/bench.sh 200 200 20 200 1
