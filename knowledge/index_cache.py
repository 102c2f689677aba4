"""The built matcher persisted in the data directory, so a restart reads it instead of rebuilding.

Building the index analyses every phrasing (seconds at 100,000 intents); reading it back is a
fraction of that. The file is keyed by the loaded packs' fingerprint and by the engine version, a
hash of the code that builds the index, so a changed pack or a changed matcher is never served
a stale index; anything unexpected (missing, foreign, truncated or corrupt file, a class that
no longer unpickles) falls back to a fresh build.

Beside it, the knowledge itself is kept (`.knowledge`), keyed by the packs' ids, fingerprints and
load times: while those rows are unchanged, a start reads one file instead of every intent's rows.

The state is pickled generically (the matcher's attributes, minus the knowledge it was built
from), so matcher changes need no serialisation code. Pickle runs code when read, so only files
this process could have written are read: regular files owned by this user, inside the index
directory (no symlinks out), whose content hash matches their header.
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import logging
import os
import pickle
import sys
import tempfile
from collections.abc import Callable
from functools import cache
from importlib import metadata
from pathlib import Path

from knowledge.gcpause import collector_paused
from knowledge.matcher import DEFAULT_THRESHOLD, Matcher
from knowledge.records import Intent, Knowledge

log = logging.getLogger(__name__)

FORMAT = b"talksbot-index 1\n"
ENGINE_FILES = ("*.py", "*.yaml", "store/snapshot.py")
"""The engine: every module and data file (a base lexicon) of `knowledge/`, and the reader that builds
knowledge from the database, so no change is missed."""
KEEP = 3
"""Index files kept per directory (other packs or engine versions sharing the data directory)."""
NOT_PERSISTED = frozenset({"knowledge", "_suggested_facts"})
"""The knowledge is read from the store at every start; memos are rebuilt as questions come."""


@cache
def engine_version() -> str:
    """A hash of the engine's files, the Python version and rapidfuzz's version."""
    digest = hashlib.sha256(FORMAT)
    digest.update(f"{sys.version_info[:2]} {metadata.version('rapidfuzz')}".encode())
    here = Path(__file__).parent
    for path in sorted(p for pattern in ENGINE_FILES for p in here.glob(pattern)):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def index_key(knowledge: Knowledge, threshold: float) -> str | None:
    if not knowledge.fingerprint:
        return None  # knowledge not read from a store: nothing identifies it
    return hashlib.sha256(f"{engine_version()} {knowledge.fingerprint} {threshold!r}".encode()).hexdigest()


def cached_matcher(
    knowledge: Knowledge, directory: Path | None, progress: Callable[[int, int], None] | None = None
) -> Matcher:
    """The matcher for `knowledge`: read from `directory` if built before, else built and saved there."""
    if directory is None or index_key(knowledge, DEFAULT_THRESHOLD) is None:
        return Matcher(knowledge, progress=progress)
    with collector_paused():
        matcher = load_matcher(knowledge, directory)
        if matcher is None:
            matcher = Matcher(knowledge, progress=progress)
            save_matcher(matcher, directory)
    gc.freeze()  # the index lives as long as the process: keep it out of every later collection
    return matcher


def load_matcher(knowledge: Knowledge, directory: Path) -> Matcher | None:
    """The persisted matcher for `knowledge`, or None if there is no usable one."""
    key = index_key(knowledge, DEFAULT_THRESHOLD)
    return None if key is None else _read(directory / f"{key}.index", directory, key, knowledge)


def save_matcher(matcher: Matcher, directory: Path) -> Path | None:
    """Persist `matcher` for the next start; the file written, or None if it cannot be."""
    key = index_key(matcher.knowledge, matcher.threshold)
    if key is None:
        return None
    path = directory / f"{key}.index"
    return path if _write(matcher, path, key) else None


def _read(path: Path, directory: Path, key: str, knowledge: Knowledge) -> Matcher | None:
    state = _read_pickled(path, directory, key)
    if not isinstance(state, dict):
        return None
    matcher = Matcher.__new__(Matcher)
    matcher.__dict__.update(state)
    matcher.knowledge = knowledge
    return matcher


def _read_pickled(path: Path, directory: Path, key: str) -> object | None:
    """What `_write_pickled` wrote at `path` for `key`; None if there is nothing usable."""
    try:
        if not _trusted(path, directory):
            return None
        with path.open("rb") as file:
            header = [file.readline() for _ in range(3)]
            payload = file.read()
        if header[0] != FORMAT or header[1].strip().decode() != key:
            return None
        if hashlib.sha256(payload).hexdigest() != header[2].strip().decode():
            log.warning("persisted index %s is corrupt; rebuilding", path)
            return None
        state: object = pickle.loads(payload)
        return state
    except FileNotFoundError:
        return None
    except Exception as exc:  # any unreadable index is rebuilt, never fatal
        log.warning("cannot read persisted index %s (%s); rebuilding", path, exc)
        return None


def _trusted(path: Path, directory: Path) -> bool:
    """A regular file of ours, inside `directory` itself."""
    info = path.lstat()  # raises FileNotFoundError when there is none yet
    inside = path.resolve().parent == directory.resolve()
    ours = not hasattr(os, "getuid") or info.st_uid == os.getuid()
    if not (inside and ours and path.is_file() and not path.is_symlink()):
        log.warning("ignoring persisted index %s: not a file this user wrote in %s", path, directory)
        return False
    return True


def _write(matcher: Matcher, path: Path, key: str) -> bool:
    state = {name: value for name, value in vars(matcher).items() if name not in NOT_PERSISTED}
    return _write_pickled(state, path, key)


def _write_pickled(state: object, path: Path, key: str) -> bool:
    """Atomically (write, then rename), so readers see a whole file or none; failures only cost the next start."""
    try:
        payload = pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL)
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".index-", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(FORMAT + f"{key}\n{hashlib.sha256(payload).hexdigest()}\n".encode() + payload)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        _prune(path.parent, keep=path)
        return True
    except Exception as exc:
        log.warning("cannot persist the index in %s (%s); the next start rebuilds it", path.parent, exc)
        return False


def _prune(directory: Path, keep: Path) -> None:
    """Only the newest few files of each kind stay; older packs' and engines' are dead weight."""
    files = sorted(directory.glob(f"*{keep.suffix}"), key=lambda p: p.stat().st_mtime, reverse=True)
    for stale in [p for p in files if p != keep][KEEP - 1 :]:
        stale.unlink(missing_ok=True)


def knowledge_key(rows_version: str) -> str | None:
    """What a persisted copy of the knowledge read from these rows is filed under (None: nothing to key by)."""
    if not rows_version:
        return None
    return hashlib.sha256(f"{engine_version()} knowledge {rows_version}".encode()).hexdigest()


def load_knowledge(directory: Path, rows_version: str) -> Knowledge | None:
    """The knowledge read before from the rows `rows_version` names, or None: reading one file is
    several times faster than reading 100,000 intents' rows from the database."""
    key = knowledge_key(rows_version)
    if key is None:
        return None
    with collector_paused():
        knowledge = _knowledge_from(_read_pickled(directory / f"{key}.knowledge", directory, key))
    return knowledge if knowledge is not None and knowledge.rows_version == rows_version else None


