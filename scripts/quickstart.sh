#!/usr/bin/env bash
# Command one: install what is missing, build (release), and serve Oxidesk with demo data on the
# embedded SQLite database in ./data. Extra arguments go to `oxidesk serve` (e.g. --bind 0.0.0.0:3000).
set -euo pipefail
source "$(dirname "$0")/env.sh"
bash scripts/setup.sh
cargo leptos build --release
exec "$CARGO_TARGET_DIR/release/oxidesk" serve --demo "$@"
