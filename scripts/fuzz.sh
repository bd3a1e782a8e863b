#!/usr/bin/env bash
# Fuzzes frame parsing and the session state machine for a bounded time each (default 30 s).
# cargo-fuzz needs nightly-only flags; RUSTC_BOOTSTRAP lets the stable toolchain accept them.
# Usage: scripts/fuzz.sh [seconds-per-target] [target...]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

seconds=${1:-30}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(frame session)

export RUSTC_BOOTSTRAP=1
for target in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$target"
  printf 'fuzz: %s for %ss\n' "$target" "$seconds"
  # libFuzzer prints its progress on stderr; keep the summary line and any crash report.
  if ! cargo fuzz run --fuzz-dir fuzz -O "$target" -- -max_total_time="$seconds" 2>"fuzz/$target.log"; then
    tail -n 60 "fuzz/$target.log"
    echo "fuzz: $target crashed; the input is in fuzz/artifacts/$target/"
    exit 1
  fi
  grep -E '^Done [0-9]+ runs' "fuzz/$target.log" | sed "s/^/fuzz: $target: /"
done
