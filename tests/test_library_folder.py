"""The library lives in a data folder outside the code: made from the shipped articles, found by one
setting the app and every command share, and an older checkout's corpus/ moved over once.

Commands run in a checkout of this tree in tmp_path (tests/checkout.py) with the real model; after
adding, editing and removing through the command line and the app's own code, git sees no change."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from library import LIBRARY_ENV, Library, LibraryLayoutError, ensure_library, resolve_paths
from library.paths import DEFAULT_LIBRARY, LAYOUT_VERSION, MARKER
from tests import checkout
from tests.robust_helpers import ROOT

ARTICLE = (
    "Erfaringer fra oversvømmelsen i Vejle\n\n"
    "Kommunen åbnede et varmested i idrætshallen, da vandet steg. \"Vi lærte, at sandsække skal ligge klar i "
    "hvert distrikt,\" siger beredskabschefen. Frivillige fra spejderne bar sandsække i to døgn.\n"
)
SEEDS = ("000_971d94d165ba8b46.txt", "004_62e79214372f38a9.txt", "articles.toml")


def test_the_folders_come_from_one_setting_and_the_old_flags_still_name_folders_alone(tmp_path: Path) -> None:
    assert resolve_paths(environ={}).corpus_dir == DEFAULT_LIBRARY / "articles"
    assert resolve_paths(environ={}).index_dir == DEFAULT_LIBRARY / "index"
    assert DEFAULT_LIBRARY == ROOT / "data"
    from_env = resolve_paths(environ={LIBRARY_ENV: str(tmp_path / "lib")})
    assert (from_env.root, from_env.corpus_dir, from_env.index_dir) == (
        tmp_path / "lib", tmp_path / "lib" / "articles", tmp_path / "lib" / "index")
    flag = resolve_paths(tmp_path / "flag", environ={LIBRARY_ENV: str(tmp_path / "lib")})
    assert flag.root == tmp_path / "flag"  # the flag wins over the environment
    alone = resolve_paths(corpus=tmp_path / "c", environ={LIBRARY_ENV: str(tmp_path / "lib")})
    assert (alone.root, alone.corpus_dir, alone.index_dir) == (None, tmp_path / "c", Path(".index"))
    both = resolve_paths(corpus="corpus", index_dir="idx", environ={})
    assert (both.corpus_dir, both.index_dir) == (Path("corpus"), Path("idx"))
    index_only = resolve_paths(index_dir=tmp_path / "i", environ={LIBRARY_ENV: str(tmp_path / "lib")})
    assert (index_only.corpus_dir, index_only.index_dir) == (tmp_path / "lib" / "articles", tmp_path / "i")
    assert ensure_library(alone) is None and not (tmp_path / "c").exists()  # folders named alone are used as they are


def test_a_new_library_holds_the_shipped_articles_and_a_newer_layout_is_refused(tmp_path: Path) -> None:
    paths = resolve_paths(tmp_path / "lib")
    message = ensure_library(paths)
    assert message is not None and "2 medfølgende artikler" in message
    assert sorted(p.name for p in paths.corpus_dir.iterdir()) == sorted(SEEDS)
    for name in SEEDS:
        assert (paths.corpus_dir / name).read_bytes() == (ROOT / "corpus" / name).read_bytes()
    info = json.loads((tmp_path / "lib" / MARKER).read_text(encoding="utf-8"))
    assert info["layout"] == LAYOUT_VERSION
    assert ensure_library(paths) is None  # made once
    newer = tmp_path / "newer"
    newer.mkdir()
    (newer / MARKER).write_text(json.dumps({"layout": LAYOUT_VERSION + 1}), encoding="utf-8")
    with pytest.raises(LibraryLayoutError, match="nyere version"):
        ensure_library(resolve_paths(newer))
    assert not (newer / "articles").exists()
    blocked = tmp_path / "en-fil.txt"
    blocked.write_text("ikke en mappe", encoding="utf-8")
    with pytest.raises(LibraryLayoutError, match=r"kan ikke laves i .*--library"):
        ensure_library(resolve_paths(blocked / "bibliotek"))


def test_adding_editing_and_removing_in_a_clone_changes_no_tracked_file(tmp_path: Path) -> None:
    repo = checkout.clone(tmp_path / "erfaringsbanken")
    source = tmp_path / "oversvoemmelse.txt"
    source.write_text(ARTICLE, encoding="utf-8")
    added = checkout.run(repo, "-m", "ingest", "add", str(source), "--title", "Oversvømmelsen i Vejle", "--quiet")
    assert added.returncode == 0, added.stderr
    assert "Nyt bibliotek" in added.stderr and "medfølgende artikler" in added.stderr
    edited = checkout.run(repo, "-m", "ingest", "edit", "oversvoemmelse.txt", "--publisher", "Vejle Kommune", "--quiet")
    assert edited.returncode == 0, edited.stderr
    # The app's own code path (the upload page and the articles page call these with the app's settings).
    note = tmp_path / "notat.txt"
    note.write_text(ARTICLE.replace("Vejle", "Kolding"), encoding="utf-8")
    app_side = checkout.run(repo, "-c", (
        "import sys\n"
        "from pathlib import Path\n"
        "from library import Library\n"
        "from ui.article_edits import remove\n"
        "from ui.settings import load_settings\n"
        "from ui.upload import UploadForm, add_upload\n"
        "s = load_settings()\n"
        "data = Path(sys.argv[1]).read_bytes()\n"
        "print(add_upload('notat.txt', data, UploadForm(title='Et notat'), s, who='app').ok)\n"
        "article = next(a for a in Library(s.corpus_dir, s.index_dir).searcher().articles if a.file == 'notat.txt')\n"
        "print(remove(s, article, 'app').ok)\n"
    ), str(note))
    assert app_side.returncode == 0, app_side.stderr
    assert app_side.stdout.split() == ["True", "True"], app_side.stdout
    removed = checkout.run(repo, "-m", "ingest", "remove", "000_971d94d165ba8b46.txt", "--quiet")
    assert removed.returncode == 0, removed.stderr
    asked = checkout.run(repo, "-m", "index", "Hvem bar sandsække?", "--json", "--k", "1")
    assert asked.returncode == 0, asked.stderr
    assert json.loads(asked.stdout)["results"][0]["article"]["file"] == "oversvoemmelse.txt"

    assert checkout.git(repo, "status", "--porcelain", "--untracked-files=all") == ""
    library = Library(repo / "data" / "articles", repo / "data" / "index")
    assert [(c.action, c.file, c.who) for c in library.log()][-3:] == [
        ("add", "notat.txt", "app"), ("remove", "notat.txt", "app"),
        ("remove", "000_971d94d165ba8b46.txt", library.log()[-1].who)]
    assert {e.file for e in library.catalog() if not e.removed} == {"004_62e79214372f38a9.txt", "oversvoemmelse.txt"}


def test_an_older_checkout_s_library_in_corpus_is_moved_over_once_with_a_message(tmp_path: Path) -> None:
    repo = checkout.clone(tmp_path / "erfaringsbanken")
    source = tmp_path / "oversvoemmelse.txt"
    source.write_text(ARTICLE, encoding="utf-8")
    # What the previous version did by default: the library in the tracked corpus/, its index in .index.
    old = ("--corpus", "corpus", "--index-dir", ".index", "--quiet")
    assert checkout.run(repo, "-m", "ingest", "add", str(source), *old).returncode == 0
    assert checkout.run(repo, "-m", "ingest", "remove", "000_971d94d165ba8b46.txt", *old).returncode == 0
    changed = checkout.git(repo, "status", "--porcelain", "--untracked-files=all")
    assert "corpus/articles.toml" in changed and "corpus/.changes.jsonl" in changed
    built = (repo / ".index" / "current").readlink()

    moved = checkout.run(repo, "-m", "ingest", "--if-stale", "--quiet")
    assert moved.returncode == 0, moved.stderr
    assert "flyttet én gang" in moved.stderr and "sat tilbage" in moved.stderr
    assert "er opdateret" in moved.stdout  # the index came along: nothing was built again
    assert checkout.git(repo, "status", "--porcelain", "--untracked-files=all") == ""
    articles = repo / "data" / "articles"
    assert (articles / "oversvoemmelse.txt").read_text(encoding="utf-8") == ARTICLE
    assert not (articles / "000_971d94d165ba8b46.txt").exists() and (articles / ".removed").is_dir()
    assert (repo / "data" / "index" / "current").readlink() == built
    library = Library(articles, repo / "data" / "index")
    assert [(c.action, c.file) for c in library.log()] == [("add", "oversvoemmelse.txt"),
                                                          ("remove", "000_971d94d165ba8b46.txt")]
    assert [e.file for e in library.removed()] == ["000_971d94d165ba8b46.txt"]
    again = checkout.run(repo, "-m", "ingest", "list")
    assert again.returncode == 0 and "flyttet" not in again.stderr  # once
    assert "oversvoemmelse.txt" in again.stdout
