#!/usr/bin/env bash
# Gives the bundle's assets content-hashed names (app-<16 hex>.js, app_bg-….wasm, first-….js,
# first_bg-….wasm, parley-….css, boot-….js) and rewrites the references to them (and the service worker's list of them), so web servers can cache them for a year
# ("immutable") while index.html and config.json are revalidated. Trunk's own hashing is off
# (Trunk.toml) because boot.js, a file Trunk copies, must name app.js and the wasm; this does both.
# Fails if a reference it rewrites is not where it expects it. Usage: scripts/fingerprint.sh <dir>
set -euo pipefail
dir=${1:?usage: scripts/fingerprint.sh <dist dir>}

hash_of() { sha256sum "$1" | cut -c1-16; }

# Replaces `from` with `to` in `file`; `from` must occur.
rewrite() {
  local file=$1 from=$2 to=$3
  grep -qF -- "$from" "$file" || { echo "fingerprint: '$from' not found in $file" >&2; exit 1; }
  FROM="$from" TO="$to" perl -0pi -e 's/\Q$ENV{FROM}\E/$ENV{TO}/g' "$file"
}

# Renames `name` to its hashed name and prints the new name.
fingerprint() {
  local name=$1 stem ext new
  stem=${name%.*} ext=${name##*.}
  [ -f "$dir/$name" ] || { echo "fingerprint: no $dir/$name" >&2; exit 1; }
  new="$stem-$(hash_of "$dir/$name").$ext"
  mv "$dir/$name" "$dir/$new"
  echo "$new"
}

css=$(fingerprint parley.css)
rewrite "$dir/index.html" 'href="./parley.css"' "href=\"./$css\""
wasm=$(fingerprint app_bg.wasm)
rewrite "$dir/boot.js" "'app_bg.wasm'" "'$wasm'"
js=$(fingerprint app.js)
rewrite "$dir/boot.js" "'./app.js'" "'./$js'"
first_wasm=$(fingerprint first_bg.wasm)
rewrite "$dir/index.html" 'href="first_bg.wasm"' "href=\"$first_wasm\""
rewrite "$dir/boot.js" "'first_bg.wasm'" "'$first_wasm'"
first_js=$(fingerprint first.js)
rewrite "$dir/index.html" 'href="first.js"' "href=\"$first_js\""
rewrite "$dir/boot.js" "'./first.js'" "'./$first_js'"
# Last: boot.js's own name depends on the names inside it.
boot=$(fingerprint boot.js)
rewrite "$dir/index.html" 'src="boot.js"' "src=\"$boot\""
# The service worker (public/sw.js) keeps exactly this release's shell, under a version named
# after index.html, which names every hashed file: a new release is a new sw.js.
rewrite "$dir/sw.js" "const VERSION = 'development';" "const VERSION = '$(hash_of "$dir/index.html")';"
rewrite "$dir/sw.js" "const SHELL = [];" \
  "const SHELL = ['./', './config.json', './$js', './$wasm', './$first_js', './$first_wasm', './$css', './$boot', './favicon.svg', './manifest.webmanifest'];"
echo "fingerprint: $css $wasm $js $first_wasm $first_js $boot sw.js"
