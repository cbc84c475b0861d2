"""The evidence the decline weighs, and the checks without a fitted number: what a question asks for that
the best passages do not give.

A question of what someone said when neither of the best two passages names them; a figure, sum or
time asked for that neither gives beside the question's words (index/decline/answer_type.py). Each
reads the question's one reading. Nothing here lists what a library lacks: whether a question's
words are new to the library is read from the library itself (index/text/novelty.py).
"""

from __future__ import annotations

from collections.abc import Sequence

from index.decline.answer_type import gives_answer, speaker_missing
from index.decline.calibration import ProbeStats
from index.decline.model import ANSWER_DEPTH, Evidence
from index.models import Missing
from index.reading import QueryReading
from index.text.analyzer import DanishAnalyzer
from index.text.novelty import novel_specificity, novelty_share


def missing_answer(
    reading: QueryReading, best: Sequence[tuple[str, str | None]], analyzer: DanishAnalyzer
) -> Missing | None:
    """What the question asks for that the best passages do not give.

    Args:
        reading: the question's reading.
        best: (text, speaker) of the best-ranked passages; the first `ANSWER_DEPTH` are read.
        analyzer: the index's analyzer.

    Returns:
        "speaker", "money", "number" or "time", or None.
    """
    top = list(best[:ANSWER_DEPTH])
    if speaker_missing(reading.speaker, top, analyzer) is not None:
        return "speaker"
    kind = reading.asks
    if kind is not None and not any(gives_answer(kind, passage, reading.text, analyzer) for passage, _ in top):
        return kind
    return None


def gather_evidence(
    reading: QueryReading,
    dense_top1: float,
    probes: ProbeStats,
    best: Sequence[tuple[str, str | None]],
    analyzer: DanishAnalyzer,
) -> Evidence:
    """The evidence the decision weighs for one question.

    Args:
        reading: the question's reading.
        dense_top1: best sentence cosine of the question (as the model read it).
        probes: the index's probe statistics.
        best: (text, speaker) of the best-ranked passages.
        analyzer: the index's analyzer.

    Returns:
        The evidence.
    """
    return Evidence(
        dense_top1=dense_top1,
        cosine_vs_probes=probes.relative(dense_top1),
        novel_specificity=novel_specificity(reading.novelty),
        novel_share=novelty_share(reading.novelty),
        content_words=reading.content_words,
        new_words=reading.absent_words,
        coverage=reading.coverage,
        missing_answer=missing_answer(reading, best, analyzer),
    )
