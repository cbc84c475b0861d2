"""A build saves its vectors as it embeds: killed, it leaves no index half-written and resumes from them."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

import library
from index import Embedder
from index.store import CURRENT
from index.store.progress_cache import progress_dir, read_chunks
from ingest.models import CorpusReading
from tests.robust_helpers import OFFLINE_ENV, ROOT


class CountingEmbedder(Embedder):
    """The real model, counting the passage texts it is asked to embed."""

    def __init__(self, real: Embedder) -> None:
        self.name, self.dim, self.workers = real.name, real.dim, real.workers
        self._real = real
        self.embedded = 0

    def _encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        if not is_query:
            self.embedded += len(texts)
        return self._real.embed_queries(texts) if is_query else self._real.embed_passages(texts)


class Killed(Exception):
    pass


def _part_of(reading: CorpusReading, n: int) -> CorpusReading:
    passages = reading.passages[:n]
    ids = {p.article.id for p in passages}
    return CorpusReading(articles=[a for a in reading.articles if a.id in ids], passages=passages, report=[])


def test_a_build_stopped_midway_writes_no_index_and_the_next_embeds_only_what_is_missing(
    seed_reading: CorpusReading, corpus_dir: Path, e5_embedder: Embedder, tmp_path: Path
) -> None:
    reading = _part_of(seed_reading, 40)
    index_dir = tmp_path / "index"
    chunks_done: list[str] = []

    def stop_after_first_chunk(stage: str, fraction: float) -> None:
        if re.match(r"Indlejrer tekster \([1-9]", stage):
            chunks_done.append(stage)
            raise Killed(stage)

    with pytest.raises(Killed):
        library.rebuild(reading, corpus_dir, index_dir, e5_embedder, on_progress=stop_after_first_chunk)
    assert not (index_dir / CURRENT).exists(), "a stopped build must leave no index"
    saved = read_chunks(progress_dir(index_dir), e5_embedder.name, e5_embedder.dim)
    assert saved

    counting = CountingEmbedder(e5_embedder)
    searcher = library.rebuild(reading, corpus_dir, index_dir, counting)
    full = CountingEmbedder(e5_embedder)
    library.rebuild(reading, corpus_dir, tmp_path / "from-scratch", full)
    assert counting.embedded == full.embedded - len(saved)
    assert not progress_dir(index_dir).exists()  # the saved build holds them now
    assert searcher.search("værnemidler", k=3).results


def _first_todo(stderr: str) -> int:
    found = re.search(r"Indlejrer tekster \(0/(\d+)\)", stderr)
    assert found, stderr[-2000:]
    return int(found.group(1))


def test_a_killed_python_m_ingest_resumes_from_the_vectors_it_had(corpus_dir: Path, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(corpus_dir, corpus)
    index_dir = tmp_path / "index"
    args: Sequence[str] = [sys.executable, "-m", "ingest", "--corpus", str(corpus), "--index-dir", str(index_dir)]
    env = {**os.environ, **OFFLINE_ENV}
    first = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not any(progress_dir(index_dir).glob("*.npz")):
        assert first.poll() is None, "the build ended before it saved a chunk"
        assert time.monotonic() < deadline
        time.sleep(0.05)
    first.send_signal(signal.SIGKILL)
    _, killed_err = first.communicate(timeout=60)
    assert not (index_dir / CURRENT).exists()
    total = _first_todo(killed_err)
    again = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr[-2000:]
    assert _first_todo(again.stderr) < total
    assert (index_dir / CURRENT).is_symlink() and not progress_dir(index_dir).exists()
