"""The development library (eval/library/): its questions, its split by article, and its corpora.

A stage of the library is a corpus folder made under a work folder: the seed articles, the
library articles chosen, and their metadata. The product reads it as it reads `corpus/`.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from eval.dataset import DatasetError, Kind

LIBRARY_DIR = Path(__file__).with_name("library")
LIBRARY_QUESTIONS = LIBRARY_DIR / "questions.jsonl"
LIBRARY_METADATA = LIBRARY_DIR / "articles.toml"
# First-sight batches: written blind, scored once on arrival (eval/firstsight.py), then tune.
BATCHES = LIBRARY_DIR / "batches.json"
SEED_DIR = Path(__file__).resolve().parent.parent / "corpus"
SEED_ARTICLES: tuple[str, ...] = ("000_971d94d165ba8b46.txt", "004_62e79214372f38a9.txt")
ARTICLE_SUFFIXES = frozenset({".txt", ".md", ".html", ".htm", ".docx", ".pdf"})
LibrarySplit = Literal["tune", "heldout"]


class LibraryQuestion(BaseModel):
    """One question about the library, the articles that answer it, and its split."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^L(?:\d{3}|M\d?|U\d|X\d)-\d{2}$")
    question: str = Field(min_length=1)
    kind: Kind
    gold: list[str] = Field(default_factory=list)
    articles: list[str] = Field(default_factory=list, description="The article files that answer it (near miss: of).")
    near_miss: bool = False
    off_topic: bool = Field(default=False, description="Out of scope: a plainly off-topic municipal question.")
    split: LibrarySplit

    @property
    def in_scope(self) -> bool:
        return self.kind != "out_of_scope"

    @model_validator(mode="after")
    def _gold_matches_kind(self) -> LibraryQuestion:
        if self.in_scope and not (self.gold and self.articles):
            raise ValueError("et dækket spørgsmål skal have gold-tekster og de artikler, der svarer")
        if not self.in_scope and self.gold:
            raise ValueError("et out_of_scope-spørgsmål må ikke have gold-tekster")
        if self.near_miss and (self.in_scope or len(self.articles) != 1):
            raise ValueError("et nært mis er out_of_scope og hører til præcis én artikel")
        if self.off_topic and (self.in_scope or self.near_miss or self.articles):
            raise ValueError("et emnefremmed spørgsmål er out_of_scope, intet nært mis og hører til ingen artikel")
        return self

    def answered_by(self, present: Sequence[str]) -> list[str]:
        """The articles among `present` that answer it (none for an out-of-scope question)."""
        return [a for a in self.articles if a in present] if self.in_scope else []


def load_library_questions(path: Path = LIBRARY_QUESTIONS) -> list[LibraryQuestion]:
    """Read the library's questions (one JSON object a line).

    Raises:
        DatasetError: a line is not valid JSON or a field is wrong, or an id repeats (Danish).
    """
    questions: list[LibraryQuestion] = []
    seen: set[str] = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            question = LibraryQuestion.model_validate(json.loads(line))
        except (json.JSONDecodeError, ValidationError) as exc:
            raise DatasetError(f"{path}, linje {number}: {exc}. Ret linjen.") from exc
        if question.id in seen:
            raise DatasetError(f"{path}, linje {number}: id {question.id} findes allerede.")
        seen.add(question.id)
        questions.append(question)
    return questions


class Batch(BaseModel):
    """One first-sight batch: its articles and questions, added to the library when it arrived."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    batch: int = Field(ge=1)
    arrived: str
    articles: list[str]
    questions: str = Field(description="Its questions file, in eval/library/.")
    brief: str = Field(description="What the writers were asked to write (eval/library/README.md has the briefs).")


def batches(path: Path = BATCHES) -> list[Batch]:
    """The first-sight batches added so far, in order."""
    if not path.exists():
        return []
    return sorted((Batch.model_validate(b) for b in json.loads(path.read_text("utf-8"))), key=lambda b: b.batch)


def load_batch_questions(batch: int, library_dir: Path = LIBRARY_DIR) -> list[LibraryQuestion]:
    """One batch's questions.

    Raises:
        DatasetError: no such batch, or its file is wrong (Danish).
    """
    found = [b for b in batches(library_dir / BATCHES.name) if b.batch == batch]
    if not found:
        raise DatasetError(f"Batch {batch} findes ikke i {library_dir / BATCHES.name}.")
    return load_library_questions(library_dir / found[0].questions)


def all_library_questions(library_dir: Path = LIBRARY_DIR) -> list[LibraryQuestion]:
    """The development library's questions and every first-sight batch's (those are tune once scored)."""
    found = load_library_questions(library_dir / LIBRARY_QUESTIONS.name)
    for batch in batches(library_dir / BATCHES.name):
        found += load_library_questions(library_dir / batch.questions)
    return found


def library_articles(library_dir: Path = LIBRARY_DIR) -> list[str]:
    """The library's article files, in number order (sources/ and the README are not articles)."""
    return sorted(
        p.name for p in library_dir.iterdir()
        if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES and p.name[:3].isdigit()
    )


