#!/usr/bin/env bash
# Sourced by scripts/ensure-*.sh: install Debian packages the project needs, as root or through sudo.

# as_root WHAT PACKAGE...: set SUDO for commands that need root, or say in Danish what to install and stop.
as_root() {
  local what="$1"; shift
  if [ "$(id -u)" != 0 ] && ! command -v sudo >/dev/null; then
    echo "$what mangler: kør 'apt-get install $*' som root." >&2
    exit 1
  fi
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
}

# apt_install WHAT PACKAGE...: WHAT says in Danish what the packages are for.
apt_install() {
  as_root "$@"
  local what="$1"; shift
  echo "Installerer Debians $* ($what) ..."
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null
}
