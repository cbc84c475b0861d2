#!/usr/bin/env bash
# A question's words are checked against Debian's Danish dictionary (hunspell-da, index/text/dictionary.py)
# through the `hunspell` binding, which pip builds from source against libhunspell-dev with a C++
# compiler and the interpreter's headers. All come from Debian and are installed here, before the Python
# packages, when missing. $1: the Python the virtualenv is made from (the Makefile's $(PYTHON)).
set -euo pipefail
python="${1:-python3}"
wanted=()
[ -f /usr/share/hunspell/da_DK.dic ] && [ -f /usr/share/hunspell/da_DK.aff ] || wanted+=(hunspell-da)
[ -f /usr/include/hunspell/hunspell.hxx ] || wanted+=(libhunspell-dev)
command -v c++ >/dev/null || wanted+=(g++)
include="$("$python" -c 'import sysconfig; print(sysconfig.get_paths()["include"])' 2>/dev/null || true)"
[ -n "$include" ] && [ -f "$include/Python.h" ] || wanted+=(python3-dev)
if [ ${#wanted[@]} -eq 0 ]; then
  exit 0
fi
source "$(dirname "$0")/apt-install.sh"
apt_install "Den danske ordbog til søgningen" "${wanted[@]}"
ls /usr/share/hunspell/da_DK.dic
