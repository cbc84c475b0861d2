"""The Searcher: hybrid search over one index, in memory, the same object for CLI, app and eval."""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import BaseModel, Field

from index.decline import model as abstain
from index.decline.hazards import covered_hazards
from index.decline.model import AbstainDecision
from index.decline.probes import probe_coverage
from index.dense.embed import Embedder
from index.dense.views import PASSAGE_VIEWS, view_rows_of, view_scores_of
from index.lexical.bm25 import lexical_text
from index.models import Answer, Result
from index.search import plan as candidates
from index.search.fusion import (
    VOICE_POOL,
    VOICE_TOP,
    Signal,
    fuse,
    run_signals,
    top_k,
    with_another_voice,
    with_neighbours,
)
from index.search.plan import SearchPlan
from index.store import write
from index.store.columns import PassageColumns
from index.store.layout import IndexParts, Manifest
from ingest.corpus import corpus_hash
from ingest.models import Article, Passage

SearchMode = Literal["hybrid", "dense", "lexical"]
# One signal per view of a passage (index/views.py); equal weights, which generalised where
# tuned weights overfit (RETRIEVAL_NOTES.md). Every dense signal reuses the one question vector.
DENSE_SIGNALS: tuple[str, ...] = ("sentence", *PASSAGE_VIEWS)
MODES: dict[str, tuple[str, ...]] = {
    "hybrid": (*DENSE_SIGNALS, "bm25"),
    "dense": DENSE_SIGNALS,
    "lexical": ("bm25",),
}
# The dense signal whose top-1 cosine decides abstention and result strength.
ABSTAIN_SIGNAL = "sentence"
MAX_K = 100
# A question is a sentence or a few keywords; the model embeds every 512-token window of its input,
# so a pasted 10,000-character text would hold the shared embedder for seconds for every user.
MAX_QUESTION_CHARS = 1000
# C0/C1 control characters other than whitespace: the C engine would stop reading at a NUL.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


class SearchFilters(BaseModel):
    """Restrict a search; a None field means no restriction on it."""

    article_ids: list[str] | None = Field(default=None, description="Only these articles (ids).")
    speakers: list[str] | None = Field(default=None, description="Only passages quoting these roles.")
    sections: list[str] | None = Field(default=None, description="Only passages under these headings.")


@dataclass
class PreparedQuery:
    """A question as every signal needs it; whole-index scores are memoised so abstention reuses them."""

    text: str
    vector: np.ndarray
    terms: list[str]
    memo: dict[str, np.ndarray] = field(default_factory=dict)
    # A large index's scores of every view for the positions being scored, one call for the three
    # view signals: (positions, the stacked scores or the helper thread computing them).
    views_at: tuple[np.ndarray, np.ndarray | Future[np.ndarray]] | None = None


class SearchTrace(BaseModel):
    """An answer plus what decided it, for evaluation and calibration."""

    answer: Answer
    decision: AbstainDecision
    signal_scores: dict[str, list[float]] = Field(default_factory=dict, description="Per signal, for each result.")


