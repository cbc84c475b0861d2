"""Danish text recognition (OCR) of a scanned page, bounded in time and memory while it works.

Tesseract with its Danish model (Debian's `tesseract-ocr` and `tesseract-ocr-dan`, installed by
`make install`, scripts/ensure-ocr.sh) reads one page image at a time in a child process: the
page's time is bounded by killing the process (`PAGE_SECONDS`), its memory by the address-space
limit the process starts with (`PAGE_MEMORY_BYTES`), and a crash of Tesseract costs that page,
never the app. Its hOCR output gives every line with its words, their boxes and the line's size,
so a scanned page goes through the same layout as a printed one (`ingest.formats.pdf_layout`).

Chosen by measurement on scanned Chromium-printed reports (200 dpi, eval/library/108-110, 14 pages;
words right against the PDF's own text, in order): the Tesseract command 95.2 % at 4.0 s/page and
165 MB; tesserocr (the library in-process) 95.6 %, 2.8 s/page, 159 MB, but a page cannot be
stopped or bounded in memory without stopping the app with it; ocrmypdf 95.6 %, 5.0 s/page, and
it writes a new PDF, not the lines and boxes layout needs. pytesseract wraps the same command but
cannot start it under a memory limit, which is why the command is called here directly.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
from dataclasses import dataclass

from lxml import etree
from lxml import html as lxml_html

# Tesseract reads a page at ~4-6 s on these machines; 60 s is a page ten times harder than that.
PAGE_SECONDS = 60
# Tesseract's peak on a 300-dpi A4 page was 60 MB resident; the address space it maps is larger.
PAGE_MEMORY_BYTES = 768 * 1024 * 1024
LANGUAGE = "dan"
_BBOX = re.compile(r"bbox (\d+) (\d+) (\d+) (\d+)")
_X_SIZE = re.compile(r"x_size ([\d.]+)")
_CONFIDENCE = re.compile(r"x_wconf (\d+)")
# Tesseract marks a line it takes for a heading, caption or floating text by class, not as ocr_line.
_LINE_CLASSES = frozenset({"ocr_line", "ocr_header", "ocr_caption", "ocr_textfloat"})
# Words Tesseract itself is this unsure of are specks, lines and photos read as letters.
_MIN_CONFIDENCE = 20


class OcrError(Exception):
    """A page that could not be read; `reason` is Danish and says what to do."""

    def __init__(self, reason: str, timed_out: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.timed_out = timed_out


@dataclass(frozen=True)
class OcrWord:
    """A recognised word and its box in image pixels (left, top, right, bottom; y grows downwards)."""

    text: str
    box: tuple[int, int, int, int]


@dataclass(frozen=True)
class OcrLine:
    """A recognised line: its words in reading order and its text size in pixels."""

    words: tuple[OcrWord, ...]
    size: float


@functools.cache
def tesseract_missing() -> str | None:
    """Why text recognition cannot run here (Danish), or None when Tesseract with Danish is installed."""
    command = shutil.which("tesseract")
    if command is None:
        return "Tesseract (tekstgenkendelse) er ikke installeret"
    try:
        listed = subprocess.run([command, "--list-langs"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return "Tesseract (tekstgenkendelse) kan ikke startes"
    if LANGUAGE not in listed.stdout.split():
        return "Tesseracts danske sprogpakke (tesseract-ocr-dan) er ikke installeret"
    return None


def missing_message(name: str, why: str) -> str:
    """The Danish refusal of a scan that cannot be read on this machine."""
    return (
        f"{name} er scannet og skal læses med tekstgenkendelse (OCR), men {why}. Kør 'make install' "
        "(den installerer tesseract-ocr og tesseract-ocr-dan), eller gem artiklen som .docx eller .txt."
    )


def _command() -> list[str]:
    tesseract = shutil.which("tesseract") or "tesseract"
    base = [tesseract, "stdin", "stdout", "-l", LANGUAGE, "--psm", "3", "hocr"]
    prlimit = shutil.which("prlimit")
    # prlimit (util-linux) starts Tesseract with the limit already set: nothing it allocates escapes it.
    return [prlimit, f"--as={PAGE_MEMORY_BYTES}", "--", *base] if prlimit else base


def read_page(png: bytes, page_no: int, name: str, seconds: float = PAGE_SECONDS) -> list[OcrLine]:
    """Recognise the Danish text of one page image.

    Args:
        png: The page as a PNG image.
        page_no: The page number (1-based), for messages.
        name: The file name, for messages.
        seconds: At most this long (the page's own bound, or what is left of the file's).

    Returns:
        The page's lines in Tesseract's reading order (column by column).

    Raises:
        OcrError: Tesseract is missing, took longer than `seconds`, ran out of its memory or failed.
    """
    env = dict(os.environ, OMP_THREAD_LIMIT="1")  # one core: a second made a page no faster here
    try:
        done = subprocess.run(_command(), input=png, capture_output=True, timeout=seconds, env=env, check=False)
    except FileNotFoundError as exc:
        raise OcrError(missing_message(name, "Tesseract (tekstgenkendelse) er ikke installeret")) from exc
    except subprocess.TimeoutExpired as exc:
        raise OcrError(
            f"Side {page_no} i {name} kunne ikke læses med tekstgenkendelse (OCR) på {round(seconds)} sekunder og "
            "blev stoppet. Scan siden igen (200-300 dpi, lige og skarp), eller del filen op, og tilføj den igen.",
            timed_out=True,
        ) from exc
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["ukendt fejl"]
        raise OcrError(
            f"Side {page_no} i {name} kunne ikke læses med tekstgenkendelse (OCR) inden for "
            f"{PAGE_MEMORY_BYTES // (1024 * 1024)} MB hukommelse ({detail[0][:120]}). "
            "Scan siden igen i 200-300 dpi, eller gem artiklen som .docx eller .txt."
        )
    return parse_hocr(done.stdout)


def _title(element: etree._Element, pattern: re.Pattern[str]) -> re.Match[str] | None:
    return pattern.search(element.get("title") or "")


def parse_hocr(data: bytes) -> list[OcrLine]:
    """The lines of Tesseract's hOCR output, words below `_MIN_CONFIDENCE` left out.

    Args:
        data: hOCR (XHTML) as Tesseract writes it.

    Returns:
        Lines with at least one word, in document order.
    """
    if not data.strip():
        return []
    root = lxml_html.fromstring(data)
    lines: list[OcrLine] = []
    for line in root.iter():
        if not isinstance(line.tag, str) or not _LINE_CLASSES & set((line.get("class") or "").split()):
            continue
        words = []
        for word in line.iter():
            if not isinstance(word.tag, str) or "ocrx_word" not in (word.get("class") or "").split():
                continue
            text = " ".join("".join(word.itertext()).split())
            box = _title(word, _BBOX)
            confidence = _title(word, _CONFIDENCE)
            if not text or box is None or (confidence is not None and int(confidence.group(1)) < _MIN_CONFIDENCE):
                continue
            words.append(OcrWord(text, (int(box[1]), int(box[2]), int(box[3]), int(box[4]))))
        size = _title(line, _X_SIZE)
        line_box = _title(line, _BBOX)
        if words and line_box is not None:
            height = float(size.group(1)) if size else float(int(line_box[4]) - int(line_box[2]))
            lines.append(OcrLine(tuple(words), height))
    return lines
