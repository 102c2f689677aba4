"""A progress bar on stderr for long steps (building an index of 100,000 intents takes seconds).

On a terminal the bar redraws in place; elsewhere (CI logs) it prints a line every tenth of the
way, so a log shows progress without thousands of carriage returns.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO


class ProgressBar:
    WIDTH = 30

    def __init__(self, label: str, stream: TextIO | None = None) -> None:
        self.label = label
        self.stream = stream or sys.stderr
        self._interactive = self.stream.isatty()
        self._shown = -1
        self._started = time.perf_counter()

    def __call__(self, done: int, total: int) -> None:
        """Report `done` of `total`; cheap enough to call for every item."""
        step = 100 if self._interactive else 10
        shown = done * step // max(total, 1)
        if shown == self._shown:
            return
        self._shown = shown
        fraction = done / max(total, 1)
        filled = int(fraction * self.WIDTH)
        line = (
            f"{self.label} [{'#' * filled}{'.' * (self.WIDTH - filled)}] {fraction:4.0%} "
            f"{done:,}/{total:,} {time.perf_counter() - self._started:5.1f}s"
        )
        if self._interactive:
            self.stream.write("\r" + line + ("\n" if done >= total else ""))
        else:
            self.stream.write(line + "\n")
        self.stream.flush()


def note(message: str, stream: TextIO | None = None) -> None:
    """A step without a count ("talksbot load ..."), on a line of its own."""
    stream = stream or sys.stderr
    stream.write(f"{message}\n")
    stream.flush()
