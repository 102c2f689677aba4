"""Adding a source document to a pack folder: `talksbot ingest FILE --title ... --pack DIR`.

The text is normalised (Unicode NFC, one paragraph per line, white space squashed) so quotes can be
copied from it reliably, and hashed, so ingesting the same article twice is noticed. sources.yaml
is appended to as text, keeping the maintainer's comments. Nothing is loaded: the maintainer adds
facts that quote the new sentences, then checks and loads the pack.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

from knowledge.pack import PackError, read_pack
from knowledge.records import Source
from knowledge.text import squash_whitespace
from knowledge.validate import source_sentences, unquoted_sentences

_BLANK_LINE = re.compile(r"\n\s*\n")


class IngestError(Exception):
    """The document or its metadata cannot be added; the message says why."""


@dataclass(frozen=True)
class Ingested:
    source_id: str
    added: bool
    """False when the pack already held this exact text (under `source_id`)."""
    sha256: str
    uncovered: tuple[str, ...]
    """The source's sentences no fact quotes yet."""


def normalise_document(raw: str) -> str:
    """One paragraph per line. Paragraphs are separated by blank lines, or by line breaks if there are none."""
    text = unicodedata.normalize("NFC", raw.replace("\r\n", "\n").replace("\r", "\n")).strip()
    paragraphs = _BLANK_LINE.split(text) if _BLANK_LINE.search(text) else text.split("\n")
    return "\n".join(p for p in (squash_whitespace(part) for part in paragraphs) if p) + "\n"


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "source"


def ingest(
    document: Path, pack_dir: Path, *, title: str, publisher: str, url: str, date: dt.date, language: str = "en"
) -> Ingested:
    try:
        text = normalise_document(document.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise IngestError(f"cannot read {document}: {exc}") from None
    if not text.strip():
        raise IngestError(f"{document} has no text")
    for name, value in (("--title", title), ("--publisher", publisher), ("--url", url)):
        if not value.strip():
            raise IngestError(f"{name} must not be empty")
    sources_file = pack_dir / "sources.yaml"
    if not sources_file.is_file():
        raise IngestError(f"{sources_file} not found: --pack must name a pack folder")
    existing = (yaml.safe_load(sources_file.read_text(encoding="utf-8")) or {}).get("sources") or []
    digest = text_hash(text)
    taken: set[str] = set()
    for item in existing:
        sid = str(item.get("id"))
        taken.add(sid)
        known = pack_dir / "sources" / f"{sid}.txt"
        if item.get("sha256") == digest or (known.is_file() and text_hash(known.read_text(encoding="utf-8")) == digest):
            return Ingested(sid, False, digest, _uncovered(pack_dir, sid, text))
    base = f"{slug(publisher)}-{date.isoformat()}"
    source_id = next(
        candidate
        for candidate in (base, *(f"{base}-{n}" for n in range(2, 1000)))
        if candidate not in taken and not (pack_dir / "sources" / f"{candidate}.txt").exists()
    )
    (pack_dir / "sources").mkdir(exist_ok=True)
    (pack_dir / "sources" / f"{source_id}.txt").write_text(text, encoding="utf-8")
    entry = {
        "id": source_id,
        "title": title.strip(),
        "publisher": publisher.strip(),
        "url": url.strip(),
        "as_of": date,
        "language": language,
        "sha256": digest,
    }
    block = yaml.safe_dump([entry], allow_unicode=True, sort_keys=False, width=1000)
    current = sources_file.read_text(encoding="utf-8")
    sources_file.write_text(
        current.rstrip("\n") + "\n" + "".join(f"  {line}\n" for line in block.splitlines()), encoding="utf-8"
    )
    return Ingested(source_id, True, digest, _uncovered(pack_dir, source_id, text))


def _uncovered(pack_dir: Path, source_id: str, text: str) -> tuple[str, ...]:
    """Sentences of the source no fact quotes; all of them if the pack does not read cleanly yet."""
    try:
        pack = read_pack(pack_dir)
    except PackError:
        return tuple(sentence for _, sentence in source_sentences(text) if not sentence.endswith("?"))
    source = next((s for s in pack.sources if s.id == source_id), None)
    return tuple(unquoted_sentences(source, pack)) if isinstance(source, Source) else ()
