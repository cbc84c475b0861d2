"""A title for an article that has none published: its first heading, else its lede."""

from __future__ import annotations

from ingest.boilerplate import find_boilerplate
from ingest.structure import parse_structure

_MAX_TITLE_CHARS = 90


def derive_title(text: str, fallback: str) -> str:
    """Derive a title from the text (callers flag it `title_is_derived`).

    Args:
        text: The decoded article.
        fallback: Used when the text has neither heading nor sentence (e.g. the file stem).

    Returns:
        The first heading, else the first sentence shortened at a word boundary to about 90
        characters (with "…"), else `fallback`.
    """
    blocks = parse_structure(text, find_boilerplate(text))
    heading = next((b for b in blocks if b.kind == "heading"), None)
    if heading is not None:
        return " ".join(text[heading.start : heading.end].split())
    para = next((b for b in blocks if b.sentences), None)
    if para is None:
        return fallback
    start, end = para.sentences[0]
    lede = " ".join(text[start:end].split())
    if len(lede) <= _MAX_TITLE_CHARS:
        return lede
    cut = lede.rfind(" ", 0, _MAX_TITLE_CHARS)
    return lede[: cut if cut > 0 else _MAX_TITLE_CHARS].rstrip(" ,;:–-") + "…"
