#!/usr/bin/env bash
# The API contract check: a schema-driven fuzzer (schemathesis) against a throw-away server with
# demo data, every check on. Usage: scripts/contract.sh [EXAMPLES]  (default 10 per operation;
# scripts/test.sh runs it with the default, a longer run: scripts/contract.sh 200).
# Two passes: every operation but the account ones, then those — they may revoke the very token
# the fuzzer uses, after which every answer is a (documented) 401.
set -euo pipefail
source "$(dirname "$0")/env.sh"
examples=${1:-10}
port=${OXIDESK_CONTRACT_PORT:-3230}
bin="${OXIDESK_BIN:-$CARGO_TARGET_DIR/debug/oxidesk}"
data=$(mktemp -d)
export OXIDESK_DATA_DIR="$data" OXIDESK_LOG_LEVEL=warn
unset DATABASE_URL
"$bin" demo-data >/dev/null
token=$("$bin" create-token --username admin --name contract)
"$bin" serve --bind "127.0.0.1:$port" > "$data/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.1; done
export SCHEMATHESIS_HOOKS=hooks PYTHONPATH="$root/scripts/contract${PYTHONPATH:+:$PYTHONPATH}"
# Still excluded: positive_data_acceptance — several request bodies do not yet say in their
# schema every rule the server applies (required fields, lengths after trimming, enums, formats),
# so some schema-valid bodies get a 422. Set OXIDESK_CONTRACT_EXCLUDE= to run it too.
exclude=${OXIDESK_CONTRACT_EXCLUDE-positive_data_acceptance}
run() {
  schemathesis run "http://127.0.0.1:$port/api/openapi.json" --url "http://127.0.0.1:$port" \
    -H "Authorization: Bearer $token" --checks all ${exclude:+--exclude-checks "$exclude"} --max-examples "$examples" \
    --generation-deterministic --no-color "$@"
}
run --exclude-path-regex '^/api/v1/(users|tokens|me)/' || failed=1
run --include-path-regex '^/api/v1/(users|tokens|me)/' || failed=1
exit "${failed:-0}"
