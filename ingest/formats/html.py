"""The main text of a saved web page, with navigation, footers and other boilerplate left out.

What belongs to the article is kept: the headline (a level-1 heading, and the title when the page
declares none), the lead paragraph (the first passage), the byline's names (authors) and the date
(published), headings with their levels, numbered lists with their numbers, tables row by row
with each cell named by its column's header, and a <br> as a line break.

Site furniture is stripped by its names first (`ingest.formats.page_clutter`); trafilatura then
finds the article body, favouring recall (its precision mode dropped whole bullet lists of lessons),
and its XML keeps headings, paragraphs and list items apart, which we lay out in the corpus text
format. Page metadata (title, date, site name, canonical link) is
offered to the metadata form; it is what the page itself declares, never guessed.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from lxml import etree
from lxml import html as lxml_html

from ingest.formats.base import BlockKind, ExtractedText, ExtractionError, one_line, render_blocks, table_rows
from ingest.formats.page_clutter import name_words, strip_page_clutter
from ingest.read import UnreadableFileError, decode_bytes

_BLOCK_TAGS = {"head", "p", "item", "quote", "cell", "table"}
_HEADING_LEVEL = re.compile(r"h([1-6])")
# Class-name words of an article's lead ("manchet" in Danish newsrooms) and of its byline.
_LEAD_WORDS = frozenset({"lead", "lede", "manchet", "summary", "intro", "teaser", "standfirst", "subtitle",
                         "underrubrik", "resume", "description", "excerpt", "ingress"})
_BYLINE_WORDS = frozenset({"byline", "author", "authors", "forfatter", "forfattere", "skribent", "journalist"})
_NAME = re.compile(r"[A-ZÆØÅ][\w.-]*(?:\s+[A-ZÆØÅ][\w.-]*){1,3}")
_BYLINE_PREFIX = re.compile(r"^\s*(?:af|skrevet af|tekst:?)\s+", re.IGNORECASE)


def _trafilatura() -> Any:
    """trafilatura, imported on first use: it pulls in lxml, jusText and date parsing (~1 s)."""
    import trafilatura

    return trafilatura


def _text(element: etree._Element) -> str:
    """The element's words, a line break (<lb/>, the page's <br>) kept as one."""
    parts: list[str] = [element.text or ""]
    for child in element:
        parts.append("\n" if child.tag == "lb" else _text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _table_blocks(table: etree._Element) -> list[tuple[BlockKind, str]]:
    rows = [[_text(cell) for cell in row if cell.tag == "cell"] for row in table.iter("row")]
    heads = [all(cell.get("role") == "head" for cell in row if cell.tag == "cell") for row in table.iter("row")]
    header = None
    if rows and heads[0] and len(rows) > 1:
        header, rows = rows[0], rows[1:]
    return [("bullet" if sum(1 for c in cells if c.strip()) > 1 else "para", line)
            for cells, line in zip(rows, table_rows(rows, header), strict=False)]


def _blocks(root: etree._Element) -> list[tuple[BlockKind, str]]:
    """Headings (with their levels), paragraphs, list items (numbered in an <ol>) and table rows of
    trafilatura's XML, in reading order."""
    blocks: list[tuple[BlockKind, str]] = []
    main = root.find("main")
    for element in (main if main is not None else root).iter():
        if element.tag not in _BLOCK_TAGS:
            continue
        if any(parent.tag in _BLOCK_TAGS for parent in element.iterancestors()):
            continue  # a paragraph inside a list item, quote or table is part of that block
        if element.tag == "table":
            blocks.extend(_table_blocks(element))
        elif element.tag == "head":
            level = _HEADING_LEVEL.fullmatch(element.get("rend") or "")
            blocks.append(("heading", "#" * (int(level.group(1)) if level else 1) + " " + one_line(_text(element))))
        elif element.tag == "item":
            parent = element.getparent()
            text = _text(element)
            if parent is not None and parent.get("rend") == "ol":
                text = f"{[i for i in parent if i.tag == 'item'].index(element) + 1}. {text}"
            blocks.append(("bullet", text))
        else:
            blocks.append(("para", _text(element)))
    return blocks


class _ArticleHeader:
    """What a news page's own article header says: headline, lead, byline names, date."""

    def __init__(self, page: str) -> None:
        self.headline: str | None = None
        self.lead: str | None = None
        self.authors: list[str] = []
        self.published: date | None = None
        try:
            root = lxml_html.document_fromstring(page)
        except (ValueError, etree.ParserError):
            return
        article = next(root.iter("article"), None)
        if article is None:
            article = next(root.iter("main"), None)
        scope = article if article is not None else root
        heading = next(scope.iter("h1"), None)
        if heading is not None:
            self.headline = one_line(heading.text_content()) or None
        for element in scope.iter():
            if not isinstance(element.tag, str):
                continue
            words = name_words(element)
            if self.lead is None and words & _LEAD_WORDS and element.tag in ("p", "div", "section", "h2"):
                self.lead = one_line(element.text_content()) or None
            if not self.authors and words & _BYLINE_WORDS:
                self.authors = _byline_names(element)
            if self.published is None and element.tag == "time":
                self.published = _date((element.get("datetime") or "").strip())


