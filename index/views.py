"""What text each ranking signal sees of a passage. Only the indexed text differs: a passage is
always shown verbatim.

Measured on the tuning questions (eval/tuning.jsonl, `python -m eval --questions eval/tuning.jsonl
--split tune`): a passage embedded alone, with its article title and heading, and with the
passage before it each miss different questions, and an equal-weight fusion of all of them beat
any one of them (hit@5 0.88 -> 0.95) without adding any work at query time: one question vector
serves every view.
"""

from __future__ import annotations

from collections.abc import Sequence

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


def lede_text(passage: Passage) -> str:
    """The passage with its article's title and its heading: what it is about, in the article's words."""
    return f"{passage.article.title}\n{context_text(passage)}"


def window_texts(passages: Sequence[Passage]) -> list[str]:
    """Each passage preceded by the passage before it under the same heading.

    A quote is often introduced in the passage before it ("Som en chef formulerer det: ..."), and a
    question may name the subject that only the previous passage states.
    """
    previous: dict[tuple[str, int], Passage] = {(p.article.id, p.ordinal): p for p in passages}
    texts = []
    for passage in passages:
        before = previous.get((passage.article.id, passage.ordinal - 1))
        same_place = before is not None and before.section == passage.section
        texts.append(f"{before.text}\n{passage.text}" if same_place and before is not None else passage.text)
    return texts


def passage_view_texts(passages: Sequence[Passage]) -> list[str]:
    """The texts of every passage-level view, stacked view by view (see `PASSAGE_VIEWS`)."""
    return [p.text for p in passages] + [lede_text(p) for p in passages] + window_texts(passages)


def lexical_text(passage: Passage) -> str:
    """What BM25 indexes for the passage: its text, and for a bullet also its list's lead-in."""
    if passage.kind == "bullet" and passage.lead_in:
        return f"{passage.lead_in}\n{passage.text}"
    return passage.text
