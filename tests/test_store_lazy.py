"""Format 3 on disk: offsets and columns are verified at load, an older format is rebuilt, hashes once per process."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import numpy as np
import pytest

import index
import library
from index import store
from index.dense.embed import Embedder

# Files must be older than this for their hash to be remembered (store._SETTLED_NS).
SETTLE_SECONDS = 2.1


@pytest.fixture()
def index_copy(seed_index_dir: Path, tmp_path: Path) -> Path:
    target = tmp_path / "index"
    shutil.copytree(seed_index_dir, target, symlinks=True)
    return target


def rehash(folder: Path, *names: str) -> None:
    """Record the current hashes of edited files, as a consistent-looking but wrong build would."""
    manifest = json.loads((folder / store.MANIFEST).read_text(encoding="utf-8"))
    for name in names:
        manifest["files"][name] = store.file_sha256(folder / name)
    (folder / store.MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")


def test_a_build_holds_offsets_and_columns_and_the_manifest_lists_them(seed_index_dir: Path) -> None:
    folder, manifest = store.read_manifest(seed_index_dir)
    assert manifest.format_version == store.FORMAT_VERSION == 7
    for name in (store.PASSAGE_OFFSETS, store.PASSAGE_COLUMNS, store.PASSAGE_CODES):
        assert (folder / name).is_file() and name in manifest.files
    offsets = np.load(folder / store.PASSAGE_OFFSETS, allow_pickle=False)
    assert len(offsets) == manifest.n_passages + 1 and offsets[-1] == (folder / store.PASSAGES).stat().st_size


def test_a_truncated_passages_file_is_refused_in_danish_naming_it(
    index_copy: Path, e5_embedder: Embedder
) -> None:
    path = store.build_dir(index_copy) / store.PASSAGES
    path.write_bytes(path.read_bytes()[:-200])
    with pytest.raises(index.IndexCorruptError, match=r"passages\.jsonl er ændret eller afkortet.*python -m ingest"):
        index.load(index_copy, embedder=e5_embedder)


def test_passages_that_no_longer_fit_their_offsets_are_refused_even_with_matching_hashes(
    index_copy: Path, e5_embedder: Embedder
) -> None:
    folder = store.build_dir(index_copy)
    path = folder / store.PASSAGES
    path.write_text(path.read_text(encoding="utf-8").replace("værnemidler", "værnemidlerne", 1), encoding="utf-8")
    rehash(folder, store.PASSAGES)
    with pytest.raises(index.IndexCorruptError, match=r"antallene passer ikke sammen \(passages\.jsonl har"):
        index.load(index_copy, embedder=e5_embedder)


def test_offsets_off_the_line_starts_are_refused(index_copy: Path, e5_embedder: Embedder) -> None:
    folder = store.build_dir(index_copy)
    offsets = np.load(folder / store.PASSAGE_OFFSETS, allow_pickle=False)
    offsets[1:-1] += 3  # still growing, still ending at the size: only reading a line shows it
    np.save(folder / store.PASSAGE_OFFSETS, offsets, allow_pickle=False)
    rehash(folder, store.PASSAGE_OFFSETS)
    with pytest.raises(index.IndexCorruptError, match=r"passages\.jsonl"):
        index.load(index_copy, embedder=e5_embedder)


def test_columns_of_another_size_are_refused(index_copy: Path, e5_embedder: Embedder) -> None:
    folder = store.build_dir(index_copy)
    with np.load(folder / store.PASSAGE_COLUMNS, allow_pickle=False) as data:
        arrays = {name: data[name] for name in data.files}
    arrays["speaker"] = arrays["speaker"][:-1]
    np.savez(folder / store.PASSAGE_COLUMNS, allow_pickle=False, **arrays)
    rehash(folder, store.PASSAGE_COLUMNS)
    with pytest.raises(index.IndexCorruptError, match=r"passage_columns\.npz"):
        index.load(index_copy, embedder=e5_embedder)


def test_a_manifest_without_the_new_files_is_refused(index_copy: Path, e5_embedder: Embedder) -> None:
    folder = store.build_dir(index_copy)
    manifest = json.loads((folder / store.MANIFEST).read_text(encoding="utf-8"))
    del manifest["files"][store.PASSAGE_OFFSETS]
    (folder / store.MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(index.IndexCorruptError, match=r"manifestet nævner ikke passage_offsets\.npy"):
        index.load(index_copy, embedder=e5_embedder)


@pytest.mark.parametrize("old_format", [2, 3, 4, 5, 6])
def test_an_index_of_an_older_format_is_stale_and_its_vectors_are_reused(
    index_copy: Path, corpus_dir: Path, e5_embedder: Embedder, old_format: int
) -> None:
    folder = store.build_dir(index_copy)
    manifest = json.loads((folder / store.MANIFEST).read_text(encoding="utf-8"))
    manifest["format_version"] = old_format
    (folder / store.MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(index.IndexFormatError, match=f"formatversion {old_format}, forventet {store.FORMAT_VERSION}"):
        index.load(index_copy, embedder=e5_embedder)
    assert "anden version" in (library.stale_reason(corpus_dir, index_copy) or "")
    # Its embedding cache is the same in formats 2 to 6: upgrading embeds no sentence again.
    assert len(store.read_cache(index_copy, e5_embedder.name, e5_embedder.dim)) >= manifest["n_passages"]


def test_the_staleness_check_and_the_load_hash_each_file_once(
    index_copy: Path, corpus_dir: Path, e5_embedder: Embedder
) -> None:
    time.sleep(SETTLE_SECONDS)  # the copy was just written: only settled files are remembered
    folder = store.build_dir(index_copy)
    total = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and p.name != store.MANIFEST)
    before = store.hashed_bytes()
    assert library.stale_reason(corpus_dir, index_copy) is None
    assert store.hashed_bytes() - before == total
    index.load(index_copy, embedder=e5_embedder)
    index.load(index_copy, embedder=e5_embedder)
    assert store.hashed_bytes() - before == total


def test_a_byte_changed_after_a_verified_load_is_still_detected(
    index_copy: Path, e5_embedder: Embedder
) -> None:
    time.sleep(SETTLE_SECONDS)
    index.load(index_copy, embedder=e5_embedder)  # every hash remembered
    path = store.build_dir(index_copy) / store.CONTEXT_FAISS
    with path.open("r+b") as handle:  # same size, same file: only its ctime tells
        handle.seek(path.stat().st_size // 2)
        byte = handle.read(1)
        handle.seek(-1, 1)
        handle.write(bytes([byte[0] ^ 0xFF]))
    with pytest.raises(index.IndexCorruptError, match=r"dense_context\.faiss er ændret"):
        index.load(index_copy, embedder=e5_embedder)
