"""The main text of a saved web page, with navigation, footers and other boilerplate left out.

Site furniture is stripped by its names first (`ingest.formats.page_clutter`); trafilatura then
finds the article body, favouring recall (its precision mode dropped whole bullet lists of lessons),
and its XML keeps headings, paragraphs and list items apart, which we lay out in the corpus text
format. Page metadata (title, date, site name, canonical link) is
offered to the metadata form; it is what the page itself declares, never guessed.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from lxml import etree
from lxml import html as lxml_html

from ingest.formats.base import BlockKind, ExtractedText, ExtractionError, render_blocks
from ingest.formats.page_clutter import strip_page_clutter
from ingest.read import UnreadableFileError, decode_bytes

_BLOCK_TAGS = {"head", "p", "item", "quote", "cell"}


def _trafilatura() -> Any:
    """trafilatura, imported on first use: it pulls in lxml, jusText and date parsing (~1 s)."""
    import trafilatura

    return trafilatura


def _text(element: etree._Element) -> str:
    return "".join(element.itertext())


def _blocks(root: etree._Element) -> list[tuple[BlockKind, str]]:
    """Headings, paragraphs and list items of trafilatura's XML, in reading order."""
    blocks: list[tuple[BlockKind, str]] = []
    main = root.find("main")
    for element in (main if main is not None else root).iter():
        if element.tag not in _BLOCK_TAGS:
            continue
        if any(parent.tag in _BLOCK_TAGS for parent in element.iterancestors()):
            continue  # a paragraph inside a list item or quote is part of that block
        kind: BlockKind = "heading" if element.tag == "head" else "bullet" if element.tag == "item" else "para"
        blocks.append((kind, _text(element)))
    return blocks


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
    text = ""
    root = None
    if xml:
        root = etree.fromstring(xml.encode("utf-8"))
        text = render_blocks(_blocks(root))
    if not text.strip():
        raise ExtractionError(
            f"Der blev ikke fundet nogen artikeltekst i websiden {name} (kun menuer, sidefod o.l.). "
            "Gem hele artiklens side igen (Gem som → Webside, kun HTML), eller kopiér teksten ind i en .txt-fil."
        )
    assert root is not None
    attrs = root.attrib
    return ExtractedText(
        text=text,
        title=attrs.get("title") or None,
        published=_declared_date(page),
        publisher=attrs.get("sitename") or None,
        url=attrs.get("url") or attrs.get("source") or None,
    )
