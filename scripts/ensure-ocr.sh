#!/usr/bin/env bash
# Scanned PDFs are read with Tesseract and its Danish model (ingest/formats/ocr.py); both come from
# Debian and are installed here when missing, as scripts/ensure-chromium.sh installs the browser.
set -euo pipefail
if command -v tesseract >/dev/null && tesseract --list-langs 2>/dev/null | grep -qx dan; then
  exit 0
fi
if [ "$(id -u)" != 0 ] && ! command -v sudo >/dev/null; then
  echo "Tekstgenkendelse mangler: kør 'apt-get install tesseract-ocr tesseract-ocr-dan' som root (scannede PDF'er kræver den)." >&2
  exit 1
fi
SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
echo "Installerer Debians tesseract-ocr og tesseract-ocr-dan til scannede PDF'er ..."
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq tesseract-ocr tesseract-ocr-dan >/dev/null
tesseract --version | head -1
