"""A restore over a library (`python -m library restore ARCHIVE --replace`) is one transaction: killed
(SIGKILL, in a child process) at every step of its swap, the library the next command or app start
opens is wholly the one that was there or wholly the backup's, its catalogue and index agree, and
nothing is lost (the library that was there is in place or aside). Real files in tmp_path, the seed
articles and their index (built once per session, copied), the real restore."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from index import Embedder, store
from library import Library, MetadataChange, ensure_library, resolve_paths
from library.backup import backup, restore
from library.changelog import LOG_FILE, read_log
from library.paths import MARKER, write_info
from library.restore_journal import journal_path
from tests.robust_helpers import tree_state
from tests.test_library_crash import FIRST, SECOND, kill_at_every_step

ARCHIVE = "backup.tar.gz"


def copy_library(source: Path, target: Path) -> Path:
    shutil.copytree(source, target, symlinks=True)
    return target


@pytest.fixture
def there(tmp_path: Path, corpus_dir: Path, seed_index_dir: Path, e5_embedder: Embedder) -> Path:
    """The library in place: the seeds with an edit (so it has a change log of its own)."""
    root = tmp_path / "der"
    shutil.copytree(corpus_dir, root / "articles")
    shutil.copytree(seed_index_dir, root / "index", symlinks=True)
    write_info(root, "de medfølgende artikler")
    Library(root / "articles", root / "index", e5_embedder).edit(SECOND, MetadataChange(title="Lægerne i krisen"),
                                                                 who="Redaktionen")
    return root


@pytest.fixture
def archive(there: Path, tmp_path: Path, e5_embedder: Embedder) -> Path:
    """A backup of another library: the one in place, then a seed removed."""
    root = copy_library(there, tmp_path / "kilde")
    write_info(root, "kilden til backuppen")
    Library(root / "articles", root / "index", e5_embedder).remove(FIRST, who="Redaktionen")
    return backup(resolve_paths(root), tmp_path / ARCHIVE).archive


def snapshot(root: Path) -> dict[str, object]:
    """What the library is, its change log without the entries a restore or a rollback of one adds."""
    articles, index_dir = root / "articles", root / "index"
    files = {name: data for name, data in tree_state(articles).items() if name != LOG_FILE}
    return {
        "files": files,
        "log": [(c.action, c.file, c.change_id) for c in read_log(articles)
                if c.action not in ("restore-library", "rollback")],
        "marker": (root / MARKER).read_bytes(),
        "index": (tree_state(index_dir)["current ->"],
                  sorted((a.file, a.title) for a in store.read_articles(index_dir))),
    }


def aside(root: Path) -> list[Path]:
    return sorted(root.glob("*.before-restore-*"))


def leftovers(root: Path) -> list[Path]:
    """What a restore leaves only while it runs: its journal, the journal half written, its unpacked copy."""
    return [*root.glob(".*restoring-*"), *root.glob(".txn-*"), *([journal_path(root / "articles")]
                                                                 if journal_path(root / "articles").exists() else [])]


def check_opened(
    root: Path, old: dict[str, object], new: dict[str, object], old_trees: dict[str, object], rolled_back: bool = False
) -> str:
    """The library as a command or the app's start opens it: wholly old or wholly new, nothing lost
    (`rolled_back`: its log ends with the one line that says a restore was undone)."""
    ensure_library(resolve_paths(root))  # what every command and the app's start call first
    shelf = Library(root / "articles", root / "index")
    shelf.recover()
    state = snapshot(root)
    assert state in (old, new)
    assert shelf.stale_reason() is None
    in_catalog = {e.file for e in shelf.catalog() if not e.removed}
    assert in_catalog == {a.file for a in store.read_articles(root / "index")}
    assert all(e.in_index for e in shelf.catalog() if not e.removed)
    restores = [c for c in read_log(root / "articles") if c.action == "restore-library"]
    if state == new:
        assert len(restores) == 1 and restores[0].file == ARCHIVE and restores[0].detail
        kept = aside(root)
        assert [p.name.split(".before-restore-")[0] for p in kept] == ["articles", "index", MARKER]
        assert {p.name.split(".before-restore-")[0]: (tree_state(p) if p.is_dir() else p.read_bytes())
                for p in kept} == old_trees  # the library that was there, whole, its own log included
        assert kept[0].name in str(restores[0].detail)  # by name: the entry holds when the library folder moves
        assert leftovers(root) == []
        return "new"
    assert restores == [] and aside(root) == []
    articles = tree_state(root / "articles")
    if rolled_back:
        *kept_lines, last = articles[LOG_FILE].splitlines(keepends=True)
        assert b'"action":"rollback"' in last and ARCHIVE.encode() in last
        articles[LOG_FILE] = b"".join(kept_lines)
    assert {"articles": articles, "index": tree_state(root / "index"),
            MARKER: (root / MARKER).read_bytes()} == old_trees
    return "old"


def test_a_restore_over_a_library_killed_at_any_step_leaves_the_old_library_or_the_new_one_whole(
    there: Path, archive: Path, tmp_path: Path
) -> None:
    old = snapshot(there)
    old_trees = {"articles": tree_state(there / "articles"), "index": tree_state(there / "index"),
                 MARKER: (there / MARKER).read_bytes()}
    runs = kill_at_every_step(there, tmp_path / "work", {"library": ["restore", str(archive), "--replace"]})
    folder = {int(str(r["n"])): tmp_path / "work" / str(r["n"]) for r in runs}
    last = runs[-1]
    assert not last["killed"] and last["exit"] == 0, (folder[int(str(last["n"]))] / "stderr.txt").read_text()
    new = snapshot(folder[int(str(last["n"]))])
    assert new != old and ("remove", FIRST) in [(a, f) for a, f, _ in new["log"]]
    steps = [str(r["step"]) for r in runs[:-1]]
    assert all(r["killed"] for r in runs[:-1])
    assert any("udpakket" in s for s in steps) and any("journalen skrevet" in s for s in steps)
    assert sum("flyttet" in s for s in steps) == 6  # articles, index and library.json: each aside, then in

    def copied(word: str, name: str) -> Path:
        """A copy of the library a kill at the step named `word` left, for a case of its own."""
        run = next(r for r in runs if word in str(r["step"]))
        return copy_library(folder[int(str(run["n"]))], tmp_path / name)

    mid = copied("flyttet articles til", "igen")  # the old articles aside, the new not yet in place
    new_in = copied("flyttet .articles.restoring-", "skadet")  # the new articles in, the old aside
    journaled = copied("journalen skrevet", "forsvundet")  # the journal whole, nothing moved yet

    outcomes = {str(run["step"]): check_opened(folder[int(str(run["n"]))], old, new, old_trees) for run in runs[:-1]}
    # Killed while unpacking or writing the journal, the old library is untouched; once the journal is
    # whole, the swap is finished.
    journal_at = steps.index(next(s for s in steps if "journalen skrevet" in s))
    assert [outcomes[s] for s in steps[:journal_at]] == ["old"] * journal_at
    assert {outcomes[s] for s in steps[journal_at:]} == {"new"}

    # What a kill while unpacking left behind, the next restore sweeps away.
    unpacked = folder[int(str(next(r for r in runs if "udpakket" in str(r["step"]))["n"]))]
    assert list(unpacked.glob(".*restoring-*"))
    restore(archive, resolve_paths(unpacked), replace=True)
    assert check_opened(unpacked, old, new, old_trees) == "new"

    # Run again, a restore finishes the one a kill interrupted and does not lay the same backup down twice.
    again: list[str] = []
    restore(archive, resolve_paths(mid), replace=True, on_message=again.append)
    assert any("gjort færdig" in line for line in again) and any("en gang til" in line for line in again)
    assert check_opened(mid, old, new, old_trees) == "new"

    # The unpacked copy vanished before its turn (a disk that lost what it held): the swap is undone,
    # and the old articles, still in their place, are never taken for the new ones.
    shutil.rmtree(next(journaled.glob(".articles.restoring-*")))
    recovered = Library(journaled / "articles", journaled / "index").recover()
    assert recovered is not None and recovered.outcome == "rolled back" and "rullet tilbage" in recovered.message
    assert check_opened(journaled, old, new, old_trees, rolled_back=True) == "old"

    # The new articles in place but damaged: undone too, and that undoing killed at every step in its
    # turn ends with the old library whole, the rollback logged once.
    (new_in / "articles" / SECOND).unlink()
    undo_runs = kill_at_every_step(new_in, tmp_path / "undo", {"open": []})
    assert len(undo_runs) > 3 and not undo_runs[-1]["killed"] and undo_runs[-1]["exit"] == 0
    for run in undo_runs:
        root = tmp_path / "undo" / str(run["n"])
        assert check_opened(root, old, new, old_trees, rolled_back=True) == "old", run["step"]
        last = read_log(root / "articles")[-1]
        assert last.action == "rollback" and last.file == ARCHIVE and last.change_id
