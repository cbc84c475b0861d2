"""A visitor's questions, rate-limited per session: a sliding window of the last minute.

A person asks a question, reads the answer, asks again: a few a minute. A script or a held-down
Enter asks dozens, and every search holds the shared model for a moment. Past the limit the chat
says in Danish how long to wait; nothing is an error. (A dozen lines of our own: a rate-limit
library would add a dependency for a deque and a clock.)
"""

from __future__ import annotations

import math

from pydantic import BaseModel

MAX_PER_MINUTE = 12
WINDOW_SECONDS = 60.0


class QuestionRate(BaseModel):
    """When this session's recent questions were asked (monotonic seconds)."""

    asked: list[float] = []

    def admit(self, now: float, limit: int = MAX_PER_MINUTE, window: float = WINDOW_SECONDS) -> int | None:
        """Count a question asked now, or say how long to wait.

        Args:
            now: the time (`time.monotonic()`).
            limit: questions allowed within `window`.
            window: seconds.

        Returns:
            None when the question may be searched (it is counted); else the whole seconds to wait.
        """
        self.asked = [t for t in self.asked if now - t < window]
        if len(self.asked) >= limit:
            return max(1, math.ceil(self.asked[0] + window - now))
        self.asked.append(now)
        return None
