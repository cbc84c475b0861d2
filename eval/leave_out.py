"""`python -m eval.leave_out`: is "the articles do not speak of this" said when the answering article is missing?

The hand-written out-of-scope questions ask about snow, floods or budgets. A nearer miss is a
question on a topic that only one article covers, asked of a corpus without that article: the
rest of the corpus shares its words, speakers and crisis. For each article in turn the index is
built without it (vectors reused from the full index) and the dev and tuning questions are sorted:
those only the missing article answers should be declined; those the remaining articles answer
should not be, and should still be found in the first five results. Never the held-out split.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel

import index
import ingest
from eval.dataset import Question, tuning_questions
from eval.metrics import is_hit
from ingest.models import Passage

HIT_DEPTH = 5


class LeftOut(BaseModel):
    """How search answered with one article left out of the corpus."""

    article_id: str
    only_there: int
    only_there_abstained: int
    answered_elsewhere: int
    wrongly_abstained: int
    found_elsewhere: int


def answering_articles(question: Question, passages: Sequence[Passage]) -> set[str]:
    """Ids of the articles holding a passage with one of the question's gold snippets."""
    return {p.article.id for p in passages if is_hit(p.text, question.gold)}


def leave_out(
    article_id: str, passages: Sequence[Passage], questions: Sequence[Question], reuse_from: Path | None
) -> LeftOut:
    """Search `questions` in an index of `passages` without the article `article_id`.

    Args:
        article_id: the article left out.
        passages: the whole corpus.
        questions: answerable questions (their gold decides which article answers them).
        reuse_from: a full index folder whose vectors the build reuses (none when missing or None).

    Returns:
        The counts for that article.
    """
    kept = [p for p in passages if p.article.id != article_id]
    searcher = index.build(kept, reuse_from=reuse_from)
    only_there = abstained = elsewhere = wrong = found = 0
    for question in questions:
        answered_by = answering_articles(question, passages)
        if not answered_by:
            continue
        answer = searcher.search(question.question, k=HIT_DEPTH)
        if answered_by == {article_id}:
            only_there += 1
            abstained += answer.abstained
        else:
            elsewhere += 1
            wrong += answer.abstained
            found += any(is_hit(r.text, question.gold) for r in answer.results)
    return LeftOut(
        article_id=article_id,
        only_there=only_there,
        only_there_abstained=abstained,
        answered_elsewhere=elsewhere,
        wrongly_abstained=wrong,
        found_elsewhere=found,
    )


def _share(part: int, whole: int) -> str:
    return f"{part}/{whole} ({part / whole:.0%})" if whole else "0/0"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.leave_out", description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("corpus"))
    parser.add_argument("--index-dir", type=Path, default=Path(".index"), help="full index whose vectors are reused")
    parser.add_argument("--json", action="store_true", help="one JSON object per article left out")
    args = parser.parse_args(argv)

    passages = ingest.read_corpus(args.corpus)
    articles = list(dict.fromkeys(p.article.id for p in passages))
    if len(articles) < 2:
        print(f"Der skal være mindst to artikler i {args.corpus} for at lade én ude.", file=sys.stderr)
        return 2
    questions = [q for q in tuning_questions() if q.in_scope]
    results = [leave_out(a, passages, questions, args.index_dir) for a in articles]
    if args.json:
        for result in results:
            print(result.model_dump_json())
        return 0
    print("Én artikel ude ad gangen (dev + tuning, aldrig heldout):")
    for r in results:
        print(
            f"  uden {r.article_id}: kun besvaret af den {_share(r.only_there_abstained, r.only_there)} afvist; "
            f"besvaret af de andre: fejlagtigt afvist {_share(r.wrongly_abstained, r.answered_elsewhere)}, "
            f"gold i top {HIT_DEPTH} {_share(r.found_elsewhere, r.answered_elsewhere)}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
