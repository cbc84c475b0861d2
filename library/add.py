"""Add articles to the corpus and update the index once: the CLI's `add` and the app's upload.

Every file is checked before anything is written (`library.intake`); a file that fails is named
with its reason and the others go on. The good ones are staged (`library.transaction`), the
index is rebuilt once for all of them (only their texts are embedded), and if that fails the
corpus is put back exactly as it was. A name that is taken is refused unless `replace` is
asked for; the replaced version is kept under corpus/.removed/ so `restore` can bring it back.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from index import Embedder, get_embedder
from ingest.corpus import load_corpus
from ingest.formats import ExtractedText, extracted_name, is_original
from ingest.metadata import with_entry
from library.build import rebuild
from library.changelog import Action, command_line_user, file_hash, now_change, record
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
from library.lock import library_lock
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


class _Checked(BaseModel):
    """A file that passed the checks, ready to be staged."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    upload: Upload
    text: str
    extracted: ExtractedText | None
    stored: str

    @property
    def text_file(self) -> str:
        return extracted_name(self.stored) if self.extracted is not None else self.stored


def _cached_keys(index_dir: Path | None, embedder: Embedder) -> set[str]:
    """Content hashes of the texts an index holds vectors for (empty when there is no usable index)."""
    from index import store  # FAISS: only once the files have passed every check

    return set(store.read_cache(index_dir, embedder.name, embedder.dim))


def _refused(upload: Upload, error: AddError) -> FileOutcome:
    return FileOutcome(name=upload.name, added=False, reason=error.reason, field=error.field)


def add_uploads(
    corpus_dir: str | Path,
    index_dir: str | Path,
    uploads: Sequence[Upload],
    embedder: Embedder | None = None,
    on_progress: ProgressCallback | None = None,
    replace: bool = False,
    who: str | None = None,
) -> AddReport:
    """Add articles (text, Markdown, HTML, PDF or Word) to the corpus and update the index once.

    Args:
        corpus_dir: The corpus folder.
        index_dir: The index folder; its vectors are reused, so only the new articles are embedded.
        uploads: The files, with their names as the user had them (they are sanitised).
        embedder: The embedder; None means the configured default.
        on_progress: Called with (Danish stage, fraction 0..1) as the work advances.
        replace: Replace an article whose name is taken (the old version is kept for `restore`).
        who: The editor, for the change log; None: the system user.

    Returns:
        One outcome per file (added, or refused with a Danish reason), and the index update.

    Raises:
        AddError: The corpus folder is missing, or the index could not be updated (the corpus is
            then exactly as before).
    """
    corpus_dir, index_dir = Path(corpus_dir), Path(index_dir)
    who = who or command_line_user()

    def report(stage: str, fraction: float) -> None:
        if on_progress is not None:
            on_progress(stage, fraction)

    if not corpus_dir.is_dir():
        raise AddError(f"Korpus-mappen {corpus_dir} findes ikke. Angiv den rigtige mappe (fx corpus/).", field="corpus")
    outcomes: dict[int, FileOutcome] = {}
    checked: dict[int, _Checked] = {}
    for n, upload in enumerate(uploads):
        report(f"Tjekker {upload.name} ({n + 1}/{len(uploads)})", 0.2 * n / max(1, len(uploads)))
        try:
            suffix = check_upload(upload.name, len(upload.data))
            text, extracted = checked_content(upload.name, suffix, upload.data)
        except AddError as error:
            outcomes[n] = _refused(upload, error)
            continue
        checked[n] = _Checked(upload=upload, text=text, extracted=extracted, stored=sanitize_name(upload.name))
    with library_lock(corpus_dir):
        staged = _claim_names(corpus_dir, checked, outcomes, replace)
        if not staged:
            return AddReport(files=[outcomes[n] for n in range(len(uploads))], index_dir=str(index_dir))
        with CorpusTransaction(corpus_dir) as transaction:
            try:
                report("Gemmer artiklerne", 0.2)
                replaced = _stage(transaction, staged, who)
                embedded, reused = _reindex(corpus_dir, index_dir, staged, outcomes, replaced, embedder, report)
            except AddError:
                raise
            except Exception as exc:
                raise AddError(
                    f"Artiklerne kunne ikke tilføjes ({exc}). Korpus er uændret; prøv igen, eller byg indekset med "
                    "»python -m ingest«."
                ) from exc
        for item in staged.values():
            action: Action = "replace" if item.stored in replaced else "add"
            record(corpus_dir, now_change(who, action, item.stored, file_hash(corpus_dir / item.stored)))
    report("Indekset er opdateret", 1.0)
    return AddReport(
        files=[outcomes[n] for n in range(len(uploads))], embedded=embedded, reused=reused, index_dir=str(index_dir)
    )


def _claim_names(
    corpus_dir: Path, checked: dict[int, _Checked], outcomes: dict[int, FileOutcome], replace: bool
) -> dict[int, _Checked]:
    """The checked files that may be stored: not the same article again, and a free name (or replace)."""
    staged: dict[int, _Checked] = {}
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
        outcomes[n] = _refused(upload, error)
    return staged


