"""Backup and restore of a whole library, one command each (`python -m library backup|restore`): an archive
with a manifest and checksums, restored onto an empty folder (the same answers), onto a newer version
(its older index rebuilt, never misread), and refused when damaged, from a newer version, or over a
library that is there unless asked to replace it (which keeps the old one aside)."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import tarfile
from pathlib import Path

import pytest

from index import Embedder, store
from library import Library, new_article, resolve_paths
from library.backup import MANIFEST, SUMS, BackupError, backup, restore
from tests.previous_format import PREVIOUS_FORMAT, downgrade
from tests.robust_helpers import run_module

QUESTION = "Hvem bar sandsække?"
ARTICLE = ("Erfaringer fra oversvømmelsen i Vejle\n\nKommunen åbnede et varmested i idrætshallen. \"Vi lærte, at "
           "sandsække skal ligge klar i hvert distrikt,\" siger beredskabschefen. Frivillige fra spejderne bar "
           "sandsække i to døgn.\n")


@pytest.fixture
def library_dir(tmp_path: Path, corpus_dir: Path, seed_index_dir: Path, e5_embedder: Embedder) -> Path:
    """A library that has lived: an article added, a seed removed (a change log, a removed article)."""
    root = tmp_path / "bibliotek"
    shutil.copytree(corpus_dir, root / "articles")
    shutil.copytree(seed_index_dir, root / "index", symlinks=True)
    shelf = Library(root / "articles", root / "index", e5_embedder)
    shelf.add_article("oversvoemmelse.txt", ARTICLE.encode("utf-8"), new_article(title="Oversvømmelsen i Vejle"),
                      who="Redaktionen")
    shelf.remove("000_971d94d165ba8b46.txt", who="Redaktionen")
    return root


def answers(root: Path) -> list[tuple[str, str]]:
    done = run_module("index", [QUESTION, "--json", "--k", "3", "--library", str(root)])
    assert done.returncode == 0, done.stderr
    return [(r["article"]["file"], r["text"]) for r in json.loads(done.stdout)["results"]]


def state(root: Path) -> tuple[object, ...]:
    shelf = Library(root / "articles", root / "index")
    return ([(c.when, c.who, c.action, c.file, c.sha256) for c in shelf.log()],
            sorted((e.file, e.title, e.removed) for e in shelf.catalog()),
            sorted(p.relative_to(root / "articles").as_posix() for p in (root / "articles").rglob("*") if p.is_file()))


def restored_state(root: Path, archive: Path) -> tuple[object, ...]:
    """`state` of a restored library, whose log ends with the restore (checked here, then left out)."""
    log, *rest = state(root)
    assert isinstance(log, list) and log[-1][2:4] == ("restore-library", archive.name)
    return (log[:-1], *rest)


def test_a_backup_restored_onto_an_empty_folder_is_the_same_library_with_the_same_answers(
    library_dir: Path, tmp_path: Path
) -> None:
    archive = tmp_path / "backup.tar.gz"
    saved = run_module("library", ["backup", "--library", str(library_dir), "--to", str(archive)])
    assert saved.returncode == 0, saved.stderr
    assert "Backup skrevet" in saved.stdout and "2 artikler" in saved.stdout
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.loads(tar.extractfile(MANIFEST).read())  # type: ignore[union-attr]
        sums = tar.extractfile(SUMS).read().decode()  # type: ignore[union-attr]
        for line in sums.splitlines():  # what `sha256sum -c SHA256SUMS` checks after unpacking by hand
            digest, name = line.split("  ", 1)
            assert hashlib.sha256(tar.extractfile(name).read()).hexdigest() == digest  # type: ignore[union-attr]
    assert "articles/.changes.jsonl" in names and any(n.startswith("articles/.removed/") for n in names)
    assert "index/current" in names and manifest["index"]["format_version"] == store.FORMAT_VERSION
    assert set(manifest["files"]) == {line.split("  ", 1)[1] for line in sums.splitlines()}

    target = tmp_path / "ny-server" / "bibliotek"  # an empty folder on another machine
    restored = run_module("library", ["restore", str(archive), "--library", str(target)])
    assert restored.returncode == 0, restored.stderr
    assert "kontrolleret" in restored.stdout and "Indekset fra backuppen bruges" in restored.stdout
    assert restored_state(target, archive) == state(library_dir)
    assert answers(target) == answers(library_dir)
    assert answers(target)[0][0] == "oversvoemmelse.txt"
    assert Library(target / "articles", target / "index").stale_reason() is None


def test_a_backup_from_the_previous_version_is_restored_here_with_its_index_rebuilt(
    library_dir: Path, tmp_path: Path
) -> None:
    before = answers(library_dir)
    downgrade(library_dir / "index")  # the library as the version before this one left it
    archive = tmp_path / "gammel.tar.gz"
    report = backup(resolve_paths(library_dir), archive)
    assert report.index is not None and report.index.format_version == PREVIOUS_FORMAT
    target = tmp_path / "opgraderet"
    lines: list[str] = []
    done = restore(archive, resolve_paths(target), on_message=lines.append)
    assert done.rebuilt == "indekset er skrevet af en anden version af programmet."
    assert any(line.startswith("Bygger indekset igen: indekset er skrevet af en anden version") for line in lines)
    assert Library(target / "articles", target / "index").stale_reason() is None
    assert answers(target) == before


def rewritten(archive: Path, target: Path, change: dict[str, bytes]) -> Path:
    """The archive with some members' bytes replaced (the manifest left as it was)."""
    with tarfile.open(archive) as source, tarfile.open(target, "w:gz") as out:
        for member in source.getmembers():
            data = source.extractfile(member).read() if member.isfile() else None  # type: ignore[union-attr]
            if member.name in change:
                data = change[member.name]
                member.size = len(data)
            out.addfile(member, io.BytesIO(data) if data is not None else None)
    return target


