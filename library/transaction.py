"""A change to the corpus folder that is done whole or not at all, and keeps what it takes away.

Files are written under hidden temporary names and renamed into place; an article that is removed
or replaced is moved, with its extracted text and its articles.toml entry, into a folder of its
own under `corpus/.removed/`, so it can be restored. If anything fails before `commit` (the
index build included), `undo` puts the corpus back exactly as it was.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from pydantic import BaseModel

from ingest.formats import extracted_name, is_original, write_text_atomically
from ingest.metadata import METADATA_FILE, with_block, without_entry

REMOVED_DIR = ".removed"
_ENTRY = "entry.toml"
_ABOUT = "removal.json"


class Removal(BaseModel):
    """An article kept under corpus/.removed/: what it was called, when and why it went, by whom."""

    folder: str
    name: str
    files: list[str]
    when: datetime
    who: str
    reason: str
    has_entry: bool


def article_files(corpus_dir: Path, name: str) -> list[str]:
    """The corpus files of one article: the file itself and, for an original, its extracted text."""
    files = [name] if (corpus_dir / name).is_file() else []
    if is_original(name) and (corpus_dir / extracted_name(name)).is_file():
        files.append(extracted_name(name))
    return files


class CorpusTransaction:
    """Changes to one corpus folder, undone together on failure (hold `library_lock` around it).

    Used as `with CorpusTransaction(corpus_dir) as transaction:`: committed when the block ends,
    undone when it raises.
    """

    def __init__(self, corpus_dir: Path) -> None:
        self.corpus_dir = Path(corpus_dir)
        self._undo: list[Callable[[], None]] = []
        self._on_commit: list[Callable[[], None]] = []

    # -- articles.toml -------------------------------------------------------------------------
    def metadata_text(self) -> str:
        path = self.corpus_dir / METADATA_FILE
        return path.read_text(encoding="utf-8") if path.exists() else ""

    def set_metadata(self, text: str) -> None:
        path = self.corpus_dir / METADATA_FILE
        before = path.read_text(encoding="utf-8") if path.exists() else None
        write_text_atomically(path, text)

        def back() -> None:
            if before is None:
                path.unlink(missing_ok=True)
            else:
                write_text_atomically(path, before)

        self._undo.append(back)

    # -- files ---------------------------------------------------------------------------------
    def put(self, name: str, data: bytes) -> None:
        """Write a new corpus file (refused when one of that name appeared meanwhile)."""
        target = self.corpus_dir / name
        tmp = self.corpus_dir / f".tmp-{name}.part"
        try:
            tmp.write_bytes(data)
            if target.exists():
                raise FileExistsError(target)
            tmp.replace(target)
        finally:
            tmp.unlink(missing_ok=True)
        self._undo.append(lambda: target.unlink(missing_ok=True))

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
        folder.mkdir(parents=True)
        self._undo.append(lambda: shutil.rmtree(folder, ignore_errors=True))
        text, block = without_entry(self.metadata_text(), name)
        if block is not None:
            (folder / _ENTRY).write_text(block, encoding="utf-8")
            self.set_metadata(text)
        for file in files:
            self._move(self.corpus_dir / file, folder / file)
        about = Removal(folder=folder.name, name=name, files=files, when=stamp, who=who, reason=reason,
                        has_entry=block is not None)
        (folder / _ABOUT).write_text(about.model_dump_json(indent=1), encoding="utf-8")
        return folder

    def unstash(self, folder: Path) -> Removal:
        """Move a removed article back into the corpus, with its metadata entry.

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
        self._on_commit.append(lambda: shutil.rmtree(folder, ignore_errors=True))
        return about

    def _move(self, source: Path, target: Path) -> None:
        os.replace(source, target)
        self._undo.append(lambda: os.replace(target, source))

    # -- the end -------------------------------------------------------------------------------
    def undo(self) -> None:
        """Put the corpus back as it was before this transaction."""
        for step in reversed(self._undo):
            try:
                step()
            except OSError:
                continue  # undo what can be undone; the rest was never done
        self._undo.clear()
        self._on_commit.clear()

    def commit(self) -> None:
        """Keep the changes (and drop the folders of restored articles)."""
        for step in self._on_commit:
            step()
        self._undo.clear()
        self._on_commit.clear()

    def __enter__(self) -> CorpusTransaction:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        """Commit when the block ran through; undo when anything was raised in it (the index build
        included), and let it go on."""
        if kind is None:
            self.commit()
        else:
            self.undo()


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
