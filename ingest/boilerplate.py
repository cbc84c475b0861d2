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
        # Cookie buttons, site navigation and footers of other sites, as whole lines only.
        r"(?:accepter|acceptér|tillad|afvis)(?: alle)?(?: cookies)?|kun (?:nødvendige|nødvendig)(?: cookies)?",
        r"(?:cookie|privatlivs|persondata)(?:politik|indstillinger)|indstillinger|cookies",
        r"©.{0,100}|copyright\b.{0,100}",
        r"gå til (?:hoved)?indhold(?:et)?|menu|søg|abonnér|abonner|e-avis|forside|om os|kontakt(?: redaktionen| os)?",
        r"tip (?:os|redaktionen)|annoncer(?: hos os)?|nyhedsbrev(?:et)?|mest læste|seneste nyt|flere nyheder",
        r"(?:tilmeld|abonnér på|få)\b.{0,40}\bnyhedsbrev(?:et)?\b.{0,100}|tilmeld(?: dig)?|skriv din e-?mail.{0,40}",
        # Share buttons written out: "Facebook  LinkedIn  Mail  Kopiér link".
        r"(?:(?:facebook|linkedin|twitter|x|mail|e-mail|sms|messenger|whatsapp|kopiér link|kopier link|print)\s*){2,}",
        # A dateline on its own line: "11. januar 2025 kl. 06.00", "Tirsdag 14. juni 2022", "14.06.2022 - 09:12".
        r"(?:(?:man|tirs|ons|tors|fre|lør|søn)dag(?: den)?\s+)?\d{1,2}\.\s*"
        r"(?:jan|feb|mar|apr|maj|jun|jul|aug|sep|okt|nov|dec)[a-zæøå]*\.?\s+\d{4}"
        r"(?:\s*(?:kl\.|,|-)?\s*\d{1,2}[.:]\d{2})?",
        r"\d{1,2}[./-]\d{1,2}[./-]\d{2,4}(?:\s*(?:kl\.|,|-)?\s*\d{1,2}[.:]\d{2})?",
        # A breadcrumb: "Nyheder / Hvide Sande / Stormflod".
        r"[\w&-]+(?: [\w&-]+){0,3}(?:\s+[/›>»]\s+[\w&-]+(?: [\w&-]+){0,3}){1,5}",
        # A caption that ends with its photo credit: "Beredskabet pumper vand væk. Foto: Jens Nielsen".
        r".{0,200}\b(?:foto|fotos|arkivfoto|billede|illustration)\s*:\s*[^.!?]{1,80}",
    )
]
# "Læs også:" alone announces a teaser title on the next line; with text after it, it is a teaser.
_READ_ALSO = re.compile(r"(?:læs også|læs mere|se også)\s*:?\s*(?P<rest>.*)", _FLAGS)
# A list of teaser headlines follows these, one a line, up to the next blank line.
_TEASER_LIST = re.compile(r"(?:relaterede artikler|relateret|mest læste|læs også|se også|flere artikler|"
                          r"andre læser også|mere om emnet)\s*:?", _FLAGS)
_PAYWALL = re.compile(
    r"vil du (?:læse|have) (?:resten|hele)\b.{0,60}\??|denne artikel er forbeholdt.{0,80}"
    r"|artiklen fortsætter (?:kun )?for (?:abonnenter|medlemmer|betalende)\.?"
    r"|(?:få|køb) (?:fuld )?adgang\b.{0,160}|start (?:din )?(?:gratis )?prøveperiode\.?"
    r"|(?:er du )?allerede abonnent\??.{0,40}|bliv abonnent\b.{0,80}|log ind for at læse.{0,80}",
    _FLAGS,
)
# A kicker: a section label in capitals above the headline ("KRISEBEREDSKAB").
_KICKER = re.compile(r"[^\W\d_a-zæøå]+(?:[ &/-]+[^\W\d_a-zæøå]+){0,3}")
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


def _is_kicker(lines: list[Line], i: int) -> bool:
    """A short line in capitals right above another short line (the headline it labels)."""
    line = lines[i].text
    if len(line) > 40 or not _KICKER.fullmatch(line) or not any(c.isalpha() for c in line):
        return False
    nxt = lines[i + 1].text if i + 1 < len(lines) else ""
    return 0 < len(nxt) <= 160 and any(c.islower() for c in nxt)


def _teaser_block(text: str, lines: list[Line], i: int) -> int:
    """How many lines after a "Relaterede artikler" line are its headlines (up to a blank line)."""
    count = 0
    for j in range(i + 1, len(lines)):
        between = text[lines[j - 1].end : lines[j].start]
        if between.count("\n") > 1 or len(lines[j].text) > 160 or not _is_teaser_title(lines[j].text, loose=True):
            break
        count += 1
    return count


def _is_teaser_title(line: str, loose: bool = False) -> bool:
    """The headline line under "Læs også:": short, and not a run of sentences (a question mark may
    end one in a list of headlines: "Læserbrev: Hvorfor fik vi ikke en sms?")."""
    if len(line) > 160 or re.search(r"[.!]\s+\S", line) or line.endswith((".", "!")):
        return False
    return loose or not line.endswith("?")


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
    teasers = 0
    for i, line in enumerate(lines):
        if teasers:
            teasers -= 1
            ranges.append((line.start, line.end))
            continue
        if _TEASER_LIST.fullmatch(line.text):
            ranges.append((line.start, line.end))
            teasers = _teaser_block(text, lines, i)
            continue
        if _is_kicker(lines, i):
            ranges.append((line.start, line.end))
            continue
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
    return merge_ranges(ranges + _between_chrome(lines, merge_ranges(ranges)))


def _between_chrome(lines: list[Line], ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Short label lines inside the site footer (the site's name between its links): in the last run
    of lines that are all chrome but for such labels, with chrome both before and after them."""
    left_out = [any(a <= ln.start and ln.end <= b for a, b in ranges) for ln in lines]
    found = []
    # Walk back from the last line while it is chrome or a label between chrome lines.
    for i in range(len(lines) - 1, 0, -1):
        line = lines[i]
        if left_out[i]:
            continue
        is_label = len(line.text) <= 40 and line.text[-1:] not in ".!?:;”\"»"
        if not (is_label and i + 1 < len(lines) and left_out[i - 1] and left_out[i + 1]):
            break  # article text: the footer starts after it
        found.append((line.start, line.end))
    return found


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
