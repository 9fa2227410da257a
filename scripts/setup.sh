#!/usr/bin/env bash
# Installs what Oxidesk needs to build and test, skipping what is already there.
# Idempotent. Usage: scripts/setup.sh [--test]   (--test adds Chromium, PostgreSQL client checks, Playwright)
set -euo pipefail
WANT_TEST=0
[ "${1:-}" = "--test" ] && WANT_TEST=1

TOOLS="${OXIDESK_TOOLS_DIR:-$HOME/.cache/oxidesk/tools}"
mkdir -p "$TOOLS"
export PATH="$TOOLS/node_modules/.bin:$HOME/.cargo/bin:$PATH"
log() { printf '\033[1m[setup]\033[0m %s\n' "$*" >&2; }

WASM_BINDGEN_VERSION=0.2.130
CARGO_LEPTOS_VERSION=0.3.11
BINARYEN_VERSION=132.0.0
SCHEMATHESIS_VERSION=4.32.5

if ! command -v cargo >/dev/null; then
  log "installing Rust (rustup)"
  curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal
  export PATH="$HOME/.cargo/bin:$PATH"
fi

if ! rustup target list --installed | grep -q wasm32-unknown-unknown; then
  log "adding wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

apt_install() {
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  if [ ! -f /tmp/.oxidesk-apt-updated ]; then $SUDO apt-get update -qq && touch /tmp/.oxidesk-apt-updated; fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@"
}

if ! command -v npm >/dev/null; then
  log "installing Node.js + npm"
  apt_install nodejs npm
fi

if [ ! -x "$TOOLS/node_modules/.bin/wasm-opt" ]; then
  log "installing wasm-opt (binaryen $BINARYEN_VERSION from npm)"
  (cd "$TOOLS" && [ -f package.json ] || echo '{"name":"oxidesk-tools","private":true}' > "$TOOLS/package.json"
   cd "$TOOLS" && npm install --no-audit --no-fund --silent "binaryen@$BINARYEN_VERSION")
fi

# Installs a cargo binary from its registry source after pinning one dependency
# (the published lockfiles of these two tools do not resolve on this toolchain/registry).
install_pinned() { # crate version bin pin_pkg pin_version
  local crate=$1 version=$2 bin=$3 pin=$4 pinv=$5
  if command -v "$bin" >/dev/null && "$bin" --version 2>/dev/null | grep -q "$version"; then return 0; fi
  log "installing $crate $version (one-time, several minutes)"
  cargo install "$crate" --version "$version" --locked >/dev/null 2>&1 || true
  command -v "$bin" >/dev/null && "$bin" --version 2>/dev/null | grep -q "$version" && return 0
  local src
  src=$(ls -d "$HOME"/.cargo/registry/src/*/"$crate-$version" 2>/dev/null | head -1)
  if [ -z "$src" ]; then cargo fetch >/dev/null 2>&1 || true; log "source of $crate not found"; return 1; fi
  local work
  work=$(mktemp -d)
  cp -r "$src" "$work/src"
  (cd "$work/src" && cargo update -p "$pin" --precise "$pinv" && cargo install --path . --locked)
  rm -rf "$work"
}

install_pinned wasm-bindgen-cli "$WASM_BINDGEN_VERSION" wasm-bindgen webpki-roots 1.0.10
install_pinned cargo-leptos "$CARGO_LEPTOS_VERSION" cargo-leptos cargo-util-schemas 0.14.1

if [ "$WANT_TEST" = 1 ]; then
  if ! command -v chromium >/dev/null; then
    log "installing Chromium (Debian) for browser tests"
    apt_install chromium
  fi
  if ! command -v psql >/dev/null; then
    log "installing the PostgreSQL client (multi-node browser test, benchmarks)"
    apt_install postgresql-client
  fi
  if ! command -v cargo-nextest >/dev/null; then
    log "installing cargo-nextest"
    cargo install cargo-nextest --locked
  fi
  if ! "$TOOLS/venv/bin/schemathesis" --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION"; then
    log "installing schemathesis $SCHEMATHESIS_VERSION (API contract check, PyPI) in $TOOLS/venv"
    command -v python3 >/dev/null || apt_install python3
    python3 -m venv "$TOOLS/venv" 2>/dev/null || { apt_install python3-venv; python3 -m venv "$TOOLS/venv"; }
    "$TOOLS/venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
  fi
  here="$(cd "$(dirname "$0")/.." && pwd)"
  if [ ! -d "$here/end2end/node_modules/@playwright/test" ]; then
    log "installing Playwright test runner (npm)"
    (cd "$here/end2end" && npm install --no-audit --no-fund --silent)
  fi
fi
log "toolchain ready"
