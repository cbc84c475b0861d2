"""A change to the library is one transaction, across a kill: killed at every step (SIGKILL, in a
child process), the next command or app start brings the library to the state before or the state
after, and the change log agrees. Real files in tmp_path, the real model and index."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from index import Embedder, store
from library import Library, stale_reason
from library.changelog import LOG_FILE, read_log
from library.transaction import JOURNAL_DIR, REMOVED_DIR
from tests.robust_helpers import OFFLINE_ENV, ROOT, article, run_module
from tests.test_formats import docx_bytes

FIRST = "000_971d94d165ba8b46.txt"
SECOND = "004_62e79214372f38a9.txt"


def library_state(corpus: Path, index_dir: Path) -> dict[str, object]:
    """What a leader and an editor can see of a library: its files, its removed articles (folder
    names and times aside), other folders, and the articles and titles its index holds."""
    removed = []
    for folder in sorted((corpus / REMOVED_DIR).iterdir()) if (corpus / REMOVED_DIR).is_dir() else []:
        about = json.loads((folder / "removal.json").read_text(encoding="utf-8"))
        kept = tuple(sorted((f.name, f.read_bytes()) for f in folder.iterdir() if f.name != "removal.json"))
        removed.append((about["name"], about["reason"], kept))
    return {
        "files": {p.name: p.read_bytes() for p in sorted(corpus.iterdir()) if p.is_file() and p.name != LOG_FILE},
        "removed": sorted(removed),
        "folders": sorted(p.name for p in corpus.iterdir() if p.is_dir() and p.name != REMOVED_DIR),
        "index": sorted((a.file, a.title) for a in store.read_articles(index_dir)),
    }


def logged(corpus: Path) -> list[tuple[str, str]]:
    return [(c.action, c.file) for c in read_log(corpus) if c.action != "rollback"]


@pytest.fixture
def template(tmp_path: Path, corpus_dir: Path, seed_index_dir: Path) -> Path:
    folder = tmp_path / "template"
    shutil.copytree(corpus_dir, folder / "corpus")
    shutil.copytree(seed_index_dir, folder / "index", symlinks=True)
    return folder


def kill_at_every_step(template: Path, work: Path, spec: dict[str, list[str]]) -> list[dict[str, object]]:
    done = subprocess.run(
        [sys.executable, "-m", "tests.crash_driver", str(template), str(work), json.dumps(spec)],
        cwd=ROOT, capture_output=True, text=True, timeout=900, env={**os.environ, **OFFLINE_ENV},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return [json.loads(line) for line in done.stdout.splitlines()]


def check_every_kill(
    template: Path, work: Path, spec: dict[str, list[str]], embedder: Embedder
) -> list[dict[str, object]]:
    """Kill the change at every step; recover each; every library is as before or as after."""
    before = library_state(template / "corpus", template / "index")
    before_log = logged(template / "corpus")
    runs = kill_at_every_step(template, work, spec)
    last = work / str(runs[-1]["n"])
    assert not runs[-1]["killed"] and runs[-1]["exit"] == 0, (last / "stderr.txt").read_text(encoding="utf-8")
    after = library_state(last / "corpus", last / "index")
    after_log = logged(last / "corpus")
    assert after != before and len(after_log) > len(before_log) and after_log[: len(before_log)] == before_log
    outcomes = []
    for run in runs[:-1]:
        assert run["killed"] and run["step"], run
        corpus, index_dir = work / str(run["n"]) / "corpus", work / str(run["n"]) / "index"
        shelf = Library(corpus, index_dir, embedder)
        shelf.recover()
        state = library_state(corpus, index_dir)
        where = f"killed at {run['step']}"
        assert state in (before, after), where
        assert not (corpus / JOURNAL_DIR).exists() and not list(corpus.glob(".txn-*")), where
        assert stale_reason(corpus, index_dir) is None, where
        assert logged(corpus) == (before_log if state == before else after_log), where
        assert shelf.recover() is None, where
        outcomes.append("before" if state == before else "after")
        run["outcome"] = outcomes[-1]
    # Killed early the change is undone, killed once its index is in place it is finished.
    assert outcomes[0] == "before" and outcomes[-1] == "after" and len(runs) > 10
    return runs


def test_an_add_of_two_files_killed_at_any_step_is_undone_or_finished_and_the_next_command_says_so(
    template: Path, tmp_path: Path, e5_embedder: Embedder
) -> None:
    folder = tmp_path / "nye"
    folder.mkdir()
    for town in ("Skanderborg", "Glostrup"):
        (folder / f"{town.lower()}.txt").write_text(article(town), encoding="utf-8")
    runs = check_every_kill(template, tmp_path / "work", {"cli": ["add", str(folder)]}, e5_embedder)
    # The same add again, after a kill undid it, adds both files (before, it refused all as existing).
    undone = next(r for r in runs if r.get("outcome") == "before" and "indeks" in str(r["step"]))
    corpus = tmp_path / "work" / str(undone["n"]) / "corpus"
    again = run_module("ingest", ["add", str(folder), "--corpus", str(corpus), "--index-dir",
                                  str(corpus.parent / "index"), "--quiet"])
    assert again.returncode == 0 and "2 af 2 filer" in again.stdout, again.stdout + again.stderr
    assert [c.action for c in read_log(corpus)] == ["rollback", "add", "add"]


def test_the_next_command_finishes_or_undoes_a_killed_change_and_says_so(
    template: Path, tmp_path: Path, e5_embedder: Embedder
) -> None:
    # Killed twice: once while the index was being built (undone), once after it was in place (finished).
    new = tmp_path / "skanderborg.txt"
    new.write_text(article("Skanderborg"), encoding="utf-8")
    runs = kill_at_every_step(template, tmp_path / "work", {"cli": ["add", str(new)]})
    building = next(r for r in runs if "indeks: Bygger" in str(r["step"]))
    committed = next(r for r in runs if "journal: commit" in str(r["step"]))
    for run, word, present in ((building, "rullet tilbage", False), (committed, "gjort færdig", True)):
        corpus = tmp_path / "work" / str(run["n"]) / "corpus"
        listed = run_module("ingest", ["list", "--corpus", str(corpus), "--index-dir", str(corpus.parent / "index")])
        assert listed.returncode == 0 and word in listed.stderr, listed.stderr
        assert ("skanderborg.txt" in listed.stdout) is present and "i indekset" in listed.stdout
        assert (("add", "skanderborg.txt") in logged(corpus)) is present


def test_an_edit_killed_at_any_step_is_undone_or_finished(
    template: Path, tmp_path: Path, e5_embedder: Embedder
) -> None:
    spec = {"cli": ["edit", SECOND, "--title", "Samarbejdet med lægerne i krisen"]}
    check_every_kill(template, tmp_path / "work", spec, e5_embedder)


def test_a_removal_killed_at_any_step_is_undone_or_finished(
    template: Path, tmp_path: Path, e5_embedder: Embedder
) -> None:
    check_every_kill(template, tmp_path / "work", {"cli": ["remove", FIRST]}, e5_embedder)


def test_a_replacement_by_another_format_killed_at_any_step_is_undone_or_finished(
    template: Path, tmp_path: Path, e5_embedder: Embedder
) -> None:
    new = tmp_path / "ny.docx"
    new.write_bytes(docx_bytes())
    check_every_kill(template, tmp_path / "work", {"replace": [FIRST, "ny udgave.docx", str(new)]}, e5_embedder)


def test_an_add_that_replaces_killed_at_any_step_is_undone_or_finished(
    template: Path, tmp_path: Path, e5_embedder: Embedder
) -> None:
    Library(template / "corpus", template / "index", e5_embedder).add_article(
        "notat.txt", article("Skanderborg").encode("utf-8"))
    new = tmp_path / "ny" / "notat.txt"
    new.parent.mkdir()
    new.write_text(article("Glostrup"), encoding="utf-8")
    check_every_kill(template, tmp_path / "work", {"cli": ["add", str(new), "--replace"]}, e5_embedder)


def test_a_restore_killed_at_any_step_is_undone_or_finished(
    template: Path, tmp_path: Path, e5_embedder: Embedder
) -> None:
    Library(template / "corpus", template / "index", e5_embedder).remove(FIRST)
    check_every_kill(template, tmp_path / "work", {"cli": ["restore", FIRST]}, e5_embedder)


def test_the_app_start_recovers_a_killed_change_before_it_loads_the_index(
    template: Path, tmp_path: Path, e5_embedder: Embedder
) -> None:
    runs = kill_at_every_step(template, tmp_path / "work", {"cli": ["remove", FIRST]})
    moved = next(r for r in runs if "flyttet" in str(r["step"]))
    corpus, index_dir = tmp_path / "work" / str(moved["n"]) / "corpus", tmp_path / "work" / str(moved["n"]) / "index"
    assert (corpus / JOURNAL_DIR).exists() and not (corpus / FIRST).exists()
    searcher = Library(corpus, index_dir, e5_embedder).ensure_index()  # what the app's first page calls
    assert (corpus / FIRST).exists() and {a.file for a in searcher.articles} == {FIRST, SECOND}
    assert [c.action for c in read_log(corpus)] == ["rollback"]
