"""Only articles are articles, and the change log survives a torn write. Real copies of the seed
library in tmp_path, the real CLI, model and index."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from index import Embedder
from library import AddError, Library, MetadataChange
from library.changelog import LOG_FILE, read_log
from library.jsonlines import append_whole, complete_lines
from tests.robust_helpers import run_module, tree_state
from tests.test_formats import docx_bytes

FIRST = "000_971d94d165ba8b46.txt"
SECOND = "004_62e79214372f38a9.txt"


@pytest.fixture
def shelf(tmp_path: Path, corpus_dir: Path, seed_index_dir: Path, e5_embedder: Embedder) -> Library:
    shutil.copytree(corpus_dir, tmp_path / "corpus")
    shutil.copytree(seed_index_dir, tmp_path / "index", symlinks=True)
    return Library(tmp_path / "corpus", tmp_path / "index", e5_embedder)


def cli(shelf: Library, *args: str) -> tuple[int, str, str]:
    done = run_module("ingest", [*args, "--corpus", str(shelf.corpus_dir), "--index-dir", str(shelf.index_dir)])
    return done.returncode, done.stdout, done.stderr


def test_the_metadata_file_the_change_log_and_other_files_are_not_articles(shelf: Library) -> None:
    shelf.edit(SECOND, MetadataChange(publisher="KL"))  # a change log to protect
    (shelf.corpus_dir / "README.md").write_text("# Om mappen\n", encoding="utf-8")
    (shelf.corpus_dir / "noter.csv").write_text("a;b\n", encoding="utf-8")
    (shelf.corpus_dir / "ny.txt").write_text("Lagt i mappen, men ikke indekseret.\n", encoding="utf-8")
    before = tree_state(shelf.corpus_dir), tree_state(shelf.index_dir)
    words = {"articles.toml": "metadatafil", LOG_FILE: "egne filer", "README.md": "ikke en artikel",
             "noter.csv": "ikke en artikel", "ny.txt": "indekseres først", ".removed": "egne filer"}
    for name, word in words.items():
        code, _out, err = cli(shelf, "remove", name)  # the probe, as typed
        assert code == 2 and name in err and word in err, err
        with pytest.raises(AddError, match=word):
            shelf.edit(name, MetadataChange(title="X"))
        with pytest.raises(AddError, match=word):
            shelf.replace(name, "ny.txt", b"En ny udgave af noget, der ikke er en artikel.\n")
        with pytest.raises(AddError, match="ingen fjernet artikel" if name == "ny.txt" else word):
            shelf.restore(name)
    assert (tree_state(shelf.corpus_dir), tree_state(shelf.index_dir)) == before


def test_an_article_is_still_found_by_its_text_file_or_its_original(shelf: Library) -> None:
    added = shelf.add_article("rapport.docx", docx_bytes())
    assert added.original == "rapport.docx"
    assert shelf.edit("rapport.docx.txt", MetadataChange(publisher="KL")).file == "rapport.docx"
    assert shelf.remove("rapport.docx").file == "rapport.docx"


def test_a_torn_change_log_line_is_cut_off_and_never_swallows_the_next_entry(shelf: Library) -> None:
    shelf.edit(SECOND, MetadataChange(publisher="KL"))
    log = shelf.corpus_dir / LOG_FILE
    whole = log.read_bytes()
    log.write_bytes(whole + whole[: len(whole) // 2])  # a second entry cut short by a kill or a full disk
    code, _out, err = cli(shelf, "remove", FIRST)
    assert code == 0, err
    lines = log.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["action"] for line in lines] == ["edit", "remove"]
    assert [c.action for c in read_log(shelf.corpus_dir)] == ["edit", "remove"]
    assert "remove" in cli(shelf, "list", "--log")[1]


def test_a_torn_last_line_is_mended_when_the_library_is_next_opened(shelf: Library) -> None:
    shelf.edit(SECOND, MetadataChange(publisher="KL"))
    log = shelf.corpus_dir / LOG_FILE
    whole = log.read_bytes()
    log.write_bytes(whole + b'{"when": "2026-')
    assert [c.action for c in Library(shelf.corpus_dir, shelf.index_dir).log()] == ["edit"]
    assert log.read_bytes() == whole


@given(entries=st.lists(st.text(alphabet=st.characters(blacklist_characters="\n\r"), min_size=1, max_size=30),
                        min_size=1, max_size=6),
       cut=st.integers(min_value=0, max_value=400), then=st.text(alphabet="abc", min_size=1, max_size=10))
def test_an_entry_appended_after_any_cut_stands_whole_on_its_own_line(
    entries: list[str], cut: int, then: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    path = tmp_path_factory.mktemp("log") / "log.jsonl"
    lines = [json.dumps(e) for e in entries]
    data = ("\n".join(lines) + "\n").encode("utf-8")
    path.write_bytes(data[: min(cut, len(data))])
    kept = complete_lines(path)
    append_whole(path, json.dumps(then))
    assert complete_lines(path) == [*kept, json.dumps(then)]
    assert kept == lines[: len(kept)]
