"""Danish sentence splitting on offsets: the text is never changed, only cut.

Scraped Danish news text glues sentences ("krisen.Her", "ned.”Der"), uses many abbreviations
("bl.a.", "ml.", "d. 9. juni") and names with initials ("Søren S. Kjær"); a plain split on ". "
would cut those wrongly, and a wrong cut later shows a leader half a quote.
"""

from __future__ import annotations

import re

# Abbreviations after which a sentence practically never ends, even before a capital
# ("fx Sundhedsstyrelsen", "bl.a. KL").
_NEVER_FINAL = {
    "fx", "f.eks", "bl.a", "ml", "pga", "d", "pt", "ift", "ca", "jf", "jvf", "evt", "dvs", "kl", "nr",
    "hhv", "mht", "vha", "iflg", "ifm", "inkl", "ekskl", "vedr", "st", "stk", "tlf", "pct", "ang", "gl",
    "sml", "s", "ff", "bla", "mr", "dr", "hr", "fr", "prof", "cand", "mag", "ekstra", "nuv", "tidl",
    "ordf", "adm", "dir", "vicedir", "afd", "att", "mio", "mia", "mdr", "md", "uge", "t.o.m", "f.o.m",
    "e.l", "o.l", "a.m.b.a", "aps", "a/s", "m.h.t", "i.f.t", "p.t", "bl", "el",
}
# Abbreviations that often close a sentence ("… gå tur med hund m.m. Her har de"): a sentence
# ends after them only when a capitalised word follows a space.
_MAYBE_FINAL = {"osv", "mfl", "m.fl", "m.m", "mm", "etc", "mv", "m.v", "min", "o.a", "m.v.", "sek", "t"}

_CLOSERS = "”\"’»)]"
_OPENERS = "”“\"„«‘'(["
_TERMINATOR = re.compile(r"(?:[.!?…]+|(?<=[”\"])[.!?]+)[”\"’»)\]]*")


def _token_before(text: str, dot: int, floor: int) -> str:
    """The word (with inner dots) that ends right before the terminator at `dot`."""
    i = dot
    while i > floor and (text[i - 1].isalnum() or text[i - 1] in ".-/"):
        i -= 1
    return text[i:dot]


def _is_boundary(text: str, term_start: int, term_end: int, floor: int, end: int) -> bool:
    """Decide whether the terminator text[term_start:term_end] ends a sentence."""
    if term_end >= end:
        return True
    nxt = text[term_end]
    glued = not nxt.isspace()
    if glued:
        # Only a glued capital or an opening quote after a word starts a new sentence ("krisen.Her",
        # "ned.”Der"); "3.5", "bl.a." and "www.x.dk" stay whole.
        if not (nxt.isupper() or (nxt in "”“\"" and term_end + 1 < end and text[term_end + 1].isupper())):
            return False
        prev = text[term_start - 1] if term_start > floor else ""
        if not prev or not ((prev.isalpha() and prev.islower()) or prev in _CLOSERS or prev.isdigit()):
            return False
        if text[term_start] == "." and term_end - term_start == 1:
            token = _token_before(text, term_start, floor)
            if "." in token or len(token) < 2:
                return False  # "U.S.A", "m.m.Her" is too rare to risk cutting initials
        follower = nxt
    else:
        j = term_end
        while j < end and text[j].isspace():
            j += 1
        if j >= end:
            return True
        follower = text[j]
        if not (follower.isupper() or follower.isdigit() or follower in _OPENERS or follower in "•–-*"):
            return False
    mark = text[term_start]
    if mark != ".":
        return True
    token = _token_before(text, term_start, floor)
    low = token.lower()
    if len(token) == 1 and token.isupper():
        return False  # an initial: "Søren S. Kjær"
    if low in _NEVER_FINAL:
        return False
    if low in _MAYBE_FINAL:
        return follower.isupper() and not glued
    if token.isdigit() and not glued:
        # "0-5. klasse", "d. 9. juni" continue in lower case and are caught above; a capital after a
        # number ends the sentence ("i 2020. Det").
        return True
    return True


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Split text[start:end] into sentences, as absolute offsets into `text`.

    Args:
        text: The whole decoded article (offsets refer to it).
        start: First character of the stretch to split.
        end: End of the stretch (exclusive); defaults to the end of `text`.

    Returns:
        Non-overlapping (start, end) spans in order, each stripped of surrounding whitespace and
        together covering every non-space character of the stretch.
    """
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    cursor = start
    for match in _TERMINATOR.finditer(text, start, end):
        t_start, t_end = match.start(), match.end()
        if t_start < cursor:
            continue
        if _is_boundary(text, t_start, t_end, start, end):
            spans.append((cursor, t_end))
            cursor = t_end
    spans.append((cursor, end))
    out: list[tuple[int, int]] = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            out.append((s, e))
    return out