class Searcher:
    """Searches one index. Build it with `index.build` or `index.load`."""

    def __init__(self, parts: IndexParts, embedder: Embedder) -> None:
        self._parts = parts
        self.embedder = embedder
        if parts.columns is None:
            # Parts assembled by hand: one pass now; build() and a saved index bring their columns.
            parts.columns = PassageColumns.of(parts.passages)
        self._columns = parts.columns
        # Above this many passages a question is scored on candidates only (index/candidates.py).
        self.full_fusion_max = candidates.FULL_FUSION_MAX_PASSAGES
        self.fetch = candidates.FETCH
        # Made on a large index's first question (`_helpers`).
        self._helper_pool: ThreadPoolExecutor | None = None
        self._probe_coverage: float | None = None
        self._covered_hazards: frozenset[str] | None = None
        self._helper_lock = threading.Lock()
        if not self._scores_everything():
            # The candidate path's BM25 runs compiled code: load it now, not on a user's first question.
            parts.lexical.warm_up()
            # Every question scores the fixed corpus sample: keep its vectors in memory, not on disk.
            n = len(parts.passages)
            sample = candidates.corpus_sample(n)
            parts.sentences.pin_passages(sample)
            parts.contexts.pin_rows(view_rows_of(parts.contexts, sample, n))
        self.signals: list[Signal[PreparedQuery]] = [
            Signal("sentence", self._sentence_scores),
            *(Signal(view, self._view_scorer(row)) for row, view in enumerate(PASSAGE_VIEWS)),
            Signal("bm25", self._bm25_scores),
        ]

    # A small index scores every passage once per question (memoised: abstention reads the same
    # scores); a large one scores only the planned positions, exactly.
    def _scores_everything(self) -> bool:
        # An approximate dense index scores only the rows it fetches, never every passage.
        approximate = self._parts.sentences.is_approximate or self._parts.contexts.is_approximate
        return len(self.passages) <= self.full_fusion_max and not approximate

    def _sentence_scores(self, query: PreparedQuery, positions: np.ndarray) -> np.ndarray:
        sentences = self._parts.sentences
        if not self._scores_everything():
            return sentences.scores_of(query.vector, positions)
        if "sentence" not in query.memo:
            query.memo["sentence"] = sentences.passage_scores(query.vector, len(self.passages))
        return query.memo["sentence"][positions]

    def _view_scorer(self, row: int) -> Callable[[PreparedQuery, np.ndarray], np.ndarray]:
        def score(query: PreparedQuery, positions: np.ndarray) -> np.ndarray:
            n = len(self.passages)
            if not self._scores_everything():
                # Every view of the positions in one pass (one sort, one batch of reads), kept for
                # the other views' signals, which get the same positions.
                if query.views_at is None or query.views_at[0] is not positions:
                    query.views_at = (positions, view_scores_of(self._parts.contexts, query.vector, positions, n))
                stacked = query.views_at[1]
                if isinstance(stacked, Future):
                    stacked = stacked.result()
                return stacked[row]
            if "views" not in query.memo:
                stacked = self._parts.contexts.passage_scores(query.vector, n * len(PASSAGE_VIEWS))
                query.memo["views"] = stacked.reshape(len(PASSAGE_VIEWS), n)
            return query.memo["views"][row][positions]

        return score

    def _bm25_scores(self, query: PreparedQuery, positions: np.ndarray) -> np.ndarray:
        lexical = self._parts.lexical
        if not self._scores_everything():
            return lexical.scores_of(query.terms, positions)
        if "bm25" not in query.memo:
            query.memo["bm25"] = lexical.scores(query.text)
        return query.memo["bm25"][positions]

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
        """Every section heading in the index, sorted."""
        return sorted({s for s in self._columns.tables.section if s})

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

    def matched_stems(self, question: str) -> list[str]:
        """The article words (vocabulary stems) the question's words were read as, for marking.

        Folded, mistyped, derived and compound words included: "samarbjede" gives the stem of
        "samarbejde", "hamstring" that of "hamstre".
        """
        return list(dict.fromkeys(self._parts.lexical.query_terms(question)))

    def absent_words(self, question: str) -> list[str]:
        """The question's content words the articles use in no form: not folded, mistyped, derived
        nor as a compound part ("hedebølgen" in "Hvordan håndterede kommunerne hedebølgen?").

        Passages found for such a word were found on meaning alone; a leader should know that
        "hedebølgen" is nowhere in the articles before trusting a quote about the care homes.
        """
        lexical = self._parts.lexical
        unmatched = (m.word for m in lexical.analyzer.explain_query(question, lexical.vocabulary) if not m.found)
        return list(dict.fromkeys(unmatched))

    def search(
        self, question: str, k: int = 5, mode: SearchMode = "hybrid", filters: SearchFilters | None = None
    ) -> Answer:
        """Find the passages that best answer a Danish question.

        Args:
            question: the question, in plain Danish.
            k: how many results (1..100).
            mode: "hybrid" (all signals), "dense" or "lexical".
            filters: restrict to articles, speakers or sections.

        Returns:
            The answer; `abstained` is True (with no results) for an empty question.

        Raises:
            ValueError: k or mode is invalid, or the question is longer than
                `MAX_QUESTION_CHARS` (Danish message).
        """
        return self.trace(question, k=k, mode=mode, filters=filters).answer

    def trace(
        self, question: str, k: int = 5, mode: SearchMode = "hybrid", filters: SearchFilters | None = None
    ) -> SearchTrace:
        """Like `search`, but also return the abstention inputs and each result's per-signal scores.

        Args:
            question: the question.
            k: how many results.
            mode: which signals to fuse.
            filters: restrictions.

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
        allowed = self._allowed(filters)
        if not text or (allowed is not None and not allowed.any()):
            return _nothing_to_search(question, "empty question" if not text else "no passage matches the filters")
        # The model reads "laegerne" or "samarbjede" poorly: it gets the articles' spelling of the
        # words the lexical side resolved; BM25 keeps the question as typed.
        lexical = self._parts.lexical
        respelled = lexical.analyzer.respell(text, lexical.vocabulary)
        terms = lexical.query_terms(text)
        early = self._fetch_lexical_early(terms, allowed)
        query = PreparedQuery(text=text, vector=self.embedder.embed_queries([respelled])[0], terms=terms)
        plan = self.plan(query, allowed, None if early is None else early.result())
        if mode == "hybrid":
            plan = candidates.with_neighbours_of(plan, *self._columns.neighbours, allowed)
        if len(plan.candidates) == 0:
            # A narrow filter on a large index can leave no fetched passage inside it.
            return _nothing_to_search(question, "no candidate passes the filters")
        active = [s for s in self.signals if s.name in MODES[mode]]
        # Abstention reads the sentence signal whatever the mode fuses.
        needed = [s for s in self.signals if s in active or s.name == ABSTAIN_SIGNAL]
        scored = self._run_signals(needed, query, plan.positions)
        n_candidates = len(plan.candidates)
        raw = {name: scored[name][:n_candidates] for name in MODES[mode]}
        reference = None if plan.population is None else {name: v[n_candidates:] for name, v in scored.items()}
        fused = fuse(raw, {s.name: s.weight for s in active}, reference)
        if mode == "hybrid":
            before, after = self._columns.neighbours
            fused = with_neighbours(fused, plan.candidates, before, after, self._columns.bullet)
        dense = scored[ABSTAIN_SIGNAL][:n_candidates]
        picked = top_k(fused, max(k, abstain.ANSWER_DEPTH) + (VOICE_POOL if mode == "hybrid" else 0))
        if mode == "hybrid":
            articles = self._columns.article[plan.candidates[picked]]
            picked = with_another_voice(picked, fused, articles, top=min(k, VOICE_TOP))
        picked = picked[: max(k, abstain.ANSWER_DEPTH)]
        ranked = [self.passages[int(plan.candidates[i])] for i in picked]
        evidence = abstain.gather_evidence(
            text,
            float(dense.max()),
            lexical.analyzer,
            lexical.vocabulary,
            self.probe_coverage,
            best=[(p.text, p.speaker) for p in ranked[: abstain.ANSWER_DEPTH]],
            covered_hazards=self.covered_hazards,
        )
        decision = abstain.decide_on(evidence)
        picked, ranked = picked[:k], ranked[:k]
        holds = [self._holds_words(text, p) for p in ranked]
        strengths = abstain.ranked_strengths(decision.abstained, [float(dense[i]) for i in picked], evidence, holds)
        results = [
            Result.from_passage(passage, rank=rank, score=float(fused[i]), strength=label)
            for rank, (i, passage, label) in enumerate(zip(picked, ranked, strengths, strict=True), start=1)
        ]
        signal_scores = {name: [round(float(v[i]), 4) for i in picked] for name, v in raw.items()}
        signal_scores.setdefault(ABSTAIN_SIGNAL, [round(float(dense[i]), 4) for i in picked])
        missing = decision.missing_answer if decision.abstained else None
        answer = Answer(question=question, abstained=decision.abstained, results=results, missing=missing)
        return SearchTrace(answer=answer, decision=decision, signal_scores=signal_scores)

    def _run_signals(
        self, needed: list[Signal[PreparedQuery]], query: PreparedQuery, positions: np.ndarray
    ) -> dict[str, np.ndarray]:
        """Every needed signal's scores of the positions; in a large index the views' scores are
        computed on a helper thread while this one scores the sentence and BM25 signals (the row
        reads and FAISS-free numpy work let go of the GIL)."""
        if self._scores_everything() or not any(s.name in PASSAGE_VIEWS for s in needed):
            return run_signals(needed, query, positions)
        n = len(self.passages)
        query.views_at = (
            positions,
            self._helpers().submit(view_scores_of, self._parts.contexts, query.vector, positions, n),
        )
        # The view signals wait for the helper: the others are scored first, meanwhile.
        waiting_last = sorted(needed, key=lambda signal: signal.name in PASSAGE_VIEWS)
        scored = run_signals(waiting_last, query, positions)
        # Fusion sums the signals in their own order, so the ranking does not depend on this one.
        return {signal.name: scored[signal.name] for signal in needed}

    def _allowed(self, filters: SearchFilters | None) -> np.ndarray | None:
        """Mask of the passages the filters allow; None when nothing is filtered."""
        if filters is None:
            return None
        return self._columns.allowed(
            {"article": filters.article_ids, "speaker": filters.speakers, "section": filters.sections}
        )

    @property
    def probe_coverage(self) -> float:
        """The share of the probe questions' words this index knows (index/probes.py), computed once."""
        if self._probe_coverage is None:
            lexical = self._parts.lexical
            self._probe_coverage = probe_coverage(lexical.analyzer, lexical.vocabulary)
        return self._probe_coverage

    @property
    def covered_hazards(self) -> frozenset[str]:
        """The kinds of crisis the articles speak of (index/hazards.py), read from the vocabulary once."""
        if self._covered_hazards is None:
            lexical = self._parts.lexical
            self._covered_hazards = covered_hazards(lexical.vocabulary, lexical.analyzer)
        return self._covered_hazards

    def _holds_words(self, question: str, passage: Passage) -> bool:
        """Whether the passage holds at least half of the question's content words, in any form the
        search reads them (spellings, typos, derived forms, compound parts)."""
        lexical = self._parts.lexical
        matches = lexical.analyzer.explain_query(question, lexical.vocabulary)
        if not matches:
            return False
        terms = set(lexical.analyzer.document_terms(lexical_text(passage)))
        held = sum(any(t in terms for t in m.terms) for m in matches)
        return held >= 1 and 2 * held >= len(matches)

    def _fetch_lexical_early(self, terms: list[str], allowed: np.ndarray | None) -> Future[np.ndarray] | None:
        """Start a large index's BM25 fetch on another thread, or None when every passage is scored.

        The model encodes on one core and lets go of the GIL, as do the compiled BM25 kernel and
        row reader: on a second core the fetch, and the reading of the dense rows of the passages
        it found, cost the user no time.
        """
        depth = candidates.side_depth(len(self.passages), allowed, self._full_fusion_max(), self.fetch)
        if depth is None:
            return None
        parts = self._parts
        return self._helpers().submit(
            candidates.lexical_candidates_read_ahead,
            parts.lexical, terms, depth, parts.sentences, parts.contexts, len(self.passages),
        )

    def _helpers(self) -> ThreadPoolExecutor:
        """The threads a large index's question uses beside its own: the BM25 fetch during
        encoding, the views index's fetch beside the sentence index's, and the views' scores
        beside the other signals' (made on first use)."""
        with self._helper_lock:
            if self._helper_pool is None:
                self._helper_pool = ThreadPoolExecutor(max_workers=os.cpu_count() or 1, thread_name_prefix="fetch")
        return self._helper_pool

    def _full_fusion_max(self) -> int:
        """Up to how many allowed passages a question scores them all (0 once a dense index is approximate)."""
        return self.full_fusion_max if self._scores_everything() else 0

    def plan(
        self, query: PreparedQuery, allowed: np.ndarray | None, lexical_found: np.ndarray | None = None
    ) -> SearchPlan:
        """The passages this question is scored on (all of a small index; candidates of a large one).

        Args:
            query: the prepared question.
            allowed: mask of the passages the filters allow, or None.
            lexical_found: BM25's candidates when already fetched (`_fetch_lexical_early`).

        Returns:
            The plan.
        """
        return candidates.plan_candidates(
            [self._parts.sentences, self._parts.contexts],
            self._parts.lexical,
            query.vector,
            query.terms,
            allowed,
            len(self.passages),
            full_fusion_max=self._full_fusion_max(),
            fetch=self.fetch,
            lexical_found=lexical_found,
            # Only a large index fetches; a small one never starts the threads.
            executor=None if self._scores_everything() else self._helpers(),
        )


def _nothing_to_search(question: str, reason: str) -> SearchTrace:
    """An abstained answer without results, for a question no passage can be scored for."""
    decision = AbstainDecision(abstained=True, dense_top1=0.0, coverage=0.0, reason=reason)
    return SearchTrace(answer=Answer(question=question, abstained=True, results=[]), decision=decision)


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
