"""A question's time budget: a deadline every step of a search checks, and a way to abandon it.

Every per-word step of the reading is bounded in variants and length (index/text/); the budget
bounds what is left (a machine under load, a huge index) and lets the app abandon a search whose
session has gone (`cancel`, from another thread). A search past its budget stops at the next
check with a Danish `SearchTimeoutError`, never a hang.
"""

from __future__ import annotations

import threading
import time

from index.errors import SearchTimeoutError

# Far above any honest question (a search takes 30-150 ms up to a million passages,
# docs/BENCHMARKS.md), so only runaway work ever meets it.
DEFAULT_SECONDS = 20.0


class Budget:
    """The time one search may take, checked between its steps."""

    def __init__(self, seconds: float = DEFAULT_SECONDS) -> None:
        if not seconds > 0:
            raise ValueError(f"Et tidsbudget skal være over 0 sekunder, ikke {seconds!r}.")
        self.seconds = seconds
        self._deadline = time.monotonic() + seconds
        self._cancelled = threading.Event()

    def cancel(self) -> None:
        """Abandon the search: its next check stops it (safe to call from any thread)."""
        self._cancelled.set()

    @property
    def left(self) -> float:
        """Seconds left (0 when spent or cancelled)."""
        return 0.0 if self._cancelled.is_set() else max(0.0, self._deadline - time.monotonic())

    def check(self, stage: str) -> None:
        """Stop the search when its time is spent or it was abandoned.

        Args:
            stage: what the search was doing, in Danish, for the message ("læste spørgsmålet").

        Raises:
            SearchTimeoutError: the budget is spent or the search was cancelled.
        """
        if self._cancelled.is_set():
            raise SearchTimeoutError(self.seconds, stage, cancelled=True)
        if time.monotonic() > self._deadline:
            raise SearchTimeoutError(self.seconds, stage)
