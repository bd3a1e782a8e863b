#!/usr/bin/env bash
# Builds the release bundle into dist/ and prints its sizes (raw, gzip -9, brotli -q 11).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# wasm-opt 132 from npm (Debian's binaryen 108 produces a module that crashes at load).
PATH="$PWD/tests/e2e/node_modules/.bin:$PATH" trunk build --release --offline --locked

# Content-hashed names for the assets, so servers can cache them for good.
scripts/fingerprint.sh dist

# Precompressed copies for web servers that send them as they are (docs/deployment.md); not of
# config.json, which the operator edits (a stale .br beside it would be served instead).
find dist -type f \( -name '*.wasm' -o -name '*.js' -o -name '*.css' -o -name '*.html' -o -name '*.svg' -o -name '*.schema.json' -o -name '*.webmanifest' \) |
  while read -r file; do
    brotli -q 11 -f -o "$file.br" "$file"
    gzip -9 -n -c "$file" >"$file.gz"
  done

mapfile -t files < <(find dist -type f \( -name '*.wasm' -o -name '*.js' -o -name '*.css' \) | sort)
total_raw=0 total_gz=0 total_br=0
printf '%-48s %10s %10s %10s\n' file raw gzip-9 brotli-11
for file in "${files[@]}"; do
  raw=$(stat -c %s "$file")
  gz=$(gzip -9 -n -c "$file" | wc -c)
  br=$(brotli -q 11 -c "$file" | wc -c)
  total_raw=$((total_raw + raw)) total_gz=$((total_gz + gz)) total_br=$((total_br + br))
  printf '%-48s %10d %10d %10d\n' "${file#dist/}" "$raw" "$gz" "$br"
done
printf '%-48s %10d %10d %10d\n' total "$total_raw" "$total_gz" "$total_br"
