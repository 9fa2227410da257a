# Sourced by the other scripts: shared cargo target cache and tool paths.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/oxidesk/target}"
export PATH="${OXIDESK_TOOLS_DIR:-$HOME/.cache/oxidesk/tools}/node_modules/.bin:${OXIDESK_TOOLS_DIR:-$HOME/.cache/oxidesk/tools}/venv/bin:$HOME/.cargo/bin:$PATH"
export LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-$root/target/site}"
cd "$root"
