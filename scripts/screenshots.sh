#!/usr/bin/env bash
# Regenerates docs/screenshots/ (shown in the README): every screen of tests/e2e/specs/screenshots.spec.ts,
# desktop and phone, light and dark, en/ru/fr, from the release bundle against a fresh test Prosody.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/setup.sh
scripts/build.sh >/dev/null
# The same seed each time, so the pictures show the same conversations.
server/prosody.sh stop test >/dev/null 2>&1 || true
server/prosody.sh reset test
rm -rf docs/screenshots
PARLEY_SCREENSHOTS_DIR="$PWD/docs/screenshots" scripts/e2e.sh specs/screenshots.spec.ts
ls docs/screenshots
