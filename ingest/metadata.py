"""The corpus metadata file (corpus/articles.toml): what the text says about each article.

Each `[[article]]` block is parsed on its own, so one broken entry costs only that entry and is
reported with its file and line; the other articles keep their metadata. New entries are appended
as text, so the comments and entries already in the file stay byte for byte as they were.
"""

from __future__ import annotations

import re
import tomllib
from datetime import date
from pathlib import Path

import tomli_w
from pydantic import BaseModel, Field, ValidationError

METADATA_FILE = "articles.toml"
_HEADER = re.compile(r"^\s*\[\[\s*article\s*\]\]\s*(?:#.*)?$")
_TOML_POSITION = re.compile(r"\(at line (\d+), column \d+\)")


class ArticleMeta(BaseModel):
    """One `[[article]]` entry. Unknown facts stay empty; they are never guessed."""

    file: str
    title: str | None = None
    title_is_derived: bool | None = None
    url: str | None = None
    publisher: str | None = None
    sponsor: str | None = None
    series: str | None = None
    authors: list[str] = Field(default_factory=list)
    links: list[str] = Field(default_factory=list)
    published: date | None = None
    notes: str | None = None
    line: int = Field(default=0, description="Line of the entry's [[article]] header, for messages.")


class MetadataReading(BaseModel):
    """The usable entries by file name, and Danish warnings about the rest."""

    entries: dict[str, ArticleMeta] = Field(default_factory=dict)
    warnings: list[str] = Field(default_factory=list)


_KNOWN_KEYS = set(ArticleMeta.model_fields) - {"line"}


def _key_line(lines: list[str], first: int, key: str) -> int:
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
    for offset, line in enumerate(lines):
        if pattern.match(line):
            return first + offset
    return first


def _parse_block(name: str, lines: list[str], first: int, reading: MetadataReading) -> None:
    """Parse one `[[article]]` block whose header is line `first` (1-based) of the file."""
    try:
        parsed = tomllib.loads("\n".join(lines))
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        pos = _TOML_POSITION.search(message)
        line_no = first + int(pos.group(1)) - 1 if pos else first
        detail = _TOML_POSITION.sub("", message).strip()
        reading.warnings.append(
            f"{name}, linje {line_no}: metadata-posten kan ikke læses ({detail}). Posten springes over; "
            "ret linjen, så artiklen får sine metadata igen."
        )
        return
    entries = parsed.get("article", [])
    extra_tables = [k for k in parsed if k != "article"]
    if extra_tables:
        reading.warnings.append(
            f"{name}, linje {first}: ukendt nøgle {', '.join(extra_tables)} uden for [[article]]. "
            "Den bruges ikke; flyt den ind i en [[article]]-post eller slet den."
        )
    for raw in entries:
        unknown = sorted(set(raw) - _KNOWN_KEYS)
        for key in unknown:
            reading.warnings.append(
                f"{name}, linje {_key_line(lines, first, key)}: ukendt felt '{key}' i metadata. Feltet bruges "
                f"ikke; ret stavningen (tilladte felter: {', '.join(sorted(_KNOWN_KEYS))})."
            )
        known = {k: v for k, v in raw.items() if k in _KNOWN_KEYS}
        try:
            meta = ArticleMeta(**known, line=first)
        except ValidationError as exc:
            fields = ", ".join(".".join(str(p) for p in err["loc"]) for err in exc.errors())
            reading.warnings.append(
                f"{name}, linje {first}: metadata-posten har forkerte eller manglende felter ({fields}). "
                "Posten springes over; 'file' skal være artiklens filnavn, og felterne skal have den rette type."
            )
            continue
        if meta.file in reading.entries:
            reading.warnings.append(
                f"{name}, linje {first}: {meta.file} har allerede metadata fra linje "
                f"{reading.entries[meta.file].line}. Den første post bruges; slet den ekstra post."
            )
            continue
        reading.entries[meta.file] = meta


