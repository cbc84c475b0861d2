"""Keeping the library: edit an article's metadata, remove an article, restore a removed one.

Each change holds the library lock, goes through a `CorpusTransaction`, rebuilds the index at
once (every vector is reused; an edited title is one short text to embed) and is written to the
change log. If the index cannot be updated, the corpus is put back as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from pydantic import BaseModel, Field

from index import Embedder
from ingest.corpus import load_corpus
from ingest.formats import extracted_name, is_original
from ingest.metadata import METADATA_FILE, ArticleMeta, read_metadata, with_updated_entry
from library.build import rebuild
from library.changelog import command_line_user, file_hash, now_change, record
from library.intake import AddError, new_article
from library.lock import library_lock
from library.transaction import CorpusTransaction, article_files, removal_folder, removals

ProgressCallback = Callable[[str, float], None]


class MetadataChange(BaseModel):
    """What an editor changes; None leaves a field as it is, an empty value makes it unknown."""

    title: str | None = None
    url: str | None = None
    published: str | None = None
    publisher: str | None = None
    authors: list[str] | None = None


class KeepResult(BaseModel):
    """What a change did."""

    file: str = Field(description="The article's name in the corpus (its original, for an extracted one).")
    action: str
    detail: str | None = None
    title: str | None = None
    n_articles: int = Field(description="Articles in the library after the change.")


def article_name(corpus_dir: Path, file: str) -> str:
    """The name an article is kept under: its original ('rapport.pdf' for 'rapport.pdf.txt').

    Raises:
        AddError: No such article in the corpus (field 'file').
    """
    name = Path(file).name
    if name.endswith(".txt") and is_original(name[: -len(".txt")]) and (corpus_dir / name[: -len(".txt")]).is_file():
        return name[: -len(".txt")]
    if not article_files(corpus_dir, name):
        raise AddError(f"Der er ingen artikel, der hedder {name}, i {corpus_dir}. Se navnene med "
                       "»python -m ingest list«.", field="file")
    return name


def _update_index(corpus_dir: Path, index_dir: Path, embedder: Embedder | None, on_progress: ProgressCallback | None
                  ) -> int:
    reading = load_corpus(corpus_dir)
    if not reading.passages:
        raise AddError("Biblioteket skal have mindst én artikel, der kan søges i; tilføj en anden først.", field="file")
    rebuild(reading, corpus_dir, index_dir, embedder, on_progress)
    return len(reading.articles)


def _apply(current: ArticleMeta, change: MetadataChange) -> tuple[ArticleMeta, list[str]]:
    """The entry with the editor's changes (checked as an upload's form is), and the fields changed."""
    checked = new_article(change.title, change.url, change.published, change.publisher)
    update: dict[str, object] = {}
    if change.title is not None:
        update |= {"title": checked.title, "title_is_derived": None if checked.title is None else False}
    if change.url is not None:
        update["url"] = checked.url
    if change.published is not None:
        update["published"] = checked.published
    if change.publisher is not None:
        update["publisher"] = checked.publisher
    if change.authors is not None:
        update["authors"] = [" ".join(a.split()) for a in change.authors if a.strip()]
    changed = [key for key, value in update.items() if getattr(current, key) != value and key != "title_is_derived"]
    return current.model_copy(update=update), changed


def edit_article(
    corpus_dir: str | Path,
    index_dir: str | Path,
    file: str,
    change: MetadataChange,
    embedder: Embedder | None = None,
    who: str | None = None,
    on_progress: ProgressCallback | None = None,
) -> KeepResult:
    """Change an article's metadata in articles.toml (no other entry or comment is touched) and the index.

    Args:
        corpus_dir: The corpus folder.
        index_dir: The index folder.
        file: The article (its original or its text file name).
        change: The fields to change.
        embedder: The embedder; None means the configured default.
        who: The editor, for the change log.
        on_progress: Called with (Danish stage, fraction 0..1).

    Returns:
        What changed.

    Raises:
        AddError: No such article, a field is not usable, or the index could not be updated.
    """
    corpus_dir, index_dir = Path(corpus_dir), Path(index_dir)
    with library_lock(corpus_dir):
        name = article_name(corpus_dir, file)
        entries = read_metadata(corpus_dir / METADATA_FILE).entries
        current = entries.get(name) or entries.get(extracted_name(name)) or ArticleMeta(file=name)
        updated, changed = _apply(current, change)
        if not changed:
            return KeepResult(file=name, action="edit", detail="intet ændret", title=updated.title,
                              n_articles=len(load_corpus(corpus_dir).articles))
        with CorpusTransaction(corpus_dir) as transaction:
            transaction.set_metadata(with_updated_entry(transaction.metadata_text(), updated))
            n_articles = _update_index(corpus_dir, index_dir, embedder, on_progress)
        detail = "ændrede " + ", ".join(changed)
        record(corpus_dir, now_change(who or command_line_user(), "edit", name, file_hash(corpus_dir / name), detail))
    return KeepResult(file=name, action="edit", detail=detail, title=updated.title, n_articles=n_articles)


def remove_article(
    corpus_dir: str | Path,
    index_dir: str | Path,
    file: str,
    embedder: Embedder | None = None,
    who: str | None = None,
    on_progress: ProgressCallback | None = None,
) -> KeepResult:
    """Take an article out of the library and the index; its files and entry are kept for `restore`.

    Raises:
        AddError: No such article, it is the last one, or the index could not be updated.
    """
    corpus_dir, index_dir = Path(corpus_dir), Path(index_dir)
    who = who or command_line_user()
    with library_lock(corpus_dir):
        name = article_name(corpus_dir, file)
        digest = file_hash(corpus_dir / name)
        with CorpusTransaction(corpus_dir) as transaction:
            transaction.stash(name, who, "removed")
            n_articles = _update_index(corpus_dir, index_dir, embedder, on_progress)
        record(corpus_dir, now_change(who, "remove", name, digest))
    return KeepResult(file=name, action="remove", n_articles=n_articles)


def restore_article(
    corpus_dir: str | Path,
    index_dir: str | Path,
    file: str,
    embedder: Embedder | None = None,
    who: str | None = None,
    on_progress: ProgressCallback | None = None,
) -> KeepResult:
    """Bring back the latest removed (or replaced) version of an article, into the library and the index.

    A version of the same name in the library now (the one that replaced it) is kept in its turn.

    Raises:
        AddError: Nothing of that name was removed, or the index could not be updated.
    """
    corpus_dir, index_dir = Path(corpus_dir), Path(index_dir)
    who = who or command_line_user()
    name = Path(file).name
    with library_lock(corpus_dir):
        found = next((r for r in removals(corpus_dir) if name in (r.name, *r.files)), None)
        if found is None:
            raise AddError(f"Der er ingen fjernet artikel, der hedder {name}. Se de fjernede med "
                           "»python -m ingest list«.", field="file")
        with CorpusTransaction(corpus_dir) as transaction:
            if article_files(corpus_dir, found.name):
                transaction.stash(found.name, who, "replaced")
            transaction.unstash(removal_folder(corpus_dir, found))
            n_articles = _update_index(corpus_dir, index_dir, embedder, on_progress)
        record(corpus_dir, now_change(who, "restore", found.name, file_hash(corpus_dir / found.name),
                                      f"fjernet {found.when:%Y-%m-%d %H:%M} af {found.who}"))
    entry = read_metadata(corpus_dir / METADATA_FILE).entries.get(found.name)
    return KeepResult(file=found.name, action="restore", title=entry.title if entry else None, n_articles=n_articles)


class CatalogEntry(BaseModel):
    """One article as `python -m ingest list` shows it."""

    file: str
    text_file: str | None = None
    title: str | None
    title_is_derived: bool | None
    publisher: str | None = None
    url: str | None = None
    published: date | None = None
    authors: list[str] = Field(default_factory=list)
    passages: int = 0
    in_index: bool = False
    removed: bool = False
    removed_when: str | None = None
    removed_by: str | None = None


def catalog(corpus_dir: str | Path, index_dir: str | Path) -> list[CatalogEntry]:
    """Every article of the library (and every removed one), with what is known about it.

    Args:
        corpus_dir: The corpus folder.
        index_dir: The index folder; `in_index` says whether a fresh index holds the article.

    Returns:
        The articles in file order, then the removed ones, newest first.
    """
    from index import store  # the index's own article list, without loading FAISS or the model
    from library.build import stale_reason

    corpus_dir, index_dir = Path(corpus_dir), Path(index_dir)
    reading = load_corpus(corpus_dir)
    passages = {r.file: r.n_passages for r in reading.report if r.status == "indexed"}
    indexed: set[str] = set()
    if stale_reason(corpus_dir, index_dir) is None:
        indexed = {a.id for a in store.read_articles(index_dir)}
    entries = [
        CatalogEntry(
            file=a.original or a.file, text_file=a.file if a.original else None, title=a.title,
            title_is_derived=a.title_is_derived, publisher=a.publisher, url=a.url, published=a.published,
            authors=a.authors, passages=passages.get(a.file, 0), in_index=a.id in indexed,
        )
        for a in reading.articles
    ]
    return entries + removed_catalog(corpus_dir)


def removed_catalog(corpus_dir: str | Path) -> list[CatalogEntry]:
    """The removed articles alone, newest first: read from corpus/.removed/ only, so the articles
    page can list them on every render without reading the library's articles."""
    corpus_dir = Path(corpus_dir)
    entries: list[CatalogEntry] = []
    for removal in removals(corpus_dir):
        block = removal_folder(corpus_dir, removal) / "entry.toml"
        entry = read_metadata(block).entries.get(removal.name) if block.is_file() else None
        entries.append(CatalogEntry(
            file=removal.name, title=entry.title if entry else None,
            title_is_derived=entry.title_is_derived if entry else None,
            publisher=entry.publisher if entry else None, url=entry.url if entry else None,
            removed=True, removed_when=f"{removal.when:%Y-%m-%d %H:%M}", removed_by=removal.who,
        ))
    return entries


