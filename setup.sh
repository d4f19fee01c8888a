#!/usr/bin/env bash
# Installs what hark needs on Debian/Ubuntu (ffmpeg, ALSA headers for `speaker`, tmux for the end-to-end tests),
# then the npm packages, then builds. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")"

packages=(ffmpeg libasound2-dev alsa-utils tmux python3 make g++)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "Installing ${missing[*]} with apt-get …"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v node >/dev/null || [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
  echo "hark needs Node.js 20 or newer (https://nodejs.org, or your distribution's nodesource packages)." >&2
  exit 1
fi

npm ci --no-audit --no-fund
npm run build
echo "hark is ready: bin/hark.js --help"
