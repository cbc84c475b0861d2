"""A change to the library that is done whole or not at all, even when the process is killed.

Before anything is touched, a journal is started in corpus/.journal/: what the change is, where
the index's `current` pointed, and articles.toml as it was. Every step is appended to the journal
(one fsynced line) before it is taken, and each can be undone from its line alone: a new file is
deleted, a moved file moved back, the folder made for a removed article deleted, articles.toml
written back. When the files are in place the journal records the change-log entries
(`prepared`), the index is rebuilt, `commit` is written, the entries go to the change log and the
journal is removed.

A kill at any moment leaves the journal behind, and the next command or app start calls
`recover`: a committed change, or a prepared one whose new index is already in place, is finished
(its log entries written once); anything else is undone step by step, the index is rebuilt if it
had moved, and a `rollback` entry is logged. The library is then as it was before the change or
as it is after it, never in between.

An article that is removed or replaced is moved, with its extracted text and its articles.toml
entry, into a folder of its own under `corpus/.removed/`, so it can be restored.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sys
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Literal

from pydantic import BaseModel, Field, ValidationError

from index import SearchIndexError, store
from ingest.formats import extracted_name, is_original
from ingest.metadata import METADATA_FILE, with_block, without_entry
from library.changelog import Action, Change, now_change, read_log, record
from library.jsonlines import append_whole, complete_lines

REMOVED_DIR = ".removed"
JOURNAL_DIR = ".journal"
_STEPS = "steps.jsonl"
_METADATA_BEFORE = "articles.toml.before"
_ENTRY = "entry.toml"
_ABOUT = "removal.json"
# Files being written by a change are named so; a kill leaves them behind, and recovery sweeps them.
_TEMP = ".txn-"
# A test hook: with ERFARINGSBANKEN_CRASH_AT_STEP=N the process kills itself (SIGKILL, no clean-up)
# at the N-th step of a change, so the tests can prove a kill at every step is recovered from.
CRASH_ENV = "ERFARINGSBANKEN_CRASH_AT_STEP"
_steps_passed = [0]

StepKind = Literal["begin", "put", "metadata", "mkdir", "move", "drop", "prepared", "commit", "abort"]
_ACTION_DA = {"add": "tilføjelse", "replace": "udskiftning", "edit": "rettelse", "remove": "fjernelse",
              "restore": "gendannelse", "rollback": "tilbagerulning"}


def checkpoint(label: str) -> None:
    """One step of a change has been taken (the crash test hook; nothing happens without it)."""
    wanted = os.environ.get(CRASH_ENV)
    if not wanted:
        return
    _steps_passed[0] += 1
    if _steps_passed[0] == int(wanted):
        sys.stderr.write(f"[{CRASH_ENV}] dræbt ved trin {_steps_passed[0]}: {label}\n")
        sys.stderr.flush()
        os.kill(os.getpid(), signal.SIGKILL)


class Step(BaseModel):
    """One line of the journal."""

    kind: StepKind
    change_id: str | None = None
    action: Action | None = None
    who: str | None = None
    file: str | None = Field(default=None, description="begin: the article the change is about.")
    index_build: str | None = Field(default=None, description="begin: the build `current` named.")
    metadata_existed: bool | None = None
    name: str | None = Field(default=None, description="put: the new file.")
    source: str | None = Field(default=None, description="move: from, relative to the corpus folder.")
    target: str | None = None
    folder: str | None = Field(default=None, description="mkdir/drop: relative to the corpus folder.")
    changes: list[Change] = Field(default_factory=list, description="prepared: the change-log entries.")


class Removal(BaseModel):
    """An article kept under corpus/.removed/: what it was called, when and why it went, by whom."""

    folder: str
    name: str
    files: list[str]
    when: datetime
    who: str
    reason: str
    has_entry: bool


class Recovery(BaseModel):
    """What `recover` did with a change a kill interrupted."""

    change_id: str
    action: Action
    file: str | None
    outcome: Literal["finished", "rolled back"]
    message: str = Field(description="Danish, for the person who runs the next command.")


def article_files(corpus_dir: Path, name: str) -> list[str]:
    """The corpus files of one article: the file itself and, for an original, its extracted text."""
    files = [name] if (corpus_dir / name).is_file() else []
    if is_original(name) and (corpus_dir / extracted_name(name)).is_file():
        files.append(extracted_name(name))
    return files


def current_build(index_dir: Path) -> str | None:
    """The build the index's `current` names, or None when there is no readable one."""
    try:
        return store.build_dir(Path(index_dir)).name
    except (SearchIndexError, OSError):
        return None


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_durably(path: Path, data: bytes) -> None:
    """Write a file whole under a temporary name, flush it, and rename it into place."""
    tmp = path.with_name(f"{_TEMP}{path.name}.{uuid.uuid4().hex[:8]}.part")
    try:
        with tmp.open("wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        checkpoint(f"halvt skrevet: {path.name}")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    _fsync_dir(path.parent)


class CorpusTransaction:
    """One change to a library, journaled (hold `library_lock` around it, after `recover`).

    Used as `with CorpusTransaction(...) as transaction:`: the steps are taken in the block, which
    calls `prepare` with the change-log entries before the index is rebuilt; it is committed when
    the block ends, undone when it raises.

    Args:
        corpus_dir: The corpus folder.
        index_dir: The index folder (where `current` pointed is recorded, to undo a swapped index).
        action: What the change is, for the log.
        who: The editor.
        file: The article it is about.
        repair_index: Rebuilds the index from the corpus; called when a change is undone after the
            index had already moved.
    """

    def __init__(self, corpus_dir: Path, index_dir: Path, action: Action, who: str, file: str,
                 repair_index: Callable[[], None]) -> None:
        self.corpus_dir = Path(corpus_dir)
        self.index_dir = Path(index_dir)
        self.change_id = uuid.uuid4().hex
        self._begin = Step(kind="begin", change_id=self.change_id, action=action, who=who, file=file)
        self._repair_index = repair_index
        self._journal = self.corpus_dir / JOURNAL_DIR

    # -- the journal ---------------------------------------------------------------------------
    def _log(self, step: Step) -> None:
        append_whole(self._journal / _STEPS, step.model_dump_json(exclude_defaults=True))
        checkpoint(f"journal: {step.kind} {step.name or step.target or step.folder or ''}".strip())

    def __enter__(self) -> CorpusTransaction:
        if self._journal.exists():
            raise RuntimeError(f"{self._journal} findes: en afbrudt ændring skal gøres færdig først (recover).")
        self._journal.mkdir()
        _fsync_dir(self.corpus_dir)
        metadata = self.corpus_dir / METADATA_FILE
        if metadata.is_file():
            _write_durably(self._journal / _METADATA_BEFORE, metadata.read_bytes())
        self._begin.index_build = current_build(self.index_dir)
        self._begin.metadata_existed = metadata.is_file()
        self._log(self._begin)
        return self

    # -- articles.toml -------------------------------------------------------------------------
    def metadata_text(self) -> str:
        path = self.corpus_dir / METADATA_FILE
        return path.read_text(encoding="utf-8") if path.exists() else ""

    def set_metadata(self, text: str) -> None:
        self._log(Step(kind="metadata"))
        _write_durably(self.corpus_dir / METADATA_FILE, text.encode("utf-8"))
        checkpoint("articles.toml skrevet")

    # -- files ---------------------------------------------------------------------------------
    def put(self, name: str, data: bytes) -> None:
        """Write a new corpus file (refused when one of that name is there)."""
        target = self.corpus_dir / name
        if target.exists() or target.is_symlink():
            raise FileExistsError(target)
        self._log(Step(kind="put", name=name))
        tmp = self.corpus_dir / f"{_TEMP}{name}.part"
        try:
            with tmp.open("wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            checkpoint(f"halvt skrevet: {name}")
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)
        _fsync_dir(self.corpus_dir)
        checkpoint(f"skrevet: {name}")

    def stash(self, name: str, who: str, reason: str) -> Path:
        """Move an article (its files and its metadata entry) into a folder of its own under .removed/.

        Args:
            name: The article's file in the corpus (an original or a text file).
            who: Who removes it.
            reason: "removed" or "replaced".

        Returns:
            The folder it was moved to.
        """
        files = article_files(self.corpus_dir, name)
        if not files:
            raise FileNotFoundError(self.corpus_dir / name)
        stamp = datetime.now(UTC)
        folder = self.corpus_dir / REMOVED_DIR / f"{stamp:%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:6]}-{name}"
        self._log(Step(kind="mkdir", folder=self._relative(folder)))
        folder.mkdir(parents=True)
        text, block = without_entry(self.metadata_text(), name)
        if block is not None:
            _write_durably(folder / _ENTRY, block.encode("utf-8"))
            self.set_metadata(text)
        for file in files:
            self._move(self.corpus_dir / file, folder / file)
        about = Removal(folder=folder.name, name=name, files=files, when=stamp, who=who, reason=reason,
                        has_entry=block is not None)
        # Written last: `removals` lists only folders that hold it, so a half-made one is never offered.
        _write_durably(folder / _ABOUT, about.model_dump_json(indent=1).encode("utf-8"))
        checkpoint(f"gemt i {REMOVED_DIR}: {name}")
        return folder

    def unstash(self, folder: Path) -> Removal:
        """Move a removed article back into the corpus, with its metadata entry (its folder goes at commit).

        Raises:
            FileExistsError: a file of that name is in the corpus (remove or replace it first).
        """
        about = Removal.model_validate(json.loads((folder / _ABOUT).read_text(encoding="utf-8")))
        for file in about.files:
            if (self.corpus_dir / file).exists():
                raise FileExistsError(self.corpus_dir / file)
        for file in about.files:
            self._move(folder / file, self.corpus_dir / file)
        if about.has_entry:
            text, _ = without_entry(self.metadata_text(), about.name)
            self.set_metadata(with_block(text, (folder / _ENTRY).read_text(encoding="utf-8")))
        self._log(Step(kind="drop", folder=self._relative(folder)))
        return about

    def _move(self, source: Path, target: Path) -> None:
        self._log(Step(kind="move", source=self._relative(source), target=self._relative(target)))
        os.replace(source, target)
        _fsync_dir(target.parent)
        checkpoint(f"flyttet: {self._relative(source)}")

    def _relative(self, path: Path) -> str:
        return path.relative_to(self.corpus_dir).as_posix()

    # -- the end -------------------------------------------------------------------------------
    def prepare(self, changes: list[Change]) -> None:
        """The files are in place: record the change-log entries, before the index is rebuilt."""
        for change in changes:
            change.change_id = self.change_id
        self._log(Step(kind="prepared", changes=changes))

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        """Commit when the block ran through; undo when anything was raised in it (the index build
        included), and let it go on."""
        if kind is None:
            self._log(Step(kind="commit"))
            _finish(self.corpus_dir, _read_steps(self.corpus_dir))
            return
        self._log(Step(kind="abort"))
        _undo(self.corpus_dir, _read_steps(self.corpus_dir))
        if current_build(self.index_dir) != self._begin.index_build:
            try:
                self._repair_index()
            except Exception:
                return  # the journal stays: the next command rebuilds the index and logs the rollback
        _remove_journal(self.corpus_dir)


def _read_steps(corpus_dir: Path) -> list[Step]:
    steps = []
    for line in complete_lines(corpus_dir / JOURNAL_DIR / _STEPS):
        try:
            steps.append(Step.model_validate(json.loads(line)))
        except (json.JSONDecodeError, ValidationError):
            continue
    return steps


def _remove_journal(corpus_dir: Path) -> None:
    for leftover in corpus_dir.glob(f"{_TEMP}*"):
        leftover.unlink(missing_ok=True)
    journal = corpus_dir / JOURNAL_DIR
    # The steps first: a journal without them is only leftovers, never a change to recover.
    (journal / _STEPS).unlink(missing_ok=True)
    if journal.exists():
        _fsync_dir(journal)
    checkpoint("journalen slettet")
    shutil.rmtree(journal, ignore_errors=True)
    _fsync_dir(corpus_dir)


def _finish(corpus_dir: Path, steps: list[Step]) -> None:
    """Write the change's log entries (each once) and drop the folders of restored articles."""
    prepared = next((s for s in steps if s.kind == "prepared"), None)
    logged = {(c.change_id, c.action, c.file) for c in read_log(corpus_dir) if c.change_id}
    for change in prepared.changes if prepared else []:
        if (change.change_id, change.action, change.file) not in logged:
            record(corpus_dir, change)
            checkpoint(f"logget: {change.action} {change.file}")
    for step in steps:
        if step.kind == "drop" and step.folder:
            shutil.rmtree(corpus_dir / step.folder, ignore_errors=True)
            checkpoint(f"slettet: {step.folder}")
    _remove_journal(corpus_dir)


def _undo(corpus_dir: Path, steps: list[Step]) -> None:
    """Undo every step, newest first; each undo is a no-op when its step was never taken."""
    for step in reversed(steps):
        if step.kind == "put" and step.name:
            (corpus_dir / step.name).unlink(missing_ok=True)
        elif step.kind == "move" and step.source and step.target:
            source, target = corpus_dir / step.source, corpus_dir / step.target
            if target.exists() and not source.exists():
                os.replace(target, source)
        elif step.kind == "mkdir" and step.folder:
            shutil.rmtree(corpus_dir / step.folder, ignore_errors=True)
    begin = steps[0] if steps and steps[0].kind == "begin" else None
    if begin is not None and any(s.kind == "metadata" for s in steps):
        before = corpus_dir / JOURNAL_DIR / _METADATA_BEFORE
        if begin.metadata_existed:
            _write_durably(corpus_dir / METADATA_FILE, before.read_bytes())
        else:
            (corpus_dir / METADATA_FILE).unlink(missing_ok=True)
    _fsync_dir(corpus_dir)


def pending(corpus_dir: Path) -> bool:
    """Whether a change was interrupted (one stat: cheap on every start)."""
    return (Path(corpus_dir) / JOURNAL_DIR).exists()


def recover(
    corpus_dir: Path, index_dir: Path, index_is_fresh: Callable[[], bool], repair_index: Callable[[], None]
) -> Recovery | None:
    """Finish or undo a change a kill interrupted (hold `library_lock`).

    Args:
        corpus_dir: The corpus folder.
        index_dir: The index folder.
        index_is_fresh: Whether the index was built from the corpus as it is now.
        repair_index: Rebuilds the index from the corpus.

    Returns:
        What was done, or None when no change was interrupted.
    """
    corpus_dir, index_dir = Path(corpus_dir), Path(index_dir)
    if not pending(corpus_dir):
        return None
    steps = _read_steps(corpus_dir)
    begin = steps[0] if steps and steps[0].kind == "begin" else None
    if begin is None or begin.change_id is None or begin.action is None:
        _remove_journal(corpus_dir)  # nothing was touched before the journal's first line was whole
        return None
    kinds = {s.kind for s in steps}
    what = f"{_ACTION_DA[begin.action]} af {begin.file}"
    if "abort" not in kinds and ("commit" in kinds or ("prepared" in kinds and index_is_fresh())):
        _finish(corpus_dir, steps)
        return Recovery(change_id=begin.change_id, action=begin.action, file=begin.file, outcome="finished",
                        message=f"En afbrudt {what} er gjort færdig.")
    if "abort" not in kinds:
        append_whole(corpus_dir / JOURNAL_DIR / _STEPS, Step(kind="abort").model_dump_json(exclude_defaults=True))
    _undo(corpus_dir, steps)
    if current_build(index_dir) != begin.index_build:
        repair_index()
    rolled_back = {c.change_id for c in read_log(corpus_dir) if c.action == "rollback"}
    if begin.change_id not in rolled_back:
        record(corpus_dir, now_change(begin.who or "ukendt", "rollback", begin.file or "", None,
                                      f"afbrudt {what} blev rullet tilbage", change_id=begin.change_id))
    _remove_journal(corpus_dir)
    return Recovery(change_id=begin.change_id, action=begin.action, file=begin.file, outcome="rolled back",
                    message=f"En afbrudt {what} blev rullet tilbage; biblioteket er som før.")


def removals(corpus_dir: Path) -> list[Removal]:
    """The articles kept under corpus/.removed/, newest first."""
    root = Path(corpus_dir) / REMOVED_DIR
    found = []
    for about in root.glob(f"*/{_ABOUT}") if root.is_dir() else []:
        try:
            found.append(Removal.model_validate(json.loads(about.read_text(encoding="utf-8"))))
        except (OSError, ValueError):
            continue
    return sorted(found, key=lambda r: r.when, reverse=True)


def removal_folder(corpus_dir: Path, removal: Removal) -> Path:
    return Path(corpus_dir) / REMOVED_DIR / removal.folder
