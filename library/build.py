"""Keep the index in step with the corpus: tell whether it is stale, and (re)build it when it is."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from index import (
    Embedder,
    IndexFormatError,
    Searcher,
    SearchIndexError,
    build,
    default_embedder_name,
    store,
)
from index.store.progress_cache import clear as clear_progress
from index.store.progress_cache import progress_dir
from index.text.analyzer import DanishAnalyzer
from ingest import CorpusReading, corpus_hash

ProgressCallback = Callable[[str, float], None]


class EmptyCorpusError(SearchIndexError):
    """The corpus folder gave no passages, so there is nothing to index."""

    def __init__(self, corpus_dir: Path | str, detail: str, reading: CorpusReading | None = None) -> None:
        self.reading = reading
        super().__init__(
            f"Ingen artikel i {corpus_dir} kunne bruges, så intet indeks blev bygget ({detail}). "
            "Læg artikler (.txt) i mappen, ret filerne nævnt i rapporten fra `python -m ingest`, og prøv igen."
        )


def stale_reason(corpus_dir: Path | str, index_dir: Path | str, embedder_name: str | None = None) -> str | None:
    """Why the index must be (re)built, in Danish; None when it is fresh.

    Args:
        corpus_dir: the corpus folder.
        index_dir: the index folder.
        embedder_name: the model the index should use; None means the configured default.

    Returns:
        A Danish reason, or None.
    """
    try:
        folder, manifest = store.read_manifest(Path(index_dir))
        # Hashes are remembered per process: the load that follows a fresh verdict reads no file twice.
        store.verify_files(Path(index_dir), folder, manifest)
    except IndexFormatError:
        return "indekset er skrevet af en anden version af programmet."
    except SearchIndexError as exc:
        link = Path(index_dir) / store.CURRENT
        # A dangling `current` (its build deleted) is damage, not "no index yet".
        if not link.exists() and not link.is_symlink() and not (Path(index_dir) / store.MANIFEST).exists():
            return "der er intet indeks endnu."
        return f"indekset er ufuldstændigt eller beskadiget ({exc})."
    wanted = embedder_name or default_embedder_name()
    if manifest.model_name != wanted:
        return f"indekset er bygget med modellen '{manifest.model_name}', men '{wanted}' er valgt."
    if manifest.analyzer != DanishAnalyzer().settings:
        return "den danske tekstanalyse er ændret, siden indekset blev bygget."
    if manifest.corpus_hash is None:
        return "indekset ved ikke, hvilke artikler det er bygget af."
    if manifest.corpus_hash != corpus_hash(corpus_dir):
        return f"artiklerne i {corpus_dir} er ændret, siden indekset blev bygget."
    return None


def skipped_files(reading: CorpusReading) -> str:
    """The files a reading could not use, with their reasons, on one line ('mappen er tom' when none)."""
    return "; ".join(f"{r.file}: {r.reason}" for r in reading.report if r.reason) or "mappen er tom"


def rebuild(
    reading: CorpusReading,
    corpus_dir: Path | str,
    index_dir: Path | str,
    embedder: Embedder | None = None,
    on_progress: ProgressCallback | None = None,
    progress: bool = False,
) -> Searcher:
    """Build the index of a corpus reading and save it in place of the old one, re-using its vectors.

    Args:
        reading: what `ingest.load_corpus(corpus_dir)` found (it must hold passages).
        corpus_dir: the corpus folder, whose hash the manifest records.
        index_dir: the index folder; vectors of unchanged texts are taken from the index there.
        embedder: the embedder; None means the configured default.
        on_progress: called with (Danish stage, fraction 0..1).
        progress: also print a Danish progress line on stderr.

    Returns:
        The new Searcher, already saved.
    """
    previous = Path(index_dir) if Path(index_dir).exists() else None
    saved_so_far = progress_dir(Path(index_dir))
    searcher = build(
        reading.passages,
        articles=reading.articles,
        embedder=embedder,
        progress=progress,
        reuse_from=previous,
        on_progress=(lambda stage, fraction: on_progress(stage, 0.95 * fraction)) if on_progress else None,
        progress_to=saved_so_far,
    )
    if on_progress is not None:
        on_progress("Gemmer søgeindekset", 0.97)
    searcher.save(index_dir, corpus_dir=corpus_dir)
    clear_progress(saved_so_far)  # the saved build's own cache holds every vector now
    return searcher

