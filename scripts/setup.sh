#!/usr/bin/env bash
# Installs what building and testing Parley needs, skipping whatever is already in place.
# Everything comes from package registries: Debian (apt), crates.io (cargo) and npm.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

TRUNK_VERSION=0.21.14
CARGO_FUZZ_VERSION=0.13.2
# Playwright 1.65 (tests/e2e/package-lock.json) needs Node 20 or newer; Debian 12's own is 18.
NODE_MAJOR_MIN=20
# ejabberd (Debian 12's 23.01) serves the live test of MUC room listing with RSM paging
# (server/ejabberd.sh).
# nginx (with its brotli_static module) and Caddy serve the bundle in the deployment tests
# (server/nginx.sh, server/caddy.sh).
APT_PACKAGES=(prosody lua-unbound ejabberd chromium chromium-driver openssl brotli curl make gcc g++ libc6-dev
  nginx libnginx-mod-http-brotli-static caddy)

say() { printf 'setup: %s\n' "$*"; }
fail() { printf 'setup: %s\n' "$*" >&2; exit 1; }
as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    fail "installing Debian packages needs root: run as root, or install sudo"
  fi
}

# The tools the README assumes, checked first so a missing one is named, not discovered later.
command -v cargo >/dev/null 2>&1 && command -v rustup >/dev/null 2>&1 ||
  fail "Rust is missing: install rustup (https://rustup.rs) and run again"
command -v python3 >/dev/null 2>&1 || fail "Python 3 is missing: apt-get install python3"
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 ||
  fail "Node.js is missing: install Node $NODE_MAJOR_MIN or newer (with npm) and run again"
node_major=$(node --version | sed -E 's/^v([0-9]+).*/\1/')
[ "$node_major" -ge "$NODE_MAJOR_MIN" ] ||
  fail "Node $(node --version) is too old: Playwright needs Node $NODE_MAJOR_MIN or newer (Debian 12's own nodejs is 18; use NodeSource or nvm)"
say "tested with $(rustc --version | cut -d' ' -f1-2), Node $(node --version)"

missing=()
for package in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "apt: installing ${missing[*]}"
  # The packaged services (prosody, ejabberd, nginx, caddy) must not start: they would listen on every interface
  # and on ports of ours (ejabberd's own config takes 5443). Where no policy-rc.d forbids that
  # already, one does for the length of the install.
  policy=/usr/sbin/policy-rc.d
  own_policy=
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\n# Written by Parley scripts/setup.sh while it installs packages.\nexit 101\n' | as_root tee "$policy" >/dev/null
    as_root chmod 755 "$policy"
    own_policy=1
  fi
  status=0
  as_root apt-get update -qq &&
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
    status=$?
  [ -z "$own_policy" ] || as_root rm -f "$policy"
  [ "$status" -eq 0 ] || fail "apt-get failed (exit $status)"
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

# wasm-bindgen-cli must match the wasm-bindgen crate exactly. Its own lockfile pins a
# webpki-roots the registry lacks, so --locked fails; instead the resolver keeps to versions
# whose rust-version this toolchain meets, so a dependency's new release cannot break the build.
wb_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null)" = "wasm-bindgen $wb_version" ]; then
  say "wasm-bindgen $wb_version present"
else
  say "cargo install wasm-bindgen-cli $wb_version (about 2 minutes)"
  CARGO_RESOLVER_INCOMPATIBLE_RUST_VERSIONS=fallback cargo install wasm-bindgen-cli --version "$wb_version"
fi

# cargo-fuzz for the bounded fuzzing run, pinned like the other tools.
if [ "$(cargo fuzz --version 2>/dev/null)" = "cargo-fuzz $CARGO_FUZZ_VERSION" ]; then
  say "cargo-fuzz $CARGO_FUZZ_VERSION present"
else
  say "cargo install cargo-fuzz $CARGO_FUZZ_VERSION (about 1 minute)"
  cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked
fi

# Playwright uses Debian's chromium, so no browser download; binaryen provides wasm-opt.
# npm ci again whenever the lockfile differs from what was installed (not merely newer).
if [ -f tests/e2e/node_modules/.parley-lock ] && cmp -s tests/e2e/package-lock.json tests/e2e/node_modules/.parley-lock; then
  say "npm: tests/e2e/node_modules up to date"
else
  say "npm ci in tests/e2e"
  (cd tests/e2e && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
  cp tests/e2e/package-lock.json tests/e2e/node_modules/.parley-lock
fi

# Trunk builds offline, so every crate must be in the local registry first.
say "cargo fetch"
cargo fetch --locked --quiet
