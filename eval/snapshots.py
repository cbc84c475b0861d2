"""Each tune question asked once of an index, kept so the fusion, the decline and the labels can be
refitted and scored many times without asking again (`python -m eval.calibrate`).

A snapshot holds what the searcher computed for the question (its reading, every signal's score of
every passage, what it asks for) and which passages hold its gold. `outcome_of` then ranks it with
any fusion's numbers through the product's own functions (`index.search.fusion.fuse`,
`index.search.retrieval.rank`, `index.decline.checks.gather_evidence`,
`index.decline.labels.first_card_features`), so what is fitted here is what the product runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from eval.firstsight import _norm
from eval.tune_set import TuneQuestion
from index import Searcher
from index.decline.calibration import FusionParams
from index.decline.checks import gather_evidence
from index.decline.labels import first_card_features
from index.reading import QueryReading
from index.search.fusion import fuse
from index.search.retrieval import rank
from index.search.signals import MODES, Query, score, signals_of
from index.search.structure import QuestionForm

K = 10
TOP = 5


@dataclass
class Library:
    """One index the tune questions are asked of: the whole library, or the library without one article."""

    name: str
    searcher: Searcher
    present: set[str] = field(default_factory=set)

    @cached_property
    def texts(self) -> list[str]:
        return [p.text for p in self.searcher.passages]

    @cached_property
    def flat_texts(self) -> list[str]:
        return [_norm(t) for t in self.texts]

    @cached_property
    def speakers(self) -> list[str | None]:
        return [p.speaker for p in self.searcher.passages]

    @cached_property
    def article_of(self) -> list[str]:
        return [p.article.original or p.article.file for p in self.searcher.passages]


@dataclass
class Snapshot:
    """One question asked of one library."""

    question: TuneQuestion
    library: Library
    reading: QueryReading
    signals: dict[str, np.ndarray]
    gold: np.ndarray
    answering: list[str]
    form: QuestionForm

    @property
    def out_of_scope(self) -> bool:
        return not self.answering


@dataclass
class Outcome:
    """A snapshot ranked with one fusion: where gold is, and the decline's and the labels' evidence."""

    rank: int | None
    decline: list[float]
    missing: str | None
    label: list[float]
    first_right: bool
    voices: int


def take(library: Library, question: TuneQuestion) -> Snapshot:
    """Ask one question of one library: its reading, vector and every signal's scores of every passage."""
    searcher = library.searcher
    reading = searcher.read(question.question)
    vector = searcher.embedder.embed_queries([reading.respelled])[0]
    indexes = searcher.indexes
    n = indexes.n_passages
    scored = score(indexes, signals_of(indexes), Query(vector=vector, terms=list(reading.terms)), np.arange(n))
    answering = question.answered_by(sorted(library.present))
    wanted = [_norm(g) for g in question.gold]
    gold = np.asarray([a in answering and any(g in t for g in wanted)
                       for a, t in zip(library.article_of, library.flat_texts, strict=True)], dtype=bool)
    form = searcher.form_of(reading)
    if form.gives_answer is not None:
        checked: dict[int, bool] = {}
        gives = form.gives_answer

        def cached(position: int) -> bool:
            if position not in checked:
                checked[position] = gives(position)
            return checked[position]

        form = QuestionForm(asked_speaker=form.asked_speaker, gives_answer=cached)
    return Snapshot(
        question=question, library=library, reading=reading,
        signals={name: np.asarray(v, dtype=np.float32) for name, v in scored.items()},
        gold=gold, answering=answering, form=form,
    )


def outcome_of(snapshot: Snapshot, params: FusionParams) -> Outcome:
    """Rank a snapshot with one fusion's numbers, as the product does, and gather its evidence."""
    library = snapshot.library
    searcher = library.searcher
    signals = snapshot.signals
    fused = fuse({name: signals[name] for name in MODES["hybrid"]}, {"bm25": params.bm25_weight})
    ranking = rank(fused, np.arange(len(fused)), searcher.parts.columns, K, "hybrid", params, snapshot.form)
    fused, picked = ranking.fused, ranking.picked
    hits = [i for i, p in enumerate(picked, start=1) if snapshot.gold[p]]
    dense = signals["sentence"]
    best = [(library.texts[p], library.speakers[p]) for p in ranking.judged[:2]]
    analyzer = searcher.parts.lexical.analyzer
    evidence = gather_evidence(snapshot.reading, float(dense.max()), searcher.probes, best, analyzer)
    voices = {library.article_of[p] for p in picked[:TOP] if snapshot.gold[p]} & set(snapshot.answering)
    return Outcome(
        rank=hits[0] if hits else None,
        decline=evidence.features(),
        missing=evidence.missing_answer,
        label=first_card_features(searcher.probes, float(dense[picked[0]]), [float(fused[i]) for i in picked[:2]]),
        first_right=bool(hits) and hits[0] == 1,
        voices=len(voices),
    )