def save_knowledge(knowledge: Knowledge, directory: Path) -> Path | None:
    """Persist `knowledge` for the next start; the file written, or None if it cannot be."""
    key = knowledge_key(knowledge.rows_version)
    if key is None:
        return None
    path = directory / f"{key}.knowledge"
    return path if _write_pickled(_knowledge_state(knowledge), path, key) else None


INTENT_FIELDS = tuple(field.name for field in dataclasses.fields(Intent))


def _knowledge_state(knowledge: Knowledge) -> tuple[Knowledge, tuple[str, ...], list[tuple[object, ...]]]:
    """The knowledge without its intents, and the intents as plain rows of their fields: pickle
    reads 100,000 rows back in half the time it takes to rebuild as many dataclass objects."""
    rows = [tuple(getattr(intent, name) for name in INTENT_FIELDS) for intent in knowledge.intents.values()]
    return dataclasses.replace(knowledge, intents={}), INTENT_FIELDS, rows


def _knowledge_from(state: object) -> Knowledge | None:
    if not (isinstance(state, tuple) and len(state) == 3 and isinstance(state[0], Knowledge)):
        return None
    shell: Knowledge = state[0]
    names, rows = state[1], state[2]
    if names != INTENT_FIELDS:
        return None
    intents: dict[str, Intent] = {}
    for row in rows:
        intent = object.__new__(Intent)  # the fields as they were, without __init__'s checks
        intent.__dict__.update(zip(names, row, strict=True))
        intents[intent.id] = intent
    return dataclasses.replace(shell, intents=intents)
