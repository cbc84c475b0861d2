"""The four checks without a fitted number: what a question asks for that the best passages do not give.

A question about a kind of crisis no article speaks of (index/decline/hazards.py); a question of
what someone said when neither of the best two passages names them; a figure, sum or time asked
for that neither gives beside the question's words (index/decline/answer_type.py); a name the
question gives that the articles use in no form. Each reads the question's one reading.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from index.decline.answer_type import gives_answer, speaker_missing
from index.decline.hazards import first_uncovered
from index.decline.model import ANSWER_DEPTH, Evidence
from index.models import Missing
from index.reading import QueryReading
from index.text.analyzer import DanishAnalyzer


def missing_answer(
    reading: QueryReading,
    best: Sequence[tuple[str, str | None]],
    analyzer: DanishAnalyzer,
    covered_hazards: Collection[str] | None = None,
) -> Missing | None:
    """What the question asks for that the articles do not give, by the four checks.

    Args:
        reading: the question's reading.
        best: (text, speaker) of the best-ranked passages; the first `ANSWER_DEPTH` are read.
        analyzer: the index's analyzer.
        covered_hazards: the kinds of crisis the articles speak of (`index.decline.hazards.covered_hazards`);
            None skips that check.

    Returns:
        "crisis", "speaker", "money", "number", "time" or "name", or None.
    """
    if covered_hazards is not None and first_uncovered(reading.hazards, covered_hazards) is not None:
        return "crisis"
    top = list(best[:ANSWER_DEPTH])
    if speaker_missing(reading.speaker, top, analyzer) is not None:
        return "speaker"
    kind = reading.asks
    if kind is not None and not any(gives_answer(kind, passage, reading.text, analyzer) for passage, _ in top):
        return kind
    if reading.unknown_name is not None:
        return "name"
    return None


def gather_evidence(
    reading: QueryReading,
    dense_top1: float,
    probe_coverage: float,
    best: Sequence[tuple[str, str | None]],
    analyzer: DanishAnalyzer,
    covered_hazards: Collection[str] | None = None,
) -> Evidence:
    """The evidence the decision weighs for one question.

    Args:
        reading: the question's reading.
        dense_top1: best sentence cosine of the question (as the model read it).
        probe_coverage: the index's probe coverage (`index.decline.probes.probe_coverage`).
        best: (text, speaker) of the best-ranked passages.
        analyzer: the index's analyzer.
        covered_hazards: the kinds of crisis the articles speak of; None skips that check.

    Returns:
        The evidence.
    """
    return Evidence(
        dense_top1=dense_top1,
        coverage=reading.coverage,
        probe_coverage=probe_coverage,
        content_words=reading.content_words,
        missing_answer=missing_answer(reading, best, analyzer, covered_hazards),
    )
