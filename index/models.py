"""What a search takes and returns. `Answer.model_dump()` is the JSON of `python -m index --json`."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field, SerializerFunctionWrapHandler, model_serializer, model_validator

from ingest.models import ArticleSource, Passage, PassageKind

# How strongly a result matches; the app phrases it in Danish.
Strength = Literal["strong", "possible", "weak"]
# What each label means, in the leader's words (the label itself is beside it): the app shows this
# (ui/labels.py, STRENGTH_EXPLANATION). The promise of "strong" is what the label model is fitted to
# keep on every group of tune questions (index/decline/labels.py; measured by leaving one group out:
# eval/README.md, "Labels").
STRENGTH_MEANING: dict[Strength, str] = {
    "strong": (
        "Søgningen er sikker på, at det første citat svarer på spørgsmålet. Kun det første citat kan få mærket, "
        "og kun når det ligger klart foran de andre. Afprøvet på spørgsmål om artikler, som mærket ikke var "
        "tilpasset til, svarede mindst ni ud af ti sådanne citater på spørgsmålet."
    ),
    "possible": (
        "Citatet handler om det, du spørger om, og kan rumme svaret, men søgningen er ikke sikker. "
        "Læs det, og se sammenhængen, før du bruger det."
    ),
    "weak": (
        "Artiklerne svarer ikke på spørgsmålet. Citatet er det nærmeste, der findes, og vises kun, "
        "så du kan se, hvad artiklerne taler om."
    ),
}
# What a declined question asks for that the articles do not give. "name" and "crisis" came from checks
# of format 6 and before (a name, a kind of crisis the articles never use); kept so their JSON still reads.
Missing = Literal["money", "number", "time", "speaker", "name", "crisis"]
SearchMode = Literal["hybrid", "dense", "lexical"]


class SearchFilters(BaseModel):
    """Restrict a search; a None field means no restriction on it (an empty list allows nothing)."""

    article_ids: list[str] | None = Field(default=None, description="Only these articles (ids).")
    speakers: list[str] | None = Field(default=None, description="Only passages quoting these roles.")
    sections: list[str] | None = Field(default=None, description="Only passages under these headings.")

    @classmethod
    def chosen(cls, article_ids: list[str], speakers: list[str], sections: list[str]) -> SearchFilters | None:
        """The filters of a sidebar, where choosing nothing in a list means all of it.

        Args:
            article_ids: the articles picked (none: every article).
            speakers: the roles picked (none: every passage).
            sections: the headings picked (none: every passage).

        Returns:
            The filters, or None when nothing narrows the search.
        """
        if not (article_ids or speakers or sections):
            return None
        return cls(article_ids=article_ids or None, speakers=speakers or None, sections=sections or None)


class Result(BaseModel):
    """One passage found for a question: the passage itself, where it ranked, and the passages around it.

    Its JSON is flat, as `python -m index --json` has always printed it: the passage's fields beside
    rank, score and strength (docs/INTERFACES.md).
    """

    passage: Passage
    rank: int = Field(ge=1)
    score: float = Field(description="Fused relevance; higher is better. Comparable within one answer only.")
    strength: Strength = Field(
        default="possible", description="Calibrated match strength; the app shows it in plain Danish."
    )
    context_before: list[Passage] = Field(
        default_factory=list, description="The passage just before it in its article (none at the start)."
    )
    context_after: list[Passage] = Field(
        default_factory=list, description="The passage just after it in its article (none at the end)."
    )

    @classmethod
    def from_passage(
        cls,
        passage: Passage,
        rank: int,
        score: float,
        strength: Strength = "possible",
        before: list[Passage] | None = None,
        after: list[Passage] | None = None,
    ) -> Result:
        return cls(
            passage=passage,
            rank=rank,
            score=round(float(score), 4),
            strength=strength,
            context_before=before or [],
            context_after=after or [],
        )

    @property
    def text(self) -> str:
        """The passage, verbatim: corpus/<article.file>[char_start:char_end]."""
        return self.passage.text

    @property
    def article(self) -> ArticleSource:
        return self.passage.article

    @property
    def section(self) -> str | None:
        return self.passage.section

    @property
    def speaker(self) -> str | None:
        return self.passage.speaker

    @property
    def char_start(self) -> int:
        return self.passage.char_start

    @property
    def char_end(self) -> int:
        return self.passage.char_end

    @property
    def passage_id(self) -> str:
        return self.passage.id

    @property
    def kind(self) -> PassageKind:
        return self.passage.kind

    @property
    def page(self) -> int | None:
        """Page of the passage in a PDF original, else None."""
        return self.passage.page

    @model_serializer(mode="wrap")
    def _flat(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        nested = handler(self)
        passage = nested["passage"]
        return {
            "rank": nested["rank"],
            "score": nested["score"],
            "text": passage["text"],
            "article": passage["article"],
            "section": passage["section"],
            "speaker": passage["speaker"],
            "char_start": passage["char_start"],
            "char_end": passage["char_end"],
            "passage_id": passage["id"],
            "kind": passage["kind"],
            "strength": nested["strength"],
            "page": passage["page"],
            "ordinal": passage["ordinal"],
            "context_before": nested["context_before"],
            "context_after": nested["context_after"],
        }

    @model_validator(mode="before")
    @classmethod
    def _from_flat(cls, data: Any) -> Any:
        """Read the flat JSON back (the passage's sentence spans and list lead-in are not in it)."""
        if not isinstance(data, dict) or "passage" in data or "passage_id" not in data:
            return data
        passage = {
            "id": data["passage_id"],
            "article": data["article"],
            "ordinal": data.get("ordinal", 0),
            "section": data.get("section"),
            "speaker": data.get("speaker"),
            "kind": data.get("kind", "body"),
            "char_start": data["char_start"],
            "char_end": data["char_end"],
            "text": data["text"],
            "page": data.get("page"),
        }
        kept = ("rank", "score", "strength", "context_before", "context_after")
        return {"passage": passage, **{key: data[key] for key in kept if key in data}}


class Answer(BaseModel):
    """The passages found for one question, whether they answer it, and what the screen needs to show them."""

    question: str
    abstained: bool = Field(description="True when no passage answers the question well enough.")
    results: list[Result]
    missing: Missing | None = Field(
        default=None,
        description="Why an abstained answer's passages, though on topic, do not answer: the question asks "
        "for a sum, a figure, a time or the words of someone the best passages never name.",
    )
    matched_terms: list[str] = Field(
        default_factory=list,
        description="The article words (vocabulary stems) the question's words were read as: folded, mistyped, "
        "derived and compound words included, for marking them in a passage.",
    )
    absent_words: list[str] = Field(
        default_factory=list,
        description="The question's content words, as typed, that the articles use in no form.",
    )
