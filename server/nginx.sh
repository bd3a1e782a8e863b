#!/usr/bin/env bash
# Runs Debian's nginx on 127.0.0.1:5446 with docs/deploy/nginx.conf exactly as documented: the
# bundle under https://localhost:5446/chat/ and the WebSocket proxied to the test Prosody
# (https://127.0.0.1:5444). Only the documented placeholders are replaced (the site's name, its
# certificate, the bundle's directory, the XMPP server's port); a placeholder that is missing
# from the file stops the script, so the test cannot drift from the documentation.
# Usage: server/nginx.sh start|stop|status. Everything lives in .run/nginx/ (gitignored).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
run="$repo/.run/nginx"
port=5446
upstream=5444
cert="$repo/.run/test/certs/localhost.crt"
key="$repo/.run/test/certs/localhost.key"
dist=${PARLEY_DIST_DIR:-$repo/dist}
modules=/usr/lib/nginx/modules

running_pid() {
  local pid
  [ -f "$run/nginx.pid" ] || return 1
  pid=$(cat "$run/nginx.pid")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "nginx" || return 1
  echo "$pid"
}

# Replaces `from` with `to` in the copy of the documented config; `from` must be there.
substitute() {
  local from=$1 to=$2 file=$3
  grep -qF -- "$from" "$file" || { echo "nginx.sh: '$from' is no longer in docs/deploy/nginx.conf" >&2; exit 1; }
  FROM="$from" TO="$to" perl -0pi -e 's/\Q$ENV{FROM}\E/$ENV{TO}/g' "$file"
}

start() {
  if pid=$(running_pid); then
    echo "nginx already running, pid $pid"
    return
  fi
  command -v nginx >/dev/null || { echo "nginx.sh: nginx is not installed (scripts/setup.sh installs it)" >&2; exit 1; }
  [ -f "$cert" ] || { echo "nginx.sh: no $cert: start the test Prosody first (server/prosody.sh start test)" >&2; exit 1; }
  [ -f "$dist/index.html" ] || { echo "nginx.sh: no $dist/index.html: run scripts/build.sh first" >&2; exit 1; }
  rm -rf "$run/www"
  mkdir -p "$run/www" "$run/temp"
  cp -r "$dist/." "$run/www/"
  # This deployment's own config.json: the endpoint is the proxied one on nginx's origin.
  printf '{"default_domain":"localhost","websocket_url":"wss://localhost:%s/chat/xmpp-websocket"}\n' "$port" >"$run/www/config.json"
  # Precompressed copies as scripts/build.sh writes them (a debug bundle lacks them).
  find "$run/www" -type f \( -name '*.wasm' -o -name '*.js' -o -name '*.css' -o -name '*.html' -o -name '*.svg' -o -name '*.schema.json' \) |
    while read -r file; do
      [ -f "$file.br" ] || brotli -q 11 -f -o "$file.br" "$file"
      [ -f "$file.gz" ] || gzip -9 -n -c "$file" >"$file.gz"
    done

  local site="$run/parley.conf"
  cp "$repo/docs/deploy/nginx.conf" "$site"
  substitute "listen 443 ssl http2;" "listen 127.0.0.1:$port ssl http2;" "$site"
  substitute "server_name chat.example.org;" "server_name localhost;" "$site"
  substitute "/etc/ssl/certs/chat.example.org.pem" "$cert" "$site"
  substitute "/etc/ssl/private/chat.example.org.key" "$key" "$site"
  substitute "/srv/parley/" "$run/www/" "$site"
  substitute "127.0.0.1:5281" "127.0.0.1:$upstream" "$site"

  cat >"$run/nginx.conf" <<CONF
# Written by server/nginx.sh: the process around docs/deploy/nginx.conf, nothing of the site.
load_module $modules/ngx_http_brotli_static_module.so;
pid $run/nginx.pid;
error_log $run/error.log warn;
worker_processes 1;
events { worker_connections 256; }
http {
    access_log $run/access.log;
    client_body_temp_path $run/temp/body;
    proxy_temp_path $run/temp/proxy;
    fastcgi_temp_path $run/temp/fastcgi;
    uwsgi_temp_path $run/temp/uwsgi;
    scgi_temp_path $run/temp/scgi;
    include $site;
}
CONF
  nginx -t -q -c "$run/nginx.conf" -p "$run"
  nginx -c "$run/nginx.conf" -p "$run"
  for _ in $(seq 1 300); do
    if curl -sf --noproxy '*' --max-time 2 --cacert "$cert" -o /dev/null "https://localhost:$port/chat/"; then
      echo "nginx running, https://localhost:$port/chat/ (log: ${run#"$repo"/}/error.log)"
      return
    fi
    sleep 0.1
  done
  echo "nginx did not answer on $port; its log:" >&2
  tail -n 20 "$run/error.log" >&2
  exit 1
}

stop() {
  if pid=$(running_pid); then
    kill "$pid"
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -f "$run/nginx.pid"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) if pid=$(running_pid); then echo "nginx running, pid $pid"; else echo "nginx not running"; exit 1; fi ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
