"""Pick the extractor for an original by its suffix, and name the text file stored beside it."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from ingest.formats.base import ExtractedText, ExtractionError, PageProgress
from ingest.formats.docx import extract_docx
from ingest.formats.html import extract_html
from ingest.formats.pdf import extract_pdf

EXTRACTED_SUFFIX = ".txt"
_EXTRACTORS: dict[str, Callable[[bytes, str], ExtractedText]] = {
    ".html": extract_html,
    ".htm": extract_html,
    ".pdf": extract_pdf,
    ".docx": extract_docx,
}
ORIGINAL_SUFFIXES: frozenset[str] = frozenset(_EXTRACTORS)


def extracted_name(original: str) -> str:
    """The name of the text file extracted from an original: 'rapport.pdf' → 'rapport.pdf.txt'.

    Args:
        original: The original's file name.

    Returns:
        The extracted text's file name (in the same folder).
    """
    return original + EXTRACTED_SUFFIX


def is_original(name: str) -> bool:
    """Whether a file name has a suffix that is extracted rather than read as text.

    Args:
        name: A file name.

    Returns:
        True for .html, .htm, .pdf and .docx (any case).
    """
    return Path(name).suffix.lower() in ORIGINAL_SUFFIXES


def extract_bytes(data: bytes, name: str, on_page: PageProgress | None = None) -> ExtractedText:
    """Extract the main text of an original.

    Args:
        data: The file's bytes.
        name: Its file name; the suffix picks the format.
        on_page: Told (pages done, pages in all) as a PDF's pages are read (a scan's take seconds each).

    Returns:
        The extracted text and what the file states about itself.

    Raises:
        ExtractionError: Unknown suffix, or the file cannot be read (Danish message naming it).
    """
    extractor = _EXTRACTORS.get(Path(name).suffix.lower())
    if extractor is None:
        allowed = ", ".join(sorted(ORIGINAL_SUFFIXES))
        raise ExtractionError(f"Filtypen af {name} kan ikke udtrækkes. Brug en af {allowed}, eller gem som .txt.")
    if extractor is extract_pdf:
        return extract_pdf(data, name, on_page)
    return extractor(data, name)


def extract_file(path: str | Path, on_page: PageProgress | None = None) -> ExtractedText:
    """Read an original from disk and extract its main text.

    Args:
        path: The original (.html, .htm, .pdf or .docx).
        on_page: Told (pages done, pages in all) as a PDF's pages are read.

    Returns:
        The extracted text.

    Raises:
        ExtractionError: The file cannot be opened or extracted (Danish message naming it).
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ExtractionError(
            f"Filen {path.name} kunne ikke åbnes ({exc.strerror}). Tjek at filen findes, og at den må læses."
        ) from exc
    return extract_bytes(data, path.name, on_page)


def write_text_atomically(path: Path, text: str) -> None:
    """Write utf-8 text so that readers see either no file or the whole file, never a half-written one.

    Args:
        path: The target file.
        text: Its content.

    Raises:
        OSError: The folder cannot be written (the temporary file is removed).
    """
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_extracted(original: str | Path, on_page: PageProgress | None = None) -> tuple[Path, ExtractedText]:
    """Extract an original and store its text beside it as '<original>.txt' (a scan's OCR'd text too).

    Args:
        original: The original file (.html, .htm, .pdf or .docx) in the corpus folder.
        on_page: Told (pages done, pages in all) as a PDF's pages are read.

    Returns:
        The path of the text file and the extraction.

    Raises:
        ExtractionError: The original cannot be extracted, or the text cannot be saved (Danish).
    """
    original = Path(original)
    extracted = extract_file(original, on_page)
    target = original.with_name(extracted_name(original.name))
    try:
        write_text_atomically(target, extracted.text)
    except OSError as exc:
        raise ExtractionError(
            f"Teksten fra {original.name} kunne ikke gemmes som {target.name} ({exc.strerror}). "
            "Tjek at korpus-mappen må skrives i, og prøv igen."
        ) from exc
    return target, extracted