def _stage(transaction: CorpusTransaction, staged: dict[int, _Checked], who: str) -> set[str]:
    """Stash the versions being replaced, put the new files and their metadata entries in place."""
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


def _reindex(
    corpus_dir: Path,
    index_dir: Path,
    staged: dict[int, _Checked],
    outcomes: dict[int, FileOutcome],
    replaced: set[str],
    embedder: Embedder | None,
    report: ProgressCallback,
) -> tuple[int, int]:
    report("Læser artiklerne", 0.25)
    reading = load_corpus(corpus_dir)
    rows = {r.file: r for r in reading.report}
    articles = {a.file: a for a in reading.articles}
    for item in staged.values():
        row = rows.get(item.text_file)
        if row is None or row.status != "indexed":
            why = row.reason if row is not None and row.reason else "den gav ingen passager"
            raise AddError(f"Artiklen {item.stored} kunne ikke indekseres: {why}", field="file")
    embedder = embedder or get_embedder()
    before = _cached_keys(index_dir if index_dir.exists() else None, embedder)
    rebuild(reading, corpus_dir, index_dir, embedder, lambda stage, fraction: report(stage, 0.3 + 0.65 * fraction))
    # Counted from the saved vector caches, so the count holds whatever texts the index embeds.
    after = _cached_keys(index_dir, embedder)
    for n, item in staged.items():
        article = articles[item.text_file]
        outcomes[n] = FileOutcome(
            name=item.upload.name, added=True, stored=item.stored, text_file=item.text_file,
            replaced=item.stored in replaced, article_id=article.id, title=article.title,
            n_passages=rows[item.text_file].n_passages,
            pages=item.extracted.pages if item.extracted is not None else None,
        )
    return len(after - before), len(after & before)


def add_article(
    corpus_dir: str | Path,
    index_dir: str | Path,
    name: str,
    data: bytes,
    meta: NewArticle | None = None,
    embedder: Embedder | None = None,
    on_progress: ProgressCallback | None = None,
    replace: bool = False,
    who: str | None = None,
) -> AddResult:
    """Add one article (text, Markdown, HTML, PDF or Word) to the corpus and update the index.

    Args:
        corpus_dir: The corpus folder.
        index_dir: The index folder; its vectors are reused, so only the new article is embedded.
        name: The file's name as the user had it (it is sanitised).
        data: The file's bytes.
        meta: Title, link, publication date and publisher; empty fields stay unknown.
        embedder: The embedder; None means the configured default.
        on_progress: Called with (Danish stage, fraction 0..1) as the work advances.
        replace: Replace an article of the same name (the old version is kept for `restore`).
        who: The editor, for the change log.

    Returns:
        What was stored and how many texts were embedded vs reused.

    Raises:
        AddError: The file or a field is not usable, the name is taken, or the index could not be
            updated; the corpus folder is then exactly as before.
    """
    upload = Upload(name=name, data=data, meta=meta or NewArticle())
    done = add_uploads(corpus_dir, index_dir, [upload], embedder, on_progress, replace=replace, who=who)
    outcome = done.files[0]
    if not outcome.added:
        raise AddError(outcome.reason or f"Filen {name} blev ikke tilføjet.", field=outcome.field)
    assert outcome.text_file is not None and outcome.article_id is not None and outcome.title is not None
    return AddResult(
        original=outcome.stored if outcome.stored != outcome.text_file else None,
        text_file=outcome.text_file,
        article_id=outcome.article_id,
        title=outcome.title,
        n_passages=outcome.n_passages,
        pages=outcome.pages,
        embedded=done.embedded,
        reused=done.reused,
        index_dir=done.index_dir,
        replaced=outcome.replaced,
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


def add_paths(
    paths: Sequence[Path],
    corpus_dir: str | Path,
    index_dir: str | Path,
    meta: NewArticle | None = None,
    embedder: Embedder | None = None,
    on_progress: ProgressCallback | None = None,
    replace: bool = False,
    who: str | None = None,
) -> AddReport:
    """Add files and whole folders from disk, with one index update (the CLI's `add`).

    Args:
        paths: Files and folders.
        corpus_dir: The corpus folder.
        index_dir: The index folder.
        meta: Title and the rest, for a single file only.
        embedder: The embedder; None means the configured default.
        on_progress: Called with (Danish stage, fraction 0..1).
        replace: Replace articles whose names are taken.
        who: The editor, for the change log.

    Returns:
        One outcome per file found (and per path that does not exist).
    """
    files, missing = files_to_add(paths)
    if meta is not None and meta != NewArticle() and len(files) != 1:
        raise AddError("Titel, link, dato og udgiver kan kun gives for én fil ad gangen. Tilføj filen for sig.",
                       field="title")
    uploads: list[Upload] = []
    unreadable: list[FileOutcome] = []
    for path in files:
        try:
            uploads.append(read_upload(path, meta))
        except AddError as error:
            unreadable.append(FileOutcome(name=path.name, added=False, reason=error.reason, field=error.field))
    done = add_uploads(corpus_dir, index_dir, uploads, embedder, on_progress, replace=replace, who=who)
    done.files = missing + unreadable + done.files
    return done

