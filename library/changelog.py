"""The library's change log: who changed what, when, and the bytes it was (JSON lines in the corpus).

Every add, replacement, edit, removal and restore appends one line to `corpus/.changes.jsonl`
while the library lock is held; `python -m ingest list --log` shows it.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, ValidationError

LOG_FILE = ".changes.jsonl"
Action = Literal["add", "replace", "edit", "remove", "restore"]


class Change(BaseModel):
    """One change to the library."""

    when: datetime
    who: str = Field(description="The editor: the signed-in user in the app, the system user on the command line.")
    action: Action
    file: str
    sha256: str | None = Field(default=None, description="Hash of the article file's bytes after (before, for remove).")
    detail: str | None = None


def command_line_user() -> str:
    """Who runs the command: the system user (the person at the machine)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "ukendt bruger"


def file_hash(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None


def record(corpus_dir: Path, change: Change) -> None:
    """Append one change to the log (call it while holding `library_lock`)."""
    with (Path(corpus_dir) / LOG_FILE).open("a", encoding="utf-8") as handle:
        handle.write(change.model_dump_json() + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def now_change(who: str, action: Action, file: str, sha256: str | None, detail: str | None = None) -> Change:
    return Change(when=datetime.now(UTC), who=who, action=action, file=file, sha256=sha256, detail=detail)


def read_log(corpus_dir: Path) -> list[Change]:
    """Every change recorded, oldest first (a damaged line is skipped, never fatal)."""
    path = Path(corpus_dir) / LOG_FILE
    if not path.is_file():
        return []
    changes = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            changes.append(Change.model_validate(json.loads(line)))
        except (json.JSONDecodeError, ValidationError):
            continue
    return changes
