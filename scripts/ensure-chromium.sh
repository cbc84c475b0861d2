#!/usr/bin/env bash
# The browser test drives Debian's Chromium; a browser download by a test tool fails on these
# machines, so the system package is installed here when it is missing.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
source "$(dirname "$0")/apt-install.sh"
apt_install "Chromium til browser-testen" chromium
/usr/bin/chromium --version
