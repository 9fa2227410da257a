#!/usr/bin/env bash
# Starts a throw-away Oxidesk with demo data for the browser tests: fresh data dir, given port.
set -euo pipefail
port=${1:-3210}
root="$(cd "$(dirname "$0")/.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
bin="${OXIDESK_BIN:-$target/debug/oxidesk}"
data="${TMPDIR:-/tmp}/oxidesk-e2e-$port"
rm -rf "$data" && mkdir -p "$data"
export LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-$root/target/site}"
export OXIDESK_DATA_DIR="$data" OXIDESK_LOG_LEVEL="${OXIDESK_LOG_LEVEL:-warn}"
unset DATABASE_URL
exec "$bin" serve --demo --bind "127.0.0.1:$port"
