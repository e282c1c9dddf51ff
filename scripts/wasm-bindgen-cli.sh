#!/usr/bin/env bash
# Makes sure that `wasm-bindgen` and `wasm-bindgen-test-runner` are on PATH at exactly the
# version of the wasm-bindgen crate in Cargo.lock (the two must match, or the generated glue does
# not fit the module), installing wasm-bindgen-cli with cargo when they are not. Used by
# scripts/build-wasm.sh and scripts/test; callers put "${CARGO_HOME:-$HOME/.cargo}/bin" on PATH.
#
# No `--locked`: wasm-bindgen-cli's own lockfile pins crates newer than the registry here has
# (see ../shared/notes/dependencies.md §0). A cold install takes about 10 minutes on 2 cores.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

version="$(awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/version = |"/, ""); print; exit }' "$root/Cargo.lock")"
if [ -z "$version" ]; then
  echo "wasm-bindgen-cli.sh: no wasm-bindgen in $root/Cargo.lock" >&2
  exit 1
fi

installed() {
  [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" = "$version" ] &&
    [ "$(wasm-bindgen-test-runner --version 2>/dev/null | awk '{print $2}')" = "$version" ]
}

if installed; then
  echo "wasm-bindgen $version: installed ($(command -v wasm-bindgen))" >&2
  exit 0
fi
echo "wasm-bindgen $version: installing wasm-bindgen-cli with cargo (about 10 minutes cold)" >&2
start=$SECONDS
cargo install wasm-bindgen-cli --version "$version"
if ! installed; then
  echo "wasm-bindgen-cli.sh: after the install, wasm-bindgen is $(wasm-bindgen --version 2>&1 || true), not $version" >&2
  exit 1
fi
echo "wasm-bindgen $version: installed in $((SECONDS - start)) s" >&2
