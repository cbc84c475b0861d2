"""Keeping the library from the command line: whole folders, list, edit, replace, remove, restore, the
change log, and two editors adding at once. Real processes, the real model and index."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import index
from ingest.metadata import read_metadata
from tests.robust_helpers import OFFLINE_ENV, ROOT, article
from tests.test_formats import docx_bytes

QUESTION_SKANDERBORG = "Hvordan klarede Skanderborg krisen?"


def ingest_cli(*args: str, corpus: Path, index_dir: Path) -> subprocess.CompletedProcess[str]:
    import os

    return subprocess.run(
        [sys.executable, "-m", "ingest", *args, "--corpus", str(corpus), "--index-dir", str(index_dir)],
        cwd=ROOT, capture_output=True, text=True, timeout=300, env={**os.environ, **OFFLINE_ENV},
    )


@pytest.fixture
def library(tmp_path: Path, corpus_dir: Path, seed_index_dir: Path) -> tuple[Path, Path]:
    corpus = tmp_path / "corpus"
    shutil.copytree(corpus_dir, corpus)
    index_dir = tmp_path / "index"
    shutil.copytree(seed_index_dir, index_dir, symlinks=True)
    return corpus, index_dir


def answer_files(index_dir: Path, question: str, k: int = 10) -> list[str]:
    return [r.article.file for r in index.load(index_dir).search(question, k=k).results]


def test_a_whole_folder_is_added_with_one_index_update_and_a_line_per_file(
    library: tuple[Path, Path], tmp_path: Path
) -> None:
    corpus, index_dir = library
    folder = tmp_path / "nye"
    (folder / "under").mkdir(parents=True)
    (folder / "skanderborg.txt").write_text(article("Skanderborg"), encoding="utf-8")
    (folder / "under" / "notat.docx").write_bytes(docx_bytes())
    (folder / "tom.txt").write_text("", encoding="utf-8")
    (folder / "skanderborg_kopi.txt").write_text(article("Skanderborg"), encoding="utf-8")
    (folder / ".skjult.txt").write_text(article("Hidden"), encoding="utf-8")
    (folder / "billede.png").write_bytes(b"\x89PNG")
    builds_before = set((index_dir).glob("build-*"))
    done = ingest_cli("add", str(folder), corpus=corpus, index_dir=index_dir)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Tilføjet: skanderborg.txt" in out and "Tilføjet: notat.docx (tekst: notat.docx.txt)" in out
    assert re.search(r"Ikke tilføjet: tom\.txt – .*tom", out)
    assert re.search(r"Ikke tilføjet: skanderborg_kopi\.txt – .*findes allerede", out)
    assert ".skjult" not in out and "billede" not in out
    assert "2 af 4 filer kan søges med det samme" in out
    # One progress line with the time left, one index update for both articles.
    assert "tilbage" in done.stderr and "Indlejrer tekster" in done.stderr
    assert len(set(index_dir.glob("build-*")) - builds_before) == 1
    assert "skanderborg.txt" in answer_files(index_dir, QUESTION_SKANDERBORG)


def test_a_taken_name_is_replaced_only_when_asked_and_the_old_version_can_be_restored(
    library: tuple[Path, Path], tmp_path: Path
) -> None:
    corpus, index_dir = library
    first, second = tmp_path / "a" / "notat.txt", tmp_path / "b" / "notat.txt"
    first.parent.mkdir()
    second.parent.mkdir()
    first.write_text(article("Skanderborg"), encoding="utf-8")
    second.write_text(article("Glostrup"), encoding="utf-8")
    assert ingest_cli("add", str(first), corpus=corpus, index_dir=index_dir).returncode == 0
    refused = ingest_cli("add", str(second), corpus=corpus, index_dir=index_dir)
    assert refused.returncode == 2 and "--replace" in refused.stdout
    assert (corpus / "notat.txt").read_text(encoding="utf-8") == first.read_text(encoding="utf-8")
    replaced = ingest_cli("add", str(second), "--replace", corpus=corpus, index_dir=index_dir)
    assert replaced.returncode == 0 and "Erstattet: notat.txt" in replaced.stdout
    assert "Glostrup" in (corpus / "notat.txt").read_text(encoding="utf-8")
    restored = ingest_cli("restore", "notat.txt", corpus=corpus, index_dir=index_dir)
    assert restored.returncode == 0, restored.stderr
    assert (corpus / "notat.txt").read_text(encoding="utf-8") == first.read_text(encoding="utf-8")
    assert "notat.txt" in answer_files(index_dir, QUESTION_SKANDERBORG)


def test_edit_changes_one_entry_and_the_next_answer_without_embedding_the_article_again(
    library: tuple[Path, Path],
) -> None:
    corpus, index_dir = library
    toml = corpus / "articles.toml"
    before_lines = toml.read_text(encoding="utf-8").splitlines()
    cache_before = len(index.load(index_dir).parts.cache_keys)
    done = ingest_cli("edit", "004_62e79214372f38a9.txt", "--title", "Samarbejdet med lægerne i krisen",
                      "--url", "https://www.eksempel.example/artikel", "--published", "2020-05-20",
                      corpus=corpus, index_dir=index_dir)
    assert done.returncode == 0, done.stderr
    after_lines = toml.read_text(encoding="utf-8").splitlines()
    # Every line outside the edited entry (the comments, the other entry) is as it was.
    entry = read_metadata(toml).entries["004_62e79214372f38a9.txt"]
    assert entry.title == "Samarbejdet med lægerne i krisen" and entry.title_is_derived is False
    assert entry.url == "https://www.eksempel.example/artikel" and str(entry.published) == "2020-05-20"
    assert entry.authors == ["Anne-Mette Scheibel", "Nanna Hebsgaard"]  # fields not edited are kept
    untouched = [ln for ln in before_lines if "004_" not in ln][:12]
    assert after_lines[: len(untouched)] == untouched
    searcher = index.load(index_dir)
    hit = next(r for r in searcher.search("samarbejde med de praktiserende læger").results
               if r.article.file == "004_62e79214372f38a9.txt")
    assert hit.article.title == "Samarbejdet med lægerne i krisen" and hit.article.title_is_derived is False
    assert len(searcher.parts.cache_keys) - cache_before <= 1  # the new title; no passage embedded again
    bad = ingest_cli("edit", "004_62e79214372f38a9.txt", "--url", "ikke et link", corpus=corpus, index_dir=index_dir)
    assert bad.returncode == 2 and "--url" in bad.stderr


def test_remove_takes_an_article_out_keeps_its_bytes_and_restore_brings_it_back(library: tuple[Path, Path]) -> None:
    corpus, index_dir = library
    name = "000_971d94d165ba8b46.txt"
    data = (corpus / name).read_bytes()
    question = "Hvordan fik kommunerne hjælp af festivalvagter ved skoleåbningen?"
    assert name in answer_files(index_dir, question)
    removed = ingest_cli("remove", name, corpus=corpus, index_dir=index_dir)
    assert removed.returncode == 0, removed.stderr
    assert not (corpus / name).exists() and name not in answer_files(index_dir, question, k=50)
    kept = list((corpus / ".removed").rglob(name))
    assert len(kept) == 1 and kept[0].read_bytes() == data
    assert name not in (corpus / "articles.toml").read_text(encoding="utf-8")
    listed = json.loads(ingest_cli("list", "--json", corpus=corpus, index_dir=index_dir).stdout)["articles"]
    gone = next(a for a in listed if a["file"] == name)
    assert gone["removed"] is True and gone["title"].startswith("Samarbejde og innovation")
    last = ingest_cli("remove", "004_62e79214372f38a9.txt", corpus=corpus, index_dir=index_dir)
    assert last.returncode == 2 and "mindst én artikel" in last.stderr
    restored = ingest_cli("restore", name, corpus=corpus, index_dir=index_dir)
    assert restored.returncode == 0, restored.stderr
    assert (corpus / name).read_bytes() == data and name in answer_files(index_dir, question)
    assert read_metadata(corpus / "articles.toml").entries[name].publisher == "NB-Nyt"


def test_list_shows_every_article_and_the_log_who_changed_what(library: tuple[Path, Path], tmp_path: Path) -> None:
    corpus, index_dir = library
    listed = json.loads(ingest_cli("list", "--json", corpus=corpus, index_dir=index_dir).stdout)["articles"]
    assert {a["file"] for a in listed} == {"000_971d94d165ba8b46.txt", "004_62e79214372f38a9.txt"}
    for entry in listed:
        for key in ("file", "title", "title_is_derived", "publisher", "url", "passages", "removed", "in_index"):
            assert key in entry
        assert entry["in_index"] is True and entry["passages"] > 0
    new = tmp_path / "skanderborg.txt"
    new.write_text(article("Skanderborg"), encoding="utf-8")
    ingest_cli("add", str(new), corpus=corpus, index_dir=index_dir)
    ingest_cli("remove", "skanderborg.txt", corpus=corpus, index_dir=index_dir)
    log = json.loads(ingest_cli("list", "--log", "--json", corpus=corpus, index_dir=index_dir).stdout)
    assert [(c["action"], c["file"]) for c in log] == [("add", "skanderborg.txt"), ("remove", "skanderborg.txt")]
    assert all(c["who"] and c["when"] and len(c["sha256"]) == 64 for c in log)
    text = ingest_cli("list", "--log", corpus=corpus, index_dir=index_dir).stdout
    assert "add skanderborg.txt" in text and "remove skanderborg.txt" in text


def test_two_editors_adding_at_once_lose_no_entry(library: tuple[Path, Path], tmp_path: Path) -> None:
    import os

    corpus, index_dir = library
    files = []
    for town in ("Skanderborg", "Glostrup"):
        path = tmp_path / f"{town.lower()}.txt"
        path.write_text(article(town), encoding="utf-8")
        files.append(path)
    env = {**os.environ, **OFFLINE_ENV}
    runs = [
        subprocess.Popen([sys.executable, "-m", "ingest", "add", str(f), "--title", f"Artikel om {f.stem}",
                          "--corpus", str(corpus), "--index-dir", str(index_dir), "--quiet"],
                         cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for f in files
    ]
    for run in runs:
        _out, err = run.communicate(timeout=300)
        assert run.returncode == 0, err
    entries = read_metadata(corpus / "articles.toml").entries
    assert {"skanderborg.txt", "glostrup.txt"} <= set(entries)
    assert entries["glostrup.txt"].title == "Artikel om glostrup"
    searcher = index.load(index_dir)
    assert {"skanderborg.txt", "glostrup.txt"} <= {a.file for a in searcher.articles}
