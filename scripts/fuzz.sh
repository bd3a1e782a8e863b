#!/usr/bin/env bash
# Fuzzes frame parsing and the client state machine for a bounded time each (default 30 s).
# cargo-fuzz needs nightly-only flags; RUSTC_BOOTSTRAP lets the stable toolchain accept them.
# Usage: scripts/fuzz.sh [seconds-per-target] [target...]
#
# Memory is bounded too: a process over 512 MB, or one allocation over 64 MB, counts as a crash.
# Random inputs rarely grow a memory blow-up's shape in 30 s, so the frame target first runs
# once over fuzz/seeds/frame: namespace bombs (a long namespace inherited by 10,000 children:
# 640 MB of copies for a parser that copies it into every element). A regression fails there.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

seconds=${1:-30}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(frame session)
limits=(-rss_limit_mb=512 -malloc_limit_mb=64)

mkdir -p fuzz/seeds/frame
python3 - <<'PY'
for name, ns_len in (("namespace-bomb-64k", 64 * 1024), ("namespace-at-the-cap", 1020)):
    ns = "urn:" + "u" * ns_len
    with open(f"fuzz/seeds/frame/{name}", "w") as f:
        f.write(f"<message><x xmlns='{ns}'>{'<a/>' * 10_000}</x></message>")
PY

export RUSTC_BOOTSTRAP=1
run() {
  local target=$1 log=$2
  shift 2
  if ! cargo fuzz run --fuzz-dir fuzz -O "$target" "$@" 2>"$log"; then
    tail -n 60 "$log"
    echo "fuzz: $target crashed; the input is in fuzz/artifacts/$target/"
    exit 1
  fi
}
for target in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$target"
  if [ "$target" = frame ]; then
    run frame fuzz/frame-seeds.log fuzz/seeds/frame -- -runs=0 -max_len=200000 "${limits[@]}"
    echo "fuzz: frame: the memory seeds parse within the limits"
  fi
  printf 'fuzz: %s for %ss\n' "$target" "$seconds"
  # libFuzzer prints its progress on stderr; keep the summary line.
  run "$target" "fuzz/$target.log" "fuzz/corpus/$target" -- -max_total_time="$seconds" "${limits[@]}"
  grep -E '^Done [0-9]+ runs' "fuzz/$target.log" | sed "s/^/fuzz: $target: /"
done
