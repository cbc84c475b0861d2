"""`/healthz`: whether this server can answer a question now, checked by answering one.

Streamlit's own `/_stcore/health` says only that the web server accepts connections. This says
what a leader would meet: the index loaded in this process (`python -m ui.serve` loads it before
the web server starts, so until then nothing answers at all), the build it holds, the library's
size, and one real search timed ("krise", k=1, through the same searcher every session uses).
A change to the library put in place since (by an editor or a command beside the app) is loaded
by the check, as the next question would load it. Status 200 when all holds, else 503.
"""

from __future__ import annotations

import time

from pydantic import BaseModel, Field

import library
from index import SearchIndexError
from ui.loading import SearcherSlot, current_build
from ui.settings import Settings

PROBE_QUESTION = "krise"


class Health(BaseModel):
    """What `/healthz` answers (JSON)."""

    ok: bool
    index_loaded: bool = Field(description="A searcher is loaded in this process.")
    build: str | None = Field(default=None, description="The index build in use (the index folder's `current`).")
    articles: int | None = None
    passages: int | None = None
    answer_ms: float | None = Field(default=None, description="One search, timed.")
    change_pending: bool = Field(default=False, description="A change a kill interrupted waits to be finished.")
    library: str
    detail: str | None = Field(default=None, description="Danish: what is wrong, when something is.")


def check(slot: SearcherSlot, settings: Settings) -> Health:
    """Check that this process can answer: its searcher loaded, and one search through it.

    Args:
        slot: The process's searcher slot (`ui.resources.searcher_slot()`).
        settings: Where the library is.

    Returns:
        The outcome; `ok` only when a search was answered.
    """
    pending = library.Library(settings.corpus_dir, settings.index_dir).change_pending()
    folder = str(settings.corpus_dir.parent if settings.corpus_dir.name == "articles" else settings.corpus_dir)
    if not slot.ready:
        return Health(ok=False, index_loaded=False, change_pending=pending, library=folder,
                      detail="Indekset er ikke indlæst endnu.")
    try:
        searcher = slot.get(settings)
        started = time.perf_counter()
        searcher.search(PROBE_QUESTION, k=1)
        answer_ms = (time.perf_counter() - started) * 1000
    except (SearchIndexError, ValueError, OSError) as error:
        return Health(ok=False, index_loaded=True, build=current_build(settings), change_pending=pending,
                      library=folder, detail=f"Søgningen fejlede: {error}")
    return Health(ok=True, index_loaded=True, build=current_build(settings), articles=len(searcher.articles),
                  passages=len(searcher.passages), answer_ms=round(answer_ms, 1), change_pending=pending,
                  library=folder)
