#!/usr/bin/env bash
# Runs the Neovim end-to-end test of `cfn-ward lsp` on temporary copies of fixture templates.
#   tests/lsp-clients/nvim/run.sh [TEMPLATE...]
# The server binary is $WARD_BIN, else ${CARGO_TARGET_DIR:-target}/debug/cfn-ward from the repo root.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
cd "$root"

bin="${WARD_BIN:-${CARGO_TARGET_DIR:-target}/debug/cfn-ward}"
case "$bin" in /*) ;; *) bin="$root/$bin" ;; esac
if [ ! -x "$bin" ]; then
  echo "server binary not found at $bin: run \`cargo build -p cfn-ward\` or set WARD_BIN" >&2
  exit 2
fi
if ! command -v nvim >/dev/null; then
  echo "nvim not found (apt-get install neovim)" >&2
  exit 2
fi

# Without arguments: a block-style template, and one whose finding follows non-ASCII text on its
# line (UTF-16 columns differ from bytes there).
if [ "$#" -eq 0 ]; then
  set -- "$here/../fixtures/orders.yaml" "$here/../fixtures/utf16.yaml"
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/ward-nvim.XXXXXX")"
trap 'rm -rf "$work"' EXIT
for fixture in "$@"; do
  echo "--- $(basename "$fixture")"
  copy="$work/$(basename "$fixture")"
  cp "$fixture" "$copy"
  # --clean: no user config or plugins; throwaway XDG folders keep logs and shada out of $HOME.
  XDG_STATE_HOME="$work/state" XDG_CACHE_HOME="$work/cache" XDG_DATA_HOME="$work/data" \
  WARD_BIN="$bin" WARD_LSP_CMD="" WARD_FILE="$copy" \
    timeout 120 nvim --headless --clean -c "luafile $here/harness.lua" </dev/null
done
