"""Site boilerplate found by rules, as character ranges that no passage may cover.

Rules are line patterns of the news sites we scrape (navigation, share buttons, "Læs også"
teasers, bylines, the paywall teaser at the end), so they hold for the next article from the same
site. Nothing is removed from the text: a range is simply left out of every passage.
"""

from __future__ import annotations

import re

from ingest.structure import Line, content_lines

_FLAGS = re.IGNORECASE
_MAX_BOILER_LINE = 200

# A whole (trimmed) line that is site chrome, never article text.
_LINE_PATTERNS = [
    re.compile(p, _FLAGS)
    for p in (
        r"skip to (?:main )?content",
        r"spring (?:til|over) (?:hoved)?indhold(?:et)?",
        r"sponsoreret af\b.{0,80}",
        r"annonce|reklame",
        r"del (?:artiklen|denne artikel|på \w+)\s*:?",
        r"log (?:ind|ud|på)",
        r"leave a (?:reply|comment)",
        r"skriv en kommentar|kommentarer\s*\(?\d*\)?",
        r"prøv [\w -]{0,40}gratis\b.{0,80}",
        r"få adgang med det samme\b.{0,120}",
        r"opret (?:en )?(?:gratis )?(?:bruger|profil|konto)\b.{0,60}",
        r"(?:allerede )?abonnent\?.{0,60}",
        r"tags?\s*:.{0,120}",
        r"relaterede artikler\s*:?",
        # Other Danish news sites: ad breaks, photo credits, dates, reading time, share and follow buttons.
        r"artiklen fortsætter (?:under|efter|nedenfor)\s*(?:annoncen|reklamen)?\.?",
        r"(?:foto|fotos|billede|illustration|grafik|arkivfoto)\s*:\s*.{1,80}",
        r"(?:publiceret|opdateret|udgivet)\s*:?\s*(?:d\.\s*|den\s+)?\d.{0,40}",
        r"læsetid\s*:?\s*(?:ca\.\s*)?\d+\s*min\w*\.?",
        r"lyt til (?:artiklen|denne artikel).{0,40}",
        r"(?:gem|print|udskriv|tip en ven|kopiér link|kopier link)(?: artiklen)?",
        r"følg (?:emnet|os|skribenten)\b.{0,60}",
        r"vi (?:bruger|anvender) cookies\b.{0,180}",
    )
]
# "Læs også:" alone announces a teaser title on the next line; with text after it, it is a teaser.
_READ_ALSO = re.compile(r"(?:læs også|læs mere|se også)\s*:?\s*(?P<rest>.*)", _FLAGS)
_PAYWALL = re.compile(r"vil du (?:læse|have) (?:resten|hele)\b.{0,60}\??|denne artikel er forbeholdt.{0,80}", _FLAGS)
_EMAIL = re.compile(r"\[email[\s\u00a0]*protected\]|[\w.+-]+@[\w-]+(?:\.[\w-]+)+", _FLAGS)
_SCRUBBED_EMAIL = re.compile(r"\[email[\s\u00a0]*protected\]", _FLAGS)
# "Af Navn Navnesen, Partner, <mail>" / "og Navn Navnesen, Partner, <mail>": a byline names people
# and a mail address; a sentence that merely starts with "Af" does not end in a mail address.
_BYLINE_START = re.compile(r"(?:af|og|skrevet af)\s+[A-ZÆØÅ]", _FLAGS)
_BARE_BYLINE = re.compile(r"(?:Af|Skrevet af)\s+[A-ZÆØÅ][\w-]*(?:\s+[A-ZÆØÅ][\w.-]*){1,3}(?:,[^.!?]{0,60})?")


def _is_chrome(line: str) -> bool:
    return len(line) <= _MAX_BOILER_LINE and any(p.fullmatch(line) for p in _LINE_PATTERNS)


def _is_byline(line: str) -> bool:
    if len(line) > _MAX_BOILER_LINE:
        return False
    if _BYLINE_START.match(line) and _EMAIL.search(line) and not re.search(r"[.!?]\s", line):
        return True
    return bool(_BARE_BYLINE.fullmatch(line))


def _is_teaser_title(line: str) -> bool:
    """The headline line under "Læs også:": short, and not a run of sentences."""
    return len(line) <= 160 and not re.search(r"[.!?]\s+\S", line) and not line.endswith((".", "!"))


def _paywall_tail(lines: list[Line], i: int) -> bool:
    """True when everything from line i on is a short teaser block (the scraped paywall)."""
    rest = lines[i:]
    return len(rest) <= 10 and all(len(ln.text) <= _MAX_BOILER_LINE for ln in rest)


def find_boilerplate(text: str) -> list[tuple[int, int]]:
    """Find the character ranges of site boilerplate in an article.

    Args:
        text: The decoded article.

    Returns:
        Sorted, non-overlapping (start, end) ranges to leave out of every passage.
    """
    lines = content_lines(text)
    ranges: list[tuple[int, int]] = []
    skip_next = False
    for i, line in enumerate(lines):
        if skip_next:
            skip_next = False
            if _is_teaser_title(line.text):
                ranges.append((line.start, line.end))
                continue
        if _PAYWALL.fullmatch(line.text) and _paywall_tail(lines, i):
            ranges.append((line.start, len(text)))
            break
        read_also = _READ_ALSO.fullmatch(line.text)
        if read_also and len(line.text) <= _MAX_BOILER_LINE:
            ranges.append((line.start, line.end))
            skip_next = not read_also.group("rest").strip()
            continue
        if _is_chrome(line.text) or _PAYWALL.fullmatch(line.text) or _is_byline(line.text):
            ranges.append((line.start, line.end))
            continue
        for m in _SCRUBBED_EMAIL.finditer(text, line.start, line.end):
            ranges.append((m.start(), m.end()))
    return merge_ranges(ranges)


def merge_ranges(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sort and merge overlapping or touching ranges.

    Args:
        ranges: (start, end) pairs in any order.

    Returns:
        Sorted, disjoint ranges.
    """
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
