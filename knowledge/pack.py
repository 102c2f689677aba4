"""Reading a knowledge pack folder into typed objects (the format is in knowledge/README.md).

Reading only parses and checks shape; `knowledge.validate` checks meaning (quotes, references).
Every problem names the file and the item, so a maintainer can fix a pack without reading code.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from collections.abc import Callable
from typing import Any

import yaml

from knowledge.presentation import Presentation, read_presentation
from knowledge.records import Entity, Fact, Intent, Quote, Source

ENTITY_KINDS = ("side", "person", "place")
DELEGATION_ROLES = ("lead", "member")
ENTITY_ATTRIBUTES: dict[str, Callable[[Any], bool]] = {
    "role": lambda v: isinstance(v, str) and bool(v.strip()),  # the office as the source gives it
    "delegation": lambda v: v in DELEGATION_ROLES,  # place in their side's delegation (absent: not in it)
    "attending": lambda v: isinstance(v, bool),  # whether they take part, where the source says
    "profile": lambda v: isinstance(v, str) and bool(v.strip()),  # the fact whose quotes back all of these
}
"""Typed person attributes that questions are answered from compositionally (`knowledge.structure`)."""
FACT_RELATIONS = ("speaker", "addressee", "met")
_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_LANGUAGE = re.compile(r"^[a-z]{2}$")
_TRANSLATED_KEY = re.compile(r"^(statement|name|suggest|description|short_description)_([a-z]{2})$")
_FORMS_KEY = re.compile(r"^forms_([a-z]{2})$")
_CASE = re.compile(r"^[a-z]{2,5}$")
_SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader when PyYAML was built with it: the same documents, ~10x faster on big packs."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a pack: where it is and what is wrong."""

    file: str
    item: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.item}" if self.item else self.file
        return f"{where}: {self.message}"


class PackError(Exception):
    """A pack that cannot be used; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


SOURCE_PARTS = ("headline", "standfirst")


@dataclass(frozen=True)
class Lexicon:
    stopwords: tuple[str, ...] = ()
    synonyms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    out_of_scope: tuple[str, ...] = ()
    """Words (any language, inflected forms tolerated) that ask what no fact covers: age, family, pay."""


@dataclass(frozen=True)
class Pack:
    id: str
    title: str
    language: str
    as_of: dt.date
    fingerprint: str
    sources: tuple[Source, ...]
    entities: tuple[Entity, ...]
    facts: tuple[Fact, ...]
    intents: tuple[Intent, ...]
    lexicon: Lexicon
    languages: tuple[str, ...] = ("en",)
    """Every language each statement must be given in; the first is `language`."""
    version: str | None = None
    """The maintainer's version label from pack.yaml, if any (`talksbot packs` shows it)."""
    presentation: Presentation = field(default_factory=Presentation)
    description: str = ""
    """The bot's "What can this bot do?" text (Telegram: at most 512 characters)."""
    short_description: str = ""
    """The bot's profile line (Telegram: at most 120 characters)."""
    descriptions: dict[str, dict[str, str]] = field(default_factory=dict)
    """Both profile texts in other languages (`description_uk:`, `short_description_uk:`):
    language -> {"description": ..., "short_description": ...}."""


def bundled_pack_dir() -> Path:
    """The pack shipped with the package (the Istanbul talks)."""
    return Path(str(resources.files("knowledge") / "packs" / "istanbul-2025-05"))


