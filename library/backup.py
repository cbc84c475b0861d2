"""Backup and restore of a whole library: one archive (tar.gz) with a manifest and checksums.

An archive holds `library.json`, `articles/` (every article, articles.toml, the change log and the
removed articles) and the index build in use (`index/current` and `index/build-…/`; left out with
`with_index=False`), then `manifest.json` (the archive's format, the program's index format and
library layout, the index's model and format, and the sha256 and size of every file) and
`SHA256SUMS` (the same sums, for `sha256sum -c` after unpacking by hand).

A backup holds the library lock, so no change is half in it. A restore checks every file against
the manifest before anything is written, unpacks beside the target and moves into place; a library
already there is refused unless `replace`, and then kept beside it. An index of another format or
model than this version's (a backup from an older version) is rebuilt, its vectors reused.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import tarfile
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from pydantic import BaseModel, Field, ValidationError

from index import SearchIndexError, store
from library.facade import Library
from library.lock import library_lock
from library.paths import ARTICLES, INDEX, LAYOUT_VERSION, MARKER, LibraryPaths, check_layout
from library.transaction import JOURNAL_DIR

ARCHIVE_FORMAT = 1
MANIFEST = "manifest.json"
SUMS = "SHA256SUMS"
_CHUNK = 1 << 20


class BackupError(RuntimeError):
    """A backup or restore that cannot be done; the message (Danish) says why and what to do."""


class ArchivedIndex(BaseModel):
    """The index build an archive holds."""

    build: str
    format_version: int
    model_name: str
    n_articles: int
    n_passages: int


class ArchiveManifest(BaseModel):
    """manifest.json of an archive."""

    archive_format: int = ARCHIVE_FORMAT
    created: datetime
    layout: int = Field(default=LAYOUT_VERSION, description="The library layout (library/paths.py) it was made from.")
    program_index_format: int = Field(description="The index format the program that made it wrote.")
    index: ArchivedIndex | None = None
    files: dict[str, tuple[str, int]] = Field(description="Archive path -> (sha256, size).")


class BackupReport(BaseModel):
    """What `backup` wrote."""

    archive: Path
    files: int
    size: int
    articles: int
    index: ArchivedIndex | None


class RestoreReport(BaseModel):
    """What `restore` did."""

    files: int
    articles: int
    kept_aside: list[Path] = Field(default_factory=list, description="The library that was there, moved aside.")
    rebuilt: str | None = Field(default=None, description="Danish: why the index was rebuilt; None when it was used.")
    made: datetime = Field(description="When the archive was made.")


def default_archive(now: datetime | None = None) -> Path:
    """erfaringsbanken-backup-YYYYMMDD-HHMMSS.tar.gz in the working directory."""
    return Path(f"erfaringsbanken-backup-{(now or datetime.now(UTC)):%Y%m%d-%H%M%S}.tar.gz")


def _library_files(corpus_dir: Path) -> Iterator[tuple[str, Path]]:
    """Every regular file of the articles folder (its hidden change log and removed articles too),
    without an interrupted change's journal or a change's temporary files."""
    for path in sorted(corpus_dir.rglob("*")):
        relative = path.relative_to(corpus_dir)
        if relative.parts[0] == JOURNAL_DIR or path.name.startswith(".txn-"):
            continue
        if path.is_file() and not path.is_symlink():
            yield f"{ARTICLES}/{relative.as_posix()}", path


def _index_files(index_dir: Path) -> tuple[ArchivedIndex | None, list[tuple[str, Path]]]:
    """The build `current` points at, whatever its format: the restoring version decides whether it
    can use it (an index of another format is rebuilt there, never misread)."""
    try:
        folder = store.build_dir(index_dir)
        raw = json.loads((folder / store.MANIFEST).read_text(encoding="utf-8"))
        info = ArchivedIndex(build=folder.name, format_version=raw["format_version"], model_name=raw["model_name"],
                             n_articles=raw["n_articles"], n_passages=raw["n_passages"])
    except (SearchIndexError, OSError, ValueError, KeyError, TypeError, ValidationError):
        return None, []  # no usable index: the archive holds the articles, the restore builds the index
    if folder == index_dir:
        return None, []  # a lone build folder, not an index folder of builds
    files = [(f"{INDEX}/{folder.name}/{p.relative_to(folder).as_posix()}", p)
             for p in sorted(folder.rglob("*")) if p.is_file() and not p.is_symlink()]
    return info, files


class _Hashing(io.RawIOBase):
    """Reads a file for the archive and hashes exactly the bytes it gave."""

    def __init__(self, handle: BinaryIO) -> None:
        self.handle = handle
        self.digest = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.digest.update(data)
        return data


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(datetime.now(UTC).timestamp()), 0o644
    archive.addfile(info, io.BytesIO(data))


def backup(paths: LibraryPaths, target: Path, with_index: bool = True) -> BackupReport:
    """Write the whole library to one archive.

    Args:
        paths: The library's folders.
        target: The archive to write (.tar.gz); written under a temporary name and renamed when whole.
        with_index: Also the index build in use (restoring then needs no embedding when the version is the same).

    Returns:
        What was written.

    Raises:
        BackupError: There is no library there, or the archive exists already.
    """
    if not paths.corpus_dir.is_dir():
        raise BackupError(f"Der er intet bibliotek i {paths.corpus_dir}. Angiv det med --library.")
    if target.exists():
        raise BackupError(f"{target} findes allerede; vælg et andet navn med --to.")
    Library(paths.corpus_dir, paths.index_dir).recover()  # a change a kill interrupted is finished or undone first
    partial = target.with_name(f".{target.name}.partial")
    files: dict[str, tuple[str, int]] = {}
    with library_lock(paths.corpus_dir):
        index_info, index_files = _index_files(paths.index_dir) if with_index else (None, [])
        members = list(_library_files(paths.corpus_dir)) + index_files
        if paths.root is not None and (paths.root / MARKER).is_file():
            members.insert(0, (MARKER, paths.root / MARKER))
        try:
            with tarfile.open(partial, "w:gz") as archive:
                for name, path in members:
                    info = archive.gettarinfo(str(path), arcname=name)
                    with path.open("rb") as handle:
                        reader = _Hashing(handle)
                        archive.addfile(info, reader)
                    files[name] = (reader.digest.hexdigest(), info.size)
                if index_info is not None:
                    link = tarfile.TarInfo(f"{INDEX}/{store.CURRENT}")
                    link.type, link.linkname = tarfile.SYMTYPE, index_info.build
                    archive.addfile(link)
                manifest = ArchiveManifest(created=datetime.now(UTC), program_index_format=store.FORMAT_VERSION,
                                           index=index_info, files=files)
                _add_bytes(archive, MANIFEST, manifest.model_dump_json(indent=2).encode("utf-8"))
                _add_bytes(archive, SUMS, "".join(f"{d}  {n}\n" for n, (d, _) in files.items()).encode("utf-8"))
            with partial.open("rb") as handle:
                os.fsync(handle.fileno())
        except FileNotFoundError as exc:
            partial.unlink(missing_ok=True)
            raise BackupError(f"En fil forsvandt under backuppen ({exc.filename}): indekset blev bygget om imens. "
                              "Kør backuppen igen.") from exc
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    os.replace(partial, target)
    articles = sum(1 for e in Library(paths.corpus_dir, paths.index_dir).catalog() if not e.removed)
    return BackupReport(archive=target, files=len(files), size=target.stat().st_size, articles=articles,
                        index=index_info)


def _member_path(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise BackupError(f"Arkivet indeholder stien {name!r}, som peger uden for biblioteket; det gendannes ikke.")
    return path


def read_manifest(archive: tarfile.TarFile) -> ArchiveManifest:
    try:
        member = archive.getmember(MANIFEST)
        handle = archive.extractfile(member)
        assert handle is not None
        raw = json.loads(handle.read())
    except (KeyError, AssertionError, json.JSONDecodeError) as exc:
        raise BackupError(f"Arkivet har ingen læsbar {MANIFEST}; det er ikke en backup fra Erfaringsbanken.") from exc
    version = raw.get("archive_format") if isinstance(raw, dict) else None
    if not isinstance(version, int) or version > ARCHIVE_FORMAT or raw.get("layout", 1) > LAYOUT_VERSION:
        raise BackupError("Backuppen er lavet af en nyere version af Erfaringsbanken (arkivformat "
                          f"{version}); opgrader programmet (git pull), og gendan så.")
    try:
        return ArchiveManifest.model_validate(raw)
    except ValidationError as exc:
        raise BackupError(f"{MANIFEST} i arkivet har ugyldige felter ({exc.error_count()} fejl).") from exc


def _checked_members(archive: tarfile.TarFile, manifest: ArchiveManifest) -> list[tarfile.TarInfo]:
    """Every member checked against the manifest (each file's sha256 and size; nothing missing or extra)."""
    seen: set[str] = set()
    members = []
    for member in archive.getmembers():
        if member.name in (MANIFEST, SUMS):
            continue
        path = _member_path(member.name)
        if member.issym():
            if path.as_posix() != f"{INDEX}/{store.CURRENT}" or "/" in member.linkname or ".." in member.linkname:
                raise BackupError(f"Arkivet indeholder et link, {member.name!r}, som en backup aldrig har.")
        elif member.isfile():
            expected = manifest.files.get(member.name)
            handle = archive.extractfile(member)
            digest = hashlib.sha256()
            while handle is not None and (chunk := handle.read(_CHUNK)):
                digest.update(chunk)
            if expected is None or (digest.hexdigest(), member.size) != tuple(expected):
                raise BackupError(f"Filen {member.name} i arkivet passer ikke med manifestet (beskadiget eller "
                                  "ændret); intet er gendannet.")
            seen.add(member.name)
        elif not member.isdir():
            raise BackupError(f"Arkivet indeholder {member.name!r}, som ikke er en fil.")
        members.append(member)
    missing = set(manifest.files) - seen
    if missing:
        raise BackupError(f"Arkivet mangler {len(missing)} filer, manifestet nævner (fx {sorted(missing)[0]}); "
                          "intet er gendannet.")
    return members


def _target_of(name: str, staging: dict[str, Path]) -> Path | None:
    head, _, rest = name.partition("/")
    if name == MARKER:
        return staging.get(MARKER)
    if head in (ARTICLES, INDEX) and rest:
        return staging[head] / rest
    return None


def _occupied(folder: Path) -> bool:
    return folder.exists() and (not folder.is_dir() or any(folder.iterdir()))


def restore(
    archive_path: Path, paths: LibraryPaths, replace: bool = False, on_message: Callable[[str], None] | None = None
) -> RestoreReport:
    """Restore a library from an archive `backup` wrote.

    Args:
        archive_path: The archive.
        paths: Where to put the library (its folders need not exist).
        replace: Replace a library that is there already (it is moved aside, never deleted).
        on_message: Called with Danish lines as the work goes on (the index rebuild may take a while).

    Returns:
        What was restored, whether the index was rebuilt and why.

    Raises:
        BackupError: The archive is damaged, not ours or from a newer version, or a library is there already.
    """
    say = on_message or (lambda line: None)
    if paths.root is not None:
        check_layout(paths.root)
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            manifest, kept = _unpack(archive, paths, replace, say)
    except (OSError, tarfile.TarError, EOFError) as exc:
        raise BackupError(f"{archive_path} kunne ikke gendannes ({exc}); et bibliotek, der lå der, er urørt.") from exc
    for aside in kept:
        say(f"Det bibliotek, der lå der, er flyttet til side: {aside}")
    library = Library(paths.corpus_dir, paths.index_dir)
    reason = library.stale_reason()
    if reason is not None:
        say(f"Bygger indekset igen: {reason}")
        library.build(only_if_stale=True)
    articles = sum(1 for e in library.catalog() if not e.removed)
    return RestoreReport(files=len(manifest.files), articles=articles, kept_aside=kept, rebuilt=reason,
                         made=manifest.created)


def _unpack(
    archive: tarfile.TarFile, paths: LibraryPaths, replace: bool, say: Callable[[str], None]
) -> tuple[ArchiveManifest, list[Path]]:
    """Check every member, unpack beside the target folders, then move them into place.

    Returns:
        The manifest, and the folders that were there and are now kept aside.
    """
    manifest = read_manifest(archive)
    members = _checked_members(archive, manifest)
    say(f"Backuppen fra {manifest.created:%Y-%m-%d %H:%M} UTC er kontrolleret: {len(manifest.files)} filer passer "
        "med manifestet.")
    folders = {ARTICLES: paths.corpus_dir, INDEX: paths.index_dir}
    occupied = [f for f in folders.values() if _occupied(f)]
    if occupied and not replace:
        raise BackupError(f"Der ligger allerede et bibliotek i {occupied[0]}. Gendan til en tom mappe med "
                          "--library, eller brug --replace (det nuværende flyttes til side, intet slettes).")
    stamp = f"{datetime.now(UTC):%Y%m%d-%H%M%S}"
    staging = {key: folder.with_name(f".{folder.name}.restoring-{os.getpid()}") for key, folder in folders.items()}
    if paths.root is not None:
        paths.root.mkdir(parents=True, exist_ok=True)
        staging[MARKER] = paths.root / f".{MARKER}.restoring-{os.getpid()}"
    kept: list[Path] = []
    try:
        for key in (ARTICLES, INDEX):
            shutil.rmtree(staging[key], ignore_errors=True)
            staging[key].parent.mkdir(parents=True, exist_ok=True)
            staging[key].mkdir()
        for member in members:
            target = _target_of(member.name, staging)
            if target is None:
                continue
            if member.isdir():
                target.mkdir(parents=True, exist_ok=True)
            elif member.issym():
                target.symlink_to(member.linkname)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                source = archive.extractfile(member)
                assert source is not None
                with target.open("wb") as out:
                    shutil.copyfileobj(source, out, _CHUNK)
                    out.flush()
                    os.fsync(out.fileno())
        for key, folder in folders.items():
            if folder.exists():
                aside = folder.with_name(f"{folder.name}.before-restore-{stamp}")
                os.replace(folder, aside)
                kept.append(aside)
            os.replace(staging[key], folder)
        if paths.root is not None and staging[MARKER].exists():
            os.replace(staging[MARKER], paths.root / MARKER)
    finally:
        for leftover in staging.values():
            if leftover.is_dir():
                shutil.rmtree(leftover, ignore_errors=True)
            elif leftover.exists():
                leftover.unlink()
    return manifest, kept