def _byline_names(element: lxml_html.HtmlElement) -> list[str]:
    """The people a byline names: its links' texts, else the names in "Af A og B, journalister"."""
    linked = [one_line(a.text_content()) for a in element.iter("a")]
    names = [n for n in linked if _NAME.fullmatch(n)]
    if names:
        return names
    text = _BYLINE_PREFIX.sub("", one_line(element.text_content()))
    return [m.group(0) for part in re.split(r"\s+og\s+|,", text) if (m := _NAME.fullmatch(part.strip()))]


def _with_header(blocks: list[tuple[BlockKind, str]], header: _ArticleHeader) -> list[tuple[BlockKind, str]]:
    """The headline first (a level-1 heading) and the lead right after it, unless the body has them."""
    present = {one_line(text).lstrip("# ") for _, text in blocks}
    front: list[tuple[BlockKind, str]] = []
    if header.headline and header.headline not in present:
        front.append(("heading", f"# {header.headline}"))
    if header.lead and header.lead not in present and header.lead != header.headline:
        front.append(("para", header.lead))
    if not front:
        return blocks
    first_heading = next((i for i, (kind, _) in enumerate(blocks) if kind == "heading"), None)
    if header.headline and header.headline in present and first_heading == 0:
        return blocks[:1] + front + blocks[1:]  # the lead under the headline the body already has
    return front + blocks


# Where a page states its publication date itself. trafilatura also guesses dates, from the URL
# among others ("/2024/08/31-grader-paa-stuerne" gave 31 August): a guess is never recorded.
_DATE_META = frozenset(
    {"article:published_time", "og:published_time", "pubdate", "publishdate", "date", "dc.date", "dc.date.issued",
     "dcterms.created", "dcterms.issued"}
)


def _date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _declared_date(page: str) -> date | None:
    """The publication date the page's <meta> tags state, or None."""
    try:
        root = lxml_html.document_fromstring(page)
    except (ValueError, etree.ParserError):
        return None
    for meta in root.iter("meta"):
        key = (meta.get("property") or meta.get("name") or "").strip().lower()
        if key in _DATE_META:
            found = _date((meta.get("content") or "").strip())
            if found is not None:
                return found
    return None


def too_deep(page: str) -> bool:
    """Whether the page nests its elements deeper than the HTML parser reads (libxml2 stops at 256
    levels and drops what lies deeper; a saved article nests 10-40 levels)."""
    parser = lxml_html.HTMLParser()
    try:
        lxml_html.document_fromstring(page, parser=parser)
    except (ValueError, etree.ParserError):
        return False
    return any(error.type_name == "ERR_RESOURCE_LIMIT" for error in parser.error_log)


def extract_html(data: bytes, name: str) -> ExtractedText:
    """Extract the article text of an HTML page.

    Args:
        data: The page's bytes (any encoding the page declares or we can detect).
        name: The file name, used in error messages.

    Returns:
        The main text (headings "# ", list items "• ") and the page's own title, date, site name
        and canonical link.

    Raises:
        ExtractionError: The page cannot be decoded or holds no article text (Danish message).
    """
    try:
        page = decode_bytes(data, name).text
    except UnreadableFileError as exc:
        raise ExtractionError(exc.reason) from exc
    if too_deep(page):
        raise ExtractionError(
            f"Websiden {name} har elementer inde i hinanden i mere end 256 lag; sådan ser en gemt "
            "artikel ikke ud, og den kan ikke læses sikkert. Gem artiklens side igen (Gem som → Webside, kun HTML), "
            "eller kopiér teksten ind i en .txt-fil."
        )
    trafilatura = _trafilatura()
    options: dict[str, Any] = {
        "fast": True, "favor_recall": True, "include_comments": False, "include_tables": True,
        "include_images": False, "include_formatting": False, "include_links": False, "with_metadata": True,
    }
    xml = trafilatura.extract(strip_page_clutter(page), output_format="xml", **options)
    header = _ArticleHeader(page)
    text = ""
    root = None
    if xml:
        root = etree.fromstring(xml.encode("utf-8"))
        text = render_blocks(_with_header(_blocks(root), header))
    if not text.strip():
        raise ExtractionError(
            f"Der blev ikke fundet nogen artikeltekst i websiden {name} (kun menuer, sidefod o.l.). "
            "Gem hele artiklens side igen (Gem som → Webside, kun HTML), eller kopiér teksten ind i en .txt-fil."
        )
    assert root is not None
    attrs = root.attrib
    return ExtractedText(
        text=text,
        title=attrs.get("title") or header.headline,
        published=_declared_date(page) or header.published,
        publisher=attrs.get("sitename") or None,
        url=attrs.get("url") or attrs.get("source") or None,
        authors=header.authors,
    )
