"""A restore's swap of whole folders, done whole or not at all across a kill.

`python -m library restore --replace` unpacks the archive beside the library, then makes several
moves: the articles folder aside, the unpacked articles into its place, the same for the index and
for library.json. Before the first move a journal naming every move is written (whole, fsynced,
renamed into place) beside the articles folder, `.<articles>.restore-journal.json`; it is removed
when the last move is made. A kill between two moves leaves it behind, and whoever opens the
library next (`ensure_library`, the `Library` facade, `restore` run again) finishes the swap, or,
when the unpacked library is no longer whole, undoes it. Nothing of the library that was there is
deleted: it is moved back or stays aside (`*.before-restore-STAMP`).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, ValidationError

from library.changelog import command_line_user, now_change, read_log, record
from library.lock import folder_lock, library_lock
from library.transaction import _TEMP, _fsync_dir, _write_durably, checkpoint

JOURNAL_SUFFIX = ".restore-journal.json"


class RestoreJournalError(RuntimeError):
    """A restore journal that cannot be read; the message (Danish) says what to do."""


class StagedSize(BaseModel):
    """What an unpacked part of the new library holds, measured when it was whole."""

    files: int
    bytes: int


class Move(BaseModel):
    """One rename of the swap; paths are relative to the journal's folder (so a moved library still recovers)."""

    source: str
    target: str
    staged: StagedSize | None = Field(default=None, description="Set when the source is a part of the new library.")


class RestoreJournal(BaseModel):
    """The journal of one restore's swap."""

    restore_id: str
    started: datetime
    who: str
    archive: str = Field(description="The archive's file name.")
    archive_made: datetime
    manifest_sha256: str = Field(description="Tells `restore` run again whether it is the same archive.")
    moves: list[Move]
    rolling_back: bool = Field(default=False, description="Set (durably) before a recovery undoes the moves.")


class RestoreRecovery(BaseModel):
    """What was done with a restore a kill interrupted."""

    outcome: Literal["finished", "rolled back"]
    message: str = Field(description="Danish, for the person who runs the next command.")
    kept_aside: list[Path] = Field(default_factory=list, description="The library that was there, now aside.")
    journal: RestoreJournal


def journal_path(corpus_dir: Path) -> Path:
    """Beside the articles folder, never in it: the folder itself is moved by the swap."""
    corpus_dir = Path(corpus_dir)
    return corpus_dir.parent / f".{corpus_dir.name}{JOURNAL_SUFFIX}"


def restore_pending(corpus_dir: Path) -> bool:
    """Whether a restore was interrupted (one stat: cheap on every start)."""
    return journal_path(corpus_dir).exists()


@contextmanager
def restore_lock(corpus_dir: Path) -> Iterator[None]:
    """One restore or restore recovery at a time: a lock on the folder that holds the articles folder
    (the articles folder itself comes and goes). Never taken while holding `library_lock`."""
    with folder_lock(Path(corpus_dir).parent):
        yield


def measure(path: Path) -> StagedSize:
    """Files (symbolic links counted, never followed) and their bytes, under a folder or of one file."""
    if not path.is_dir() or path.is_symlink():
        return StagedSize(files=1, bytes=0 if path.is_symlink() else path.stat().st_size)
    files = size = 0
    for folder, dirs, names in os.walk(path):
        for name in [*dirs, *names]:
            entry = Path(folder) / name
            if entry.is_symlink():
                files += 1
            elif entry.is_file():
                files, size = files + 1, size + entry.stat().st_size
    return StagedSize(files=files, bytes=size)


def fsync_dir(folder: Path) -> None:
    _fsync_dir(folder)


def fsync_tree(path: Path) -> None:
    """Flush every folder's entries under `path` (its files were flushed as they were written)."""
    if not path.is_dir():
        return
    for folder, _, _ in os.walk(path):
        _fsync_dir(Path(folder))


def _resolve(base: Path, relative: str) -> Path:
    return Path(os.path.normpath(base / relative))


def new_move(base: Path, source: Path, target: Path, staged: bool) -> Move:
    return Move(source=os.path.relpath(source, base), target=os.path.relpath(target, base),
                staged=measure(source) if staged else None)


def _rename(source: Path, target: Path) -> None:
    os.replace(source, target)
    _fsync_dir(target.parent)
    if source.parent != target.parent:
        _fsync_dir(source.parent)
    checkpoint(f"gendannelse: flyttet {source.name} til {target.name}")


def _exists(path: Path) -> bool:
    return path.exists() or path.is_symlink()


def _made(base: Path, journal: RestoreJournal) -> int:
    """How many moves were made: they are made in order and undone in reverse, so always the first so
    many. A move is told made by the end whose name only the restore uses: the name aside is taken,
    or the unpacked copy's name is gone and its place filled. (The library's own names are no sign
    alone: the articles folder is there before its move aside and again after the new one moved in;
    and an unpacked copy that vanished before its turn must not make the old folder look new.)"""
    made = 0
    for move in journal.moves:
        source, target = _resolve(base, move.source), _resolve(base, move.target)
        done = (not _exists(source) and _exists(target)) if move.staged is not None else _exists(target)
        if not done:
            break
        made += 1
    return made


def _roll_forward(base: Path, journal: RestoreJournal) -> None:
    """Make every move not made yet, in order (each aside move empties the place the next one fills)."""
    for move in journal.moves[_made(base, journal):]:
        source = _resolve(base, move.source)
        if _exists(source):  # an aside move whose folder went meanwhile has nothing to keep
            _rename(source, _resolve(base, move.target))


def _roll_back(base: Path, journal: RestoreJournal) -> None:
    """Undo every move made, newest first: the library that was there is back in place."""
    for move in reversed(journal.moves[: _made(base, journal)]):
        source, target = _resolve(base, move.source), _resolve(base, move.target)
        if _exists(target) and not _exists(source):
            _rename(target, source)


