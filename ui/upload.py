"""The "Tilføj artikel" page's logic: check an upload and its form, add it, say what happened in Danish.

Streamlit's test API cannot upload files, so the page only collects (name, bytes, form) and hands
them to `add_upload`, which is tested directly.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from pydantic import BaseModel

from library import MAX_BYTES, AddError, AddReport, AddResult, Library, Upload, new_article
from ui.settings import Settings, offline_models

if TYPE_CHECKING:
    from index import Embedder

UPLOAD_TYPES: list[str] = ["txt", "md", "html", "htm", "pdf", "docx"]
MAX_UPLOAD_MB = MAX_BYTES // 1024 // 1024

PAGE_TITLE = "Tilføj artikler"
PAGE_INTRO = (
    "Læg nye artikler i Erfaringsbanken. De kan være tekst (.txt, .md), gemte websider (.html), PDF'er eller "
    f"Word-dokumenter (.docx), højst {MAX_UPLOAD_MB} MB hver; vælg gerne flere filer på én gang. Teksten udtrækkes, "
    "gemmes ved siden af filen, og artiklerne kan søges, så snart de er indekseret."
)
UPLOAD_LABEL = "Vælg artiklens fil (eller flere)"
FORM_HINT = ("Udfyld det, du ved, når du tilføjer én fil. Tomme felter står som ukendte; intet gættes. Tilføjer du "
             "flere filer, bruges det, filerne selv oplyser.")
FORM_ONE_FILE = ("Titel, link, dato og udgiver kan kun gives for én fil ad gangen. Tøm felterne for at tilføje "
                 "flere filer, eller tilføj filerne én ad gangen.")
REPLACE_LABEL = "Erstat en artikel med samme filnavn"
REPLACE_HELP = "Den gamle udgave gemmes, så den kan gendannes på siden »Artiklerne«."
TITLE_LABEL = "Titel"
TITLE_HELP = "Artiklens udgivne titel. Tom: filens egen titel eller den første overskrift."
URL_LABEL = "Link"
URL_HELP = "Webadresse til artiklen, fx https://www.kl.dk/…"
PUBLISHED_LABEL = "Udgivet"
PUBLISHED_HELP = "Udgivelsesdato som ÅÅÅÅ-MM-DD, fx 2021-03-04."
PUBLISHER_LABEL = "Udgiver"
PUBLISHER_HELP = "Fx KL, Danske Regioner eller et dagblad."
SUBMIT = "Tilføj artiklen"
NO_FILE = "Vælg først en fil med artiklen."
WORKING = "Tilføjer artiklen …"
DONE = "Færdig"
ASK_NOW = "Stil et spørgsmål om den"

UPLOAD_BUTTON = "Vælg filer"
UPLOAD_LIMIT = f"Højst {MAX_UPLOAD_MB} MB pr. fil · .txt, .md, .html, .pdf, .docx"
# Streamlit writes its file box's button ("Upload") and limit line ("25MB per file • TXT, …") in
# English and offers no parameter for either (streamlit/streamlit#13500); our words take their
# place on the page, the English hidden. The limit is `library.MAX_BYTES`, the same as
# `server.maxUploadSize` in .streamlit/config.toml.
UPLOADER_CSS = (
    "<style>"
    '[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p{font-size:0}'
    f'[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after'
    f'{{content:"{UPLOAD_BUTTON}";font-size:.875rem}}'
    '[data-testid="stFileUploaderDropzoneInstructions"] span{font-size:0}'
    f'[data-testid="stFileUploaderDropzoneInstructions"] span::after{{content:"{UPLOAD_LIMIT}";font-size:.875rem}}'
    "</style>"
)

FIELD_LABELS = {"title": TITLE_LABEL, "url": URL_LABEL, "published": PUBLISHED_LABEL, "publisher": PUBLISHER_LABEL}

ProgressCallback = Callable[[str, float], None]


class UploadForm(BaseModel):
    """What the metadata form holds, as typed."""

    title: str = ""
    url: str = ""
    published: str = ""
    publisher: str = ""


class UploadOutcome(BaseModel):
    """The result shown under the form: a success with what was added, or a Danish error."""

    ok: bool
    message: str
    field: str | None = None
    result: AddResult | None = None


def success_message(result: AddResult) -> str:
    """The Danish confirmation after an article was added.

    Args:
        result: What was added.

    Returns:
        E.g. 'Artiklen »Titel« er tilføjet: 4 tekststykker på 2 sider. Du kan søge i den nu.'
    """
    pieces = "1 tekststykke" if result.n_passages == 1 else f"{result.n_passages} tekststykker"
    pages = f" på {result.pages} sider" if result.pages else ""
    return (
        f"Artiklen »{result.title}« er tilføjet: {pieces}{pages}. Den er indekseret og kan søges nu; "
        "gå til »Spørg artiklerne«, og stil dit spørgsmål."
    )


class BatchOutcome(BaseModel):
    """The result of adding several files at once: a line per file, and a summary."""

    ok: bool
    message: str
    lines: list[str]
    report: AddReport | None = None


def batch_message(report: AddReport) -> tuple[str, list[str]]:
    """The Danish summary and per-file lines after several files were added.

    Args:
        report: What `add_uploads` did.

    Returns:
        (summary, one line per file).
    """
    lines = []
    for f in report.files:
        if f.added:
            pieces = "1 tekststykke" if f.n_passages == 1 else f"{f.n_passages} tekststykker"
            verb = "erstattet" if f.replaced else "tilføjet"
            lines.append(f"✓ {f.name}: »{f.title}« er {verb} ({pieces}).")
        else:
            lines.append(f"✗ {f.name}: {f.reason}")
    added = len(report.added)
    if not added:
        return "Ingen af filerne blev tilføjet; biblioteket er uændret.", lines
    return (
        f"{added} af {len(report.files)} filer er tilføjet og kan søges nu; gå til »Spørg artiklerne«, og stil dit "
        "spørgsmål.",
        lines,
    )


def add_uploads_at_once(
    files: list[tuple[str, bytes]],
    settings: Settings,
    replace: bool = False,
    who: str | None = None,
    embedder: Embedder | None = None,
    on_progress: ProgressCallback | None = None,
) -> BatchOutcome:
    """Add several uploaded files with one index update; each file's metadata is what it states itself.

    Args:
        files: (name, bytes) of each file.
        settings: Where the corpus and the index are.
        replace: Replace articles whose names are taken (the old versions are kept).
        who: The editor, for the change log.
        embedder: The embedder; None means the configured default.
        on_progress: Called with (Danish stage, fraction 0..1) for the progress bar.

    Returns:
        A summary and a line per file; a file that is not usable is named with its reason and the
        others are still added.
    """
    offline_models()
    uploads = [Upload(name=name, data=data) for name, data in files]
    try:
        report = Library(settings.corpus_dir, settings.index_dir, embedder).add(
            uploads, replace=replace, who=who, on_progress=on_progress)
    except AddError as error:
        return BatchOutcome(ok=False, message=error.reason, lines=[])
    message, lines = batch_message(report)
    return BatchOutcome(ok=bool(report.added), message=message, lines=lines, report=report)


def add_upload(
    name: str,
    data: bytes,
    form: UploadForm,
    settings: Settings,
    embedder: Embedder | None = None,
    on_progress: ProgressCallback | None = None,
    replace: bool = False,
    who: str | None = None,
) -> UploadOutcome:
    """Add an uploaded file with its form to the corpus and the index.

    Args:
        name: The uploaded file's name (sanitised before anything is written).
        data: Its bytes.
        form: The metadata form as typed.
        settings: Where the corpus and the index are.
        embedder: The embedder; None means the configured default.
        on_progress: Called with (Danish stage, fraction 0..1) for the progress bar.
        replace: Replace an article of the same name (the old version is kept).
        who: The editor, for the change log.

    Returns:
        Success with the `AddResult`, or a Danish error naming the file or form field; on error
        the corpus and the index are unchanged.
    """
    offline_models()
    try:
        meta = new_article(form.title, form.url, form.published, form.publisher)
        result = Library(settings.corpus_dir, settings.index_dir, embedder).add_article(
            name, data, meta, replace=replace, who=who, on_progress=on_progress)
    except AddError as error:
        label = FIELD_LABELS.get(error.field or "")
        message = f"Feltet »{label}«: {error.reason}" if label else error.reason
        return UploadOutcome(ok=False, message=message, field=error.field)
    return UploadOutcome(ok=True, message=success_message(result), result=result)
