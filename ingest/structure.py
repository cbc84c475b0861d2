"""An article's layout: headings, paragraphs and bullet lists, as offsets into the decoded text.

Scraped articles lose their markup. Headings survive either as a short line of their own
("Praktiserende læger mere opsøgende") or glued to the body that follows ("… i fokusTværgående
samarbejder"), and bullets as a leading "•". Text extracted from HTML, PDF and Word files (and
Markdown) marks headings with a leading "#". This module recovers that layout by rules only.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Literal

from ingest.quotes import is_dialogue, opens_dialogue
from ingest.sentences import split_sentences

# Line breaks: LF, CR, VT (Word's manual line break), FF (a page), and Unicode's separators. NEL
# (U+0085) and the C0 separators are no line break in any file a leader brings: a NEL is almost
# always a misread "…", and breaking there split a sentence and cut a quote from its speaker.
_LINE = re.compile(r"[^\n\r\x0b\x0c\u2028\u2029]+")
# C0 control characters that are no layout: never text, and no passage may hold one (a Word export
# refuses them); they are left out like boilerplate.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]+")
_BULLET = re.compile(r"[•\-*–·▪◦‣](?=\s)")
_MARKED_HEADING = re.compile(r"(#{1,6})[ \t]+(?=\S)")
# Between the headings of a section's path: "2. Hvad skete der? › 2.1 Hjemmeplejen og sygeplejen".
SECTION_SEPARATOR = " › "
_CLOSING_HASHES = re.compile(r"[ \t]+#+$")
_PAGE_BREAK = "\f"
_CONTINUATION = re.compile(r"(?:og|samt|eller|plus)\s", re.IGNORECASE)
_HEADING_MAX_CHARS = 100
_HEADING_MAX_WORDS = 14
_SENTENCE_END = ".!?…”\"»«"
_NO_HEADING_END = ".!?:;,”\"“…-–—("
_CONTRIBUTORS = re.compile(r"bidragsyder|bidraget|medvirkende|tak til|deltagere|interviewpersoner", re.IGNORECASE)
_PERSON_ITEM = re.compile(r"[A-ZÆØÅ][\w.-]*(?:\s+[A-ZÆØÅ][\w.-]*)+\s*,")
_ABOUT = re.compile(
    r"(?:om (?:artiklen|artiklens|denne artikel|forfatter\w*|undersøgelsen|analysen|interviewene)"
    r"|baggrund(?:en)? for|fakta om artiklen|metode)\b",
    re.IGNORECASE,
)

BlockKind = Literal["heading", "para", "bullet"]


@dataclass(frozen=True)
class Line:
    """A non-blank line, trimmed of surrounding whitespace."""

    start: int
    end: int
    text: str


@dataclass
class Block:
    """A heading, a paragraph (or the part of one between cuts) or one bullet item."""

    kind: BlockKind
    start: int
    end: int
    line: int
    level: int = 1
    section: str | None = None
    about: bool = False
    list_no: int | None = None
    lead_in: tuple[int, int] | None = None
    contributors: bool = False
    sentences: list[tuple[int, int]] = field(default_factory=list)


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) so it neither starts nor ends with whitespace.

    Args:
        text: The decoded article.
        start: Range start.
        end: Range end (exclusive).

    Returns:
        The trimmed range; start == end when the range held only whitespace.
    """
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def control_ranges(text: str) -> list[tuple[int, int]]:
    """The runs of C0 control characters that are not layout (tab, line and page breaks are).

    Args:
        text: The decoded article.

    Returns:
        Sorted (start, end) ranges, to leave out of every passage.
    """
    return [m.span() for m in _CONTROL.finditer(text)]


def content_lines(text: str) -> list[Line]:
    """List the non-blank lines of a text with their trimmed offsets.

    Args:
        text: The decoded article (any line breaks: LF, CRLF, CR, Unicode separators).

    Returns:
        The lines that hold something other than whitespace, in order.
    """
    lines = []
    for m in _LINE.finditer(text):
        start, end = trim(text, m.start(), m.end())
        if start < end:
            lines.append(Line(start, end, text[start:end]))
    return lines


def looks_like_heading(candidate: str) -> bool:
    """A short title-like phrase: capitalised, no sentence inside, no final punctuation.

    Args:
        candidate: Trimmed text.

    Returns:
        True when it could be a heading.
    """
    if not (2 <= len(candidate) <= _HEADING_MAX_CHARS) or len(candidate.split()) > _HEADING_MAX_WORDS:
        return False
    if not (candidate[0].isupper() or candidate[0].isdigit()) or candidate[-1] in _NO_HEADING_END:
        return False
    if not any(ch.islower() for ch in candidate):
        return False
    return not re.search(r"[.!?]\s", candidate)


