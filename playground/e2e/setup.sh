#!/usr/bin/env bash
# Installs the browser that the playground's end-to-end test drives: Debian's chromium (Playwright's
# own browser download comes from a CDN that this project's machines cannot reach), plus a font so
# that screenshots show text. Idempotent: apt runs only when something is missing. Runs as root
# (CI) or through sudo; never reads stdin.
set -euo pipefail

if [ -n "${WARD_E2E_CHROMIUM:-}" ]; then
  echo "--> WARD_E2E_CHROMIUM=$WARD_E2E_CHROMIUM: nothing to install"
  exit 0
fi
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
dpkg -s fonts-dejavu-core >/dev/null 2>&1 || missing+=(fonts-dejavu-core)
if [ "${#missing[@]}" -eq 0 ]; then
  echo "--> present: $(chromium --version 2>/dev/null)"
  exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "--> apt-get install ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
chromium --version 2>/dev/null
