"""Direct speech and who says it.

The scraped articles use U+201D (”) for BOTH ends of a quote, so marks are paired by context: an
opening mark follows a space, ":" or "," or starts the line; a closing mark follows text. Danish
guillemets (»Vi lærte meget,« siger …) are paired the same way, whichever way they point. Speech
is quoted text introduced by a role and a speech verb ("Som en kommunaldirektør udtaler:");
quoted words without one (”kamp om ressourcerne”) are scare quotes, not speech.

Danish news also marks speech with a dash opening the paragraph, no closing mark, and the speaker
in a clause after the speech: "– Vi var ikke klar, siger kommunaldirektør Jens Hansen." The speech
runs to that clause, or to the paragraph's end when there is none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_AMBIGUOUS = "”\"»«"
_OPEN_ONLY = "“„"
_GUILLEMETS = "»«"
_CLOSE_FOLLOWERS = ".,;:!?)–-—”\"’…»«"

_VERBS = (
    r"udtal(?:er|te)|sig(?:er)|sagde|formuler(?:er|ede)(?:\s+det)?|beskriv(?:er)|beskrev|supplere(?:r|de)"
    r"|fortæl(?:ler)|fortalte|forklare(?:r|de)|understrege(?:r|de)|påpege(?:r|de)|tilføje(?:r|de)"
    r"|uddybe(?:r|de)|afslutte(?:r|de)|konkludere(?:r|de)|svare(?:r|de)|skrive(?:r)|skrev|fremhæve(?:r|de)"
    r"|bemærke(?:r|de)|erkende(?:r|de)|vurdere(?:r|de)|advare(?:r|de)|opsummere(?:r|de)|fortsætte(?:r)"
    r"|fortsatte|slår\s+fast|udtrykker\s+det|sætter\s+ord\s+på\s+det|lyder\s+det\s+fra|citeres|mener|mente"
)
_FUNCTION_WORDS = (
    r"(?:også|med|det|at|i|om|til|for|på|af|og|som|der|her|nu|så|jo|vel|lige|meget|helt|bl\.a\.|fx|"
    r"ikke|er|var|har|blev|sig|en|et|den|de|to|tre|fire|flere|nogle|mange)\b"
)
_WORD = rf"(?!{_FUNCTION_WORDS})[a-zæøåéü][\w-]*"
_ROLE = (
    r"(?P<role>\b(?:en|én|et|to|tre|fire|fem|seks|flere|nogle|mange|begge|hver|den|de)"
    rf"(?:\s+af(?:\s+de|\s+vores)?)?(?:\s+{_WORD})?\s+{_WORD})"
)
_ROLE_THEN_VERB = re.compile(rf"{_ROLE}\s+(?:også\s+|så\s+|selv\s+)?(?:{_VERBS})\b", re.IGNORECASE)
# A role with what it is the role of: "en chef for sundhed og omsorg", "en leder af et plejecenter i
# Vestkommunen". Only right before the speech verb, which marks where the role ends.
_LINK = r"(?:for|af|i|på|ved|fra|med|hos|under|til|og)"
_NOT_ROLE = r"(?:som|der|at|men|så|når|hvis|vi|jeg|han|hun|man|er|var|har|havde|blev|kan|skal|vil|ikke|også)"
_ROLE_PART = rf"(?!{_NOT_ROLE}\b)[^\W\d_][\w-]*"
_LONG_ROLE_THEN_VERB = re.compile(
    rf"(?P<role>\b(?:en|én|et|to|tre|fire|fem|seks|flere|nogle|begge|den|de)(?:\s+{_WORD})?\s+{_WORD}"
    rf"(?:\s+{_LINK}(?:\s+(?:den|det|de|et|en))?(?:\s+{_ROLE_PART}){{1,2}}){{1,4}})"
    rf"\s+(?:også\s+)?(?:{_VERBS})\b",
    re.IGNORECASE,
)
# "Beredskabschefen supplerer:", "Direktøren udtaler:" (a role in its definite form) and
# "Hanne Sørensen siger:" / "kommunaldirektør Hanne Sørensen siger:" (a named person, kept as written).
_NAMED_THEN_VERB = re.compile(
    rf"(?P<role>\b[A-ZÆØÅ][a-zæøå]+(?:en|et|erne|ene)|(?:\b[a-zæøå]+\s+)?[A-ZÆØÅ][a-zæøåé]+(?:\s+[A-ZÆØÅ]\.?)?"
    rf"(?:\s+[A-ZÆØÅ][a-zæøåé]+)+)\s+(?:også\s+)?(?:{_VERBS})\b"
)
# "Som beredskabschefen udtaler:", "som direktøren for Børn og Unge siger," (a role in its definite
# form after "som", with what it is the role of; kept as written, the names in it capitalised).
_DEFINITE_ROLE_THEN_VERB = re.compile(
    rf"\bsom\s+(?P<role>(?:[a-zæøå]+\s+)?[a-zæøå]+(?:en|et|erne|ene)"
    rf"(?:\s+{_LINK}(?:\s+(?:den|det|de))?(?:\s+{_ROLE_PART}){{1,3}}){{0,3}})\s+(?:også\s+)?(?:{_VERBS})\b",
    re.IGNORECASE,
)
_VERB_THEN_ROLE = re.compile(rf"\b(?:{_VERBS})\s+(?:det\s+)?{_ROLE}", re.IGNORECASE)
# Speech first, speaker after: ”Vi lærte meget,” siger en hjemmeplejeleder. / … siger Jens Hansen,
# direktør i Glostrup Kommune. The speaker runs to the end of the clause and is kept as written.
_SPEAKER_AFTER = re.compile(
    rf"\s*[,–—-]?\s*(?:{_VERBS})\s+(?P<who>[^.!?;:\n”“\"]{{2,200}}?)\s*(?=[.!?;\n]|$)", re.IGNORECASE
)
# "…, fortæller beredskabsdirektør Lone Vinther, der har ledet beredskabet i syv år.": the speaker
# ends where a clause about him or her begins.
_CLAUSE_AFTER_SPEAKER = re.compile(r",\s+(?:der|som|hvor|mens|men|og|da|fordi|efter|når|selv om)\b.*$", re.IGNORECASE)
# "– Vi var ikke klar, siger Jens Hansen.": a dash, a space, then the speech (a capital, a digit or a mark).
_DIALOGUE_DASH = re.compile(r"[–—-][ \t\u00a0]+(?=[A-ZÆØÅ0-9”\"»«“„])")
_ATTRIBUTION = re.compile(
    rf",\s*(?:{_VERBS})\s+(?P<who>[^.!?;:\n”“\"»«]{{2,80}}?)\s*(?=[.!?;\n]|$)", re.IGNORECASE
)
_AFTER_ATTRIBUTION = re.compile(r"[.!?]?\s+")
_PRONOUN = re.compile(r"(?:han|hun|de|vi|jeg|man|den|det|du|i|hende|ham)\b", re.IGNORECASE)
_PLURAL_START = re.compile(r"(?:to|tre|fire|fem|seks|flere|nogle|mange|begge|de)\b")
_MAX_TAIL = 80


@dataclass(frozen=True)
class Quote:
    """A quoted stretch [start, end) including its marks, and the speaker when it is speech."""

    start: int
    end: int
    speaker: str | None = None


def _normalise_role(role: str) -> str:
    return " ".join(role.split()).lower()


def speaker_of(introducer: str) -> str | None:
    """Find the role that introduces a quote, from the text right before its opening mark.

    Args:
        introducer: Text before the quote, e.g. "Som en kommunaldirektør udtaler: " or
            "…, som en kommunaldirektør udtaler, ".

    Returns:
        The role in lower case ("en kommunaldirektør", "to af de interviewede direktører"), or
        None when the text does not end in ":" or "," after a role and a speech verb.
    """
    stripped = introducer.rstrip()
    if not stripped.endswith((":", ",")):
        return None
    best: tuple[int, int, str] | None = None
    for pattern in (_ROLE_THEN_VERB, _VERB_THEN_ROLE, _NAMED_THEN_VERB, _LONG_ROLE_THEN_VERB, _DEFINITE_ROLE_THEN_VERB):
        for m in pattern.finditer(stripped):
            tail = stripped[m.end() : -1]
            if len(tail) > _MAX_TAIL or re.search(r"[.!?”]", tail):
                continue
            # The role that ends last; of two ending at the verb, the longer ("en leder af et plejecenter
            # i Vestkommunen", not "Vestkommunen").
            if best is None or (m.end(), -m.start()) > (best[0], -best[1]):
                role = " ".join(m.group("role").split())
                # A name is kept as written; a role ("Direktøren", "en chef") is stored in lower case,
                # but for the names in what it is the role of ("i Vestkommunen").
                is_name = pattern is _NAMED_THEN_VERB and " " in role
                if pattern in (_LONG_ROLE_THEN_VERB, _DEFINITE_ROLE_THEN_VERB):
                    role = " ".join(w if w[0].isupper() and n > 1 else w.lower() for n, w in enumerate(role.split()))
                as_written = is_name or pattern in (_LONG_ROLE_THEN_VERB, _DEFINITE_ROLE_THEN_VERB)
                best = (m.end(), m.start(), role if as_written else role.lower())
    return best[2] if best else None


def speaker_after(text: str, start: int, end: int) -> str | None:
    """The speaker named right after a quote's closing mark ("… siger en chef."), if any.

    Args:
        text: The decoded article.
        start: Position just after the closing mark.
        end: End of the paragraph.

    Returns:
        A role in lower case ("en hjemmeplejeleder"), a name as written ("Jens Hansen, direktør i
        Glostrup Kommune"), or None (no speech verb, or only a pronoun: "siger hun").
    """
    m = _SPEAKER_AFTER.match(text[start:end])
    return _speaker_named(m.group("who")) if m else None


def _speaker_named(who: str) -> str | None:
    who = _CLAUSE_AFTER_SPEAKER.sub("", who).strip(" ,–—-")
    if len(who) > 80:
        return None
    if not who or _PRONOUN.fullmatch(who):
        return None
    role = re.fullmatch(_ROLE, who, re.IGNORECASE)
    return _normalise_role(role.group("role")) if role else " ".join(who.split())


def opens_dialogue(text: str, start: int, end: int) -> bool:
    """True when text[start:end] opens with a speech dash ("– Vi var ikke klar, …").

    Args:
        text: The decoded article.
        start: Start of the paragraph, at its dash.
        end: Its end (exclusive).

    Returns:
        Whether the paragraph starts with a dash, a space and the speech.
    """
    return _DIALOGUE_DASH.match(text, start, end) is not None


def is_dialogue(text: str, start: int, end: int) -> bool:
    """True for a dash paragraph whose speech is attributed: "– Vi var ikke klar, siger Jens Hansen."

    A dash list item ("- Kommunaldirektør Jens Hansen, Sorø") has no speech verb after a comma.

    Args:
        text: The decoded article.
        start: Start of the paragraph, at its dash.
        end: Its end (exclusive).

    Returns:
        Whether it opens with a speech dash and has an attribution clause.
    """
    return opens_dialogue(text, start, end) and _ATTRIBUTION.search(text, start, end) is not None


def _dialogue_quotes(text: str, start: int, end: int) -> list[Quote]:
    """The speech of a dash paragraph, cut where its attribution clause begins.

    "– A, siger Jens Hansen. – B." is two stretches of Jens Hansen's speech; "– A, siger han."
    names nobody (the pronoun is not resolved); with no attribution at all the speech runs to `end`.
    """
    quotes: list[Quote] = []
    at = start
    speaker: str | None = None
    while True:
        m = _ATTRIBUTION.search(text, at, end)
        if m is None:
            quotes.append(Quote(at, end, speaker))
            return quotes
        speaker = _speaker_named(m.group("who"))
        quotes.append(Quote(at, m.start() + 1, speaker))
        resumed = _AFTER_ATTRIBUTION.match(text, m.end(), end)
        at = resumed.end() if resumed else m.end()
        if not opens_dialogue(text, at, end):
            return quotes


# "Beredskabsdirektør Lone Vinther: Vi havde …": a transcript's speaker label (a role and a name, or
# a name of two or three words; one capitalised word such as "Konklusion:" is no speaker).
_LABEL = re.compile(
    r"(?P<who>(?:[A-ZÆØÅ][a-zæøå]+(?:\s+[a-zæøå]+)?\s+)?[A-ZÆØÅ][a-zæøåé]+(?:\s+[A-ZÆØÅ]\.)?"
    r"(?:\s+[A-ZÆØÅ][a-zæøåé-]+){1,2}):[ \t]+(?=\S)"
)


def labelled_speech(text: str, start: int, end: int) -> Quote | None:
    """The speech after a transcript's speaker label: "Beredskabsdirektør Lone Vinther: Vi havde …".

    Args:
        text: The decoded article.
        start: Start of the paragraph.
        end: Its end (exclusive).

    Returns:
        The speech (from after the label to the paragraph's end) with the label as speaker, or None.
    """
    m = _LABEL.match(text, start, end)
    if m is None or m.end() >= end:
        return None
    return Quote(m.end(), end, " ".join(m.group("who").split()))


# "Vi har talt med beredskabschef Lone Vinther om …", "Interview med borgmester Jens Hansen": the
# person an interview printed as questions and answers is with.
_INTERVIEWEE = re.compile(
    r"\b(?:interview(?:et)?\s+med|talt\s+med|taler\s+med|snakket\s+med|mødt|spurgt)\s+"
    r"(?P<who>(?:[a-zæøå-]+\s+){0,3}?[A-ZÆØÅ][a-zæøåé-]+(?:\s+[A-ZÆØÅ]\.)?(?:\s+[A-ZÆØÅ][a-zæøåé-]+){1,2})"
)


def interviewee(introduction: str) -> str | None:
    """The person an interview is with, as the introduction names him or her (role and name).

    Args:
        introduction: The paragraphs before the first question.

    Returns:
        "beredskabschef Lone Vinther", or None when the introduction names nobody that way.
    """
    m = _INTERVIEWEE.search(introduction)
    return " ".join(m.group("who").split()) if m else None


def is_plural(speaker: str) -> bool:
    """True for a speaker that is several people ("to af de interviewede direktører").

    Args:
        speaker: A role as returned by `speaker_of`.

    Returns:
        Whether the role names more than one person.
    """
    return bool(_PLURAL_START.match(speaker))


def _can_open(text: str, i: int, start: int, end: int) -> bool:
    prev = text[i - 1] if i > start else None
    nxt = text[i + 1] if i + 1 < end else None
    if nxt is None or nxt.isspace():
        return False
    if text[i] in _OPEN_ONLY:
        return True
    return prev is None or prev.isspace() or prev in ":,(–—-"


def _can_close(text: str, i: int, start: int, end: int) -> bool:
    if text[i] not in _AMBIGUOUS:
        return False
    prev = text[i - 1] if i > start else None
    nxt = text[i + 1] if i + 1 < end else None
    if prev is None or prev.isspace():
        return False
    return nxt is None or nxt.isspace() or nxt in _CLOSE_FOLLOWERS or nxt.isupper()


def find_quotes(text: str, start: int, end: int) -> tuple[list[Quote], int | None]:
    """Pair quotation marks in text[start:end] and name the speaker of each quote.

    Args:
        text: The decoded article.
        start: Start of a paragraph or bullet item.
        end: Its end (exclusive).

    Returns:
        The quotes in order (an unclosed one runs to `end`), and the position just after a closing
        mark that has no opening mark before it (the scrape sometimes loses the opening one), or None.
    """
    if is_dialogue(text, start, end):
        return _dialogue_quotes(text, start, end), None
    labelled = labelled_speech(text, start, end)
    if labelled is not None:
        return [labelled], None
    quotes: list[Quote] = []
    orphan_close: int | None = None
    open_at: int | None = None
    last_end = start
    for i in range(start, end):
        ch = text[i]
        if ch not in _AMBIGUOUS and ch not in _OPEN_ONLY:
            continue
        if open_at is not None and (ch in _GUILLEMETS) != (text[open_at] in _GUILLEMETS):
            continue  # »… ”helt vildt” …«: marks of the other kind inside a quote are nested in it
        if open_at is not None and _can_close(text, i, start, end):
            speaker = speaker_of(text[last_end:open_at]) or speaker_after(text, i + 1, end)
            quotes.append(Quote(open_at, i + 1, speaker))
            open_at, last_end = None, i + 1
        elif _can_open(text, i, start, end):
            open_at = i
        elif open_at is None and not quotes and orphan_close is None and _can_close(text, i, start, end):
            orphan_close = i + 1
            last_end = i + 1
    if open_at is not None:
        quotes.append(Quote(open_at, end, speaker_of(text[last_end:open_at])))
    return quotes, orphan_close
