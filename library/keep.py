"""Keeping the library: the records of an edit, removal, replacement or restore, and their checks.

`Library.edit`, `remove`, `replace` and `restore` (library/facade.py) run each change under the
library lock in one `CorpusTransaction`, rebuild the index at once (every vector is reused; an
edited title is one short text to embed) and write it to the change log.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pydantic import BaseModel, Field

from index import store
from ingest.corpus import load_corpus
from ingest.formats import is_original
from ingest.metadata import METADATA_FILE, ArticleMeta, read_metadata
from library.intake import ALLOWED_SUFFIXES, AddError, new_article
from library.transaction import article_files, removal_folder, removals


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


def refuse_non_article(corpus_dir: Path, name: str) -> None:
    """Refuse a name that can never be an article: the metadata file, the library's own hidden files
    (the change log, the journal, removed articles), a file of another type, a README, a symlink.

    Raises:
        AddError: In Danish, naming the file and what to do instead (field 'file').
    """
    if name == METADATA_FILE:
        raise AddError(f"{name} er bibliotekets metadatafil, ikke en artikel. Ret en artikels titel, link og dato "
                       "med »python -m ingest edit FIL --title …« eller på siden »Artiklerne«.", field="file")
    if name.startswith("."):
        raise AddError(f"{name} er en af bibliotekets egne filer (fx ændringsloggen), ikke en artikel. Se "
                       "artiklernes navne med »python -m ingest list«.", field="file")
    if Path(name).suffix.lower() not in ALLOWED_SUFFIXES or name.upper().startswith("README"):
        raise AddError(f"{name} er ikke en artikel (artikler er .txt, .md, .html, .pdf eller .docx). Se "
                       "artiklernes navne med »python -m ingest list«.", field="file")
    if (corpus_dir / name).is_symlink():
        raise AddError(f"{name} er en genvej (symlink) til en fil uden for biblioteket, ikke en artikel i det.",
                       field="file")


def article_name(corpus_dir: Path, index_dir: Path, file: str) -> str:
    """The name an indexed article is kept under: its original ('rapport.pdf' for 'rapport.pdf.txt').

    Args:
        corpus_dir: The corpus folder.
        index_dir: The index folder: only an article the index holds is an article.
        file: The name the editor gave.

    Raises:
        AddError: Not an article of the library (field 'file'), in Danish.
    """
    name = Path(file).name
    refuse_non_article(corpus_dir, name)
    indexed = {n for a in store.read_articles(index_dir) for n in (a.file, a.original) if n}
    if name.endswith(".txt") and is_original(name[: -len(".txt")]) and name in indexed:
        name = name[: -len(".txt")]
    if name not in indexed or not article_files(corpus_dir, name):
        raise AddError(f"Der er ingen artikel i biblioteket, der hedder {name}. Se navnene med "
                       f"»python -m ingest list«; en fil, der lige er lagt i {corpus_dir}, skal indekseres først "
                       "(»python -m ingest«).", field="file")
    return name


def apply_change(current: ArticleMeta, change: MetadataChange) -> tuple[ArticleMeta, list[str]]:
    """The entry with the editor's changes (checked as an upload's form is), and the fields changed.

    Raises:
        AddError: A field is not usable (its `field` names it).
    """
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


def catalog(corpus_dir: Path, index_dir: Path, index_is_fresh: bool) -> list[CatalogEntry]:
    """Every article of the library (and every removed one), with what is known about it.

    Args:
        corpus_dir: The corpus folder.
        index_dir: The index folder.
        index_is_fresh: Whether the index was built from the corpus as it is (`in_index` is False otherwise).

    Returns:
        The articles in file order, then the removed ones, newest first.
    """
    reading = load_corpus(corpus_dir)
    passages = {r.file: r.n_passages for r in reading.report if r.status == "indexed"}
    # The index's own article list, without loading FAISS or the model.
    indexed = {a.id for a in store.read_articles(index_dir)} if index_is_fresh else set()
    entries = [
        CatalogEntry(
            file=a.original or a.file, text_file=a.file if a.original else None, title=a.title,
            title_is_derived=a.title_is_derived, publisher=a.publisher, url=a.url, published=a.published,
            authors=a.authors, passages=passages.get(a.file, 0), in_index=a.id in indexed,
        )
        for a in reading.articles
    ]
    return entries + removed_catalog(corpus_dir)


def removed_catalog(corpus_dir: Path) -> list[CatalogEntry]:
    """The removed articles alone, newest first: read from corpus/.removed/ only, so the articles
    page can list them on every render without reading the library's articles."""
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
