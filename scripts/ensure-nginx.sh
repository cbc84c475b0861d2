#!/usr/bin/env bash
# The proxy test (tests/test_proxy.py) checks deploy/nginx.conf with `nginx -t` and serves the app
# through it, with Debian's nginx, installed here when missing (as scripts/ensure-chromium.sh installs
# the browser). The test starts its own nginx on a free port; the package's own service is not started.
set -euo pipefail
if [ -x /usr/sbin/nginx ]; then
  exit 0
fi
if [ "$(id -u)" != 0 ] && ! command -v sudo >/dev/null; then
  echo "nginx mangler: kør 'apt-get install nginx' som root (proxy-testen kræver /usr/sbin/nginx)." >&2
  exit 1
fi
SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
echo "Installerer Debians nginx til proxy-testen ..."
POLICY=/usr/sbin/policy-rc.d
if [ ! -e "$POLICY" ]; then
  # Debian's way to install a daemon without starting it: the test needs the program, not a server on port 80.
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$POLICY" >/dev/null
  $SUDO chmod 755 "$POLICY"
  trap '$SUDO rm -f "$POLICY"' EXIT
fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nginx >/dev/null
/usr/sbin/nginx -v
