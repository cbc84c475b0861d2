"""The Searcher: one index in memory, the same object for CLI, app and eval.

A thin facade. A question is read once (index/reading.py), embedded once, ranked by the pure
retrieval function (index/search/retrieval.py) and turned into the answer (index/search/answer.py);
the Searcher holds what those need across questions: the index's parts, the model, the helper
threads of a large index and the per-index numbers the decision is judged with.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from index.decline.answer_type import gives_answer, speaker_is
from index.decline.calibration import ProbeStats
from index.decline.model import ANSWER_DEPTH
from index.decline.self_calibration import calibrate_index
from index.dense.embed import Embedder
from index.errors import CalibrationError
from index.lexical.library_vocabulary import article_texts, library_vocabulary
from index.models import Answer, SearchFilters, SearchMode
from index.reading import MAX_QUESTION_CHARS, QueryReading, clean_question, read_question
from index.search.answer import SearchTrace, answer_of, nothing_to_search
from index.search.budget import Budget
from index.search.indexes import Indexes
from index.search.retrieval import retrieve, start_lexical_fetch
from index.search.signals import MODES, Query
from index.search.structure import QuestionForm
from index.store.columns import PassageColumns
from index.store.layout import IndexParts, Manifest
from index.store.writing import write
from ingest.corpus import corpus_hash
from ingest.models import Article, ArticleSource, Passage

MAX_K = 100


def vocabulary_of(parts: IndexParts) -> frozenset[str]:
    """The library's vocabulary: BM25's, with the words of its titles, publishers, headings and speakers.

    Args:
        parts: the index's parts (their columns made).

    Returns:
        One frozen set, read against by every question.
    """
    columns = parts.columns if parts.columns is not None else PassageColumns.of(parts.passages)
    # An index built without its articles' records still has each article's source on its passages.
    sources: Sequence[Article | ArticleSource] = parts.articles or [
        parts.passages[int(columns.article_order[start])].article
        for start in columns.article_starts[:-1]
        if start < len(columns.article_order)
    ]
    tables = columns.tables
    metadata = [*article_texts(sources), *(s for s in tables.section if s), *(s for s in tables.speaker if s)]
    return library_vocabulary(parts.lexical, metadata)


class Searcher:
    """Searches one index. Build it with `index.build` or `index.load`."""

    def __init__(self, parts: IndexParts, embedder: Embedder) -> None:
        self._parts = parts
        self.embedder = embedder
        if parts.columns is None:
            # Parts assembled by hand: one pass now; build() and a saved index bring their columns.
            parts.columns = PassageColumns.of(parts.passages)
        self._columns = parts.columns
        self.vocabulary = vocabulary_of(parts)
        if parts.calibration is None:
            # Parts assembled by hand: build() and a saved index bring the numbers they are judged with.
            parts.calibration = calibrate_index(
                parts.passages, parts.sentences, parts.lexical, self.vocabulary, embedder
            )
        numbers = parts.calibration.calibration
        if (numbers.model_name, numbers.dim) != (embedder.name, embedder.dim):
            # Never judge one model's cosines with another model's numbers.
            raise CalibrationError(embedder.name, f"indeksets kalibrering er lavet for modellen '{numbers.model_name}'")
        self.calibration = parts.calibration
        self.indexes = Indexes(parts.sentences, parts.contexts, parts.lexical, parts.columns)
        self.indexes.prepare()
        # Made on a large index's first question (`_helpers`).
        self._helper_pool: ThreadPoolExecutor | None = None
        self._helper_lock = threading.Lock()
        self._sections: list[str] | None = None

    @property
    def full_fusion_max(self) -> int:
        """Above this many passages a question is scored on candidates only (index/search/plan.py)."""
        return self.indexes.full_fusion_max

    @full_fusion_max.setter
    def full_fusion_max(self, value: int) -> None:
        self.indexes.full_fusion_max = value

    @property
    def fetch(self) -> int:
        """Passages each side fetches in a large index."""
        return self.indexes.fetch

    @fetch.setter
    def fetch(self, value: int) -> None:
        self.indexes.fetch = value

    @property
    def passages(self) -> Sequence[Passage]:
        """Every passage by position: a list when built in memory, read from disk when loaded."""
        return self._parts.passages

    @property
    def articles(self) -> list[Article]:
        return self._parts.articles

    @property
    def manifest(self) -> Manifest:
        return self._parts.manifest

    @property
    def parts(self) -> IndexParts:
        return self._parts

    def save(self, index_dir: Path | str, corpus_dir: Path | str | None = None) -> Path:
        """Write the index atomically (a complete new build, then one symlink swap).

        Args:
            index_dir: the index folder.
            corpus_dir: the corpus it was built from; its hash is recorded so a later
                `stale_reason` can tell when the articles changed.

        Returns:
            The folder of the new build.
        """
        if corpus_dir is not None:
            self._parts.manifest = self._parts.manifest.model_copy(update={"corpus_hash": corpus_hash(corpus_dir)})
        return write(self._parts, Path(index_dir))

    def passage(self, passage_id: str) -> Passage:
        """The passage with this id.

        Raises:
            KeyError: no such passage in the index.
        """
        return self.passages[self._position(passage_id)]

    def _position(self, passage_id: str) -> int:
        """Where the passage with this id is (KeyError, in Danish, when nowhere)."""
        found = self._columns.positions_of_id(passage_id) if isinstance(passage_id, str) else ()
        for position in found:
            # Equal 64-bit hashes are checked against the id itself.
            if self.passages[int(position)].id == passage_id:
                return int(position)
        raise KeyError(f"Passagen '{passage_id}' findes ikke i indekset. Søg igen, eller byg indekset igen.")

    def neighbours(self, passage_id: str, before: int = 1, after: int = 1) -> list[Passage]:
        """The passage with up to `before` passages before and `after` after it, in article order.

        Args:
            passage_id: the passage in the middle (included in the list).
            before: how many preceding passages of the same article.
            after: how many following passages of the same article.

        Returns:
            Passages of one article, in reading order.
        """
        position = self._position(passage_id)
        order = self._columns.reading_order(position)
        here = int(np.flatnonzero(order == position)[0])
        window = order[max(0, here - max(0, before)) : here + max(0, after) + 1]
        return [self.passages[int(i)] for i in window]

    def sections(self) -> list[str]:
        """Every section heading in the index, sorted (read once: the app offers them as topics)."""
        if self._sections is None:
            self._sections = sorted({s for s in self._columns.tables.section if s})
        return list(self._sections)

    def speakers(self) -> list[str]:
        """Every speaker role in the index, sorted."""
        return sorted({s for s in self._columns.tables.speaker if s})

    def article_outline(self, article_id: str) -> tuple[list[str], int]:
        """An article's section headings and size, read from the columns (no passage is read).

        Args:
            article_id: the article.

        Returns:
            (its headings in reading order, once each; its number of passages); ([], 0) when the
            index holds no passage of it.
        """
        columns = self._columns
        code = columns.codes["article"].get(article_id)
        if code is None:
            return [], 0
        order = columns.article_order[columns.article_starts[code] : columns.article_starts[code + 1]]
        headings = (columns.tables.section[int(c)] for c in columns.section[order])
        return [h for h in dict.fromkeys(headings) if h], len(order)

    def read(self, question: str) -> QueryReading:
        """The question read against this index's vocabulary (`index.reading.read_question`).

        Args:
            question: the question as typed.

        Returns:
            Its reading.
        """
        lexical = self._parts.lexical
        return read_question(clean_question(question), lexical.analyzer, self.vocabulary, None, lexical.vocabulary)

    def matched_stems(self, question: str) -> list[str]:
        """The article words (vocabulary stems) the question's words were read as, for marking.

        Folded, mistyped, derived and compound words included: "samarbjede" gives the stem of
        "samarbejde", "hamstring" that of "hamstre". A search gives the same in `Answer.matched_terms`.
        """
        return self.read(question).matched_terms

    def absent_words(self, question: str) -> list[str]:
        """The question's content words the articles use in no form: not folded, mistyped, derived
        nor as a compound part ("hedebølgen" in "Hvordan håndterede kommunerne hedebølgen?").

        Passages found for such a word were found on meaning alone; a leader should know that
        "hedebølgen" is nowhere in the articles before trusting a quote about the care homes. A
        search gives the same in `Answer.absent_words`.
        """
        return self.read(question).absent_words

    def search(
        self,
        question: str,
        k: int = 5,
        mode: SearchMode = "hybrid",
        filters: SearchFilters | None = None,
        budget: Budget | None = None,
    ) -> Answer:
        """Find the passages that best answer a Danish question.

        Args:
            question: the question, in plain Danish.
            k: how many results (1..100).
            mode: "hybrid" (all signals), "dense" or "lexical".
            filters: restrict to articles, speakers or sections.
            budget: the time the search may take (`index.search.budget.Budget`; cancel it to
                abandon the search); None: `Budget()`, 20 s.

        Returns:
            The answer; `abstained` is True (with no results) for an empty question. It carries
            what the screen needs: the words to mark, the words the articles never use, and each
            result's neighbouring passages.

        Raises:
            ValueError: k or mode is invalid, or the question is longer than
                `MAX_QUESTION_CHARS` (Danish message).
            SearchTimeoutError: the budget ran out or was cancelled (Danish message).
        """
        return self.trace(question, k=k, mode=mode, filters=filters, budget=budget).answer

    def trace(
        self,
        question: str,
        k: int = 5,
        mode: SearchMode = "hybrid",
        filters: SearchFilters | None = None,
        budget: Budget | None = None,
    ) -> SearchTrace:
        """Like `search`, but also return the abstention inputs and each result's per-signal scores.

        Args:
            question: the question.
            k: how many results.
            mode: which signals to fuse.
            filters: restrictions.
            budget: the time the search may take.

        Returns:
            The trace.
        """
        if mode not in MODES:
            raise ValueError(f"Ukendt søgetilstand '{mode}'. Brug 'hybrid', 'dense' eller 'lexical'.")
        if not isinstance(k, int) or not 1 <= k <= MAX_K:
            raise ValueError(f"Antal resultater skal være et helt tal fra 1 til {MAX_K}, ikke {k!r}.")
        text = clean_question(question)
        if len(text) > MAX_QUESTION_CHARS:
            raise ValueError(
                f"Spørgsmålet er for langt ({len(text)} tegn; højst {MAX_QUESTION_CHARS}). "
                "Skriv det kortere: et spørgsmål eller nogle få nøgleord er nok."
            )
        budget = budget or Budget()
        allowed = None if filters is None else self._columns.allowed(filters)
        if not text or (allowed is not None and not allowed.any()):
            return nothing_to_search(question, "empty question" if not text else "no passage matches the filters")
        lexical = self._parts.lexical
        reading = read_question(
            text, lexical.analyzer, self.vocabulary, lambda: budget.check("læste spørgsmålet"), lexical.vocabulary
        )
        helpers = None if self.indexes.scores_everything else self._helpers()
        early = start_lexical_fetch(self.indexes, list(reading.terms), allowed, helpers)
        # The model reads "laegerne" or "samarbjede" poorly: it gets the articles' spelling of the
        # words the lexical side resolved; BM25 keeps the question as typed.
        query = Query(vector=self.embedder.embed_queries([reading.respelled])[0], terms=list(reading.terms))
        budget.check("læste spørgsmålet med sprogmodellen")
        depth = max(k, ANSWER_DEPTH)
        fusion = self.calibration.calibration.fusion
        retrieval = retrieve(
            self.indexes, query, depth, mode, allowed, budget, helpers, early, fusion, self.form_of(reading)
        )
        if len(retrieval.candidates) == 0:
            # A narrow filter on a large index can leave no fetched passage inside it.
            return nothing_to_search(question, "no candidate passes the filters", reading)
        return answer_of(
            question, reading, retrieval, k, self.passages, self._columns, lexical.analyzer, self.calibration, mode
        )

    def form_of(self, reading: QueryReading) -> QuestionForm:
        """What the question asks for, as the ranking reads it: whose words (as a mask over the index's
        speaker roles), and a figure or time (a check of one passage, read when asked).

        Args:
            reading: the question's reading.

        Returns:
            The form.
        """
        analyzer = self._parts.lexical.analyzer
        asked = None
        if reading.speaker is not None:
            speaker = reading.speaker
            roles = self._columns.tables.speaker
            asked = np.asarray([role is not None and speaker_is(speaker, role, analyzer) for role in roles], dtype=bool)
        checks = None
        if reading.asks is not None:
            kind, passages = reading.asks, self.passages

            def checks(position: int) -> bool:
                return gives_answer(kind, passages[position].text, reading.text, analyzer)

        return QuestionForm(asked_speaker=asked, gives_answer=checks)

    @property
    def probes(self) -> ProbeStats:
        """Where the probe questions' best cosines lie in this index (index/decline/probes.py), from its calibration."""
        return self.calibration.probes

    def _helpers(self) -> ThreadPoolExecutor:
        """The threads a large index's question uses beside its own: the BM25 fetch during
        encoding, the views index's fetch beside the sentence index's, and the views' scores
        beside the other signals' (made on first use)."""
        with self._helper_lock:
            if self._helper_pool is None:
                self._helper_pool = ThreadPoolExecutor(max_workers=os.cpu_count() or 1, thread_name_prefix="fetch")
        return self._helper_pool
