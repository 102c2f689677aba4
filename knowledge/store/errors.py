"""Errors a user can cause, importable without the database stack (so `talksbot --help` stays cheap)."""

from __future__ import annotations


class StoreError(Exception):
    """The database cannot be used; the message says why in one line."""
