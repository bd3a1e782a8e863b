#!/usr/bin/env bash
# Runs Parley's own Prosody instances, side by side, on 127.0.0.1 only:
#   demo: https://localhost:5443/    test: https://localhost:5444/   (app, config.json and websocket)
#   bench: https://localhost:5445/   (10,000 rooms, 500 occupant accounts, rosters of 2,000 and 10,000: scripts/bench-rooms.sh, scripts/bench-roster.sh)
#   compare: https://localhost:5457/ (the data set of scripts/bench.sh, sized by its parameters)
# Data, certificate, log and pid live in .run/<instance>/ (gitignored).
# Usage: server/prosody.sh start|stop|kill|status|reset <demo|test|bench|compare>
#   reset: stop and delete the data; kill: die at once, as a crashed server or a dead network does
#   (every connection drops without a goodbye).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
action=${1:-}
instance=${2:-}

case "$instance" in
  demo) https_port=5443 ;;
  test) https_port=5444 ;;
  bench) https_port=5445 ;;
  compare) https_port=5457 ;;
  *) echo "usage: $0 start|stop|kill|status|reset demo|test|bench|compare" >&2; exit 2 ;;
esac

run_dir="$repo/.run/$instance"
pid_file="$run_dir/prosody.pid"
cert="$run_dir/certs/localhost.crt"
key="$run_dir/certs/localhost.key"
config="$repo/server/prosody.cfg.lua"

# The pid of our instance, if it is alive and really is Prosody with our config (pids get reused).
running_pid() {
  local pid
  [ -f "$pid_file" ] || return 1
  pid=$(cat "$pid_file")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "--config $config" || return 1
  echo "$pid"
}

# Self-signed, for every name the server answers to; reused while valid for at least another day.
make_cert() {
  if [ -f "$cert" ] && [ -f "$key" ] && openssl x509 -in "$cert" -noout -checkend 86400 >/dev/null 2>&1; then
    return
  fi
  echo "making a self-signed certificate in ${cert#"$repo"/}"
  mkdir -p "$run_dir/certs"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 365 \
    -subj "/CN=localhost" \
    -addext "subjectAltName=DNS:localhost,DNS:conference.localhost,DNS:upload.localhost,IP:127.0.0.1" \
    -addext "basicConstraints=critical,CA:FALSE" \
    -addext "keyUsage=critical,digitalSignature" \
    -addext "extendedKeyUsage=serverAuth" \
    -keyout "$key" -out "$cert" 2>/dev/null
  chmod 600 "$key"
}

start() {
  local pid
  if pid=$(running_pid); then
    echo "prosody ($instance) already running, pid $pid"
    return
  fi
  mkdir -p "$run_dir/data"
  make_cert
  : >"$run_dir/prosody.log"
  PARLEY_INSTANCE="$instance" PARLEY_REPO_DIR="$repo" PARLEY_RUN_DIR="$run_dir" \
    PARLEY_HTTPS_PORT="$https_port" prosody --config "$config" -F >"$run_dir/console.log" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$pid_file"
  # For tests: where the server is and which certificate to trust.
  printf 'PARLEY_TEST_WSS_URL=wss://localhost:%s/xmpp-websocket\nPARLEY_TEST_CA=%s\n' "$https_port" "$cert" >"$run_dir/env"

  # Ready once it serves /config.json: the seed data is written before the server accepts requests.
  for _ in $(seq 1 100); do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "prosody ($instance) exited during startup; last lines of its logs:" >&2
      tail -n 20 "$run_dir/console.log" "$run_dir/prosody.log" >&2
      rm -f "$pid_file"
      exit 1
    fi
    if curl -sf --cacert "$cert" -o /dev/null "https://localhost:$https_port/config.json"; then
      echo "prosody ($instance) running, pid $pid, https://localhost:$https_port/ (log: ${run_dir#"$repo"/}/prosody.log)"
      return
    fi
    sleep 0.2
  done
  echo "prosody ($instance) did not answer on port $https_port within 20 s; stopping it" >&2
  tail -n 20 "$run_dir/prosody.log" >&2
  stop
  exit 1
}

stop() {
  local pid
  if ! pid=$(running_pid); then
    rm -f "$pid_file"
    echo "prosody ($instance) not running"
    return
  fi
  kill -TERM "$pid"
  for _ in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "prosody ($instance) ignored TERM for 10 s; killing it" >&2
    kill -KILL "$pid"
  fi
  rm -f "$pid_file"
  echo "prosody ($instance) stopped"
}

case "$action" in
  start) start ;;
  stop) stop ;;
  kill)
    if pid=$(running_pid); then
      kill -KILL "$pid"
      while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
      rm -f "$pid_file"
      echo "prosody ($instance) killed"
    fi ;;
  status)
    if pid=$(running_pid); then echo "prosody ($instance) running, pid $pid"; else echo "prosody ($instance) not running"; exit 1; fi ;;
  reset)
    # Accounts, rosters, rooms and archives go; the certificate stays. The seed recreates the rest.
    stop
    rm -rf "$run_dir/data"
    echo "prosody ($instance) data deleted" ;;
  *) echo "usage: $0 start|stop|kill|status|reset demo|test|bench|compare" >&2; exit 2 ;;
esac
