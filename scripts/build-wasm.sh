#!/usr/bin/env bash
# Builds Ward's WebAssembly module for the playground, from any folder:
#   cargo build --profile wasm-release --target wasm32-unknown-unknown -p ward-wasm
#   wasm-bindgen --target web          -> playground/src/wasm/ward_wasm.js, ward_wasm_bg.wasm, .d.ts
#   wasm-opt -Oz (npm binaryen)        -> ward_wasm_bg.wasm, in place
# then loads the result in Node with initSync and lints a template, and prints the sizes.
#
# Needs: rustup, cargo, node, and `npm ci` done in playground/ (binaryen is in its
# devDependencies). Installs the wasm32 target and the matching wasm-bindgen-cli when missing.
# Environment: CARGO_TARGET_DIR as for cargo; WASM_OPT to use another npm-binaryen wasm-opt;
# WARD_WASM_OUT_DIR to write somewhere else than playground/src/wasm.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

out="${WARD_WASM_OUT_DIR:-$root/playground/src/wasm}"
budget_gzip=$((400 * 1024))
step() { printf '==> %s\n' "$*" >&2; }
elapsed() { echo "$((SECONDS - $1)) s"; }

# wasm-opt first, so that a missing one fails before minutes of building.
wasm_opt="${WASM_OPT:-$root/playground/node_modules/.bin/wasm-opt}"
if [ ! -x "$wasm_opt" ]; then
  cat >&2 <<MSG
build-wasm.sh: wasm-opt not found at $wasm_opt.
Run \`npm ci\` in playground/ (the npm package binaryen is in its devDependencies), or set WASM_OPT
to the wasm-opt of the npm package binaryen. Do not use Debian's binaryen: its output fails to load.
MSG
  exit 1
fi
opt_version="$("$wasm_opt" --version | awk '{print $3}')"
case "$opt_version" in
  '' | *[!0-9]*) echo "build-wasm.sh: cannot read the version of $wasm_opt" >&2; exit 1 ;;
esac
if [ "$opt_version" -lt 120 ]; then
  echo "build-wasm.sh: $wasm_opt is binaryen $opt_version; use the npm package binaryen (132 or later), not Debian's, whose output fails to load" >&2
  exit 1
fi

step "wasm32-unknown-unknown target"
rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown

step "wasm-bindgen-cli"
"$root/scripts/wasm-bindgen-cli.sh"

step "cargo build --profile wasm-release --target wasm32-unknown-unknown -p ward-wasm"
start=$SECONDS
cargo build --profile wasm-release --target wasm32-unknown-unknown -p ward-wasm
echo "built in $(elapsed "$start")" >&2
target_dir="$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')"
module="$target_dir/wasm32-unknown-unknown/wasm-release/ward_wasm.wasm"

step "wasm-bindgen --target web --out-dir $out"
mkdir -p "$out"
rm -f "$out"/ward_wasm*
wasm-bindgen --target web --out-dir "$out" "$module"
raw=$(wc -c <"$out/ward_wasm_bg.wasm")

step "wasm-opt -Oz ($wasm_opt, binaryen $opt_version)"
start=$SECONDS
# The features Rust's wasm32-unknown-unknown target enables by default; the module's
# target_features section says the same, the flags make it independent of that section.
"$wasm_opt" -Oz \
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-reference-types --enable-mutable-globals --enable-multivalue \
  "$out/ward_wasm_bg.wasm" -o "$out/ward_wasm_bg.wasm.opt"
mv "$out/ward_wasm_bg.wasm.opt" "$out/ward_wasm_bg.wasm"
echo "optimized in $(elapsed "$start")" >&2

step "smoke test: initSync in Node"
smoke="$(mktemp -d)"
trap 'rm -rf "$smoke"' EXIT
cp "$out/ward_wasm.js" "$smoke/ward_wasm.mjs"
WARD_WASM="$out/ward_wasm_bg.wasm" node --input-type=module -e "
import { readFileSync } from 'node:fs';
const ward = await import('$smoke/ward_wasm.mjs');
ward.initSync({ module: readFileSync(process.env.WARD_WASM) });
const text = 'Resources:\n  T:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      BillingMode: PAY_PER_REQUEST\n';
const result = ward.lint(text, { parameters: {} });
const ddb001 = result.findings.find((finding) => finding.rule === 'DDB001');
if (!result.isTemplate || !ddb001 || !ddb001.fix || ward.rules().length === 0) {
  throw new Error('unexpected lint result: ' + JSON.stringify(result));
}
console.error('ward ' + ward.version() + ': ' + result.findings.length + ' findings, ' + ward.rules().length + ' rules');
"

optimized=$(wc -c <"$out/ward_wasm_bg.wasm")
gzipped=$(gzip -9 -c "$out/ward_wasm_bg.wasm" | wc -c)
kb() { awk -v bytes="$1" 'BEGIN { printf "%.1f KB", bytes / 1024 }'; }
printf 'ward_wasm_bg.wasm: %s raw, %s optimized, %s gzipped (budget %s)\n' \
  "$(kb "$raw")" "$(kb "$optimized")" "$(kb "$gzipped")" "$(kb "$budget_gzip")"
if [ "$gzipped" -gt "$budget_gzip" ]; then
  echo "build-wasm.sh: the module is over its budget of $(kb "$budget_gzip") gzipped" >&2
  exit 1
fi
