"""A question read once: its words against the index vocabulary, and what it asks for.

The ranking (BM25 terms, the respelled text the model embeds), the decline decision (how new each
word is to the library and how specific in Danish, the number of content words, the figure, time
or speaker asked for) and the answer (the words to mark, the words the articles never use) all
read the one `QueryReading` made here. The vocabulary a question is read against is the library's: its
passages' words and its titles, headings, speakers and publishers (a just-added memo titled
"Strømsvigtet i Nordby Kommune" makes "strømsvigtet" and "Nordby" the library's words). Lucene does
the same in large: a query is rewritten once into one `Weight` that every scorer shares.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass

from index.decline.answer_type import AnswerType, AskedSpeaker, asked_answer, asked_speaker
from index.text.analyzer import DanishAnalyzer, TermMatch, coverage_of
from index.text.novelty import WordNovelty, novelty_of

# A question is a sentence or a few keywords; the model embeds every 512-token window of its input,
# so a pasted 10,000-character text would hold the shared embedder for seconds for every user.
MAX_QUESTION_CHARS = 1000
# C0/C1 control characters other than whitespace: the C engine would stop reading at a NUL.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class QueryReading:
    """Everything the search, the decision and the screen need to know of one question's words."""

    text: str  # the question as cleaned (`clean_question`)
    matches: tuple[TermMatch, ...]  # one per content word: how it met the vocabulary
    novelty: tuple[WordNovelty, ...]  # one per content word: how new it is to the library
    respelled: str  # the question in the articles' spelling, for the model
    terms: tuple[str, ...]  # the terms the words were read as that passages hold (BM25's query)
    coverage: float  # share of the content words the articles use
    asks: AnswerType | None  # a sum, figure or time the question asks for
    speaker: AskedSpeaker | None  # whose words a quote question asks for

    @property
    def content_words(self) -> int:
        """How many content words the question has."""
        return len(self.matches)

    @property
    def matched_terms(self) -> list[str]:
        """The article words (vocabulary stems) the question's words were read as, once each, for marking."""
        return list(dict.fromkeys(term for match in self.matches for term in match.terms))

    @property
    def absent_words(self) -> list[str]:
        """The question's content words, as typed, that the articles use in no form ("hedebølgen"): not in
        a passage, a title, a heading or a speaker's role, not as a typo nor as a compound's part."""
        return list(dict.fromkeys(n.word for n in self.novelty if n.absent))


def read_question(
    text: str,
    analyzer: DanishAnalyzer,
    vocabulary: Collection[str],
    check: Callable[[], object] | None = None,
    searchable: Collection[str] | None = None,
) -> QueryReading:
    """Read a cleaned question against the library's vocabulary, once.

    Args:
        text: the question (`clean_question` of what was typed).
        analyzer: the index's analyzer.
        vocabulary: the library's vocabulary, metadata included (the same object for every question:
            its lookups are cached).
        check: called before each word is read (a search's time budget; it raises to stop).
        searchable: the terms passages hold (BM25's vocabulary); None: all of `vocabulary`.

    Returns:
        The reading.
    """
    matches = tuple(analyzer.explain_query(text, vocabulary, check))
    terms = (term for match in matches for term in match.terms)
    return QueryReading(
        text=text,
        matches=matches,
        novelty=tuple(novelty_of(match, analyzer, vocabulary) for match in matches),
        respelled=analyzer.respell(text, vocabulary, matches),
        terms=tuple(terms if searchable is None else (t for t in terms if t in searchable)),
        coverage=coverage_of(matches),
        asks=asked_answer(text),
        speaker=asked_speaker(text, matches, analyzer, vocabulary),
    )


def clean_question(question: str | None) -> str:
    """The question as the signals read it: stripped, control characters as spaces, valid UTF-8.

    Args:
        question: what the user typed (anything, even None or lone surrogates).

    Returns:
        Text every signal and the C embedding engine can take.
    """
    text = _CONTROL.sub(" ", question or "")
    # Lone surrogates (from a broken clipboard or byte stream) cannot be encoded for the model.
    return text.encode("utf-8", "replace").decode("utf-8").strip()
