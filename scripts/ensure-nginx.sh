#!/usr/bin/env bash
# The proxy test (tests/test_proxy.py) checks deploy/nginx.conf with `nginx -t` and serves the app
# through it, with Debian's nginx, installed here when missing (as scripts/ensure-chromium.sh installs
# the browser). The test starts its own nginx on a free port; the package's own service is not started.
set -euo pipefail
if [ -x /usr/sbin/nginx ]; then
  exit 0
fi
source "$(dirname "$0")/apt-install.sh"
WHAT="nginx til proxy-testen"
as_root "$WHAT" nginx
POLICY=/usr/sbin/policy-rc.d
if [ ! -e "$POLICY" ]; then
  # Debian's way to install a daemon without starting it: the test needs the program, not a server on port 80.
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$POLICY" >/dev/null
  $SUDO chmod 755 "$POLICY"
  trap '$SUDO rm -f "$POLICY"' EXIT
fi
apt_install "$WHAT" nginx
/usr/sbin/nginx -v