def fingerprint(directory: Path) -> str:
    """A hash of every file in the pack, so loading an unchanged pack can be a no-op."""
    digest = hashlib.sha256()
    for path in sorted(p for p in directory.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(directory)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


class _Reader:
    """Collects problems while turning YAML mappings into specs."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.problems: list[Problem] = []

    def problem(self, file: str, item: str, message: str) -> None:
        self.problems.append(Problem(file, item, message))

    def load_yaml(self, name: str, required: bool = True) -> Any:
        path = self.directory / name
        if not path.is_file():
            if required:
                self.problem(name, "", "file is missing")
            return None
        try:
            with path.open(encoding="utf-8") as stream:  # streamed: a big pack's text is never held whole
                return yaml.load(stream, Loader=_SAFE_LOADER)  # noqa: S506 (a safe loader)
        except UnicodeDecodeError:
            self.problem(name, "", "is not UTF-8 text")
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f"line {mark.line + 1}" if mark is not None else ""
            reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            self.problem(name, where, f"malformed YAML: {reason}")
        return None

    def items(self, name: str, key: str) -> list[dict[str, Any]]:
        data = self.load_yaml(name)
        if data is None:
            return []
        if not isinstance(data, dict) or not isinstance(data.get(key), list):
            self.problem(name, "", f"expected a top-level '{key}:' list")
            return []
        good: list[dict[str, Any]] = []
        seen: set[str] = set()
        for index, item in enumerate(data[key], start=1):
            label = f"item {index}"
            if not isinstance(item, dict):
                self.problem(name, label, "expected a mapping")
                continue
            item_id = item.get("id")
            if not isinstance(item_id, str) or not _ID_PATTERN.match(item_id):
                self.problem(name, label, "missing or invalid 'id' (letters, digits, '_', '-', '.')")
                continue
            if item_id in seen:
                self.problem(name, item_id, "duplicate id")
                continue
            seen.add(item_id)
            good.append(item)
        return good

    def text(self, file: str, item: str, data: dict[str, Any], key: str, default: str | None = None) -> str:
        value = data.get(key, default)
        if not isinstance(value, str) or not value.strip():
            self.problem(file, item, f"'{key}' must be non-empty text")
            return ""
        return value.strip()

    def date(self, file: str, item: str, value: Any, default: dt.date | None = None) -> dt.date:
        if value is None and default is not None:
            return default
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            self.problem(file, item, f"'as_of' must be a date like 2025-05-15, not {value!r}")
            return default or dt.date.min

    def strings(self, file: str, item: str, data: dict[str, Any], key: str) -> tuple[str, ...]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.problem(file, item, f"'{key}' must be a list of non-empty text")
            return ()
        return tuple(v.strip() for v in value)


def read_pack(directory: Path | str) -> Pack:
    """Parse a pack folder; raises PackError listing every shape problem found."""
    directory = Path(directory)
    if not directory.is_dir():
        raise PackError([Problem(str(directory), "", "pack folder not found")])
    reader = _Reader(directory)

    meta = reader.load_yaml("pack.yaml")
    if meta is not None and not isinstance(meta, dict):
        reader.problem("pack.yaml", "", "expected a mapping with id, title, language, as_of")
        meta = None
    meta = meta or {}
    pack_id = reader.text("pack.yaml", "", meta, "id") if meta else ""
    title = reader.text("pack.yaml", "", meta, "title") if meta else ""
    language = reader.text("pack.yaml", "", meta, "language", "en") if meta else "en"
    as_of = reader.date("pack.yaml", "", meta.get("as_of")) if meta else dt.date.min
    languages = _read_languages(reader, meta, language)
    version = meta.get("version")
    if version is not None and not isinstance(version, (str, int, float)):
        reader.problem("pack.yaml", "version", "must be text, e.g. '2025-05-16.1'")
    presentation, presentation_problems = read_presentation(meta)
    for item, message in presentation_problems:
        reader.problem("pack.yaml", item, message)
    description = _profile_text(reader, meta, "description", MAX_DESCRIPTION)
    short_description = _profile_text(reader, meta, "short_description", MAX_SHORT_DESCRIPTION)
    descriptions: dict[str, dict[str, str]] = {}
    for key, limit in (("description", MAX_DESCRIPTION), ("short_description", MAX_SHORT_DESCRIPTION)):
        for lang, text in _translations(meta, key).items():
            if len(text) > limit:
                reader.problem("pack.yaml", "", f"'{key}_{lang}' has {len(text)} characters; Telegram allows {limit}")
            descriptions.setdefault(lang, {})[key] = text

    sources = tuple(_read_source(reader, item) for item in reader.items("sources.yaml", "sources"))
    entities = tuple(_read_entity(reader, item) for item in reader.items("entities.yaml", "entities"))
    known_sources = {s.id: s for s in sources if s is not None}
    facts = tuple(_read_fact(reader, item, as_of, known_sources) for item in reader.items("facts.yaml", "facts"))
    intents = tuple(_read_intent(reader, item) for item in reader.items("intents.yaml", "intents"))
    lexicon = _read_lexicon(reader)

    if reader.problems:
        raise PackError(reader.problems)
    return Pack(
        id=pack_id,
        title=title,
        language=language,
        as_of=as_of,
        fingerprint=fingerprint(directory),
        sources=tuple(s for s in sources if s is not None),
        entities=entities,
        facts=facts,
        intents=intents,
        lexicon=lexicon,
        languages=languages,
        version=None if version is None else str(version),
        presentation=presentation,
        description=description,
        short_description=short_description,
        descriptions=descriptions,
    )


def _read_languages(reader: _Reader, meta: dict[str, Any], language: str) -> tuple[str, ...]:
    raw = meta.get("languages", [language])
    if not isinstance(raw, list) or not all(isinstance(v, str) and _LANGUAGE.match(v) for v in raw):
        reader.problem("pack.yaml", "languages", "must be a list of two-letter language codes, e.g. [en, uk, ru]")
        return (language,)
    return tuple(dict.fromkeys([language, *raw]))


def _translations(item: dict[str, Any], field_name: str) -> dict[str, str]:
    """`statement_uk: ...` style keys of an item, as language -> text."""
    found: dict[str, str] = {}
    for key, value in item.items():
        match = _TRANSLATED_KEY.match(str(key))
        if match and match.group(1) == field_name and isinstance(value, str) and value.strip():
            found[match.group(2)] = value.strip()
    return found


MAX_DESCRIPTION = 512
MAX_SHORT_DESCRIPTION = 120


def _profile_text(reader: _Reader, meta: dict[str, Any], key: str, limit: int) -> str:
    """Optional; when given, it must fit Telegram's limit for the bot's profile texts."""
    if meta.get(key) is None:
        return ""
    value = reader.text("pack.yaml", "", meta, key)
    if len(value) > limit:
        reader.problem("pack.yaml", "", f"'{key}' has {len(value)} characters; Telegram allows {limit}")
    return value


def _read_source(reader: _Reader, item: dict[str, Any]) -> Source | None:
    file, sid = "sources.yaml", item["id"]
    text_path = reader.directory / "sources" / f"{sid}.txt"
    text = ""
    if not text_path.is_file():
        reader.problem(file, sid, f"source text sources/{sid}.txt is missing")
    else:
        try:
            text = text_path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            reader.problem(f"sources/{sid}.txt", "", "is not UTF-8 text")
    return Source(
        id=sid,
        title=reader.text(file, sid, item, "title"),
        publisher=reader.text(file, sid, item, "publisher"),
        url=reader.text(file, sid, item, "url"),
        as_of=reader.date(file, sid, item.get("as_of")),
        language=reader.text(file, sid, item, "language", "en"),
        text=text,
        parts={part: reader.text(file, sid, item, part) for part in SOURCE_PARTS if part in item},
    )


def _read_entity(reader: _Reader, item: dict[str, Any]) -> Entity:
    file, eid = "entities.yaml", item["id"]
    kind = item.get("kind")
    if kind not in ENTITY_KINDS:
        reader.problem(file, eid, f"'kind' must be one of {', '.join(ENTITY_KINDS)}")
    side = item.get("side")
    if side is not None and not isinstance(side, str):
        reader.problem(file, eid, "'side' must be an entity id")
        side = None
    attributes: dict[str, Any] = {}
    for key, check in ENTITY_ATTRIBUTES.items():
        if key in item:
            if check(item[key]):
                attributes[key] = item[key]
            else:
                reader.problem(file, eid, f"'{key}' has an invalid value {item[key]!r}")
    return Entity(
        id=eid,
        kind=str(kind),
        name=reader.text(file, eid, item, "name"),
        side=side,
        aliases=reader.strings(file, eid, item, "aliases"),
        names=_translations(item, "name"),
        attributes=attributes,
        forms=_forms(reader, file, eid, item),
    )


def _forms(reader: _Reader, file: str, eid: str, item: dict[str, Any]) -> dict[str, dict[str, str]]:
    """`forms_uk: {gen: України, ins: Україною}` keys of an entity, as language -> case -> form."""
    found: dict[str, dict[str, str]] = {}
    for key, value in item.items():
        match = _FORMS_KEY.match(str(key))
        if not match:
            continue
        if not isinstance(value, dict) or not all(
            isinstance(case, str) and _CASE.match(case) and isinstance(form, str) and form.strip()
            for case, form in value.items()
        ):
            reader.problem(file, eid, f"'{key}' must map grammatical cases (gen, dat, acc, ins, loc) to forms")
            continue
        found[match.group(1)] = {case: form.strip() for case, form in value.items()}
    return found


def _read_fact(reader: _Reader, item: dict[str, Any], pack_as_of: dt.date, sources: dict[str, Source]) -> Fact:
    file, fid = "facts.yaml", item["id"]
    quotes: list[Quote] = []
    raw_quotes = item.get("quotes")
    if not isinstance(raw_quotes, list) or not raw_quotes:
        reader.problem(file, fid, "'quotes' must list at least one quote")
        raw_quotes = []
    for index, raw in enumerate(raw_quotes, start=1):
        if not isinstance(raw, dict) or not isinstance(raw.get("source"), str) or not isinstance(raw.get("text"), str):
            reader.problem(file, fid, f"quote {index} needs 'source' and 'text'")
            continue
        source = sources.get(raw["source"]) or Source(
            raw["source"], "", "", "", dt.date.min
        )  # `check` names it unknown
        quotes.append(Quote(source=source, text=raw["text"].strip()))
    relations: dict[str, str] = {}
    for key in FACT_RELATIONS:
        if key in item:
            if isinstance(item[key], str) and item[key].strip():
                relations[key] = item[key].strip()
            else:
                reader.problem(file, fid, f"'{key}' must be an entity id or a word")
    return Fact(
        id=fid,
        statement=reader.text(file, fid, item, "statement"),
        entities=reader.strings(file, fid, item, "entities"),
        as_of=reader.date(file, fid, item.get("as_of"), pack_as_of),
        quotes=tuple(quotes),
        statements=_translations(item, "statement"),
        relations=relations,
        dated="as_of" in item,
        supersedes=item["supersedes"] if isinstance(item.get("supersedes"), str) else None,
    )


def _read_intent(reader: _Reader, item: dict[str, Any]) -> Intent:
    file, iid = "intents.yaml", item["id"]
    phrasings = reader.strings(file, iid, item, "phrasings")
    if not phrasings:
        reader.problem(file, iid, "'phrasings' must list at least one question")
    answers: dict[str | None, str] = {}
    if "answer" in item and "answers" in item:
        reader.problem(file, iid, "give either 'answer' (no slot) or 'answers' (slot value -> fact), not both")
    elif isinstance(item.get("answer"), str):
        answers[None] = item["answer"]
    elif isinstance(item.get("answers"), dict) and all(
        isinstance(k, str) and isinstance(v, str) for k, v in item["answers"].items()
    ):
        answers.update(item["answers"])
    else:
        reader.problem(file, iid, "needs 'answer: FACT_ID' or 'answers: {ENTITY_ID: FACT_ID}'")
    suggest = item.get("suggest")
    if suggest is not None and not isinstance(suggest, str):
        reader.problem(file, iid, "'suggest' must be text")
        suggest = None
    requires = reader.strings(file, iid, item, "requires")
    excludes = reader.strings(file, iid, item, "excludes")
    return Intent(
        id=iid,
        phrasings=phrasings,
        answers=answers,
        suggest=suggest,
        requires=requires,
        excludes=excludes,
        suggestions=_translations(item, "suggest"),
    )


def _read_lexicon(reader: _Reader) -> Lexicon:
    data = reader.load_yaml("lexicon.yaml", required=False)
    if data is None:
        return Lexicon()
    if not isinstance(data, dict):
        reader.problem("lexicon.yaml", "", "expected a mapping with 'stopwords' and 'synonyms'")
        return Lexicon()
    stopwords = tuple(str(w) if not isinstance(w, bool) else "" for w in data.get("stopwords") or [])
    if not isinstance(data.get("stopwords", []), list) or not all(stopwords):
        reader.problem(
            "lexicon.yaml",
            "stopwords",
            "must be a list of words (quote on, off, yes, no: YAML reads them as true/false)",
        )
    synonyms: dict[str, tuple[str, ...]] = {}
    raw = data.get("synonyms", {}) or {}
    if not isinstance(raw, dict):
        reader.problem("lexicon.yaml", "synonyms", "expected a mapping of canonical word to variants")
        raw = {}
    for canonical, variants in raw.items():
        if not isinstance(variants, list) or not all(isinstance(v, str) for v in variants):
            reader.problem("lexicon.yaml", f"synonyms.{canonical}", "variants must be a list of text")
            continue
        synonyms[str(canonical)] = tuple(variants)
    out_of_scope = data.get("out_of_scope") or []
    if not isinstance(out_of_scope, list) or not all(isinstance(w, str) and w.strip() for w in out_of_scope):
        reader.problem("lexicon.yaml", "out_of_scope", "must be a list of words")
        out_of_scope = []
    return Lexicon(stopwords=stopwords, synonyms=synonyms, out_of_scope=tuple(w.strip() for w in out_of_scope))
