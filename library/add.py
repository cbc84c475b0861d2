"""Adding articles: the records an add reports with, and its steps (check, claim a name, stage).

Every file is checked before anything is written (`library.intake`); a file that fails is named
with its reason and the others go on. `Library.add` (library/facade.py) stages the good ones in
one transaction and updates the index once for all of them. A name that is taken is refused
unless `replace` is asked for; the replaced version is kept under corpus/.removed/ so `restore`
can bring it back.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from ingest.formats import ExtractedText, extracted_name, is_original
from ingest.metadata import with_entry
from ingest.models import CorpusReading
from library.intake import (
    ALLOWED_SUFFIXES,
    AddError,
    NewArticle,
    check_upload,
    checked_content,
    duplicate_of,
    metadata_entry,
    sanitize_name,
)
from library.transaction import CorpusTransaction

ProgressCallback = Callable[[str, float], None]


class Upload(BaseModel):
    """One file a user brings, with what they tell about it."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    name: str
    data: bytes
    meta: NewArticle = Field(default_factory=NewArticle)


class FileOutcome(BaseModel):
    """What happened to one file of an add."""

    name: str = Field(description="The file's name as the user had it.")
    added: bool
    reason: str | None = Field(default=None, description="Danish: why it was not added, and what to do.")
    field: str | None = None
    stored: str | None = Field(default=None, description="Its name in the corpus.")
    text_file: str | None = Field(default=None, description="The text file the passages' offsets refer to.")
    replaced: bool = False
    article_id: str | None = None
    title: str | None = None
    n_passages: int = 0
    pages: int | None = None


class AddReport(BaseModel):
    """What an add did to every file, and how the index was updated (once for all of them)."""

    files: list[FileOutcome]
    embedded: int = Field(default=0, description="Texts embedded now (the new articles').")
    reused: int = Field(default=0, description="Texts whose vectors were taken from the previous index.")
    index_dir: str

    @property
    def added(self) -> list[FileOutcome]:
        return [f for f in self.files if f.added]

    @property
    def refused(self) -> list[FileOutcome]:
        return [f for f in self.files if not f.added]


class AddResult(BaseModel):
    """What one added article became and how the index was updated (the single-file add)."""

    original: str | None = Field(description="The original's name in the corpus (None for a .txt/.md article).")
    text_file: str = Field(description="The text file the passages' offsets refer to.")
    article_id: str
    title: str
    n_passages: int
    pages: int | None = None
    embedded: int = Field(description="Texts embedded now (the new article's).")
    reused: int = Field(description="Texts whose vectors were taken from the previous index.")
    index_dir: str
    replaced: bool = False

    @classmethod
    def of(cls, report: AddReport) -> AddResult:
        """The single file's result of a one-file add.

        Raises:
            AddError: The file was refused (its Danish reason).
        """
        outcome = report.files[0]
        if not outcome.added:
            raise AddError(outcome.reason or f"Filen {outcome.name} blev ikke tilføjet.", field=outcome.field)
        assert outcome.text_file is not None and outcome.article_id is not None and outcome.title is not None
        return cls(
            original=outcome.stored if outcome.stored != outcome.text_file else None,
            text_file=outcome.text_file,
            article_id=outcome.article_id,
            title=outcome.title,
            n_passages=outcome.n_passages,
            pages=outcome.pages,
            embedded=report.embedded,
            reused=report.reused,
            index_dir=report.index_dir,
            replaced=outcome.replaced,
        )


