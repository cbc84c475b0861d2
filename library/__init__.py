"""Library: the use cases that change what leaders can search, above ingest and index.

Building and rebuilding the index from the corpus, adding articles (and the editors' changes):
each touches the corpus folder and the index together, so it lives here, and `ingest/` knows only
files and passages.

The names below are imported on first use (PEP 562): importing the package imports none of its
modules, so parallel first imports cannot meet it half-initialised (docs/ARCHITECTURE.md).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from library.add import AddReport, AddResult, FileOutcome, Upload, add_article, add_paths, add_uploads
    from library.build import EmptyCorpusError, IndexUpdate, ensure_index, rebuild, stale_reason, update_index
    from library.changelog import Change, read_log
    from library.intake import MAX_BYTES, AddError, NewArticle, new_article
    from library.keep import (
        CatalogEntry,
        KeepResult,
        MetadataChange,
        catalog,
        edit_article,
        remove_article,
        replace_article,
        restore_article,
    )

_EXPORTS: dict[str, str] = {
    "AddError": "library.intake",
    "AddReport": "library.add",
    "AddResult": "library.add",
    "CatalogEntry": "library.keep",
    "Change": "library.changelog",
    "EmptyCorpusError": "library.build",
    "FileOutcome": "library.add",
    "IndexUpdate": "library.build",
    "KeepResult": "library.keep",
    "MAX_BYTES": "library.intake",
    "MetadataChange": "library.keep",
    "NewArticle": "library.intake",
    "Upload": "library.add",
    "add_article": "library.add",
    "add_paths": "library.add",
    "add_uploads": "library.add",
    "catalog": "library.keep",
    "edit_article": "library.keep",
    "ensure_index": "library.build",
    "new_article": "library.intake",
    "read_log": "library.changelog",
    "rebuild": "library.build",
    "remove_article": "library.keep",
    "replace_article": "library.keep",
    "restore_article": "library.keep",
    "stale_reason": "library.build",
    "update_index": "library.build",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> object:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'library' has no attribute {name!r}")
    value = getattr(import_module(_EXPORTS[name]), name)
    globals()[name] = value
    return value
