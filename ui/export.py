"""Briefing exports: Word, Markdown and a plain copy block. Each quote whole and verbatim, the question
it answered above it, its source under it, and a list of the sources at the end.

Everything written is made valid for its format first (`writable`): a quote from a file holding a
control character (a latin-1 file's C1 bytes, a stray C0) would otherwise make python-docx refuse
the whole document ("All strings must be XML compatible"). The Markdown is written to read clean
when pasted as plain text into a mail: a character is escaped only where Markdown would read it
as markup (`markdown_text`), so "kl. 14.00 (mandag)" stays as it is.
"""

from __future__ import annotations

import io
import re
from datetime import date

from docx import Document

from ui import labels
from ui.basket import BasketItem
from ui.citation import Citation, citation_for, citation_text, reader_parts

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# Not valid in XML 1.0 (C0 but tab and newline, surrogates, U+FFFE/FFFF), or invisible controls (C1, DEL).
_UNWRITABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# Markdown that starts a block when it opens a line: headings, quotes, lists, rules, fences, tables.
_BLOCK_START = re.compile(r"^(\s*)(#|>|[-+*=_]|\d{1,9}[.)](?=\s|$)|```|~~~|\|)")
_INLINE = [
    (re.compile(r"\\(?=[!-/:-@\[-`{-~])"), r"\\\\"),  # a backslash before punctuation
    (re.compile(r"([`*])"), r"\\\1"),  # code and emphasis marks
    (re.compile(r"(?<!\w)_|_(?!\w)"), r"\\_"),  # an underscore at a word's edge (not in snake_case)
    (re.compile(r"\[(?=[^\]]*\]\s*[(\[:])"), r"\\["),  # a link or reference opening
    (re.compile(r"<(?=[A-Za-z/!?])"), r"\\<"),  # an HTML tag or autolink
    (re.compile(r"&(?=#?\w+;)"), r"\\&"),  # an entity
    (re.compile(r"~~"), r"\\~\\~"),  # strikethrough
]


def writable(text: str) -> str:
    """The text without characters a document format cannot hold (control characters, lone surrogates).

    Args:
        text: any text (a quote, a title, a question).

    Returns:
        The text with line ends as \\n and those characters left out; everything visible is kept.
    """
    return _UNWRITABLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def markdown_text(text: str) -> str:
    """Escape only what Markdown would read as markup, so the text reads the same rendered and raw.

    Args:
        text: one line or more of plain text.

    Returns:
        The text; a backslash stands only before a character that would otherwise start markup.
    """
    lines = []
    for line in writable(text).split("\n"):
        for pattern, replacement in _INLINE:
            line = pattern.sub(replacement, line)
        lines.append(_BLOCK_START.sub(_escape_block, line, count=1))
    return "\n".join(lines)


def _escape_block(match: re.Match[str]) -> str:
    indent, mark = match.group(1), match.group(2)
    if mark[0].isdigit():  # "1." -> "1\.": a backslash before a digit escapes nothing
        return f"{indent}{mark[:-1]}\\{mark[-1]}"
    return f"{indent}\\{mark}"


def _question_line(item: BasketItem) -> str:
    line = f"Spørgsmål: {item.question}"
    return line + (f" (opfølgning på: {item.context})" if item.context else "")


def _citation(item: BasketItem) -> Citation:
    return citation_for(item.result, item.article)


def sources(items: list[BasketItem]) -> list[str]:
    """One line per article quoted, in the order first quoted: title, publisher, date, link or file.

    Args:
        items: the basket.

    Returns:
        E.g. '»Titel«, NB-Nyt, 4. marts 2021. https://…'.
    """
    seen: dict[str, str] = {}
    for item in items:
        citation = _citation(item)
        key = item.result.article.id
        if key in seen:
            continue
        parts = [p for p in reader_parts(citation.model_copy(update={"speaker": None, "section": None, "page": None}))]
        line = ", ".join(parts)
        if citation.title_is_derived:
            line += f" {labels.DERIVED_TITLE}"
        line += f". {citation.url}" if citation.url else f". Fil: {citation.file_text}"
        seen[key] = line
    return list(seen.values())


def plain_text(items: list[BasketItem], exported: date) -> str:
    """Return the briefing as plain text for the copy block.

    Args:
        items: the basket, in order.
        exported: the date of export.

    Returns:
        The heading, then per quote the question, the quote in quotation marks and its source; the sources.
    """
    lines = [f"{labels.EXPORT_TITLE} ({labels.danish_date(exported)})", ""]
    for n, item in enumerate(items, start=1):
        lines.append(f"{n}. {_question_line(item)}")
        lines.append(f"   »{item.quote}«")
        lines.append(f"   — {citation_text(_citation(item))}")
        lines.append("")
    if items:
        lines.append(labels.SOURCES_HEADING)
        lines.extend(f"- {line}" for line in sources(items))
        lines.append("")
        lines.append(f"Hentet fra Erfaringsbanken {labels.danish_date(exported)}.")
    return writable("\n".join(lines).rstrip() + "\n")


def markdown(items: list[BasketItem], exported: date) -> str:
    """Return the briefing as Markdown that reads clean as plain text.

    Args:
        items: the basket, in order.
        exported: the date of export.

    Returns:
        A Markdown document: per quote the question, the quote as a block quote, its source; the sources.
    """
    out = [f"# {labels.EXPORT_TITLE}", "", f"Eksporteret {labels.danish_date(exported)}.", ""]
    for n, item in enumerate(items, start=1):
        out.append(f"{n}. {markdown_text(_question_line(item))}")
        out.append("")
        out.extend(f"> {line}" if line else ">" for line in markdown_text(f"»{item.quote}«").split("\n"))
        out.append("")
        out.append(f"— {markdown_text(citation_text(_citation(item)))}")
        out.append("")
    if items:
        out.extend([f"## {labels.SOURCES_HEADING}", ""])
        out.extend(f"- {markdown_text(line)}" for line in sources(items))
        out.append("")
    return "\n".join(out)


def docx_bytes(items: list[BasketItem], exported: date) -> bytes:
    """Return the briefing as a Word document.

    Args:
        items: the basket, in order.
        exported: the date of export.

    Returns:
        The .docx file's bytes: a heading; per quote the question, a 'Quote' paragraph and its
        source; then a list of the sources.
    """
    document = Document()
    document.add_heading(labels.EXPORT_TITLE, level=1)
    document.add_paragraph(f"Eksporteret {labels.danish_date(exported)}.")
    for item in items:
        asked = document.add_paragraph()
        asked.add_run(writable(_question_line(item))).italic = True
        document.add_paragraph(writable(item.quote), style="Quote")
        document.add_paragraph(writable(f"— {citation_text(_citation(item))}"))
    if items:
        document.add_heading(labels.SOURCES_HEADING, level=2)
        for line in sources(items):
            document.add_paragraph(writable(line), style="List Bullet")
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