def read_metadata(path: str | Path) -> MetadataReading:
    """Read the corpus metadata file; a missing file simply gives no entries.

    Args:
        path: The metadata file (normally corpus/articles.toml).

    Returns:
        Entries by article file name, and Danish warnings naming the file and line of every
        entry or key that could not be used.
    """
    path = Path(path)
    reading = MetadataReading()
    if not path.is_file():
        return reading
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        reading.warnings.append(f"{path.name} kunne ikke læses ({exc}). Gem filen i UTF-8, og byg igen.")
        return reading
    lines = raw.splitlines()
    headers = [i for i, line in enumerate(lines) if _HEADER.match(line)]
    head = lines[: headers[0] if headers else len(lines)]
    if any(ln.strip() and not ln.lstrip().startswith("#") for ln in head):
        _parse_block(path.name, head, 1, reading)
    for n, start in enumerate(headers):
        stop = headers[n + 1] if n + 1 < len(headers) else len(lines)
        _parse_block(path.name, lines[start:stop], start + 1, reading)
    return reading


def entry_block(meta: ArticleMeta) -> str:
    """Write one metadata entry as a TOML `[[article]]` block (values escaped by tomli_w).

    Args:
        meta: The entry; empty fields are left out, as unknown facts are never written down.

    Returns:
        The block, ending with a newline.
    """
    values = meta.model_dump(exclude={"line"}, exclude_none=True)
    values = {key: value for key, value in values.items() if value != []}
    # Keys of a flat table, under our own header: tomli_w would write an array of tables inline.
    return "[[article]]\n" + tomli_w.dumps(values)


def with_entry(existing: str, meta: ArticleMeta) -> str:
    """The metadata file's text with one entry appended after what is there.

    Args:
        existing: The file's current text ('' when there is no file yet).
        meta: The entry to add.

    Returns:
        `existing` unchanged, then a blank line and the new block.
    """
    if existing and not existing.endswith("\n"):
        existing += "\n"
    return existing + ("\n" if existing else "") + entry_block(meta)


def _block_spans(lines: list[str]) -> list[tuple[int, int]]:
    """(first, last + 1) line ranges of the `[[article]]` blocks: from the header to the last key line
    before the next header (comments and blank lines after it belong to what follows)."""
    headers = [i for i, line in enumerate(lines) if _HEADER.match(line)]
    spans = []
    for n, start in enumerate(headers):
        stop = headers[n + 1] if n + 1 < len(headers) else len(lines)
        end = start + 1
        for i in range(start + 1, stop):
            stripped = lines[i].strip()
            if stripped and not stripped.startswith("#"):
                end = i + 1
        spans.append((start, end))
    return spans


def _block_file(block: list[str]) -> str | None:
    try:
        parsed = tomllib.loads("\n".join(block))
    except tomllib.TOMLDecodeError:
        return None
    entries = parsed.get("article") or [{}]
    value = entries[0].get("file")
    return value if isinstance(value, str) else None


def without_entry(existing: str, file: str) -> tuple[str, str | None]:
    """The metadata file's text without the entry of `file`; every other line stays as it was.

    Args:
        existing: The file's current text.
        file: The article file whose entry is taken out.

    Returns:
        The new text, and the entry's block as it stood (None when there was no entry).
    """
    lines = existing.splitlines(keepends=True)
    for start, end in _block_spans([ln.rstrip("\r\n") for ln in lines]):
        if _block_file([ln.rstrip("\r\n") for ln in lines[start:end]]) == file:
            block = "".join(lines[start:end])
            rest = lines[:start] + lines[end:]
            # The blank line that separated the entry goes with it.
            if start < len(rest) and not rest[start].strip() and (start == 0 or not rest[start - 1].strip()):
                del rest[start]
            return "".join(rest), block
    return existing, None


def with_block(existing: str, block: str) -> str:
    """The metadata file's text with an entry's block (as `without_entry` returned it) appended."""
    if existing and not existing.endswith("\n"):
        existing += "\n"
    return existing + ("\n" if existing else "") + (block if block.endswith("\n") else block + "\n")


def with_updated_entry(existing: str, meta: ArticleMeta) -> str:
    """The metadata file's text with the entry of `meta.file` rewritten in its place (appended when
    there is none); every other line, comment and entry stays byte for byte as it was.

    Args:
        existing: The file's current text ('' when there is no file yet).
        meta: The whole new entry.

    Returns:
        The new text.
    """
    lines = existing.splitlines(keepends=True)
    for start, end in _block_spans([ln.rstrip("\r\n") for ln in lines]):
        if _block_file([ln.rstrip("\r\n") for ln in lines[start:end]]) == meta.file:
            return "".join(lines[:start]) + entry_block(meta) + "".join(lines[end:])
    return with_entry(existing, meta)