class Checked(BaseModel):
    """A file that passed the checks, ready to be staged."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    upload: Upload
    text: str
    extracted: ExtractedText | None
    stored: str

    @property
    def text_file(self) -> str:
        return extracted_name(self.stored) if self.extracted is not None else self.stored


def refused(upload: Upload, error: AddError) -> FileOutcome:
    return FileOutcome(name=upload.name, added=False, reason=error.reason, field=error.field)


def check_uploads(
    uploads: Sequence[Upload], report: ProgressCallback, stored_as: Callable[[Upload], str] | None = None
) -> tuple[dict[int, Checked], dict[int, FileOutcome]]:
    """Check every upload's type, size and text; nothing is written.

    Args:
        uploads: The files.
        report: Progress (Danish stage, fraction 0..0.2).
        stored_as: The name each file gets in the corpus; None: its sanitised name.

    Returns:
        (the files that passed, by position; the refusals, by position)
    """
    outcomes: dict[int, FileOutcome] = {}
    checked: dict[int, Checked] = {}
    for n, upload in enumerate(uploads):
        report(f"Tjekker {upload.name} ({n + 1}/{len(uploads)})", 0.2 * n / max(1, len(uploads)))
        try:
            suffix = check_upload(upload.name, len(upload.data))
            text, extracted = checked_content(upload.name, suffix, upload.data)
        except AddError as error:
            outcomes[n] = refused(upload, error)
            continue
        stored = stored_as(upload) if stored_as is not None else sanitize_name(upload.name)
        checked[n] = Checked(upload=upload, text=text, extracted=extracted, stored=stored)
    return checked, outcomes


def claim_names(
    corpus_dir: Path, checked: dict[int, Checked], outcomes: dict[int, FileOutcome], replace: bool
) -> dict[int, Checked]:
    """The checked files that may be stored: not the same article again, and a free name (or replace)."""
    staged: dict[int, Checked] = {}
    seen: dict[str, str] = {}
    names: set[str] = set()
    for n, item in checked.items():
        upload = item.upload
        digests = {hashlib.sha256(upload.data).hexdigest(), hashlib.sha256(item.text.encode("utf-8")).hexdigest()}
        twin = next((seen[d] for d in digests if d in seen), None)
        duplicate = twin or duplicate_of(corpus_dir, upload.data, item.text)
        taken = (corpus_dir / item.stored).exists() or (corpus_dir / extracted_name(item.stored)).exists()
        if duplicate is not None:
            error = AddError(f"Artiklen i {upload.name} findes allerede som {duplicate}. Den er ikke tilføjet igen.",
                             field="file")
        elif item.stored in names:
            error = AddError(f"To af filerne hedder {item.stored}. Giv den ene et andet navn, og tilføj den igen.",
                             field="file")
        elif taken and not replace:
            error = AddError(
                f"Der er allerede en artikel, der hedder {item.stored}. Vælg »erstat« (--replace) for at erstatte den; "
                "den gamle udgave gemmes, så den kan gendannes. Eller giv filen et andet navn.",
                field="file",
            )
        else:
            staged[n] = item
            seen.update(dict.fromkeys(digests, upload.name))
            names.add(item.stored)
            continue
        outcomes[n] = refused(upload, error)
    return staged


def stage(transaction: CorpusTransaction, staged: dict[int, Checked], who: str) -> set[str]:
    """Stash the versions being replaced, put the new files and their metadata entries in place.

    Returns:
        The stored names that replaced an article.
    """
    corpus_dir = transaction.corpus_dir
    replaced = set()
    for item in staged.values():
        if (corpus_dir / item.stored).exists() or (corpus_dir / extracted_name(item.stored)).exists():
            old = item.stored if (corpus_dir / item.stored).exists() else extracted_name(item.stored)
            transaction.stash(old, who, "replaced")
            replaced.add(item.stored)
    metadata = transaction.metadata_text()
    for item in staged.values():
        transaction.put(item.stored, item.upload.data)
        if item.extracted is not None:
            transaction.put(item.text_file, item.text.encode("utf-8"))
        metadata = with_entry(metadata, metadata_entry(item.stored, item.upload.meta, item.extracted))
    transaction.set_metadata(metadata)
    return replaced


def check_indexable(reading: CorpusReading, staged: dict[int, Checked]) -> None:
    """Every staged article gave passages in the corpus reading.

    Raises:
        AddError: One did not (its reason); the transaction is then undone.
    """
    rows = {r.file: r for r in reading.report}
    for item in staged.values():
        row = rows.get(item.text_file)
        if row is None or row.status != "indexed":
            why = row.reason if row is not None and row.reason else "den gav ingen passager"
            raise AddError(f"Artiklen {item.stored} kunne ikke indekseres: {why}", field="file")


def added_outcomes(
    reading: CorpusReading, staged: dict[int, Checked], replaced: set[str], outcomes: dict[int, FileOutcome]
) -> None:
    """Fill in the outcome of every staged file from the corpus reading the index was built from."""
    rows = {r.file: r for r in reading.report}
    articles = {a.file: a for a in reading.articles}
    for n, item in staged.items():
        article = articles[item.text_file]
        outcomes[n] = FileOutcome(
            name=item.upload.name, added=True, stored=item.stored, text_file=item.text_file,
            replaced=item.stored in replaced, article_id=article.id, title=article.title,
            n_passages=rows[item.text_file].n_passages,
            pages=item.extracted.pages if item.extracted is not None else None,
        )


def read_upload(path: Path, meta: NewArticle | None = None) -> Upload:
    """A file from disk as an upload (its size is checked before it is read).

    Raises:
        AddError: Unsupported type, empty, too large, or the file cannot be opened.
    """
    try:
        check_upload(path.name, path.stat().st_size)
        data = path.read_bytes()
    except OSError as exc:
        raise AddError(
            f"Filen {path} kunne ikke åbnes ({exc.strerror}). Tjek stien, og at filen må læses.", field="file"
        ) from exc
    return Upload(name=path.name, data=data, meta=meta or NewArticle())


def files_to_add(paths: Iterable[Path]) -> tuple[list[Path], list[FileOutcome]]:
    """The article files among paths and folders (folders read through, hidden files and the text
    files extracted beside an original left out), and the paths that cannot be added.

    Returns:
        (files to add, in name order per folder; outcomes for paths that do not exist)
    """
    found: list[Path] = []
    missing: list[FileOutcome] = []
    for path in paths:
        if path.is_dir():
            inside = sorted(p for p in path.rglob("*") if p.is_file() and not _hidden(p, path))
            originals = {p for p in inside if is_original(p.name)}
            found += [
                p for p in inside
                if p.suffix.lower() in ALLOWED_SUFFIXES and p.with_name(p.stem) not in originals
                and not p.name.upper().startswith("README") and p.name != "articles.toml"
            ]
        elif path.is_file():
            found.append(path)
        else:
            missing.append(FileOutcome(name=str(path), added=False, field="file",
                                       reason=f"{path} findes ikke. Tjek stien, og prøv igen."))
    return found, missing


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)
