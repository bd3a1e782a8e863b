#!/usr/bin/env bash
# Trunk's post_build hook (Trunk.toml): builds the first module (src/first, bin `first`) into
# Trunk's staging directory as first.js and first_bg.wasm, as Trunk builds the app. Trunk 0.21
# builds one main wasm per page, so the second is built here, with the same tools and options.
set -euo pipefail
: "${TRUNK_STAGING_DIR:?run by trunk build (Trunk.toml hooks)}"
profile=${TRUNK_PROFILE:-debug}
flags=()
[ "$profile" = release ] && flags=(--release)
cargo build "${flags[@]}" --locked --target wasm32-unknown-unknown --no-default-features --bin first
wasm-bindgen --target web --no-typescript --out-dir "$TRUNK_STAGING_DIR" --out-name first \
  "target/wasm32-unknown-unknown/$profile/first.wasm"
if [ "$profile" = release ]; then
  # As index.html asks of Trunk for the app.
  wasm-opt -Os --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    -o "$TRUNK_STAGING_DIR/first_bg.wasm" "$TRUNK_STAGING_DIR/first_bg.wasm"
fi
