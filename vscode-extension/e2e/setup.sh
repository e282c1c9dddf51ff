#!/usr/bin/env bash
# Installs what the VS Code end-to-end test needs, on a fresh Debian 12 machine or an already set-up one:
#   - Debian packages: chromium (the browser Playwright drives), libkrb5-dev + build tools (code-server's
#     native modules are built from source here), ripgrep (seeded into @vscode/ripgrep's download cache);
#   - node_modules from package-lock.json (code-server 4.100.3, playwright-core), with the environment
#     workarounds that code-server's postinstall needs on this network. See README.md for the why.
# Idempotent: apt only runs for what is missing, npm ci only when the lock file changed since the last
# successful install. Runs as root (CI) or through sudo; never reads stdin.
set -euo pipefail
cd "$(dirname "$0")"

step() { printf -- '--> %s\n' "$*"; }

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi

# --- Debian packages -------------------------------------------------------------------------------
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium fonts-dejavu-core)
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
command -v rg >/dev/null 2>&1 || missing+=(ripgrep)
{ command -v make && command -v g++; } >/dev/null 2>&1 || missing+=(build-essential)
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
if [ "${#missing[@]}" -gt 0 ]; then
  step "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  step "Debian packages present (chromium, libkrb5-dev, ripgrep, build tools)"
fi

# --- node_modules ------------------------------------------------------------------------------------
command -v node >/dev/null && command -v npm >/dev/null || { echo "node and npm (Node 20) are required" >&2; exit 1; }
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" != 20 ]; then
  # code-server 4.100.3 declares engines.node 20; its postinstall refuses other majors.
  echo "warning: Node $node_major found; code-server 4.100.3 is built for Node 20" >&2
fi

lock_sum="$(cat package-lock.json <(node --version) | sha256sum | cut -d' ' -f1)"
stamp="node_modules/.ward-lock-sha256"
if [ "$(cat "$stamp" 2>/dev/null)" = "$lock_sum" ] && [ -x node_modules/.bin/code-server ]; then
  step "node_modules up to date"
  exit 0
fi

# @vscode/ripgrep (a dependency of VS Code inside code-server) downloads rg from GitHub in its
# postinstall, which this network cannot reach. Its download.js first looks for the archive in
# <os.tmpdir()>/vscode-ripgrep-cache-<its version>/, so put Debian's rg there.
rg_cache="${TMPDIR:-/tmp}/vscode-ripgrep-cache-1.15.11"
rg_tar="$rg_cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
if [ ! -s "$rg_tar" ]; then
  step "seeding $rg_tar from $(command -v rg)"
  mkdir -p "$rg_cache"
  tar czf "$rg_tar.tmp" -C "$(dirname "$(command -v rg)")" rg
  mv "$rg_tar.tmp" "$rg_tar"
fi

step "npm ci (code-server builds its native modules: about 2 minutes)"
# code-server's postinstall refuses to run as root unless npm_config_unsafe_perm is set (npm 11 no
# longer knows the option and warns "Unknown env config", which is harmless); node-pty's postinstall
# runs `npx node-gyp`, which without a terminal needs npm_config_yes to fetch node-gyp.
rm -f "$stamp"
npm_config_unsafe_perm=true npm_config_yes=true npm ci --no-audit --no-fund
# A smoke test of the build; the temporary XDG_CONFIG_HOME keeps code-server from writing
# ~/.config/code-server/config.yaml.
cfg="$(mktemp -d)"
XDG_CONFIG_HOME="$cfg" node_modules/.bin/code-server --version
rm -rf "$cfg"
echo "$lock_sum" >"$stamp"
