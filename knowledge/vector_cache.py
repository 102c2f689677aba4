"""Target vectors cached on disk: encoding a pack's targets takes half a minute, loading them a moment.

A cache file is named by the knowledge fingerprint and the encoder version, and also records the
digest of the texts it encodes, so a changed pack or model can never be served stale vectors.
Texts are encoded a chunk at a time, so a build running in the background can be stopped between
chunks (`BuildStopped`) when the bot stops or newer knowledge replaces it.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from knowledge.encoder import Encoder

if TYPE_CHECKING:
    import numpy as np


CHUNK = 64
"""Texts encoded per call of the encoder: a stop request waits for one chunk at most (about a second)."""


class BuildStopped(Exception):
    """The build was asked to stop before it finished; nothing was stored."""


def texts_digest(texts: list[str]) -> str:
    return hashlib.sha256("\0".join(texts).encode()).hexdigest()


def cache_path(cache_dir: Path, fingerprint: str, version: str) -> Path:
    key = hashlib.sha256(f"{fingerprint}\0{version}".encode()).hexdigest()[:24]
    return cache_dir / f"vectors-{key}.npz"


def cached_vectors(
    encoder: Encoder,
    texts: list[str],
    fingerprint: str,
    cache_dir: Path | None,
    stop: threading.Event | None = None,
) -> np.ndarray:
    """The vectors of `texts`, from the cache when it holds exactly these texts, else encoded and stored.
    Raises `BuildStopped` when `stop` is set while encoding."""
    import numpy as np

    digest = texts_digest(texts)
    path = cache_path(cache_dir, fingerprint, encoder.version) if cache_dir is not None else None
    if path is not None and path.is_file():
        try:
            with np.load(path) as stored:
                if str(stored["digest"]) == digest:
                    return np.array(stored["vectors"], dtype=np.float32)
        except (OSError, ValueError, KeyError):
            pass  # unreadable or foreign: encode again and overwrite
    vectors = _encode_in_chunks(encoder, texts, stop) if texts else np.zeros((0, 1), dtype=np.float32)
    if path is not None:
        _store(path, vectors, digest)
    return vectors


def _encode_in_chunks(encoder: Encoder, texts: list[str], stop: threading.Event | None) -> np.ndarray:
    import numpy as np

    parts = []
    for start in range(0, len(texts), CHUNK):
        if stop is not None and stop.is_set():
            raise BuildStopped
        parts.append(encoder.encode(texts[start : start + CHUNK]))
    return np.ascontiguousarray(np.concatenate(parts), dtype=np.float32)


def _store(path: Path, vectors: np.ndarray, digest: str) -> None:
    """Written to a temporary file and renamed, so a concurrent reader never sees half a file."""
    import numpy as np

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".npz.tmp")
        with os.fdopen(handle, "wb") as out:
            np.savez(out, vectors=vectors, digest=np.array(digest))
        os.replace(temporary, path)
    except OSError:
        pass  # a read-only data directory costs speed, not answers
