"""Library: the use cases that change what leaders can search, above ingest and index.

`Library(corpus_dir, index_dir, embedder)` is the one facade: build, add, edit, remove, replace,
restore, list and the change log (library/facade.py). The records it returns and takes are
re-exported here with it, and where a library lives (`resolve_paths`, `ensure_library`:
library/paths.py); `stale_reason`, `rebuild` and `ensure_index` stay for callers that hold
only the folders (the evaluation and the benchmark).
"""

from __future__ import annotations

from library.add import AddReport, AddResult, FileOutcome, Upload
from library.build import EmptyCorpusError, rebuild, stale_reason
from library.changelog import Change
from library.facade import IndexUpdate, Library, ensure_index
from library.intake import MAX_BYTES, AddError, NewArticle, new_article
from library.keep import CatalogEntry, KeepResult, MetadataChange
from library.paths import LIBRARY_ENV, LibraryLayoutError, LibraryPaths, ensure_library, resolve_paths
from library.quotes import CheckedAnswer, LeftOut, QuoteCheck
from library.transaction import Recovery

__all__ = [
    "LIBRARY_ENV",
    "MAX_BYTES",
    "AddError",
    "AddReport",
    "AddResult",
    "CatalogEntry",
    "Change",
    "CheckedAnswer",
    "EmptyCorpusError",
    "FileOutcome",
    "IndexUpdate",
    "KeepResult",
    "LeftOut",
    "Library",
    "LibraryLayoutError",
    "LibraryPaths",
    "MetadataChange",
    "NewArticle",
    "QuoteCheck",
    "Recovery",
    "Upload",
    "ensure_index",
    "ensure_library",
    "new_article",
    "rebuild",
    "resolve_paths",
    "stale_reason",
]
