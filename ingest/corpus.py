"""Read a corpus folder: every article file, its metadata, its passages, and a per-file report.

A file that cannot be used is named in the report with a Danish reason and skipped; the rest of
the corpus is still read.

HTML, PDF and Word originals are read through the text extracted from them, stored beside them as
'<original>.txt' (offsets refer to that text). An original whose text file is missing (dropped in
the folder by hand) is extracted here and its text file written, so the folder is changed.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Callable
from pathlib import Path

from tqdm import tqdm

from ingest.formats import (
    ORIGINAL_SUFFIXES,
    PAGE_BREAK,
    ExtractionError,
    extracted_name,
    is_original,
    write_extracted,
)
from ingest.metadata import METADATA_FILE, ArticleMeta, read_metadata
from ingest.models import Article, CorpusReading, FileReport, Passage
from ingest.passages import split_article
from ingest.read import UnreadableFileError, decode_bytes
from ingest.titles import derive_title

ARTICLE_SUFFIXES: set[str] = {".txt", ".md"}


def _is_not_an_article(path: Path) -> bool:
    """Hidden files, READMEs and the metadata file live in the corpus folder but are not articles."""
    name = path.name
    return name.startswith(".") or name == METADATA_FILE or (name.upper().startswith("README") and name.endswith(".md"))


def _corpus_files(corpus_dir: Path) -> list[Path]:
    """The article files of the folder: regular files only (a symbolic link is never followed)."""
    return sorted(
        p for p in corpus_dir.iterdir() if not p.is_symlink() and p.is_file() and not _is_not_an_article(p)
    )


def _symlinks(corpus_dir: Path) -> list[FileReport]:
    """A symbolic link among the articles is refused: following it could read any file on the
    machine (outside the corpus folder) into the library and show it to every leader."""
    return [
        FileReport(
            file=p.name,
            status="skipped",
            reason=f"Filen {p.name} er et symbolsk link, ikke en fil; links følges ikke, så intet uden for "
            "korpus-mappen læses. Kopiér selve artiklen ind i korpus-mappen, og slet linket.",
        )
        for p in sorted(corpus_dir.iterdir())
        if p.is_symlink() and not _is_not_an_article(p)
    ]


def _original_of(path: Path) -> str | None:
    """The original a text file was extracted from ('rapport.pdf.txt' → 'rapport.pdf'), if it is there."""
    if path.suffix.lower() != ".txt" or not is_original(path.stem):
        return None
    original = path.parent / path.stem
    return path.stem if original.is_file() and not original.is_symlink() else None


def _page_bar(name: str, progress: bool) -> Callable[[int, int], None] | None:
    """A progress bar over the pages of one original being read (a scan takes seconds a page)."""
    if not progress:
        return None
    bar: list[tqdm[None]] = []

    def on_page(done: int, total: int) -> None:
        if not bar:
            bar.append(tqdm(total=total, desc=f"Læser {name}", unit="side", file=sys.stderr, leave=False))
        bar[0].update(done - bar[0].n)
        if done >= total:
            bar[0].close()

    return on_page


def _extract_missing(files: list[Path], progress: bool = False) -> tuple[list[Path], list[FileReport]]:
    """Swap each original for its extracted text file, extracting (and writing) it when missing.

    Returns:
        The files to read as articles, and report lines for originals that could not be extracted.
    """
    names = {p.name for p in files}
    articles: list[Path] = []
    failed: list[FileReport] = []
    for path in files:
        if not is_original(path.name):
            articles.append(path)
            continue
        if extracted_name(path.name) in names:
            continue  # read through its text file, which is in the list already
        try:
            target, _ = write_extracted(path, _page_bar(path.name, progress))
        except ExtractionError as exc:
            failed.append(FileReport(file=path.name, status="skipped", reason=exc.reason))
            continue
        articles.append(target)
    return sorted(articles), failed


def _with_pages(passages: list[Passage], text: str) -> list[Passage]:
    """Give each passage of a paged text (form feeds between pages, as in a PDF) its page number."""
    if PAGE_BREAK not in text:
        return passages
    return [p.model_copy(update={"page": 1 + text.count(PAGE_BREAK, 0, p.char_start)}) for p in passages]


def corpus_hash(corpus_dir: str | Path) -> str:
    """Fingerprint the corpus, to tell whether an index built from it is stale.

    Args:
        corpus_dir: The corpus folder.

    Returns:
        sha256 hex digest over the sorted (file name, bytes) of every article file and original
        (by suffix) and of the metadata file.
    """
    corpus_dir = Path(corpus_dir)
    digest = hashlib.sha256()
    files = [p for p in _corpus_files(corpus_dir) if p.suffix.lower() in ARTICLE_SUFFIXES or is_original(p.name)]
    meta = corpus_dir / METADATA_FILE
    if meta.is_file():
        files.append(meta)
    for path in sorted(files, key=lambda p: p.name):
        data = path.read_bytes()
        digest.update(path.name.encode("utf-8") + b"\0" + str(len(data)).encode() + b"\0" + data)
    return digest.hexdigest()


def _article(
    path: Path, text: str, encoding: str, sha256: str, meta: ArticleMeta | None, original: str | None
) -> Article:
    title = meta.title if meta and meta.title else None
    derived = meta.title_is_derived if meta and meta.title_is_derived is not None else title is None
    return Article(
        id=path.stem,
        file=path.name,
        encoding=encoding,
        sha256=sha256,
        n_chars=len(text),
        title=title or derive_title(text, fallback=path.stem),
        title_is_derived=derived,
        url=meta.url if meta else None,
        publisher=meta.publisher if meta else None,
        sponsor=meta.sponsor if meta else None,
        series=meta.series if meta else None,
        authors=list(meta.authors) if meta else [],
        links=list(meta.links) if meta else [],
        published=meta.published if meta else None,
        notes=meta.notes if meta else None,
        original=original,
    )


def load_corpus(corpus_dir: str | Path, progress: bool = False) -> CorpusReading:
    """Read every article in a corpus folder and cut it into passages.

    Args:
        corpus_dir: The corpus folder (article files plus an optional articles.toml).
        progress: Show progress bars on standard error: one over the files, and one over the pages of
            each original being extracted (a scanned PDF is read page by page with OCR).

    Returns:
        The articles, all their passages in order, one report line per file, and Danish warnings
        about the metadata.

    Raises:
        FileNotFoundError: The folder does not exist (message in Danish).
    """
    corpus_dir = Path(corpus_dir)
    if not corpus_dir.is_dir():
        raise FileNotFoundError(
            f"Korpus-mappen {corpus_dir} findes ikke. Angiv den rigtige mappe med artiklerne (fx corpus/)."
        )
    metadata = read_metadata(corpus_dir / METADATA_FILE)
    warnings = list(metadata.warnings)
    files, report = _extract_missing(_corpus_files(corpus_dir), progress)
    report += _symlinks(corpus_dir)
    present = {p.name for p in _corpus_files(corpus_dir)}
    for name, entry in metadata.entries.items():
        if name not in present:
            warnings.append(
                f"{METADATA_FILE}, linje {entry.line}: metadata nævner filen {name}, som ikke findes i "
                f"{corpus_dir}. Læg filen i mappen, eller ret/slet posten."
            )
    articles: list[Article] = []
    passages: list[Passage] = []
    by_hash: dict[str, str] = {}
    by_id: dict[str, str] = {}
    for path in tqdm(files, desc="Læser artikler", unit="fil", file=sys.stderr, disable=not progress):
        if path.suffix.lower() not in ARTICLE_SUFFIXES:
            allowed = ", ".join(sorted(ARTICLE_SUFFIXES | ORIGINAL_SUFFIXES))
            report.append(
                FileReport(
                    file=path.name,
                    status="skipped",
                    reason=f"Filtypen {path.suffix or '(ingen)'} understøttes ikke. Gem artiklen som {allowed}.",
                )
            )
            continue
        data = path.read_bytes()
        sha = hashlib.sha256(data).hexdigest()
        if sha in by_hash:
            report.append(
                FileReport(
                    file=path.name,
                    status="duplicate",
                    duplicate_of=by_hash[sha],
                    reason=f"Samme indhold som {by_hash[sha]}; den er kun med én gang. Slet den ene fil.",
                )
            )
            continue
        if path.stem in by_id:
            report.append(
                FileReport(
                    file=path.name,
                    status="skipped",
                    reason=f"Navnet {path.stem} bruges allerede af {by_id[path.stem]}. Giv filen et andet navn.",
                )
            )
            continue
        try:
            decoded = decode_bytes(data, path.name)
        except UnreadableFileError as exc:
            report.append(FileReport(file=path.name, status="skipped", reason=exc.reason))
            continue
        original = _original_of(path)
        # An added original's metadata is filed under the name the user gave ('rapport.pdf').
        meta = metadata.entries.get(path.name) or (metadata.entries.get(original) if original else None)
        article = _article(path, decoded.text, decoded.encoding, sha, meta, original)
        found = _with_pages(split_article(decoded.text, article), decoded.text)
        if not found:
            report.append(
                FileReport(
                    file=path.name,
                    status="skipped",
                    encoding=decoded.encoding,
                    reason=f"Filen {path.name} indeholder ingen artikeltekst efter rensning (kun sidens "
                    "navigation, reklame o.l.). Tjek at den rigtige tekst er gemt i filen.",
                )
            )
            continue
        by_hash[sha] = path.name
        by_id[path.stem] = path.name
        articles.append(article)
        passages.extend(found)
        report.append(
            FileReport(file=path.name, status="indexed", encoding=decoded.encoding, n_passages=len(found))
        )
    return CorpusReading(articles=articles, passages=passages, report=report, warnings=warnings)


def read_corpus(corpus_dir: str | Path) -> list[Passage]:
    """The passages of a corpus folder (the library entry point the index builds on).

    Args:
        corpus_dir: The corpus folder.

    Returns:
        Same as `load_corpus(corpus_dir).passages`.
    """
    return load_corpus(corpus_dir).passages