def test_a_damaged_or_newer_archive_is_refused_before_anything_is_written(library_dir: Path, tmp_path: Path) -> None:
    archive = backup(resolve_paths(library_dir), tmp_path / "ok.tar.gz").archive
    toml = (library_dir / "articles" / "articles.toml").read_bytes()
    damaged = rewritten(archive, tmp_path / "skadet.tar.gz", {"articles/articles.toml": toml.replace(b"a", b"b", 1)})
    target = tmp_path / "mål"
    with pytest.raises(BackupError, match="passer ikke med manifestet"):
        restore(damaged, resolve_paths(target))
    assert not (target / "articles").exists() and not (target / "index").exists()
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile(MANIFEST).read())  # type: ignore[union-attr]
    manifest["archive_format"] = 2
    newer = rewritten(archive, tmp_path / "nyere.tar.gz", {MANIFEST: json.dumps(manifest).encode()})
    with pytest.raises(BackupError, match="nyere version"):
        restore(newer, resolve_paths(target))
    cli = run_module("library", ["restore", str(damaged), "--library", str(target)])
    assert cli.returncode == 2 and "Fejl:" in cli.stderr and "passer ikke" in cli.stderr
    assert not (target / "articles").exists()


def test_restoring_over_a_library_needs_replace_and_keeps_the_old_one_aside(
    library_dir: Path, tmp_path: Path, corpus_dir: Path, seed_index_dir: Path
) -> None:
    archive = backup(resolve_paths(library_dir), tmp_path / "b.tar.gz").archive
    there = tmp_path / "der"
    shutil.copytree(corpus_dir, there / "articles")
    shutil.copytree(seed_index_dir, there / "index", symlinks=True)
    with pytest.raises(BackupError, match="--replace"):
        restore(archive, resolve_paths(there))
    assert sorted(p.name for p in (there / "articles").iterdir()) == sorted(p.name for p in corpus_dir.iterdir())
    done = restore(archive, resolve_paths(there), replace=True)
    assert restored_state(there, archive) == state(library_dir)
    assert len(done.kept_aside) == 2 and all(p.name.startswith(("articles.before-restore-", "index.before-restore-"))
                                             for p in done.kept_aside)
    kept = next(p for p in done.kept_aside if p.name.startswith("articles"))
    assert (kept / "000_971d94d165ba8b46.txt").is_file()  # the library that was there: aside, not deleted