def _drop_unpacked(base: Path, journal: RestoreJournal) -> None:
    """Drop what was unpacked and not moved in (a copy of the archive, which is still there). Only after
    the journal is gone: while it is there, these names tell which moves were made."""
    for move in journal.moves:
        source = _resolve(base, move.source)
        if move.staged is not None and source.is_dir() and not source.is_symlink():
            shutil.rmtree(source)
        elif move.staged is not None and _exists(source):
            source.unlink()


def _whole(base: Path, journal: RestoreJournal) -> bool:
    """Whether every part of the new library is still what was unpacked, wherever it is now."""
    made = _made(base, journal)
    for n, move in enumerate(journal.moves):
        if move.staged is None:
            continue
        where = _resolve(base, move.target if n < made else move.source)
        if not _exists(where) or measure(where) != move.staged:
            return False
    return True


def _remove_journal(path: Path) -> None:
    path.unlink(missing_ok=True)
    _fsync_dir(path.parent)
    checkpoint("gendannelse: journalen slettet")


def sweep_partial_journal(corpus_dir: Path) -> None:
    """A journal a kill cut off before it was renamed into place was never the start of a swap."""
    path = journal_path(corpus_dir)
    for leftover in path.parent.glob(f"{_TEMP}{path.name}.*"):
        leftover.unlink(missing_ok=True)


def swap(corpus_dir: Path, journal: RestoreJournal) -> list[Path]:
    """Journal the moves, make them, remove the journal (hold `restore_lock`).

    Returns:
        Where the library that was there now lies (the targets of the moves that are not unpacked parts).
    """
    path = journal_path(corpus_dir)
    base = path.parent
    _write_durably(path, journal.model_dump_json(indent=1).encode("utf-8"))
    checkpoint("gendannelse: journalen skrevet")
    _roll_forward(base, journal)
    _remove_journal(path)
    return [_resolve(base, m.target) for m in journal.moves if m.staged is None]


def recover_restore(corpus_dir: Path) -> RestoreRecovery | None:
    """Finish or undo a restore a kill interrupted (takes `restore_lock`; never call it holding `library_lock`).

    The journal is written only after every unpacked file was checked against the archive's manifest
    and flushed to disk, so when it exists the new library was whole: the swap is finished, which is
    what the person who ran the restore asked for. Only when a part of it is no longer what was
    unpacked (a file gone or cut short, say a disk that lost what it had not flushed) is it undone
    instead: finishing it would put a damaged library in place, while the old one is whole, aside or
    still there, and the archive can be restored again.

    Args:
        corpus_dir: The articles folder (the journal lies beside it).

    Returns:
        What was done, or None when no restore was interrupted.

    Raises:
        RestoreJournalError: The journal is there but unreadable (written by a newer version, or damaged).
    """
    if not restore_pending(corpus_dir):
        return None
    with restore_lock(corpus_dir):
        return recover_restore_locked(corpus_dir)


def recover_restore_locked(corpus_dir: Path) -> RestoreRecovery | None:
    """`recover_restore`, for a caller that holds `restore_lock` (a restore, before it unpacks)."""
    path = journal_path(corpus_dir)
    sweep_partial_journal(corpus_dir)
    if not path.exists():  # none, or another process recovered it while this one waited
        return None
    try:
        journal = RestoreJournal.model_validate_json(path.read_bytes())
    except (OSError, ValidationError) as exc:
        raise RestoreJournalError(
            f"En afbrudt gendannelse efterlod {path}, som ikke kan læses ({exc}). Se efter mapperne "
            "*.before-restore-* og .*.restoring-* ved siden af, læg det rigtige bibliotek på plads, slet så "
            "filen, eller gendan backuppen igen."
        ) from exc
    base = path.parent
    what = f"gendannelse fra {journal.archive} (startet {journal.started:%Y-%m-%d %H:%M} UTC)"
    # Once undoing has begun the unpacked parts are being dropped: never measure them again.
    if not journal.rolling_back and _whole(base, journal):
        _roll_forward(base, journal)
        _remove_journal(path)
        aside = [_resolve(base, m.target) for m in journal.moves if m.staged is None]
        where = f" Det bibliotek, der lå der, er flyttet til side: {', '.join(map(str, aside))}." if aside else ""
        return RestoreRecovery(outcome="finished", kept_aside=aside, journal=journal,
                               message=f"En afbrudt {what} er gjort færdig.{where}")
    if not journal.rolling_back:
        journal.rolling_back = True
        _write_durably(path, journal.model_dump_json(indent=1).encode("utf-8"))
    _roll_back(base, journal)
    corpus_dir = Path(corpus_dir)
    if corpus_dir.is_dir():
        _log_rollback(corpus_dir, journal, what)
    _remove_journal(path)
    _drop_unpacked(base, journal)
    return RestoreRecovery(outcome="rolled back", journal=journal,
                           message=f"En afbrudt {what} blev rullet tilbage, fordi de udpakkede filer ikke "
                           "længere var hele; biblioteket er som før. Gendan backuppen igen.")


def _log_rollback(corpus_dir: Path, journal: RestoreJournal, what: str) -> None:
    """The library that is back says, once, that a restore over it was undone."""
    with library_lock(corpus_dir):
        if any(c.change_id == journal.restore_id and c.action == "rollback" for c in read_log(corpus_dir)):
            return
        record(corpus_dir, now_change(journal.who or command_line_user(), "rollback", journal.archive, None,
                                      f"afbrudt {what} blev rullet tilbage", change_id=journal.restore_id))
        checkpoint("gendannelse: tilbagerulningen logget")
