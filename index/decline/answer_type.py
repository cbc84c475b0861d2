"""What kind of answer a question asks for, and whether a passage can give it.

A leader who asks "Hvor mange døde på plejehjemmene?" or "Hvad kostede krisen?" wants a number;
"Hvornår åbnede man igen?" wants a point in time. Interview articles often speak of the very topic
in the very words of such a question and still give no figure: the topic signals then say "in
scope" while no passage answers. Checking the expected answer type (a classic step of question
answering) catches these: when none of the best passages holds a number (or a time) that the
question did not bring itself, no passage answers the question. A time counts also when it is
relative ("i krisens første uger", "straks", "efter påske"): interviews tell time that way.

In the same way "Hvad sagde borgmesteren om ...?" asks for the words of one person: when the
articles never name that person or role at all, nobody in them can have said it.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from index.text.analyzer import DanishAnalyzer, TermMatch
from index.text.lexicon import tokens

AnswerType = Literal["money", "number", "time", "speaker"]

# Questions of cost want a sum of money, not any figure.
_ASKS_MONEY = re.compile(
    r"\b(?:hvad\s+(?:koster|kostede|har\s+\w+\s+kostet|blev\s+prisen|betalte|betaler)|hvor\s+meget\s+(?:betal|kost|penge)\w*"
    r"|hvor\s+store?\s+(?:udgifter|beløb|regning)\w*|prisen\s+på|i\s+kroner)",
    re.IGNORECASE,
)
# Question openings that ask for a quantity. Left out: "hvor meget" (mostly of degree: "hvor meget
# har krisen ændret samarbejdet?") and "hvor længe" (how long staff can keep going), which the
# articles answer in words, not figures.
_ASKS_NUMBER = re.compile(
    r"\b(?:hvor\s+(?:mange|stor\s+en\s+(?:andel|del)|stort\s+et\s+antal)|hvilket\s+antal"
    r"|telefonnummer(?:et)?|telefonnr|tlf\.?\s*nr)\b",
    re.IGNORECASE,
)
# "Hvor mange X ...": a count of X. The words that follow name what is counted.
_COUNTED = re.compile(r"\bhvor\s+mange\s+(?P<rest>.*)", re.IGNORECASE)
_COUNTED_WORDS = 2
_ASKS_TIME = re.compile(
    r"\b(?:hvornår|hvornaar|hvilken\s+dato|hvilket\s+årstal|hvilket\s+år|hvilken\s+dag)\b", re.IGNORECASE
)

# "Hvad sagde [en / to af de] <who> ...": the words that may stand between the verb and the speaker.
_ASKS_SPEAKER = re.compile(
    r"\bhvad\s+(?:sagde|siger|udtalte|udtaler|mente|mener|fortalte|fortæller|svarede|skrev)\s+"
    r"(?:(?:en|et|den|det|de|to|tre|fire|flere|nogle|af|hans|hendes|deres|vores|jeres)\s+)*"
    r"(?P<who>[^\W\d_]+(?:[-‐‑][^\W\d_]+)*)",
    re.IGNORECASE,
)

_NUMBER_TEXT = """
    to tre fire fem seks syv otte ni ti elleve tolv tretten fjorten femten seksten sytten atten nitten tyve
    tredive fyrre halvtreds tres halvfjerds firs halvfems hundrede hundreder tusind tusinde tusinder
    million millioner milliard milliarder halvdelen halvanden dobbelt dobbelte tredobbelt
    procent pct promille dusin snesevis hundredvis tusindvis
"""
_NUMBER_WORDS = frozenset(_NUMBER_TEXT.split())
# A sum of money answers a question of cost wherever it stands in the passage.
_MONEY_WORDS = frozenset({"kr", "kroner", "mio", "mia", "millioner", "milliarder", "euro"})
_TIME_TEXT = """
    januar februar marts april maj juni juli august september oktober november december
    mandag tirsdag onsdag torsdag fredag lørdag søndag
    foråret efteråret sommeren vinteren forår efterår sommer vinter påske påsken jul julen nytår
    sommerferie sommerferien efterårsferie vinterferie
    dag dage dagen dagene døgn uge uger ugen ugerne måned måneder måneden månederne år året årene
    tidspunkt tidspunktet begyndelsen starten først første straks allerede senere siden inden før efter
    dengang nu
