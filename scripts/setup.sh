#!/usr/bin/env bash
# Installs everything kyso needs on a fresh Debian machine with Node.js 20 and npm: the system tools
# the tests drive (OpenSSL, SoftHSM2, OpenSC, poppler, qpdf, NSS tools, a C compiler, and Chromium for
# the browser example's test, driven by playwright-core), pnpm 10, the workspace's packages from the
# frozen lockfile, and a build of every package.
set -euo pipefail
cd "$(dirname "$0")/.."

sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

echo "kyso setup: system packages (apt-get)"
sudo_if_needed apt-get update -qq
sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
  openssl softhsm2 opensc poppler-utils qpdf libnss3-tools gcc libc6-dev chromium >/dev/null

# pnpm 11 wants Node 22 and corepack's signature check fails here: pin pnpm 10 through npm.
if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version | cut -d. -f1)" != "10" ]; then
  echo "kyso setup: pnpm 10"
  npm install -g --silent pnpm@10.34.9
fi

echo "kyso setup: workspace packages (pnpm install --frozen-lockfile)"
pnpm install --frozen-lockfile --reporter=append-only
echo "kyso setup: build"
pnpm build --output-logs=errors-only
echo "kyso setup: done"
