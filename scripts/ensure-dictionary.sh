#!/usr/bin/env bash
# A question's words are checked against Debian's Danish dictionary (hunspell-da, index/text/dictionary.py)
# through the `hunspell` binding, which pip builds from source against libhunspell-dev with a C++
# compiler. All come from Debian and are installed here, before the Python packages, when missing.
set -euo pipefail
wanted=()
[ -f /usr/share/hunspell/da_DK.dic ] && [ -f /usr/share/hunspell/da_DK.aff ] || wanted+=(hunspell-da)
[ -f /usr/include/hunspell/hunspell.hxx ] || wanted+=(libhunspell-dev)
command -v c++ >/dev/null || wanted+=(g++)
if [ ${#wanted[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" != 0 ] && ! command -v sudo >/dev/null; then
  echo "Den danske ordbog mangler: kør 'apt-get install ${wanted[*]}' som root (søgningen læser spørgsmålets ord med den)." >&2
  exit 1
fi
SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
echo "Installerer Debians ${wanted[*]} til den danske ordbog ..."
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${wanted[@]}" >/dev/null
ls /usr/share/hunspell/da_DK.dic
