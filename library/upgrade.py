"""Upgrading from a version that kept the library inside the code: its `corpus/` moved over once.

Before the library had a data folder of its own, an article added through the app or
`python -m ingest add` went into the repository's `corpus/` (a tracked articles.toml changed, the
change log and the removed articles beside them) and the index into `.index`. The first start of
this version finds that, copies the whole folder into the new library (checked byte for byte),
copies the index with it (so nothing is embedded again), and puts `corpus/` back to the articles
the repository ships, so `git pull` never meets the municipality's own files again.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

# What the library itself leaves in a folder it has changed (library/changelog.py, library/transaction.py).
TRACES = (".changes.jsonl", ".removed", ".journal")
LEGACY_INDEX = ".index"


def _git_status(checkout: Path, seeds: Path) -> list[str] | None:
    """The paths under `seeds` git sees as changed, deleted or new; None when git cannot tell."""
    if not (checkout / ".git").exists():
        return None
    try:
        done = subprocess.run(
            ["git", "-C", str(checkout), "status", "--porcelain=v1", "-z", "--untracked-files=all", "--",
             str(seeds.relative_to(checkout))],
            capture_output=True, timeout=60, check=False,
        )
    except (OSError, ValueError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0:
        return None
    entries = done.stdout.decode("utf-8", "surrogateescape").split("\0")
    paths, skip = [], False
    for entry in entries:
        if skip or not entry:
            skip = False
            continue
        status, path = entry[:2], entry[3:]
        skip = status[0] in "RC"  # a rename or copy is followed by its source path
        paths.append(path)
    return paths


def legacy_additions(checkout: Path, seeds: Path) -> list[str]:
    """What the checkout's corpus/ holds beyond what the repository ships with.

    In a git checkout: every file git sees as changed, deleted or new there. Elsewhere (an unpacked
    release): the library's own traces, a change log, removed articles or a journal.

    Returns:
        Paths relative to the checkout; empty when corpus/ is as shipped.
    """
    if not seeds.is_dir():
        return []
    status = _git_status(checkout, seeds)
    if status is not None:
        return status
    return [str((seeds / name).relative_to(checkout)) for name in TRACES if (seeds / name).exists()]


def _digests(folder: Path) -> dict[str, str]:
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            found[str(path.relative_to(folder))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def _copy_checked(source: Path, target: Path) -> None:
    """Copy a folder to `target` (made whole under a temporary name), every file compared after."""
    staging = target.with_name(f".{target.name}-moving-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(source, staging, symlinks=True)
    if _digests(source) != _digests(staging):
        shutil.rmtree(staging, ignore_errors=True)
        raise OSError(f"kopien af {source} i {staging} er ikke magen til originalen; intet er flyttet")
    os.replace(staging, target)


def _put_back(checkout: Path, seeds: Path, additions: list[str]) -> bool:
    """Put corpus/ back as the repository ships it: tracked files restored, new ones deleted.

    Returns:
        Whether it was done (it needs git).
    """
    if not (checkout / ".git").exists():
        return False
    relative = str(seeds.relative_to(checkout))
    restored = subprocess.run(["git", "-C", str(checkout), "checkout", "HEAD", "--", relative],
                              capture_output=True, timeout=60, check=False)
    if restored.returncode != 0:
        return False
    left = set(_git_status(checkout, seeds) or [])
    for path in sorted(left & set(additions), reverse=True):
        target = checkout / path
        if target.is_file() or target.is_symlink():
            target.unlink()
    for folder in sorted((p for p in seeds.rglob("*") if p.is_dir()), key=lambda p: len(p.parts), reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()
    return True


def move_legacy_library(checkout: Path, seeds: Path, additions: list[str], corpus_dir: Path, index_dir: Path) -> str:
    """Move the library kept in the checkout's corpus/ (and .index) into the new library's folders.

    Args:
        checkout: The checkout.
        seeds: Its corpus/ folder, holding the older library.
        additions: What it holds beyond the shipped articles (`legacy_additions`).
        corpus_dir: The new library's articles folder (must not exist).
        index_dir: The new library's index folder.

    Returns:
        The Danish message that says what was moved where.

    Raises:
        OSError: The copy could not be made or checked (nothing is moved; corpus/ is untouched).
    """
    _copy_checked(seeds, corpus_dir)
    index_note = ""
    legacy_index = checkout / LEGACY_INDEX
    if legacy_index.is_dir() and not index_dir.exists():
        try:
            _copy_checked(legacy_index, index_dir)
            index_note = f" Indekset er kopieret fra {legacy_index}, så intet skal indlejres igen."
        except OSError:
            index_note = " Indekset bygges forfra."
    put_back = _put_back(checkout, seeds, additions)
    back = (f" {seeds} er sat tilbage til de artikler, programmet leveres med, så git pull ikke støder på "
            "bibliotekets filer." if put_back else
            f" {seeds} er ikke ændret (ikke et git-checkout); slet selv dets tilføjelser, når du har set biblioteket.")
    shown = ", ".join(additions[:5]) + (f" og {len(additions) - 5} mere" if len(additions) > 5 else "")
    return (f"Biblioteket i {seeds} ({len(additions)} ændrede eller nye filer: {shown}) er flyttet én gang til "
            f"{corpus_dir}; ændringsloggen og de fjernede artikler fulgte med.{index_note}{back}")
