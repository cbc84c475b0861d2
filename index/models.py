"""What a search returns. `Answer.model_dump()` is the JSON of `python -m index --json`."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from ingest.models import ArticleSource, Passage, PassageKind


class Result(BaseModel):
    rank: int = Field(ge=1)
    score: float = Field(description="Fused relevance; higher is better. Comparable within one answer only.")
    text: str = Field(description="The passage, verbatim: corpus/<article.file>[char_start:char_end].")
    article: ArticleSource
    section: str | None
    speaker: str | None
    char_start: int
    char_end: int
    passage_id: str
    kind: PassageKind = "body"
    strength: Literal["strong", "possible", "weak"] = Field(
        default="possible", description="Calibrated match strength; the app shows it in plain Danish."
    )
    page: int | None = Field(default=None, description="Page of the passage in a PDF original, else None.")

    @classmethod
    def from_passage(
        cls, passage: Passage, rank: int, score: float, strength: Literal["strong", "possible", "weak"] = "possible"
    ) -> Result:
        return cls(
            rank=rank,
            score=round(float(score), 4),
            text=passage.text,
            article=passage.article,
            section=passage.section,
            speaker=passage.speaker,
            char_start=passage.char_start,
            char_end=passage.char_end,
            passage_id=passage.id,
            kind=passage.kind,
            strength=strength,
            page=passage.page,
        )


class Answer(BaseModel):
    question: str
    abstained: bool = Field(description="True when no passage answers the question well enough.")
    results: list[Result]
    missing: Literal["money", "number", "time", "speaker", "name", "crisis"] | None = Field(
        default=None,
        description="Why an abstained answer's passages, though on topic, do not answer: the question asks "
        "for a sum, a figure, a time, the words of someone the best passages never name, about a name "
        "the articles never use, or about a kind of crisis no article speaks of.",
    )
