#!/usr/bin/env bash
# Make sure Debian's Chromium is present for the browser tests (installs it when root).
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = 0 ]; then
  echo "Installing Chromium from Debian packages..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq chromium fonts-dejavu-core fonts-sil-abyssinica >&2
else
  echo "Chromium is not installed and this user cannot install it; browser tests will skip" >&2
fi
