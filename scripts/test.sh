#!/usr/bin/env bash
# Command two: every test — unit, integration (SQLite and PostgreSQL), and browser (Playwright
# in Chromium, hydrated and with JavaScript off).
set -euo pipefail
source "$(dirname "$0")/env.sh"
bash scripts/setup.sh --test

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
started=$(date +%s)

if [ "${OXIDESK_REQUIRE_PG:-0}" = 1 ] && ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  step "starting local PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start 2>/dev/null || true
fi

step "unit and integration tests (SQLite + PostgreSQL)"
cargo nextest run -p app -p server -p migrations --features app/ssr --no-fail-fast

step "build site for browser tests"
cargo leptos build

step "browser tests (Playwright + Chromium: hydrated and JS-off)"
(cd end2end && OXIDESK_BIN="$CARGO_TARGET_DIR/debug/oxidesk" npx playwright test)

step "API contract (schemathesis against /api/openapi.json)"
bash scripts/contract.sh "${OXIDESK_CONTRACT_EXAMPLES:-10}"

step "all tests passed in $(( $(date +%s) - started ))s"
