#!/usr/bin/env bash
# Runs Parley's own ejabberd (Debian 12's package, 23.01) on 127.0.0.1 only, for tests that need a
# second real server: https://localhost:5454/ serves the websocket (/xmpp-websocket) and, to loopback
# callers, the admin API (/api) the seed uses; Erlang distribution listens on 127.0.0.1:5456, no epmd.
# Seed: account alice/wonderland, and 1,200 public persistent rooms room-0001..room-1200 on
# conference.localhost named "Room 0001".."Room 1200" (for XEP-0059 paging of disco#items).
# Config comes from server/ejabberd/; data, certificate, logs and pid live in .run/ejabberd/
# (gitignored), owned by the ejabberd user, whom ejabberdctl switches to (so: run as root).
# Usage: server/ejabberd.sh start|stop|status|reset
#   reset: stop and delete the data; the next start seeds it again.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
action=${1:-}

https_port=5454
rooms=1200
muc_host=conference.localhost
conf_dir="$repo/server/ejabberd"
run_dir="$repo/.run/ejabberd"
db_dir="$run_dir/db"
log_dir="$run_dir/logs"
pid_file="$run_dir/ejabberd.pid"
config="$run_dir/ejabberd.yml"
seeded="$db_dir/parley-seeded"
cert="$run_dir/certs/localhost.crt"
key="$run_dir/certs/localhost.key"
pem="$run_dir/certs/localhost.pem"

ctl() {
  ejabberdctl --config-dir "$conf_dir" --ctl-config "$conf_dir/ejabberdctl.cfg" --config "$config" \
    --spool "$db_dir" --logs "$log_dir" "$@"
}

# Whether a process is the Erlang VM on our database (its command line names the mnesia dir).
is_ours() {
  local args
  mapfile -d '' -t args 2>/dev/null <"/proc/$1/cmdline" || return 1
  [[ " ${args[*]} " == *" -mnesia dir \"$db_dir\" "* ]]
}

# The pid of our instance, if it is alive and really is ours (pids get reused).
running_pid() {
  local pid
  [ -f "$pid_file" ] || return 1
  pid=$(cat "$pid_file")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && is_ours "$pid" || return 1
  echo "$pid"
}

# While it starts, before it has written its pid file: any process of ours (erl forks twice on
# its way to the VM, so one look can fall between two of them).
starting_pid() {
  local proc
  for proc in /proc/[0-9]*; do
    if is_ours "${proc#/proc/}"; then
      echo "${proc#/proc/}"
      return
    fi
  done
  return 1
}

# Self-signed, for every name the server answers to; reused while valid for at least another day.
# ejabberd wants the certificate and its key in one file.
make_cert() {
  if ! { [ -f "$cert" ] && [ -f "$key" ] && openssl x509 -in "$cert" -noout -checkend 86400 >/dev/null 2>&1; }; then
    echo "making a self-signed certificate in ${cert#"$repo"/}"
    mkdir -p "$run_dir/certs"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 365 \
      -subj "/CN=localhost" \
      -addext "subjectAltName=DNS:localhost,DNS:conference.localhost,DNS:pubsub.localhost,IP:127.0.0.1" \
      -addext "basicConstraints=critical,CA:FALSE" \
      -addext "keyUsage=critical,digitalSignature" \
      -addext "extendedKeyUsage=serverAuth" \
      -keyout "$key" -out "$cert" 2>/dev/null
    chmod 600 "$key"
    rm -f "$pem"
  fi
  if [ ! -f "$pem" ]; then
    (umask 077 && cat "$cert" "$key" >"$pem")
    chown ejabberd: "$pem"
  fi
}

# Calls the admin API; prints the reply and fails unless it is 200.
api() {
  local command=$1 body=$2 reply
  reply=$(curl -s --cacert "$cert" -H 'Content-Type: application/json' -d "$body" \
    -w '\n%{http_code}' "https://localhost:$https_port/api/$command") || return 1
  [ "${reply##*$'\n'}" = 200 ] || { echo "$command: ${reply//$'\n'/ }" >&2; return 1; }
  echo "${reply%$'\n'*}"
}

# One curl process for all the rooms, one request after another on one kept-alive connection.
seed() {
  local list="$run_dir/seed-rooms.curl" codes i n
  # Called as `seed || ...`, where set -e does not apply: every failure returns by hand.
  api register '{"user":"alice","host":"localhost","password":"wonderland"}' >/dev/null || return 1
  for i in $(seq 1 "$rooms"); do
    printf -v n '%04d' "$i"
    [ "$i" -eq 1 ] || echo next
    printf '%s\n' \
      "url = \"https://localhost:$https_port/api/create_room_with_opts\"" \
      "cacert = \"$cert\"" \
      'header = "Content-Type: application/json"' \
      "data = \"{\\\"name\\\":\\\"room-$n\\\",\\\"service\\\":\\\"$muc_host\\\",\\\"host\\\":\\\"localhost\\\",\\\"options\\\":[{\\\"name\\\":\\\"title\\\",\\\"value\\\":\\\"Room $n\\\"}]}\"" \
      'output = "/dev/null"' \
      'write-out = "%{http_code}\n"' \
      'silent'
  done >"$list"
  codes=$(curl -K "$list" | sort | uniq -c) || true
  rm -f "$list"
  if [ "$codes" != "$(printf '%7d 200' "$rooms")" ]; then
    echo "creating the rooms failed; HTTP status counts: $codes" >&2
    return 1
  fi
  touch "$seeded" || return 1
}

