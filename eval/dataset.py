"""The evaluation questions: their record, how they are read, split and checked against the corpus.

The split is decided by a hash of the id alone (plus the id of the question paired with it), so it
never depends on how the system scores: the held-out half cannot leak into tuning, and appending
new questions never moves an existing one to the other split.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

Kind = Literal["paraphrase", "keywords", "typo", "ascii", "speaker", "figure", "out_of_scope"]
Split = Literal["dev", "heldout", "tune"]

KINDS: tuple[str, ...] = get_args(Kind)
# The seed question set was written with these; "figure" came with the development library.
SEED_KINDS: tuple[str, ...] = tuple(k for k in KINDS if k != "figure")
SPLITS: tuple[str, ...] = get_args(Split)
DEFAULT_QUESTIONS = Path(__file__).with_name("questions.jsonl")
# Written after the system existed, by someone who never ran it: for tuning only, never reported as held-out.
TUNING_QUESTIONS = Path(__file__).with_name("tuning.jsonl")

# Encodings a scraped article may come in; the first that decodes wins (utf-8-sig also reads plain utf-8).
_ENCODINGS: tuple[str, ...] = ("utf-8-sig", "cp1252")

# Site furniture of the scraped news site: lines that are never an answer, so gold must not point into them.
_BOILERPLATE_LINE = re.compile(
    r"^(skip to main content|sponsoreret af\b.*|del artiklen:?|læs også:?|vil du læse resten af artiklen\??"
    r"|prøv ops-indsigt\b.*|få adgang med det samme\b.*|log ind|leave a reply|.*\[email\W*protected\].*)$",
    re.IGNORECASE,
)
_TEASER_INTRO = re.compile(r"^læs også:?$", re.IGNORECASE)


class DatasetError(ValueError):
    """The question file cannot be used; the message (Danish) names the file, line and field."""


class Question(BaseModel):
    """One evaluation question and the verbatim snippets a correct answer passage contains."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[qt]\d{3,}$")
    question: str = Field(min_length=1)
    kind: Kind
    gold: list[str] = Field(default_factory=list)
    split: Split

    @property
    def in_scope(self) -> bool:
        return self.kind != "out_of_scope"

    @model_validator(mode="after")
    def _gold_matches_kind(self) -> Question:
        if self.in_scope and not self.gold:
            raise ValueError("et spørgsmål der er dækket af korpusset skal have mindst én gold-tekst")
        if not self.in_scope and self.gold:
            raise ValueError("et out_of_scope-spørgsmål må ikke have gold-tekster (gold skal være [])")
        if any(not g.strip() for g in self.gold):
            raise ValueError("gold indeholder en tom tekst; fjern den")
        return self


def load_questions(path: str | Path = DEFAULT_QUESTIONS) -> list[Question]:
    """Read the question file (one JSON object per line).

    Args:
        path: the JSONL file; blank lines are ignored.

    Returns:
        The questions in file order.

    Raises:
        DatasetError: the file is missing, a line is not valid JSON or a field is wrong, or an id repeats.
    """
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise DatasetError(f"Kan ikke læse spørgsmålsfilen {path}: {exc}. Tjek stien.") from exc
    questions: list[Question] = []
    seen: set[str] = set()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            question = Question.model_validate(json.loads(line))
        except json.JSONDecodeError as exc:
            raise DatasetError(f"{path}, linje {number}: ikke gyldig JSON ({exc.msg}). Ret linjen.") from exc
        except ValidationError as exc:
            fields = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'objekt'}: {e['msg']}" for e in exc.errors())
            raise DatasetError(f"{path}, linje {number}: forkert felt ({fields}). Ret linjen.") from exc
        if question.id in seen:
            raise DatasetError(f"{path}, linje {number}: id {question.id} findes allerede. Giv spørgsmålet et nyt id.")
        seen.add(question.id)
        questions.append(question)
    return questions


def _hash_is_dev(question_id: str) -> bool:
    return hashlib.sha256(question_id.encode("utf-8")).digest()[0] % 2 == 0


