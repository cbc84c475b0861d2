"""Calibrate the decline model at build: the model's shipped numbers, or numbers fitted on the index itself.

Out of scope: the probe questions (index/decline/probes.py), about no crisis and no article. In
scope: questions made from the index's own passages and headings: a few of a passage's words as a
leader types keywords ("værnemidler plejehjem"), its first twelve words as a question in full
words, and each heading as a topic. The twelve words are judged without their own passage (a
question in full words is rarely a copy of its answer): their cosine is the best of the other
passages', and a word only that passage uses counts as one the articles do not use. Keywords are
judged with their passage (a leader's keywords are words the answer holds). Each question's three
features are computed as a search computes them (index/reading.py, the model's cosine to the best
sentence), and the same logistic model as
`python -m eval.calibrate` is fitted (index/decline/fit.py), its threshold the lowest that
declines at most 2.5 % of the in-scope questions.

The numbers fit this index and model only; they are written into the index folder and read with
it, never shipped for other indexes.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from index.decline.calibration import Calibration, IndexCalibration, shipped
from index.decline.fit import FEATURES, coefficients, features, logistic_model, safe_threshold
from index.decline.probes import PROBES, probe_coverage
from index.dense.embed import Embedder
from index.dense.faiss_index import DenseIndex
from index.errors import CalibrationError
from index.lexical.bm25 import LexicalIndex, lexical_text
from index.reading import clean_question, read_question
from index.text.analyzer import DanishAnalyzer, TermMatch, coverage_of
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
    embedder: Embedder,
    probe_coverage: float,
) -> Calibration:
    """Fit the decline model for `embedder` on the index's own questions (the probes and questions made from it).

    Args:
        passages: the index's passages.
        sentences: its sentence index (the cosine the decision reads).
        lexical: its BM25 index (analyzer, vocabulary, how many passages hold a term).
        embedder: the model whose cosines are calibrated.
        probe_coverage: the index's probe coverage.

    Returns:
        The calibration.

    Raises:
        CalibrationError: the index holds too little text to make enough in-scope questions (Danish).
    """
    analyzer, vocabulary = lexical.analyzer, lexical.vocabulary
    made = made_questions(passages, analyzer)
    if len(made) < MIN_IN_SCOPE:
        raise CalibrationError(
            embedder.name, f"af indeksets passager kunne kun {len(made)} spørgsmål laves (mindst {MIN_IN_SCOPE})"
        )
    asked = [(q, None, True) for q in PROBES] + [(q, left_out, False) for q, left_out in made]
    readings = [read_question(clean_question(q), analyzer, vocabulary) for q, _, _ in asked]
    vectors = embedder.embed_queries([r.respelled for r in readings])
    n = len(passages)
    x = np.empty((len(asked), len(FEATURES)), dtype=np.float64)
    for row, ((_, left_out, _), reading, vector) in enumerate(zip(asked, readings, vectors, strict=True)):
        scores = sentences.passage_scores(vector, n)
        coverage = reading.coverage
        if left_out is not None and n > 1:
            scores[left_out] = -np.inf
            coverage = _coverage_without(reading.matches, passages[left_out], lexical)
        x[row] = features(float(scores.max()), coverage, probe_coverage, reading.content_words)
    y = np.asarray([out for _, _, out in asked], dtype=bool)
    coef, intercept, threshold = _fit(x, y)
    return Calibration(
        model_name=embedder.name,
        dim=embedder.dim,
        coef_dense=float(coef[0]),
        coef_coverage=float(coef[1]),
        coef_log_words=float(coef[2]),
        intercept=intercept,
        abstain_probability=threshold,
        fitted_on=(
            f"the index itself when it was built: {len(PROBES)} probe questions out of scope, {len(made)} questions "
            "made from its passages and headings in scope"
        ),
        questions={"out_of_scope": len(PROBES), "in_scope": len(made)},
    )


def _coverage_without(matches: Sequence[TermMatch], passage: Passage, lexical: LexicalIndex) -> float:
    """The question's coverage had the articles not held `passage`: a word met only in terms that
    passage alone holds counts as unknown."""
    own = {t for t in lexical.analyzer.document_terms(lexical_text(passage)) if lexical.document_frequency(t) == 1}
    kept = [m if not m.terms or not set(m.terms) <= own else TermMatch(m.word, "unknown") for m in matches]
    return coverage_of(kept)


def _fit(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float, float]:
    """Coefficients, intercept and threshold, a feature whose sign says the wrong thing left out.

    A higher cosine or a larger share of known words never makes a question more out of scope; on
    a small index the fit can say so by chance, and such a feature is then not used.
    """
    used = np.ones(x.shape[1], dtype=bool)
    while True:
        model = logistic_model().fit(np.where(used, x, 0.0), y)
        coef, intercept = coefficients(model)
        coef = np.where(used, coef, 0.0)
        wrong = used & (np.arange(len(coef)) < 2) & (coef > 0)
        if not wrong.any():
            break
        used &= ~wrong
    probability = model.predict_proba(np.where(used, x, 0.0))[:, 1]
    threshold = safe_threshold(probability, y, np.zeros(len(y), dtype=bool), np.zeros(len(y), dtype=int))
    return coef, intercept, threshold


def calibrate_index(
    passages: Sequence[Passage], sentences: DenseIndex, lexical: LexicalIndex, embedder: Embedder
) -> IndexCalibration:
    """What an index is judged with: its model's shipped numbers, else numbers fitted on the index itself.

    Args:
        passages: the index's passages.
        sentences: its sentence index.
        lexical: its BM25 index.
        embedder: its model.

    Returns:
        The calibration, with the index's probe coverage.

    Raises:
        CalibrationError: the model has no shipped numbers and the index is too small to fit them.
    """
    probes = probe_coverage(lexical.analyzer, lexical.vocabulary)
    own = shipped(embedder.name, embedder.dim)
    if own is not None:
        return IndexCalibration(calibration=own, source="shipped", probe_coverage=probes)
    fitted = self_calibrate(passages, sentences, lexical, embedder, probes)
    return IndexCalibration(calibration=fitted, source="fitted at build", probe_coverage=probes)