def _pieces(text: str, line: Line, excluded: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The parts of a line outside the excluded (boilerplate) ranges, trimmed.

    `excluded` is sorted by start; only the ranges that can reach the line are looked at, so a
    long article costs time in proportion to its length.
    """
    parts = [(line.start, line.end)]
    first = bisect.bisect_left(excluded, (line.start, -1))
    # A range starting before the line may still reach into it: step back over those.
    while first > 0 and excluded[first - 1][1] > line.start:
        first -= 1
    for ex_start, ex_end in excluded[first:]:
        if ex_start >= line.end:
            break
        if ex_end <= line.start:
            continue
        nxt = []
        for s, e in parts:
            if ex_end <= s or ex_start >= e:
                nxt.append((s, e))
                continue
            nxt.extend([(s, max(s, ex_start)), (min(e, ex_end), e)])
        parts = nxt
    return [p for p in (trim(text, s, e) for s, e in parts) if p[0] < p[1]]


def _glued_heading_end(text: str, start: int, end: int) -> int | None:
    """Where a heading glued to the body ends, for a sentence text[start:end], or None.

    The glue shows as a lower-case letter directly followed by a capitalised word
    ("fokusTværgående") or the word "I" ("tilI løbet af torsdagen"); the heading is then everything
    from the sentence start to that point.
    Words like "MED-organisationen", "NB-Nyt" or "LinkedIn" do not qualify: the left part must be a
    lower-case word of two letters or more, after at least one more word.
    """
    for j in range(start + 1, end - 1):
        left, right, after = text[j - 1], text[j], text[j + 1]
        if not (left.islower() and left.isalpha()):
            continue
        # "fokusTværgående", and "tilI løbet af" (the one-letter word "I"). A figure glued on
        # ("rækker14.000") is left alone: "covid19" is glued the same way.
        capital = right.isupper() and ((after.islower() and after.isalpha()) or (right == "I" and after == " "))
        if not capital:
            continue
        w = j
        while w > start and text[w - 1].isalpha():
            w -= 1
        word = text[w:j]
        if len(word) < 2 or not word.islower():
            continue
        candidate = text[start:j]
        if len(candidate.split()) >= 2 and looks_like_heading(candidate):
            return j
        return None
    return None


def _split_glued(text: str, start: int, end: int, line_no: int) -> list[Block]:
    """Cut a paragraph at glued headings into para and heading blocks."""
    blocks: list[Block] = []
    cursor = start
    after_heading = False
    while cursor < end:
        found = None
        for s, e in split_sentences(text, cursor, end):
            # The sentence a glued heading is glued to is its body, never another heading: a heading
            # with no text under it would lose its words.
            if after_heading and s <= cursor + 1:
                continue
            j = _glued_heading_end(text, s, e)
            if j is not None:
                found = (s, j)
                break
        if found is None:
            blocks.append(Block("para", cursor, end, line_no))
            break
        s, j = found
        para_start, para_end = trim(text, cursor, s)
        if para_start < para_end:
            blocks.append(Block("para", para_start, para_end, line_no))
        blocks.append(Block("heading", s, j, line_no))
        cursor = j
        after_heading = True
    return blocks


def _classify(text: str, excluded: list[tuple[int, int]], marked_only: bool = False) -> list[Block]:
    lines = content_lines(text)
    pieces = [
        (i, s, e, (s, e) == (ln.start, ln.end)) for i, ln in enumerate(lines) for s, e in _pieces(text, ln, excluded)
    ]
    blocks: list[Block] = []
    for n, (line_no, start, end, whole) in enumerate(pieces):
        piece = text[start:end]
        bullet = _BULLET.match(piece) if whole and not _is_dialogue_line(text, start, end, blocks) else None
        marked = _MARKED_HEADING.match(piece) if whole else None
        has_next = n + 1 < len(pieces)
        if marked:
            # "## Tæt kontakt" is a heading whatever its wording; the section is the words, not the "#"s.
            closing = _CLOSING_HASHES.search(piece)
            h_start, h_end = trim(text, start + marked.end(), start + closing.start() if closing else end)
            if h_start < h_end:
                blocks.append(Block("heading", h_start, h_end, line_no, level=len(marked.group(1))))
        elif bullet:
            b_start, b_end = trim(text, start + bullet.end(), end)
            if b_start < b_end:
                blocks.append(Block("bullet", b_start, b_end, line_no))
        elif (
            whole
            and blocks
            and blocks[-1].kind == "bullet"
            and len(piece) <= 200
            and (piece[0].islower() or _CONTINUATION.match(piece))
        ):
            # "Og kommunaldirektør og chef fra en anonym kommune" closing a list without its marker.
            blocks.append(Block("bullet", start, end, line_no))
        elif marked_only:
            # Text extracted from HTML, PDF or Word marks every heading it has: a short line such as
            # a name in a signature ("Jørgen Vestergaard<br>Borgmester") is no heading.
            blocks.append(Block("para", start, end, line_no))
        elif whole and has_next and looks_like_heading(piece):
            blocks.append(Block("heading", start, end, line_no))
        else:
            blocks.extend(_split_glued(text, start, end, line_no))
    return blocks


def _is_dialogue_line(text: str, start: int, end: int, blocks: list[Block]) -> bool:
    """A dash line that is speech, not a list item: it names its speaker ("– …, siger Jens Hansen."),
    or it is a whole sentence right after such a line (the same speaker goes on)."""
    if is_dialogue(text, start, end):
        return True
    prev = blocks[-1] if blocks else None
    return (
        prev is not None
        and prev.kind == "para"
        and opens_dialogue(text, prev.start, prev.end)
        and opens_dialogue(text, start, end)
        and text[end - 1] in _SENTENCE_END
    )


def _paged(text: str, before: Block, after: Block) -> bool:
    return _PAGE_BREAK in text[before.end : after.start]


def _mark_lists(text: str, blocks: list[Block]) -> None:
    """Number bullet lists, find each list's lead-in, and flag contributor lists."""
    list_no = 0
    i = 0
    while i < len(blocks):
        if blocks[i].kind != "bullet":
            i += 1
            continue
        j = i + 1
        # A list does not run on over a page break, so a contributor list never spans two pages.
        while j < len(blocks) and blocks[j].kind == "bullet" and not _paged(text, blocks[j - 1], blocks[j]):
            j += 1
        items = blocks[i:j]
        before = blocks[i - 1] if i > 0 else None
        lead_in: tuple[int, int] | None = None
        if before is not None and before.kind == "para" and before.sentences:
            lead_in = before.sentences[-1]
        elif before is not None and before.kind == "heading":
            lead_in = (before.start, before.end)
        lead_text = text[lead_in[0] : lead_in[1]] if lead_in else ""
        people = sum(1 for b in items if _PERSON_ITEM.match(text[b.start : b.end]))
        contributors = bool(_CONTRIBUTORS.search(lead_text)) or (len(items) >= 3 and people >= 0.6 * len(items))
        for b in items:
            b.list_no, b.lead_in, b.contributors = list_no, lead_in, contributors
        list_no += 1
        i = j


def _merged(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, non-overlapping ranges, as `_pieces` needs them."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _document_title(text: str, blocks: list[Block]) -> Block | None:
    """The first heading, when it is the only one of the top level: the document's title, which no
    section's path repeats."""
    headings = [b for b in blocks if b.kind == "heading"]
    if len(headings) < 2:
        return None
    top = min(b.level for b in headings)
    first = headings[0]
    return first if first.level == top and sum(b.level == top for b in headings) == 1 else None


def parse_structure(text: str, excluded: list[tuple[int, int]], marked_only: bool = False) -> list[Block]:
    """Recover headings, paragraphs and bullet lists of an article.

    Args:
        text: The decoded article.
        excluded: Sorted boilerplate ranges (from `ingest.boilerplate.find_boilerplate`).
        marked_only: Only "#"-marked lines are headings (text extracted from HTML, PDF or Word).

    Returns:
        Blocks in reading order. Each carries its section (the verbatim heading it stands under,
        preceded by the headings above it by level, "2. Hvad skete der? › 2.1 Hjemmeplejen"; None
        before the first heading), its sentences (paragraphs and bullets), and for bullets the list
        it belongs to, the span of its lead-in and whether it lists contributors.
    """
    blocks = _classify(text, _merged(excluded), marked_only)
    title = _document_title(text, blocks)
    path: list[tuple[int, str]] = []
    section: str | None = None
    about = False
    for block in blocks:
        if block.kind == "heading":
            own = text[block.start : block.end]
            path = [(level, words) for level, words in path if level < block.level]
            if block is not title:
                path.append((block.level, own))
            section = SECTION_SEPARATOR.join(words for _, words in path) if path else own
            about = bool(_ABOUT.match(own))
        else:
            block.sentences = split_sentences(text, block.start, block.end)
        block.section, block.about = section, about
    _mark_lists(text, blocks)
    return blocks
