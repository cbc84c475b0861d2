"""Formats: the main text of HTML pages, PDFs and Word files, laid out as corpus text."""

from __future__ import annotations

from ingest.formats.base import PAGE_BREAK, ExtractedText, ExtractionError, render_blocks
from ingest.formats.docx import extract_docx
from ingest.formats.extract import (
    EXTRACTED_SUFFIX,
    ORIGINAL_SUFFIXES,
    extract_bytes,
    extract_file,
    extracted_name,
    is_original,
    write_extracted,
    write_text_atomically,
)
from ingest.formats.html import extract_html
from ingest.formats.pdf import extract_pdf

__all__ = [
    "EXTRACTED_SUFFIX",
    "ORIGINAL_SUFFIXES",
    "PAGE_BREAK",
    "ExtractedText",
    "ExtractionError",
    "extract_bytes",
    "extract_docx",
    "extract_file",
    "extract_html",
    "extract_pdf",
    "extracted_name",
    "is_original",
    "render_blocks",
    "write_extracted",
    "write_text_atomically",
]
