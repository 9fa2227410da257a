#!/usr/bin/env bash
# One command: build release, generate the data set, benchmark SQLite and PostgreSQL, print JSON
# (also saved to bench/results/latest.json). Arguments go to oxidesk-bench, e.g. --tickets 1000000.
set -euo pipefail
source "$(dirname "$0")/../scripts/env.sh"
cargo build --release -p server -p oxidesk-bench
mkdir -p bench/results
"$CARGO_TARGET_DIR/release/oxidesk-bench" --bin "$CARGO_TARGET_DIR/release/oxidesk" "$@" | tee bench/results/latest.json