def replace_article(
    corpus_dir: str | Path,
    index_dir: str | Path,
    file: str,
    name: str,
    data: bytes,
    embedder: Embedder | None = None,
    who: str | None = None,
    on_progress: ProgressCallback | None = None,
) -> KeepResult:
    """Replace an article's file with a new version (another format too); its metadata carries over.

    The old version is kept under corpus/.removed/ so `restore` can bring it back.

    Args:
        corpus_dir: The corpus folder.
        index_dir: The index folder.
        file: The article being replaced.
        name: The new file's name as the user had it (only its type is used: the article keeps its name).
        data: The new file's bytes.
        embedder: The embedder; None means the configured default.
        who: The editor, for the change log.
        on_progress: Called with (Danish stage, fraction 0..1).

    Raises:
        AddError: No such article, the new file is not usable, or the index could not be updated;
            the corpus is then as it was.
    """
    from library.add import add_article  # add builds on keep's neighbours, not the other way round
    from library.intake import NewArticle

    corpus_dir, index_dir = Path(corpus_dir), Path(index_dir)
    who = who or command_line_user()
    with library_lock(corpus_dir):
        old = article_name(corpus_dir, file)
        entry = read_metadata(corpus_dir / METADATA_FILE).entries.get(old)
        meta = NewArticle(
            title=entry.title if entry and entry.title_is_derived is False else None,
            url=entry.url if entry else None,
            published=entry.published if entry else None,
            publisher=entry.publisher if entry else None,
        )
        new_name = Path(old).stem + Path(name).suffix.lower()
        with CorpusTransaction(corpus_dir) as transaction:
            transaction.stash(old, who, "replaced")
            added = add_article(corpus_dir, index_dir, new_name, data, meta, embedder, on_progress, who=who)
        record(corpus_dir, now_change(who, "replace", old, file_hash(corpus_dir / new_name),
                                      f"ny udgave: {new_name}"))
    return KeepResult(file=added.original or added.text_file, action="replace", detail=f"erstattede {old}",
                      title=added.title, n_articles=len(load_corpus(corpus_dir).articles))