start() {
  local pid
  if pid=$(running_pid); then
    echo "ejabberd already running, pid $pid"
    return
  fi
  [ "$(id -u)" -eq 0 ] || { echo "ejabberd.sh must run as root (ejabberdctl switches to the ejabberd user)" >&2; exit 1; }
  command -v ejabberdctl >/dev/null || { echo "ejabberd is not installed: run scripts/setup.sh" >&2; exit 1; }
  # A seed that did not finish leaves data a retry cannot build on: start from nothing then.
  [ -f "$seeded" ] || rm -rf "$db_dir"
  mkdir -p "$db_dir" "$log_dir"
  # The ejabberd user writes the database, the logs and the pid file.
  chown ejabberd: "$run_dir" "$db_dir" "$log_dir"
  make_cert
  sed "s|@PARLEY_RUN_DIR@|$run_dir|g" "$conf_dir/ejabberd.yml" >"$config"
  if ! runuser -u ejabberd -- test -r "$config" -a -r "$pem" -a -w "$db_dir"; then
    echo "the ejabberd user cannot reach ${run_dir#"$repo"/} (a parent directory closed to others?)" >&2
    exit 1
  fi
  rm -f "$pid_file" "$run_dir/env"
  : >"$log_dir/ejabberd.log"
  chown ejabberd: "$log_dir/ejabberd.log"
  EJABBERD_PID_PATH="$pid_file" ctl start >"$log_dir/console.log" 2>&1 </dev/null

  # Ready once the websocket endpoint answers over TLS (any HTTP status; it wants an upgrade).
  # Gone only when three looks in a row find no process of ours.
  local missing=0 ready=
  for _ in $(seq 1 150); do
    if pid=$(running_pid) || starting_pid >/dev/null; then
      missing=0
    else
      missing=$((missing + 1))
    fi
    if [ "$missing" -ge 3 ]; then
      echo "ejabberd exited during startup; last lines of its logs:" >&2
      tail -n 20 "$log_dir/console.log" "$log_dir/ejabberd.log" >&2
      exit 1
    fi
    if pid=$(running_pid) &&
      [ "$(curl -s --cacert "$cert" -o /dev/null -w '%{http_code}' "https://localhost:$https_port/xmpp-websocket")" != 000 ]; then
      ready=1
      break
    fi
    sleep 0.2
  done
  if [ -z "$ready" ]; then
    echo "ejabberd did not answer on port $https_port within 30 s; stopping it" >&2
    tail -n 20 "$log_dir/console.log" "$log_dir/ejabberd.log" >&2
    stop
    exit 1
  fi
  if [ ! -f "$seeded" ]; then
    echo "seeding: alice and $rooms rooms on $muc_host"
    seed || { tail -n 20 "$log_dir/ejabberd.log" >&2; stop; exit 1; }
  fi
  # For tests: where the server is and which certificate to trust.
  printf 'PARLEY_EJABBERD_WSS_URL=wss://localhost:%s/xmpp-websocket\nPARLEY_EJABBERD_CA=%s\n' "$https_port" "$cert" >"$run_dir/env"
  echo "ejabberd running, pid $pid, wss://localhost:$https_port/xmpp-websocket (log: ${log_dir#"$repo"/}/ejabberd.log)"
}

stop() {
  local pid
  # Without its pid file (it died while starting, or the file went), a process of ours all the same.
  if ! pid=$(running_pid) && ! pid=$(starting_pid); then
    rm -f "$pid_file"
    echo "ejabberd not running"
    return
  fi
  # The Erlang VM shuts down cleanly on TERM (mnesia is flushed). Gone once its command line is:
  # a dead process can linger as a zombie here, where pid 1 is slow to reap.
  kill -TERM "$pid"
  for _ in $(seq 1 200); do
    is_ours "$pid" || break
    sleep 0.1
  done
  if is_ours "$pid"; then
    echo "ejabberd ignored TERM for 20 s; killing it" >&2
    kill -KILL "$pid"
  fi
  rm -f "$pid_file"
  echo "ejabberd stopped"
}

case "$action" in
  start) start ;;
  stop) stop ;;
  status)
    if pid=$(running_pid); then echo "ejabberd running, pid $pid"; else echo "ejabberd not running"; exit 1; fi ;;
  reset)
    # Accounts and rooms go; the certificate stays. The next start seeds them again.
    stop
    rm -rf "$db_dir"
    echo "ejabberd data deleted" ;;
  *) echo "usage: $0 start|stop|status|reset" >&2; exit 2 ;;
esac
