"""The tune questions in the groups cross-validation leaves out one at a time.

Groups, each written apart: every first-sight batch, B1, B2, … (every question: a batch is tune
once scored; `eval/library/batches.json` lists them), the development library's tune articles'
questions (LIB), and the seeds' answerable dev and tuning questions (SEED; their out-of-scope
questions were written for two articles, and the library answers some). Held-out questions (the
library's held-out articles, the seeds' held-out split) are never read here.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, Field

from eval.dataset import tuning_questions
from eval.library_set import (
    LIBRARY_DIR,
    LIBRARY_QUESTIONS,
    SEED_ARTICLES,
    article_splits,
    batches,
    library_articles,
    load_library_questions,
)


def groups() -> tuple[str, ...]:
    """Every batch that has arrived is a group of its own (a fit over a fixed list would leave a new
    batch's questions out of the fit and the cross-validation without a word), then LIB and SEED."""
    return (*(f"B{b.batch}" for b in batches()), "LIB", "SEED")


class TuneQuestion(BaseModel):
    """One tune question, its group and the articles that answer it."""

    id: str
    question: str
    kind: str
    gold: list[str] = Field(default_factory=list)
    articles: list[str] = Field(default_factory=list, description="The answering articles (near miss: of).")
    group: str
    near_miss: bool = False
    off_topic: bool = False

    @property
    def in_scope(self) -> bool:
        return self.kind != "out_of_scope"

    def answered_by(self, present: Sequence[str]) -> list[str]:
        """The articles among `present` that answer it (none when out of scope)."""
        return [a for a in self.articles if a in present] if self.in_scope else []

    @property
    def out_kind(self) -> str:
        """For an out-of-scope question: "near" (a near miss), "off" (plainly off-topic) or "crisis"."""
        return "near" if self.near_miss else ("off" if self.off_topic else "crisis")


def tune_questions() -> list[TuneQuestion]:
    """Every tune question, by group (B1, B2, …, LIB, SEED)."""
    found: list[TuneQuestion] = []
    for batch in batches():
        for q in load_library_questions(LIBRARY_DIR / batch.questions):
            found.append(TuneQuestion(**q.model_dump(exclude={"split"}), group=f"B{batch.batch}"))
    for q in load_library_questions(LIBRARY_QUESTIONS):
        if q.split == "tune":
            found.append(TuneQuestion(**q.model_dump(exclude={"split"}), group="LIB"))
    seen: set[str] = set()
    for q in tuning_questions():
        if q.in_scope and q.id not in seen:
            seen.add(q.id)
            found.append(TuneQuestion(id=q.id, question=q.question, kind=q.kind, gold=q.gold,
                                      articles=list(SEED_ARTICLES), group="SEED"))
    return found


def left_out_articles() -> dict[str, str]:
    """The tune articles a leave-one-article-out run takes out in turn, with their group (B1, B2, …, LIB).

    The seeds stay: their questions' out-of-scope ones are not tune questions here.
    """
    articles = library_articles()
    splits = article_splits(articles)
    in_batch = {a: f"B{b.batch}" for b in batches() for a in b.articles}
    return {a: in_batch.get(a, "LIB") for a in articles if splits[a] == "tune"}
