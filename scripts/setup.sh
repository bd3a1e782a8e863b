#!/usr/bin/env bash
# Installs what building and testing Parley needs, skipping whatever is already in place.
# Everything comes from package registries: Debian (apt), crates.io (cargo) and npm.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

TRUNK_VERSION=0.21.14
APT_PACKAGES=(prosody lua-unbound chromium chromium-driver openssl brotli curl make gcc g++ libc6-dev)

say() { printf 'setup: %s\n' "$*"; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
for package in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "apt: installing ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  say "apt: packages present"
fi

if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "rust: wasm32-unknown-unknown present"
else
  say "rust: adding wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# trunk 0.22 needs a newer rustc, so the version is pinned.
if [ "$(trunk --version 2>/dev/null)" = "trunk $TRUNK_VERSION" ]; then
  say "trunk $TRUNK_VERSION present"
else
  say "cargo install trunk $TRUNK_VERSION (about 5 minutes)"
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi

# wasm-bindgen-cli must match the wasm-bindgen crate exactly; its own lockfile pins a crate
# version the registry lacks, hence no --locked.
wb_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null)" = "wasm-bindgen $wb_version" ]; then
  say "wasm-bindgen $wb_version present"
else
  say "cargo install wasm-bindgen-cli $wb_version (about 2 minutes)"
  cargo install wasm-bindgen-cli --version "$wb_version"
fi

# cargo-fuzz for the bounded fuzzing run; a plain crates.io install.
if cargo fuzz --version >/dev/null 2>&1; then
  say "cargo-fuzz present"
else
  say "cargo install cargo-fuzz (about 1 minute)"
  cargo install cargo-fuzz --locked
fi

# Playwright uses Debian's chromium, so no browser download; binaryen provides wasm-opt.
if [ tests/e2e/node_modules/.package-lock.json -nt tests/e2e/package-lock.json ]; then
  say "npm: tests/e2e/node_modules up to date"
else
  say "npm ci in tests/e2e"
  (cd tests/e2e && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
fi

# Trunk builds offline, so every crate must be in the local registry first.
say "cargo fetch"
cargo fetch --locked --quiet