"""
_TIME_WORDS = frozenset(_TIME_TEXT.split())
# A figure answers the question only beside what the question asks about ("10 kommunale
# kriseledere" says nothing of how many residents died): this many words either side.
NEAR_WORDS = 6
# A time often frames a whole sentence ("i krisens første uger ... en kamp om værnemidler").
TIME_NEAR_WORDS = 15
_MIN_HEAD = 4
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+")
_YEAR = re.compile(r"(?:19|20)\d\d")


def expected_answer(question: str) -> AnswerType | None:
    """The kind of answer the question asks for, when it asks for a figure or a point in time.

    Args:
        question: the question as typed.

    Returns:
        "money", "number", "time", or None for every other question (most of them).
    """
    if _ASKS_MONEY.search(question):
        return "money"
    if _ASKS_NUMBER.search(question):
        return "number"
    if _ASKS_TIME.search(question):
        return "time"
    return None


def gives_answer(kind: AnswerType, passage_text: str, question: str, analyzer: DanishAnalyzer) -> bool:
    """Whether a passage holds an answer of this kind, beside a word of the question.

    Args:
        kind: from `expected_answer`.
        passage_text: the passage, verbatim.
        question: the question; its own numbers and dates do not count as answers.
        analyzer: gives the Danish stems that decide whether a passage word is a question word.

    Returns:
        True when the passage has a sum of money (any kind but "time"), or a figure (kind "number")
        or a time expression (kind "time") within `NEAR_WORDS` (`TIME_NEAR_WORDS`) words of a content
        word of the question.
    """
    asked = {t.lower() for t in _TOKEN.findall(question)}
    topic = {analyzer.stem(w) for w in _topic_words(kind, question, analyzer) if not w[0].isdigit()}
    tokens = [t.lower() for t in _TOKEN.findall(passage_text)]
    on_topic = [_is_topic(analyzer.stem(t), topic) for t in tokens]
    for i, token in enumerate(tokens):
        if token in asked or not _is_answer(kind, token):
            continue
        if any(t in _MONEY_WORDS for t in tokens[i + 1 : i + 3]):
            return True
        near = TIME_NEAR_WORDS if kind == "time" else NEAR_WORDS
        if kind != "money" and any(on_topic[max(0, i - near) : i + near + 1]):
            return True
    return False


def _topic_words(kind: AnswerType, question: str, analyzer: DanishAnalyzer) -> list[str]:
    """The question words a figure must stand beside: for "Hvor mange X ..." the first content words
    after it, what is counted ("Hvor mange døde af covid i de fire kommuner?" is answered by a figure
    beside "døde" or "covid", not by "4 forskellige kommuner"); else every content word."""
    counted = _COUNTED.search(question) if kind == "number" else None
    if counted is not None:
        words = analyzer.content_words(counted.group("rest"))[:_COUNTED_WORDS]
        if words:
            return words
    return analyzer.content_words(question)


def _is_answer(kind: AnswerType, token: str) -> bool:
    if token[0].isdigit():
        # A year says when, not how many.
        return kind == "time" or not _YEAR.fullmatch(token)
    return token in (_TIME_WORDS if kind == "time" else _NUMBER_WORDS)


def _is_topic(stem: str, topic: set[str]) -> bool:
    """The stem is a question word's, or one ends in the other: Danish compounds are head-final, so
    "plejehjemsbeboere" are "beboere", while "kommunalvalg" is no "kommune"."""
    if stem in topic:
        return True
    return len(stem) >= _MIN_HEAD and any(
        len(t) >= _MIN_HEAD and (stem.endswith(t) or t.endswith(stem)) for t in topic
    )


_QUESTION_WORDS = re.compile(r"\b(?:hvad|hvor|hvem|hvornår|hvornaar|hvilke|hvilken|hvilket|hvordan|hvorfor)\b",
                             re.IGNORECASE)
_NOBODY = frozenset({"man", "de", "der", "folk"})
_LETTERS = re.compile(r"[^\W\d_]+")


def asked_answer(question: str) -> AnswerType | None:
    """The figure, sum or time a question asks for, unless it asks for a quote or asks two things
    ("Hvornår og hvordan …?", "Hvad sagde hun, da …?"): such answers lie in words, not figures."""
    if _ASKS_SPEAKER.search(question) or len(_QUESTION_WORDS.findall(question)) >= 2:
        return None
    return expected_answer(question)


@dataclass(frozen=True)
class AskedSpeaker:
    """The person or role whose words a quote question asks for ("Hvad sagde borgmesteren …?")."""

    who: str  # as typed
    first: TermMatch  # how the first content word of `who` met the vocabulary


def asked_speaker(
    question: str, matches: Sequence[TermMatch], analyzer: DanishAnalyzer, vocabulary: Collection[str]
) -> AskedSpeaker | None:
    """The person or role a quote question asks for, read from the question's matches.

    Args:
        question: the question as typed.
        matches: the question's matches (`DanishAnalyzer.explain_query`), reused for the speaker's words.
        analyzer: the index's analyzer (a speaker's word the question skipped is matched on its own).
        vocabulary: the index vocabulary.

    Returns:
        The speaker, or None when the question asks for nobody's words ("Hvad sagde man …?", or a
        stopword: "Hvad sagde de om lægerne?" asks about the doctors, not who said it).
    """
    found = _ASKS_SPEAKER.search(question)
    if found is None or found.group("who").lower() in _NOBODY:
        return None
    who = found.group("who")
    read = {m.word: m for m in matches}
    for word, upper in tokens(who):
        if not analyzer.skips(word, upper):
            return AskedSpeaker(who, read.get(word) or analyzer.match_word(word, upper, vocabulary))
    return None


def _wanted_stems(asked: AskedSpeaker, analyzer: DanishAnalyzer) -> set[str]:
    """The stems a passage naming the asked person or role holds: as typed, or as the articles spell it."""
    wanted = {analyzer.stem(asked.who.lower())}
    # A mistyped or folded role is read as the articles spell it.
    if asked.first.how in ("exact", "folded", "typo", "derived"):
        wanted |= set(asked.first.terms)
    return wanted


def speaker_is(asked: AskedSpeaker, role: str, analyzer: DanishAnalyzer) -> bool:
    """Whether a quote's speaker is the person or role a quote question asks for ("beredskabschefen" is
    "beredskabschef i Nordby"; "lederen" is "leder af dagplejen").

    Args:
        asked: the speaker the question asks for (`asked_speaker`).
        role: a passage's speaker, as ingest named it.
        analyzer: the index's analyzer.

    Returns:
        True when a word of the role has a stem of the asked one, or one ends the other.
    """
    wanted = _wanted_stems(asked, analyzer)
    return any(_is_topic(analyzer.stem(w), wanted) for w in _LETTERS.findall(role.lower()))


def speaker_missing(
    asked: AskedSpeaker | None, best: Iterable[tuple[str, str | None]], analyzer: DanishAnalyzer
) -> str | None:
    """The person or role a quote question asks for when none of the best passages names them, in its
    text or as its speaker.

    Args:
        asked: the speaker the question asks for (`asked_speaker`), or None.
        best: (text, speaker) of the best passages.
        analyzer: the index's analyzer.

    Returns:
        The person or role as typed, or None.
    """
    if asked is None:
        return None
    wanted = _wanted_stems(asked, analyzer)
    for text, speaker in best:
        stems = {analyzer.stem(w) for w in _LETTERS.findall(f"{text} {speaker or ''}".lower())}
        if any(_is_topic(stem, wanted) for stem in stems):
            return None
    return asked.who
