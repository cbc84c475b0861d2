"""The articles page's editor actions: edit metadata, replace the file, remove, restore; each outcome in Danish."""

from __future__ import annotations

from pydantic import BaseModel

from ingest.models import Article
from library import AddError, CatalogEntry, Library, MetadataChange
from ui.settings import Settings, offline_models
from ui.upload import UploadForm


class EditForm(UploadForm):
    """The edit form as typed: the upload form's fields and the authors; an empty field makes the fact unknown."""

    authors: str = ""


class ActionOutcome(BaseModel):
    ok: bool
    message: str


def form_of(article: Article) -> EditForm:
    """The form filled in with what is known of the article now (a derived title is left empty)."""
    return EditForm(
        title="" if article.title_is_derived else article.title,
        url=article.url or "",
        published=article.published.isoformat() if article.published else "",
        publisher=article.publisher or "",
        authors="; ".join(article.authors),
    )


def _library(settings: Settings) -> Library:
    return Library(settings.corpus_dir, settings.index_dir)


def _name_of(article: Article) -> str:
    return article.original or article.file


def save_edit(settings: Settings, article: Article, form: EditForm, who: str | None) -> ActionOutcome:
    """Write the form's changes to articles.toml and the index (no passage is embedded again)."""
    offline_models()
    before = form_of(article)
    change = MetadataChange(
        title=form.title if form.title != before.title else None,
        url=form.url if form.url != before.url else None,
        published=form.published if form.published != before.published else None,
        publisher=form.publisher if form.publisher != before.publisher else None,
        authors=[a.strip() for a in form.authors.split(";") if a.strip()] if form.authors != before.authors else None,
    )
    try:
        result = _library(settings).edit(_name_of(article), change, who=who)
    except AddError as error:
        return ActionOutcome(ok=False, message=error.reason)
    if result.detail == "intet ændret":
        return ActionOutcome(ok=True, message="Intet er ændret.")
    return ActionOutcome(ok=True, message=f"Artiklen »{result.title or _name_of(article)}« er rettet; "
                                          "næste svar viser de nye oplysninger.")


def replace_file(settings: Settings, article: Article, name: str, data: bytes, who: str | None) -> ActionOutcome:
    """Put a new version of the article's file in its place (the old one is kept for restoring)."""
    offline_models()
    try:
        result = _library(settings).replace(_name_of(article), name, data, who=who)
    except AddError as error:
        return ActionOutcome(ok=False, message=error.reason)
    return ActionOutcome(ok=True, message=f"»{result.title}« er erstattet af den nye udgave ({result.file}); den "
                                          "gamle kan gendannes nedenfor.")


def remove(settings: Settings, article: Article, who: str | None) -> ActionOutcome:
    """Take the article out of the library and the index (kept for restoring)."""
    offline_models()
    try:
        _library(settings).remove(_name_of(article), who=who)
    except AddError as error:
        return ActionOutcome(ok=False, message=error.reason)
    return ActionOutcome(ok=True, message=f"»{article.title}« er fjernet fra biblioteket. Den kan gendannes nedenfor.")


def restore(settings: Settings, file: str, who: str | None) -> ActionOutcome:
    """Bring a removed article back into the library and the index."""
    offline_models()
    try:
        result = _library(settings).restore(file, who=who)
    except AddError as error:
        return ActionOutcome(ok=False, message=error.reason)
    return ActionOutcome(ok=True, message=f"»{result.title or result.file}« er gendannet og kan søges igen.")


def removed_articles(settings: Settings) -> list[CatalogEntry]:
    """The articles kept under corpus/.removed/, newest first."""
    return _library(settings).removed()


CONFIRM_LABEL = "Ja, fjern artiklen nævnt ovenfor fra biblioteket"


def confirmation(article: Article) -> str:
    """The line above the checkbox an editor ticks before a removal: it names the article (shown as
    text; the checkbox's own label is Markdown in Streamlit, so it holds only our words)."""
    return f"Fjern »{article.title}« ({_name_of(article)}) fra biblioteket?"


def removed_line(entry: CatalogEntry) -> str:
    """One removed article in the list under »Fjernede artikler«."""
    return f"{entry.title or entry.file} ({entry.file}), fjernet {entry.removed_when} af {entry.removed_by}"
