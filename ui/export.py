"""Briefing exports: Word, Markdown and a plain copy block; each quote verbatim with its full citation."""

from __future__ import annotations

import io
import re
from datetime import date

from docx import Document

from ui import labels
from ui.basket import BasketItem
from ui.citation import citation_for, citation_text

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_MD_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def escape_markdown(text: str) -> str:
    """Backslash-escape Markdown specials so a quote renders as the same characters.

    Args:
        text: any text.

    Returns:
        Text where every Markdown special character is escaped.
    """
    return _MD_SPECIALS.sub(r"\\\1", text)


def plain_text(items: list[BasketItem], exported: date) -> str:
    """Return the briefing as plain text for the copy block.

    Args:
        items: the basket, in order.
        exported: the date of export.

    Returns:
        The heading, then each quote in quotation marks followed by its citation.
    """
    lines = [f"{labels.EXPORT_TITLE} ({labels.danish_date(exported)})", ""]
    for n, item in enumerate(items, start=1):
        lines.append(f"{n}. »{item.result.text}«")
        lines.append(f"   — {citation_text(citation_for(item.result), exported)}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def markdown(items: list[BasketItem], exported: date) -> str:
    """Return the briefing as Markdown.

    Quotes are escaped Markdown inside block quotes, so rendered they show the exact words;
    line breaks inside a quote become quoted line breaks.

    Args:
        items: the basket, in order.
        exported: the date of export.

    Returns:
        A Markdown document.
    """
    out = [f"# {labels.EXPORT_TITLE}", "", f"Eksporteret {labels.danish_date(exported)}.", ""]
    for item in items:
        quoted = "\n".join(f"> {escape_markdown(line)}" if line else ">" for line in item.result.text.split("\n"))
        out.append(quoted)
        out.append("")
        out.append(f"— {escape_markdown(citation_text(citation_for(item.result), exported))}")
        out.append("")
    return "\n".join(out)


def docx_bytes(items: list[BasketItem], exported: date) -> bytes:
    """Return the briefing as a Word document.

    Args:
        items: the basket, in order.
        exported: the date of export.

    Returns:
        The .docx file's bytes: a heading, then per quote a 'Quote' paragraph and its citation.
    """
    document = Document()
    document.add_heading(labels.EXPORT_TITLE, level=1)
    document.add_paragraph(f"Eksporteret {labels.danish_date(exported)}.")
    for item in items:
        document.add_paragraph(item.result.text, style="Quote")
        document.add_paragraph(f"— {citation_text(citation_for(item.result), exported)}")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def file_stem(exported: date) -> str:
    """Return a download file name without extension.

    Args:
        exported: the date of export.

    Returns:
        E.g. 'briefing-2026-11-23'.
    """
    return f"briefing-{exported.isoformat()}"
