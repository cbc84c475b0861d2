"""Load the searcher once per server process and report progress while a first index is built."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable

import index
import library
from index import Searcher
from ui.settings import Settings, offline_models

ProgressCallback = Callable[[str, float], None]

# A searcher loaded before the web server started (`python -m ui.serve`), with the settings it
# was loaded for; the first slot that is asked for those settings takes it.
_preloaded: tuple[Settings, Searcher] | None = None
_preload_lock = threading.Lock()


def preload(settings: Settings) -> Searcher:
    """Load the index and the model now, so the first page of the app finds them ready.

    Args:
        settings: where the index and corpus are (the index must exist and be fresh).

    Returns:
        The loaded searcher.

    Raises:
        index.SearchIndexError subclasses with Danish messages when the index cannot be used.
    """
    global _preloaded
    offline_models()
    searcher = index.load(settings.index_dir)
    # The model's first encoding allocates its buffers: pay that here, not on a leader's question.
    searcher.search("krise", k=1)
    with _preload_lock:
        _preloaded = (settings, searcher)
    return searcher


def _take_preloaded(settings: Settings) -> Searcher | None:
    global _preloaded
    with _preload_lock:
        if _preloaded is None or _preloaded[0] != settings:
            return None
        searcher, _preloaded = _preloaded[1], None
        return searcher


class SearcherSlot:
    """Holds the one searcher of the process; thread-safe because Streamlit sessions share it.

    The slot (not the searcher) is what `st.cache_resource` caches, so the first session can
    drive a visible progress bar while the index is built, and later sessions just reuse it.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._searcher: Searcher | None = None
        self._build: str | None = None

    @property
    def ready(self) -> bool:
        """True once a searcher is loaded (or was loaded before the server started)."""
        return self._searcher is not None or _preloaded is not None

    def build_reason(self, settings: Settings) -> str | None:
        """Tell whether loading will have to build the index first, and why.

        Args:
            settings: where the index and corpus are.

        Returns:
            A Danish reason (e.g. 'der er intet indeks endnu.'), or None when the index is fresh.
        """
        offline_models()
        return library.Library(settings.corpus_dir, settings.index_dir).stale_reason()

    def get(self, settings: Settings, on_progress: ProgressCallback | None = None) -> Searcher:
        """Return the searcher, loading it (or building the index first) on the first call.

        Args:
            settings: where the index and corpus are.
            on_progress: called with (Danish stage, fraction 0..1) while loading or building.

        Returns:
            The `index` searcher.

        Raises:
            index.SearchIndexError subclasses with Danish messages when the index cannot be used.
        """
        with self._lock:
            if self._searcher is None:
                self._searcher = _take_preloaded(settings)
                self._build = current_build(settings)
            elif self._build != current_build(settings):
                # The library changed (an editor here, or `python -m ingest` beside the app): every
                # session's next question is answered from the new index.
                self._searcher, self._build = _reloaded(settings, self._searcher), current_build(settings)
            if self._searcher is None:
                offline_models()
                self._searcher = library.Library(settings.corpus_dir, settings.index_dir).ensure_index(on_progress)
                self._build = current_build(settings)
            return self._searcher


def current_build(settings: Settings) -> str | None:
    """The build the index folder's `current` link names (one readlink: cheap on every question)."""
    try:
        return os.readlink(settings.index_dir / "current")
    except OSError:
        return None


def _reloaded(settings: Settings, old: Searcher) -> Searcher:
    """The new build with the model already loaded; the old searcher when the new one cannot be read."""
    try:
        return index.load(settings.index_dir, embedder=old.embedder)
    except index.SearchIndexError:
        return old
