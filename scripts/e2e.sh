#!/usr/bin/env bash
# Playwright end to end only, against the bundle already in dist/ (scripts/build.sh).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# The server serves PARLEY_DIST_DIR when set (server/prosody.cfg.lua), else dist/.
dist=${PARLEY_DIST_DIR:-dist}
[ -f "$dist/index.html" ] || { echo "e2e: no $dist/index.html; run scripts/build.sh first" >&2; exit 1; }
trap 'server/caddy.sh stop; server/nginx.sh stop; server/prosody.sh stop test' EXIT
server/prosody.sh start test
# The documented deployments (docs/deploy/) in front of it, for deploy.spec.ts.
PARLEY_DIST_DIR="$dist" server/nginx.sh start
PARLEY_DIST_DIR="$dist" server/caddy.sh start
(cd tests/e2e && npx playwright test "$@")
