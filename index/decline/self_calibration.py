"""Calibrate the decline at build: the model's shipped numbers, or numbers fitted on the index itself.

Out of scope: the probe questions (index/decline/probes.py), about no crisis and no article. In
scope: questions made from the index's own passages and headings: a few of a passage's words as a
leader types keywords ("værnemidler plejehjem"), its first twelve words as a question in full
words, and each heading as a topic. The twelve words are judged without their own passage (a
question in full words is rarely a copy of its answer): their cosine is the best of the other
passages', and a word only that passage uses counts as new to the library. Keywords are judged
with their passage (a leader's keywords are words the answer holds). Each question's features are
computed as a search computes them (index/reading.py, index/decline/checks.py), and the same
logistic model as `python -m eval.calibrate` is fitted (index/decline/fit.py), its threshold the
lowest that declines at most 2.5 % of the in-scope questions.

Such an index has no tune questions with known answers, so nothing calibrates "Stærkt match": its
first cards are at most possible matches, and it ranks with the fusion's defaults. The numbers
fit this index and model only; they are written into the index folder and read with it, never
shipped for other indexes.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from index.decline.calibration import Calibration, IndexCalibration, LogisticModel, ProbeStats, shipped
from index.decline.fit import decline_threshold, fit_logistic, probabilities
from index.decline.labels import STRONG_FEATURES
from index.decline.model import DECLINE_FEATURES, Evidence
from index.decline.probes import PROBES, probe_stats, probe_vectors
from index.dense.embed import Embedder
from index.dense.faiss_index import DenseIndex
from index.errors import CalibrationError
from index.lexical.bm25 import LexicalIndex, lexical_text
from index.reading import QueryReading, clean_question, read_question
from index.text.analyzer import DanishAnalyzer
from index.text.novelty import WordNovelty, novel_specificity, novelty_share
from ingest.models import Passage

SEED = 20240607
# Passages questions are made from (a sample of a large index), and headings asked as topics.
SAMPLE_PASSAGES = 150
MAX_HEADINGS = 50
# Below this many in-scope questions a fit would describe a few sentences, not an index.
MIN_IN_SCOPE = 10
_SENTENCE_WORDS = 12
_MIN_WORDS = 4
_KEYWORD_LETTERS = 4
# A label no tune question has calibrated never decides.
UNCALIBRATED_STRONG = LogisticModel(features=list(STRONG_FEATURES), coef=[0.0, 0.0], intercept=0.0, threshold=1.01)


def made_questions(passages: Sequence[Passage], analyzer: DanishAnalyzer) -> list[tuple[str, int | None]]:
    """In-scope questions made from an index's passages and headings, seeded.

    Args:
        passages: the index's passages.
        analyzer: its analyzer (what counts as a content word).

    Returns:
        (question, the passage it leaves out of its cosine, or None).
    """
    rng = np.random.default_rng(SEED)
    picked = rng.permutation(len(passages))[:SAMPLE_PASSAGES] if len(passages) else np.zeros(0, dtype=np.int64)
    made: list[tuple[str, int | None]] = []
    for position in sorted(int(p) for p in picked):
        passage = passages[position]
        words = [w for w in analyzer.content_words(passage.text) if len(w) >= _KEYWORD_LETTERS and w.isalpha()]
        words = list(dict.fromkeys(words))
        if len(words) >= 2:
            count = min(len(words), int(rng.integers(2, 4)))
            chosen = sorted(rng.choice(len(words), size=count, replace=False).tolist())
            made.append((" ".join(words[i] for i in chosen), None))
        first = passage.text.split()
        if len(analyzer.content_words(" ".join(first[:_SENTENCE_WORDS]))) >= _MIN_WORDS:
            made.append((" ".join(first[:_SENTENCE_WORDS]), position))
    headings = dict.fromkeys(p.section for p in passages if p.section and analyzer.content_words(p.section))
    made += [(heading, None) for heading in list(headings)[:MAX_HEADINGS]]
    return made


def self_calibrate(
    passages: Sequence[Passage],
    sentences: DenseIndex,
    lexical: LexicalIndex,
    vocabulary: frozenset[str],
    embedder: Embedder,
    probes: ProbeStats,
) -> Calibration:
    """Fit the decline model for `embedder` on the index's own questions (the probes and questions made from it).

    Args:
        passages: the index's passages.
        sentences: its sentence index (the cosine the decision reads).
        lexical: its BM25 index (analyzer, how many passages hold a term).
        vocabulary: the library's vocabulary (metadata included).
        embedder: the model whose cosines are calibrated.
        probes: the index's probe statistics.

    Returns:
        The calibration.

    Raises:
        CalibrationError: the index holds too little text to make enough in-scope questions (Danish).
    """
    analyzer = lexical.analyzer
    made = made_questions(passages, analyzer)
    if len(made) < MIN_IN_SCOPE:
        raise CalibrationError(
            embedder.name, f"af indeksets passager kunne kun {len(made)} spørgsmål laves (mindst {MIN_IN_SCOPE})"
        )
    asked = [(q, None, True) for q in PROBES] + [(q, left_out, False) for q, left_out in made]
    readings = [read_question(clean_question(q), analyzer, vocabulary) for q, _, _ in asked]
    vectors = embedder.embed_queries([r.respelled for r in readings])
    n = len(passages)
    x = np.empty((len(asked), len(DECLINE_FEATURES)), dtype=np.float64)
    for row, ((_, left_out, _), reading, vector) in enumerate(zip(asked, readings, vectors, strict=True)):
        scores = sentences.passage_scores(vector, n)
        novelty = reading.novelty
        if left_out is not None and n > 1:
            scores[left_out] = -np.inf
            novelty = _novelty_without(reading, passages[left_out], lexical)
        best = float(scores.max())
        x[row] = Evidence(
            dense_top1=best, cosine_vs_probes=probes.relative(best), novel_specificity=novel_specificity(novelty),
            novel_share=novelty_share(novelty), content_words=reading.content_words,
        ).features()
    y = np.asarray([out for _, _, out in asked], dtype=bool)
    decline = _fit(x, y)
    return Calibration(
        model_name=embedder.name,
        dim=embedder.dim,
        decline=decline,
        strong=UNCALIBRATED_STRONG,
        fitted_on=(
            f"the index itself when it was built: {len(PROBES)} probe questions out of scope, {len(made)} questions "
            "made from its passages and headings in scope; no label calibrated"
        ),
        questions={"out_of_scope": len(PROBES), "in_scope": len(made)},
    )


def _novelty_without(reading: QueryReading, passage: Passage, lexical: LexicalIndex) -> tuple[WordNovelty, ...]:
    """The question's words as new had the library not held `passage`: a word met only in terms that
    passage alone holds is new (a real Danish word novel, another foreign)."""
    analyzer: DanishAnalyzer = lexical.analyzer
    own = {t for t in analyzer.document_terms(lexical_text(passage)) if lexical.document_frequency(t) == 1}
    return tuple(
        WordNovelty(w.word, "novel" if analyzer.is_danish(w.word) else "foreign", w.zipf)
        if m.terms and set(m.terms) <= own else w
        for m, w in zip(reading.matches, reading.novelty, strict=True)
    )


def _fit(x: np.ndarray, y: np.ndarray) -> LogisticModel:
    """The decline model, a feature whose sign says the wrong thing left out.

    A higher cosine never makes a question more out of scope, nor more new words less; on a small
    index the fit can say so by chance, and such a feature is then not used.
    """
    used = np.ones(x.shape[1], dtype=bool)
    # The sign each feature must have: cosine -, new words' specificity +, their share +, length free.
    wrong_if = np.asarray([1.0, -1.0, -1.0, 0.0])
    while True:
        model = fit_logistic(np.where(used, x, 0.0), y, list(DECLINE_FEATURES))
        coef = np.where(used, model.coef, 0.0)
        wrong = used & (coef * wrong_if > 0)
        if not wrong.any():
            break
        used &= ~wrong
    model = model.model_copy(update={"coef": [float(c) for c in coef]})
    probability = probabilities(model, x)
    threshold = decline_threshold(probability, y, np.zeros(len(y), dtype=bool), np.zeros(len(y), dtype=int))
    return model.model_copy(update={"threshold": threshold})


def calibrate_index(
    passages: Sequence[Passage],
    sentences: DenseIndex,
    lexical: LexicalIndex,
    vocabulary: frozenset[str],
    embedder: Embedder,
) -> IndexCalibration:
    """What an index is judged with: its model's shipped numbers, else numbers fitted on the index itself,
    and where the probe questions' best cosines lie in it.

    Args:
        passages: the index's passages.
        sentences: its sentence index.
        lexical: its BM25 index.
        vocabulary: the library's vocabulary (metadata included).
        embedder: its model.

    Returns:
        The calibration, with the index's probe statistics.

    Raises:
        CalibrationError: the model has no shipped numbers and the index is too small to fit them.
    """
    probes = probe_stats(sentences, probe_vectors(embedder))
    own = shipped(embedder.name, embedder.dim)
    if own is not None:
        return IndexCalibration(calibration=own, source="shipped", probes=probes)
    fitted = self_calibrate(passages, sentences, lexical, vocabulary, embedder, probes)
    return IndexCalibration(calibration=fitted, source="fitted at build", probes=probes)
