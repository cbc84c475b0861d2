"""What each dense signal sees of a passage (BM25: `index.lexical.bm25.lexical_text`). Only the indexed
text differs: a passage is always shown verbatim.

Measured on the tuning questions (eval/tuning.jsonl): a passage alone, with its article title and
heading, and with the passage before it each miss different questions, and an equal-weight fusion
of all of them beat any one of them (hit@5 0.88 -> 0.95) without adding any work at query time:
one question vector serves every view.

The three passage views are derived from vectors the build makes anyway: the passage is the mean
of its sentences' vectors, the lede view adds the article title's and the heading's vectors, the
window view the previous passage's. Embedding those texts as well cost 4.5 texts per passage.
Derived, on the tune questions (`eval/README.md`, "Views derived"): product hit@5 0.959 -> 0.953
on the 169 seed ones, 0.822 -> 0.822 on the 101 of the library's tune articles; a build embeds
each sentence, title and heading once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from index.dense.faiss_index import DenseIndex
from ingest.models import Passage

# The passage-level dense views, in the order their rows are stacked in the context index.
PASSAGE_VIEWS: tuple[str, ...] = ("passage", "lede", "window")


def sentence_texts(passage: Passage) -> list[str]:
    """The passage's sentences as verbatim slices (the whole passage when it has no spans).

    Args:
        passage: the passage.

    Returns:
        Non-empty texts, in order.
    """
    texts = [passage.text[s - passage.char_start : e - passage.char_start].strip() for s, e in passage.sentence_spans]
    texts = [t for t in texts if t]
    return texts or [passage.text]


def heading_of(passage: Passage) -> str | None:
    """The line a reader sees above the passage: a bullet's list lead-in, else its section heading."""
    head = passage.lead_in if passage.kind == "bullet" and passage.lead_in else passage.section
    return head.strip() if head and head.strip() else None


def context_text(passage: Passage) -> str:
    """The passage under its heading (a bullet: under its list's lead-in)."""
    head = heading_of(passage)
    return f"{head}\n{passage.text}" if head else passage.text


# A title and a heading say what a passage is about, but they are not the passage: each counts half.
_LEDE_WEIGHT = 0.5


def _unit(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return (vectors / np.maximum(norms, 1e-12)).astype(np.float32)


def context_texts(passages: Sequence[Passage]) -> list[str]:
    """The texts besides the sentences that the passage views need a vector of: titles and headings."""
    texts = [p.article.title for p in passages]
    texts += [h for h in (heading_of(p) for p in passages) if h]
    return list(dict.fromkeys(texts))


def passage_view_vectors(
    passages: Sequence[Passage],
    sentence_vectors: np.ndarray,
    owners: np.ndarray,
    vector_of: Callable[[str], np.ndarray],
) -> np.ndarray:
    """The passage views' vectors, stacked view by view (see `PASSAGE_VIEWS`), from sentence vectors.

    Args:
        passages: the passages, in index order.
        sentence_vectors: one unit vector per sentence (`sentence_texts` of each passage, in order).
        owners: the passage position of each sentence.
        vector_of: the unit vector of a title or heading (`context_texts`).

    Returns:
        float32 (3 * len(passages), dim): passage, lede and window views.
    """
    n = len(passages)
    sums = np.zeros((n, sentence_vectors.shape[1]), dtype=np.float64)
    np.add.at(sums, owners, sentence_vectors)
    passage = _unit(sums)
    lede = passage.astype(np.float64).copy()
    for i, p in enumerate(passages):
        lede[i] += _LEDE_WEIGHT * vector_of(p.article.title)
        head = heading_of(p)
        if head:
            lede[i] += _LEDE_WEIGHT * vector_of(head)
    position = {(p.article.id, p.ordinal): i for i, p in enumerate(passages)}
    window = passage.astype(np.float64).copy()
    for i, p in enumerate(passages):
        before = position.get((p.article.id, p.ordinal - 1))
        if before is not None and passages[before].section == p.section:
            window[i] += passage[before]
    return np.vstack([passage, _unit(lede), _unit(window)])


def view_rows_of(views: DenseIndex, positions: np.ndarray, n_passages: int) -> np.ndarray:
    """Every view's row of the given passages in a views index (row = view * n + passage), view by view."""
    positions = np.asarray(positions, dtype=np.int64)
    return (np.arange(_view_count(views, n_passages), dtype=np.int64)[:, None] * n_passages + positions).ravel()


def view_scores_of(views: DenseIndex, query: np.ndarray, positions: np.ndarray, n_passages: int) -> np.ndarray:
    """Every view's exact score of the given passages in a views index (row = view * n + passage).

    Args:
        views: the views index.
        query: float32 (dim,), unit length.
        positions: passage positions.
        n_passages: passages in the index.

    Returns:
        float32 (views, len(positions)).
    """
    scores = views.row_scores(query, view_rows_of(views, positions, n_passages))
    return scores.reshape(_view_count(views, n_passages), len(positions))


def _view_count(views: DenseIndex, n_passages: int) -> int:
    return views.ntotal // max(1, n_passages)
