"""Several voices visible: an answer's quotes grouped by article, the best quote of each article first.

Five quotes from one article read as five answers; grouped, the leader sees at once how many
articles answer, and the rest of one article's quotes is a click away.
"""

from __future__ import annotations

from pydantic import BaseModel

from index.models import Result


class Voice(BaseModel):
    """One article's quotes in an answer: its best first, the rest behind a click."""

    article_id: str
    best: Result
    more: list[Result] = []


def by_article(results: list[Result]) -> list[Voice]:
    """Group results by article, in the order of each article's best result.

    Args:
        results: an answer's results, best first.

    Returns:
        One `Voice` per article; within it the results keep their order.
    """
    grouped: dict[str, Voice] = {}
    for result in results:
        key = result.article.id
        if key in grouped:
            grouped[key].more.append(result)
        else:
            grouped[key] = Voice(article_id=key, best=result)
    return list(grouped.values())
