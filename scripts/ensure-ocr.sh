#!/usr/bin/env bash
# Scanned PDFs are read with Tesseract and its Danish model (ingest/formats/ocr.py); both come from
# Debian and are installed here when missing, as scripts/ensure-chromium.sh installs the browser.
set -euo pipefail
if command -v tesseract >/dev/null && tesseract --list-langs 2>/dev/null | grep -qx dan; then
  exit 0
fi
source "$(dirname "$0")/apt-install.sh"
apt_install "Tekstgenkendelse til scannede PDF'er" tesseract-ocr tesseract-ocr-dan
tesseract --version | head -1