def _hash_is_tune(name: str) -> bool:
    return hashlib.sha256(name.encode("utf-8")).digest()[0] % 2 == 0


def article_splits(articles: Sequence[str]) -> dict[str, LibrarySplit]:
    """Tune or held-out for each library article: paired in number order, a hash of the first
    name of each pair decides, so both halves get every kind of file. The seeds are tune."""
    # A first-sight batch joins the tune set once scored; the pairing is of the other articles.
    in_batches = {a for b in batches() for a in b.articles}
    ordered = sorted(a for a in articles if a not in in_batches)
    splits: dict[str, LibrarySplit] = dict.fromkeys(SEED_ARTICLES, "tune") | dict.fromkeys(in_batches, "tune")
    for i in range(0, len(ordered), 2):
        pair = ordered[i : i + 2]
        first: LibrarySplit = "tune" if _hash_is_tune(pair[0]) else "heldout"
        splits[pair[0]] = first
        if len(pair) == 2:
            splits[pair[1]] = "heldout" if first == "tune" else "tune"
    return splits


def expected_split(question: LibraryQuestion, splits: dict[str, LibrarySplit], uncovered: Sequence[str]) -> str:
    """The split a question must have: its articles' (tune only when all are), and for a question
    of an uncovered crisis the pairwise hash of the ids (`uncovered`, in id order)."""
    if question.articles:
        return "tune" if all(splits[a] == "tune" for a in question.articles) else "heldout"
    position = list(uncovered).index(question.id)
    first = uncovered[position - position % 2]
    first_split = "tune" if _hash_is_tune(first) else "heldout"
    if position % 2 == 0:
        return first_split
    return "heldout" if first_split == "tune" else "tune"


def _block_file(block: str) -> str | None:
    """The `file` of one [[article]] block of an articles.toml."""
    for line in block.splitlines():
        key, _, value = line.partition("=")
        if key.strip() == "file":
            return value.strip().strip('"')
    return None


def make_corpus(folder: Path, articles: Sequence[str], library_dir: Path = LIBRARY_DIR) -> Path:
    """A corpus folder with the seeds and the chosen library articles, and their metadata.

    Files already there and unchanged are kept (their extracted texts too), so a second run
    re-extracts and re-embeds nothing.

    Args:
        folder: where the corpus goes (created).
        articles: library article files (seeds are always included).
        library_dir: the library.

    Returns:
        The corpus folder.
    """
    folder.mkdir(parents=True, exist_ok=True)
    wanted = {name: SEED_DIR / name for name in SEED_ARTICLES} | {name: library_dir / name for name in articles}
    for path in folder.iterdir():
        keep = path.name in wanted or (path.name.endswith(".txt") and path.name[: -len(".txt")] in wanted)
        if path.is_file() and not keep and path.name != "articles.toml":
            path.unlink()
    for name, source in wanted.items():
        target = folder / name
        if not target.exists() or target.read_bytes() != source.read_bytes():
            shutil.copyfile(source, target)
            if target.suffix.lower() not in {".txt", ".md"}:
                (folder / f"{name}.txt").unlink(missing_ok=True)  # extracted again from the new original
    blocks = [
        block
        for path in (SEED_DIR / "articles.toml", library_dir / "articles.toml")
        for block in path.read_text(encoding="utf-8").split("[[article]]")[1:]
        if _block_file(block) in wanted
    ]
    metadata = "".join(f"[[article]]{block.rstrip()}\n\n" for block in blocks)
    target = folder / "articles.toml"
    if not target.exists() or target.read_text(encoding="utf-8") != metadata:
        target.write_text(metadata, encoding="utf-8")
    return folder
