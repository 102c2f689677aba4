"""Target vectors cached on disk: encoding a pack's targets takes half a minute, loading them a moment.

A cache file is named by the knowledge fingerprint and the encoder version, and also records the
digest of the texts it encodes, so a changed pack or model can never be served stale vectors.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from knowledge.encoder import Encoder

if TYPE_CHECKING:
    import numpy as np


def texts_digest(texts: list[str]) -> str:
    return hashlib.sha256("\0".join(texts).encode()).hexdigest()


def cache_path(cache_dir: Path, fingerprint: str, version: str) -> Path:
    key = hashlib.sha256(f"{fingerprint}\0{version}".encode()).hexdigest()[:24]
    return cache_dir / f"vectors-{key}.npz"


def cached_vectors(encoder: Encoder, texts: list[str], fingerprint: str, cache_dir: Path | None) -> np.ndarray:
    """The vectors of `texts`, from the cache when it holds exactly these texts, else encoded and stored."""
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
    vectors = encoder.encode(texts) if texts else np.zeros((0, 1), dtype=np.float32)
    if path is not None:
        _store(path, vectors, digest)
    return vectors


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
