#!/usr/bin/env bash
# The browser test drives Debian's Chromium; a browser download by a test tool fails on these
# machines, so the system package is installed here when it is missing.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" != 0 ] && ! command -v sudo >/dev/null; then
  echo "Chromium mangler: kør 'apt-get install chromium' som root (browser-testen kræver /usr/bin/chromium)." >&2
  exit 1
fi
SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
echo "Installerer Debians chromium til browser-testen ..."
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
/usr/bin/chromium --version
