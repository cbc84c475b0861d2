"""The library's change log: who changed what, when, and the bytes it was (JSON lines in the corpus).

Every add, replacement, edit, removal and restore appends one line to `corpus/.changes.jsonl`
while the library lock is held; a change a kill interrupted is logged when the next command
rolls it back (`rollback`) or finishes it. `python -m ingest list --log` shows the log.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, ValidationError

from library.jsonlines import append_whole, complete_lines

LOG_FILE = ".changes.jsonl"
log = logging.getLogger("erfaringsbanken.library")
Action = Literal["add", "replace", "edit", "remove", "restore", "rollback"]


class Change(BaseModel):
    """One change to the library."""

    when: datetime
    who: str = Field(description="The editor: the signed-in user in the app, the system user on the command line.")
    action: Action
    file: str
    sha256: str | None = Field(default=None, description="Hash of the article file's bytes after (before, for remove).")
    detail: str | None = None
    change_id: str | None = Field(default=None, description="The transaction the change was made in.")


def command_line_user() -> str:
    """Who runs the command: the system user (the person at the machine)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "ukendt bruger"


def file_hash(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None


def log_path(corpus_dir: Path) -> Path:
    return Path(corpus_dir) / LOG_FILE


def record(corpus_dir: Path, change: Change) -> None:
    """Append one change to the log, whole (call it while holding `library_lock`), and say it in the
    process's log (a server's standard output)."""
    append_whole(log_path(corpus_dir), change.model_dump_json())
    log.info("Ændring af biblioteket %s: %s %s af %s%s", corpus_dir, change.action, change.file, change.who,
             f" ({change.detail})" if change.detail else "")


def now_change(
    who: str, action: Action, file: str, sha256: str | None, detail: str | None = None, change_id: str | None = None
) -> Change:
    return Change(when=datetime.now(UTC), who=who, action=action, file=file, sha256=sha256, detail=detail,
                  change_id=change_id)


def read_log(corpus_dir: Path) -> list[Change]:
    """Every change recorded, oldest first (a damaged or torn line is skipped, never fatal)."""
    changes = []
    for line in complete_lines(log_path(corpus_dir)):
        try:
            changes.append(Change.model_validate(json.loads(line)))
        except (json.JSONDecodeError, ValidationError):
            continue
    return changes
