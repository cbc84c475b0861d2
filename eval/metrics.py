"""Retrieval metrics as pure functions over ranked texts and per-question outcomes.

Hits are judged on the ranking alone, whatever the abstention flag says: an in-scope question the
system abstained on still has a ranking, and the abstention is counted separately as a false one.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterable, Sequence

from pydantic import BaseModel, Field

from eval.dataset import Kind, Split

CUTOFFS: tuple[int, ...] = (1, 3, 5)
MRR_DEPTH = 10


class Outcome(BaseModel):
    """What one search did for one question, in one mode."""

    question_id: str
    kind: Kind
    split: Split
    in_scope: bool
    first_hit_rank: int | None = Field(default=None, ge=1, description="Rank of the first result holding gold.")
    abstained: bool
    latency_s: float = Field(ge=0)


class RankScores(BaseModel):
    """Hit rates and MRR over the in-scope questions of one cell (n counts them)."""

    n: int
    hit_at_1: float | None
    hit_at_3: float | None
    hit_at_5: float | None
    mrr_at_10: float | None


class AbstentionScores(BaseModel):
    """How well the abstention flag separates covered from uncovered questions."""

    n_out_of_scope: int
    out_of_scope_abstained: int
    out_of_scope_abstained_share: float | None
    n_in_scope: int
    false_abstentions: int
    false_abstention_share: float | None


def is_hit(text: str, gold: Sequence[str]) -> bool:
    """Whether a result text answers the question.

    Args:
        text: the result's verbatim passage.
        gold: the question's gold snippets.

    Returns:
        True when the text contains any gold snippet verbatim.
    """
    return any(snippet in text for snippet in gold)


def first_hit_rank(texts: Sequence[str], gold: Sequence[str]) -> int | None:
    """The 1-based rank of the first text that holds a gold snippet.

    Args:
        texts: result texts in rank order.
        gold: the question's gold snippets (empty for out-of-scope questions).

    Returns:
        The rank, or None when no text holds gold.
    """
    for rank, text in enumerate(texts, start=1):
        if is_hit(text, gold):
            return rank
    return None


def hit_at(rank: int | None, k: int) -> float:
    """1.0 when the first hit lies within the top k, else 0.0.

    Args:
        rank: rank of the first hit, or None.
        k: the cutoff.

    Returns:
        1.0 or 0.0.
    """
    return 1.0 if rank is not None and rank <= k else 0.0


def reciprocal_rank(rank: int | None, depth: int = MRR_DEPTH) -> float:
    """1/rank when the first hit lies within `depth`, else 0.0.

    Args:
        rank: rank of the first hit, or None.
        depth: deepest rank that still counts.

    Returns:
        The reciprocal rank in [0, 1].
    """
    return 1.0 / rank if rank is not None and rank <= depth else 0.0


def _mean(values: Iterable[float]) -> float | None:
    values = list(values)
    return sum(values) / len(values) if values else None


def rank_scores(outcomes: Iterable[Outcome]) -> RankScores:
    """hit@1/3/5 and MRR@10 over the in-scope outcomes given.

    Args:
        outcomes: outcomes of one cell (out-of-scope ones are ignored).

    Returns:
        The scores; None figures when the cell has no in-scope question.
    """
    ranks = [o.first_hit_rank for o in outcomes if o.in_scope]
    return RankScores(
        n=len(ranks),
        hit_at_1=_mean(hit_at(r, 1) for r in ranks),
        hit_at_3=_mean(hit_at(r, 3) for r in ranks),
        hit_at_5=_mean(hit_at(r, 5) for r in ranks),
        mrr_at_10=_mean(reciprocal_rank(r) for r in ranks),
    )


def abstention_scores(outcomes: Iterable[Outcome]) -> AbstentionScores:
    """Share of out-of-scope questions abstained on, and of in-scope ones wrongly abstained on.

    Args:
        outcomes: outcomes of one mode and split.

    Returns:
        Counts and shares (None when a group is empty).
    """
    outcomes = list(outcomes)
    out = [o for o in outcomes if not o.in_scope]
    inside = [o for o in outcomes if o.in_scope]
    n_out_abstained = sum(o.abstained for o in out)
    n_false = sum(o.abstained for o in inside)
    return AbstentionScores(
        n_out_of_scope=len(out),
        out_of_scope_abstained=n_out_abstained,
        out_of_scope_abstained_share=n_out_abstained / len(out) if out else None,
        n_in_scope=len(inside),
        false_abstentions=n_false,
        false_abstention_share=n_false / len(inside) if inside else None,
    )


def median_latency(outcomes: Iterable[Outcome]) -> float | None:
    """Median query latency in seconds (None when there are no outcomes).

    Args:
        outcomes: outcomes of one mode.

    Returns:
        The median, or None.
    """
    latencies = [o.latency_s for o in outcomes]
    return statistics.median(latencies) if latencies else None


def verbatim_error(
    text: str, file: str, encoding: str, char_start: int, char_end: int, read_text: Callable[[str, str], str]
) -> str | None:
    """Check that a result's text is exactly its slice of the article file.

    Args:
        text: the text the result shows.
        file: the article file (relative to the corpus folder).
        encoding: the codec the result says the file was decoded with.
        char_start: start offset into the decoded file.
        char_end: end offset.
        read_text: (file, encoding) -> decoded file; may raise OSError, LookupError or UnicodeDecodeError.

    Returns:
        None when the slice matches, else a Danish description of the mismatch.
    """
    try:
        decoded = read_text(file, encoding)
    except (OSError, LookupError, UnicodeDecodeError) as exc:
        return f"{file}: kan ikke læses som {encoding} ({exc})"
    if not 0 <= char_start <= char_end <= len(decoded):
        return f"{file}: forskydningerne {char_start}-{char_end} ligger uden for filen ({len(decoded)} tegn)"
    if decoded[char_start:char_end] != text:
        return f"{file}[{char_start}:{char_end}] er ikke den viste tekst ({text[:40]!r} …)"
    return None
