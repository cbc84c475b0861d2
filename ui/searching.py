"""A search that is abandoned when its session goes, and a bound on how many run at once.

Streamlit runs a session's script in a thread and stops it (a new question, a closed tab) only at
its next Streamlit call, which a search inside the index never makes. So the search runs in one of
a few shared worker threads, and the session's thread waits for it, making a small Streamlit call
(`keep_alive`) every `POLL_SECONDS`: when Streamlit then stops the script, the search's budget is
cancelled (`index.Budget.cancel`) and the search stops at its next check; a search still queued
never starts. Two workers on a two-core machine: more questions at once wait their turn instead of
slowing everyone's answer.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, wait
from typing import TypeVar

from index import Budget

SEARCH_WORKERS = 2
POLL_SECONDS = 0.1
log = logging.getLogger("erfaringsbanken.chat")
_pool = ThreadPoolExecutor(max_workers=SEARCH_WORKERS, thread_name_prefix="erfaringsbanken-search")

T = TypeVar("T")


def run_abandonable(
    work: Callable[[Budget], T],
    budget: Budget,
    keep_alive: Callable[[], None] | None = None,
    poll: float = POLL_SECONDS,
) -> T:
    """Run `work(budget)` in a search worker, abandoning it when `keep_alive` raises.

    Args:
        work: the search, given the budget to check.
        budget: its time budget; cancelled when the waiting stops early.
        keep_alive: called while waiting (the app's Streamlit call: where Streamlit stops a session
            that has gone); None runs the work here, in this thread.
        poll: seconds between calls of `keep_alive`.

    Returns:
        What `work` returned.

    Raises:
        Whatever `work` raised (`SearchTimeoutError` past the budget), or what `keep_alive` raised.
    """
    if keep_alive is None:
        return work(budget)
    future = _pool.submit(work, budget)
    try:
        while True:
            done, _ = wait([future], timeout=poll)
            if done:
                return future.result()
            keep_alive()
    finally:
        if not future.done():
            budget.cancel()
            started = not future.cancel()
            log.info("Søgning opgivet (%s): sessionen er lukket eller har stillet et nyt spørgsmål.",
                     "afbrudt undervejs" if started else "før den startede")
