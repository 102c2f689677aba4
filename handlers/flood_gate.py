"""Per-user flood control: past `limit` questions in `window` seconds, one notice, then silence.

Counted per user across chats, so one person cannot use up the bot (or a group's send budget)
for everyone else. Time comes from an injected clock so tests need not wait a minute.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum


class Verdict(Enum):
    ALLOW = "allow"
    WARN = "warn"
    """Just over the limit: tell the user once."""
    SILENT = "silent"


@dataclass
class FloodGate:
    limit: int = 20
    window: float = 60.0
    clock: Callable[[], float] = time.monotonic
    _asked: dict[int, deque[float]] = field(default_factory=dict)
    _warned: set[int] = field(default_factory=set)
    _swept_at: float = float("-inf")

    def check(self, user_id: int) -> Verdict:
        now = self.clock()
        cutoff = now - self.window
        if now - self._swept_at >= self.window:
            self._swept_at = now
            for other in list(self._asked):
                self._prune(other, cutoff)
        asked = self._prune(user_id, cutoff) or self._asked.setdefault(user_id, deque())
        if len(asked) < self.limit:
            asked.append(now)
            self._warned.discard(user_id)
            return Verdict.ALLOW
        if user_id in self._warned:
            return Verdict.SILENT
        self._warned.add(user_id)
        return Verdict.WARN

    @property
    def users(self) -> int:
        """Users with questions still inside the window (the others are forgotten)."""
        return len(self._asked)

    def _prune(self, user_id: int, cutoff: float) -> deque[float] | None:
        asked = self._asked.get(user_id)
        if asked is None:
            return None
        while asked and asked[0] <= cutoff:
            asked.popleft()
        if not asked:
            del self._asked[user_id]
            self._warned.discard(user_id)
            return None
        return asked
