"""Index life cycle: load a saved index, tell whether it is stale, and rebuild it when needed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from index import store
from index.builder import build
from index.embed import Embedder, default_embedder_name, get_embedder
from index.errors import IndexFormatError, ModelMismatchError, SearchIndexError
from index.searcher import Searcher
from ingest.models import CorpusReading


class EmptyCorpusError(SearchIndexError):
    """The corpus folder gave no passages, so there is nothing to index."""

    def __init__(self, corpus_dir: Path | str, detail: str) -> None:
        super().__init__(
            f"Ingen artikel i {corpus_dir} kunne bruges, så intet indeks blev bygget ({detail}). "
            "Læg artikler (.txt) i mappen, ret filerne nævnt i rapporten fra `python -m ingest`, og prøv igen."
        )


def load(index_dir: Path | str, embedder: Embedder | None = None) -> Searcher:
    """Load a saved index, verifying format, file hashes, counts and model.

    Args:
        index_dir: the index folder.
        embedder: the embedder to search with; None loads the model named in the manifest.

    Returns:
        The Searcher.

    Raises:
        IndexNotFoundError, IndexFormatError, IndexCorruptError, ModelMismatchError.
    """
    index_dir = Path(index_dir)
    parts = store.read(index_dir)
    manifest = parts.manifest
    embedder = embedder or get_embedder(manifest.model_name)
    if embedder.name != manifest.model_name or embedder.dim != manifest.dim:
        raise ModelMismatchError(index_dir, manifest.model_name, manifest.dim, embedder.name, embedder.dim)
    return Searcher(parts, embedder)


def stale_reason(corpus_dir: Path | str, index_dir: Path | str, embedder_name: str | None = None) -> str | None:
    """Why the index must be (re)built, in Danish; None when it is fresh.

    Args:
        corpus_dir: the corpus folder.
        index_dir: the index folder.
        embedder_name: the model the index should use; None means the configured default.

    Returns:
        A Danish reason, or None.
    """
    from ingest.corpus import corpus_hash  # ingest pulls in its own readers: only when asked

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
    from index.danish import DanishAnalyzer

    if manifest.analyzer != DanishAnalyzer().settings:
        return "den danske tekstanalyse er ændret, siden indekset blev bygget."
    if manifest.corpus_hash is None:
        return "indekset ved ikke, hvilke artikler det er bygget af."
    if manifest.corpus_hash != corpus_hash(corpus_dir):
        return f"artiklerne i {corpus_dir} er ændret, siden indekset blev bygget."
    return None


def ensure_index(
    corpus_dir: Path | str,
    index_dir: Path | str,
    on_progress: Callable[[str, float], None] | None = None,
    embedder: Embedder | None = None,
) -> Searcher:
    """The index for `corpus_dir`: loaded when fresh, otherwise built from the corpus and saved.

    Args:
        corpus_dir: the corpus folder.
        index_dir: the index folder.
        on_progress: called with (Danish stage, fraction 0..1) while building.
        embedder: the embedder; None means the configured default.

    Returns:
        A Searcher over the current corpus.

    Raises:
        EmptyCorpusError: no article in the corpus could be used.
    """
    import ingest

    def report(stage: str, fraction: float) -> None:
        if on_progress is not None:
            on_progress(stage, fraction)

    name = embedder.name if embedder is not None else None
    if stale_reason(corpus_dir, index_dir, name) is None:
        try:
            report("Indlæser søgeindekset", 0.0)
            searcher = load(index_dir, embedder)
            report("Klar", 1.0)
            return searcher
        except SearchIndexError:
            pass  # a load failure of a "fresh" index means it must be rebuilt, which follows
    report("Læser artiklerne", 0.0)
    reading = ingest.load_corpus(corpus_dir)
    if not reading.passages:
        skipped = "; ".join(f"{r.file}: {r.reason}" for r in reading.report if r.reason) or "mappen er tom"
        raise EmptyCorpusError(corpus_dir, skipped)
    searcher = rebuild(reading, corpus_dir, index_dir, embedder, lambda stage, f: report(stage, 0.05 + 0.9 * f))
    report("Klar", 1.0)
    return searcher


def rebuild(
    reading: CorpusReading,
    corpus_dir: Path | str,
    index_dir: Path | str,
    embedder: Embedder | None = None,
    on_progress: Callable[[str, float], None] | None = None,
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
    searcher = build(
        reading.passages,
        articles=reading.articles,
        embedder=embedder,
        progress=progress,
        reuse_from=previous,
        on_progress=(lambda stage, fraction: on_progress(stage, 0.95 * fraction)) if on_progress else None,
    )
    if on_progress is not None:
        on_progress("Gemmer søgeindekset", 0.97)
    searcher.save(index_dir, corpus_dir=corpus_dir)
    return searcher
