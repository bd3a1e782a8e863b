#!/usr/bin/env bash
# Builds Parley and serves it with a local Prosody and demo accounts until Ctrl-C.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/setup.sh
scripts/build.sh

trap 'server/prosody.sh stop demo' EXIT
trap 'exit 130' INT TERM
server/prosody.sh start demo

cat <<'MSG'

Parley is running at  https://localhost:5443/

Log in as  alice / wonderland,  bob / builder  or  carol / christmas
(all three are contacts of each other; rooms: lobby, rust, tea on conference.localhost).
Open two browser windows (one private) to chat between two of them.

The server uses a self-signed certificate made for this machine, so the browser warns once:
choose "Advanced" and "Proceed to localhost". The websocket then uses the same, accepted certificate.
To avoid the warning, trust .run/demo/certs/localhost.crt in your browser instead.

Ctrl-C stops the server.
MSG

# Stay in the foreground while the server runs; the EXIT trap stops it.
while server/prosody.sh status demo >/dev/null; do sleep 2; done
echo "the demo server stopped by itself; see .run/demo/prosody.log" >&2
exit 1
