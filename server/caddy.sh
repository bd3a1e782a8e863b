#!/usr/bin/env bash
# Runs Debian's Caddy on 127.0.0.1:5447 with docs/deploy/Caddyfile exactly as documented, like
# server/nginx.sh does for nginx: the bundle under https://localhost:5447/chat/ and the WebSocket
# proxied to the test Prosody. Only the documented placeholders are replaced; a missing one stops
# the script. No ACME, no admin endpoint, nothing outside .run/caddy/ (gitignored).
# Usage: server/caddy.sh start|stop|status
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
run="$repo/.run/caddy"
port=5447
upstream=5444
cert="$repo/.run/test/certs/localhost.crt"
key="$repo/.run/test/certs/localhost.key"
dist=${PARLEY_DIST_DIR:-$repo/dist}

running_pid() {
  local pid
  [ -f "$run/caddy.pid" ] || return 1
  pid=$(cat "$run/caddy.pid")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q caddy || return 1
  echo "$pid"
}

substitute() {
  local from=$1 to=$2 file=$3
  grep -qF -- "$from" "$file" || { echo "caddy.sh: '$from' is no longer in docs/deploy/Caddyfile" >&2; exit 1; }
  FROM="$from" TO="$to" perl -0pi -e 's/\Q$ENV{FROM}\E/$ENV{TO}/g' "$file"
}

start() {
  if pid=$(running_pid); then
    echo "caddy already running, pid $pid"
    return
  fi
  command -v caddy >/dev/null || { echo "caddy.sh: caddy is not installed (scripts/setup.sh installs it)" >&2; exit 1; }
  [ -f "$cert" ] || { echo "caddy.sh: no $cert: start the test Prosody first" >&2; exit 1; }
  [ -f "$dist/index.html" ] || { echo "caddy.sh: no $dist/index.html: run scripts/build.sh first" >&2; exit 1; }
  rm -rf "$run/www"
  mkdir -p "$run/www" "$run/home"
  cp -r "$dist/." "$run/www/"
  printf '{"default_domain":"localhost","websocket_url":"wss://localhost:%s/chat/xmpp-websocket"}\n' "$port" >"$run/www/config.json"
  find "$run/www" -type f \( -name '*.wasm' -o -name '*.js' -o -name '*.css' -o -name '*.html' -o -name '*.svg' -o -name '*.schema.json' \) |
    while read -r file; do
      [ -f "$file.br" ] || brotli -q 11 -f -o "$file.br" "$file"
      [ -f "$file.gz" ] || gzip -9 -n -c "$file" >"$file.gz"
    done

  local site="$run/Caddyfile"
  {
    # The process around the documented site: loopback only, no admin API, no ACME, no redirects.
    printf '{\n\tadmin off\n\tauto_https off\n\thttp_port 0\n\tdefault_bind 127.0.0.1\n\tstorage file_system %s\n}\n\n' "$run/home"
    cat "$repo/docs/deploy/Caddyfile"
  } >"$site"
  substitute "chat.example.org {" "https://localhost:$port {" "$site"
  substitute "/etc/ssl/certs/chat.example.org.pem" "$cert" "$site"
  substitute "/etc/ssl/private/chat.example.org.key" "$key" "$site"
  substitute "/srv/parley" "$run/www" "$site"
  substitute "127.0.0.1:5281" "127.0.0.1:$upstream" "$site"

  HOME="$run/home" XDG_DATA_HOME="$run/home" XDG_CONFIG_HOME="$run/home" \
    caddy run --config "$site" --adapter caddyfile >"$run/caddy.log" 2>&1 </dev/null &
  echo $! >"$run/caddy.pid"
  local pid=$! state=
  # Only kill -0 while waiting: just after the fork /proc/<pid>/cmdline can still be the shell's
  # (or empty mid-exec), which running_pid would take for a dead caddy. A cold start on a busy
  # 2-core machine gets 30 s.
  for _ in $(seq 1 300); do
    if curl -sf --noproxy '*' --max-time 2 --cacert "$cert" -o /dev/null "https://localhost:$port/chat/"; then
      echo "caddy running, https://localhost:$port/chat/ (log: ${run#"$repo"/}/caddy.log)"
      return
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      wait "$pid" && state="caddy exited" || state="caddy exited with status $?"
      break
    fi
    sleep 0.1
  done
  echo "caddy did not answer on $port (${state:-still running after 30 s, stopped}); its log:" >&2
  [ -n "$state" ] || kill "$pid" 2>/dev/null || true
  tail -n 20 "$run/caddy.log" >&2
  exit 1
}

stop() {
  if pid=$(running_pid); then
    kill "$pid"
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -f "$run/caddy.pid"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) if pid=$(running_pid); then echo "caddy running, pid $pid"; else echo "caddy not running"; exit 1; fi ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