def assign_splits(items: Iterable[tuple[str, str]]) -> dict[str, Split]:
    """Decide dev/held-out for each question, stratified by kind and stable when questions are appended.

    Within a kind, questions are taken in id order and paired (1st+2nd, 3rd+4th, ...). The hash of a
    pair's first id decides its split; the second gets the other one. So every kind is split 50/50
    (±1), and a question's split depends only on ids that came before it.

    Args:
        items: (id, kind) for every question.

    Returns:
        id -> "dev" or "heldout".
    """
    by_kind: dict[str, list[str]] = {}
    for question_id, kind in items:
        by_kind.setdefault(kind, []).append(question_id)
    splits: dict[str, Split] = {}
    for ids in by_kind.values():
        ordered = sorted(ids, key=lambda i: (len(i), i))
        for position, question_id in enumerate(ordered):
            if position % 2 == 0:
                splits[question_id] = "dev" if _hash_is_dev(question_id) else "heldout"
            else:
                splits[question_id] = "heldout" if splits[ordered[position - 1]] == "dev" else "dev"
    return splits


def decode_article(path: Path) -> tuple[str, str]:
    """Decode one corpus file the way a scraped article may be encoded.

    Args:
        path: the article file.

    Returns:
        (text, encoding used).

    Raises:
        DatasetError: no known encoding decodes it.
    """
    data = path.read_bytes()
    for encoding in _ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise DatasetError(f"{path}: kan ikke afkodes som {' eller '.join(_ENCODINGS)}. Gem filen som UTF-8.")


def read_corpus_texts(corpus_dir: str | Path) -> dict[str, str]:
    """Decode every .txt article of the corpus folder.

    Args:
        corpus_dir: the corpus folder.

    Returns:
        file name -> decoded text.
    """
    return {p.name: decode_article(p)[0] for p in sorted(Path(corpus_dir).glob("*.txt"))}


def content_lines(text: str) -> list[tuple[int, int]]:
    """The (start, end) spans of the lines that are article text, not site boilerplate.

    Args:
        text: a decoded article.

    Returns:
        Spans of every non-boilerplate line; a "Læs også:" teaser's title line counts as boilerplate.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    after_teaser = False
    for line in text.split("\n"):
        end = start + len(line)
        stripped = line.strip().replace("\xa0", " ").strip()
        is_boilerplate = bool(_BOILERPLATE_LINE.match(stripped)) or (after_teaser and bool(stripped))
        if stripped:
            after_teaser = bool(_TEASER_INTRO.match(stripped))
        if stripped and not is_boilerplate:
            spans.append((start, end))
        start = end + 1
    return spans


def gold_locations(gold: str, texts: dict[str, str]) -> list[tuple[str, int]]:
    """Where a gold snippet occurs in article text (outside boilerplate lines).

    Args:
        gold: the verbatim snippet.
        texts: file name -> decoded article.

    Returns:
        (file, offset) of every occurrence that lies within one content line.
    """
    found: list[tuple[str, int]] = []
    for name, text in texts.items():
        lines = content_lines(text)
        offset = text.find(gold)
        while offset != -1:
            if any(start <= offset and offset + len(gold) <= end for start, end in lines):
                found.append((name, offset))
            offset = text.find(gold, offset + 1)
    return found


def word_count(snippet: str) -> int:
    """Number of whitespace-separated words (the unit of the 5-15 word rule for gold)."""
    return len(snippet.split())


def count_by_kind_and_split(questions: Sequence[Question]) -> dict[str, dict[str, int]]:
    """How many questions each kind has in each split.

    Args:
        questions: the evaluation set.

    Returns:
        kind -> {"dev": n, "heldout": n}.
    """
    table: dict[str, dict[str, int]] = {kind: dict.fromkeys(SPLITS, 0) for kind in KINDS}
    for question in questions:
        table[question.kind][question.split] += 1
    return table


def tuning_questions() -> list[Question]:
    """The seeds' questions one may tune on: the dev split of eval/questions.jsonl and eval/tuning.jsonl."""
    return [q for q in load_questions(DEFAULT_QUESTIONS) if q.split == "dev"] + load_questions(TUNING_QUESTIONS)
