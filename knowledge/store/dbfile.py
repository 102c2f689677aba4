"""Noticing a SQLite file deleted (or replaced) under the running bot.

SQLite keeps writing to a deleted file through its open handle, and the next start would create
an empty one: every subscription gone without a word. So every transaction first checks that the
file is still the one opened; if not it fails (the user is told it could not be saved), the log
says so once, and a marker next to the file makes the next start refuse to begin afresh.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

log = logging.getLogger(__name__)


class DatabaseFileLost(Exception):
    """The SQLite file was deleted or replaced while in use; the message says what to do."""


def lost_marker(path: Path) -> Path:
    return path.with_name(path.name + ".lost")


class FileGuard:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.identity: tuple[int, int] | None = None
        self.reported = False

    def _identity(self) -> tuple[int, int] | None:
        try:
            found = os.stat(self.path)
        except FileNotFoundError:
            return None
        return found.st_dev, found.st_ino

    def connected(self, *_: object) -> None:
        if self.identity is None:
            self.identity = self._identity()

    def check(self, *_: object) -> None:
        if self.identity is None or self._identity() == self.identity:
            return
        message = (
            f"database file {self.path} was deleted or replaced while the bot was running; "
            "restore it from a backup and restart"
        )
        if not self.reported:
            self.reported = True
            log.error("%s (changes made since are not kept)", message)
            try:
                lost_marker(self.path).write_text(message + "\n")
            except OSError:
                pass
        raise DatabaseFileLost(message)


def guard_file(engine: AsyncEngine, path: Path) -> None:
    """Check the file at every transaction (a stat: microseconds)."""
    guard = FileGuard(path)
    event.listen(engine.sync_engine, "connect", guard.connected)
    event.listen(engine.sync_engine, "begin", guard.check)


def refuse_lost(path: Path) -> str | None:
    """Why not to open `path`, if a running bot saw it deleted (whatever file is there now is not
    the one it lost, e.g. an empty one SQLite made on reconnecting); None if it may be opened."""
    marker = lost_marker(path)
    if not marker.exists():
        return None
    return f"{marker.read_text().strip()} (once it is restored, or to start with an empty database, delete {marker})"
