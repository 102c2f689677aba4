"""Checking that a pack means what it says: quotes are verbatim, references resolve, facts are reachable.

`check_pack` never writes anything; `talksbot check` and `talksbot load` both run it, so a pack
that fails here is never loaded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from knowledge.pack import ENTITY_KINDS, Pack, Problem
from knowledge.records import SLOT_PATTERN, Source
from knowledge.support import unsupported_statements
from knowledge.text import normalise, quote_key
from knowledge.translation_check import check_labels, check_translations

MAX_STATEMENT_CHARS = 600
MAX_STATEMENT_SENTENCES = 3
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


@dataclass
class CheckReport:
    problems: list[Problem] = field(default_factory=list)
    """Errors: the pack must not be loaded."""
    warnings: list[Problem] = field(default_factory=list)
    """Worth fixing, but the pack still works (e.g. a source sentence no fact uses)."""

    @property
    def ok(self) -> bool:
        return not self.problems


def locate_quote(source_text: str, quote: str) -> tuple[int, int] | None:
    """Where `quote` stands in the source, as (start, end) offsets into the original text.

    Differences in white space and quote-mark style are forgiven; nothing else is.
    """
    folded, offsets = _folded_with_offsets(source_text)
    needle = quote_key(quote)
    if not needle:
        return None
    at = folded.find(needle)
    if at < 0:
        return None
    return offsets[at], offsets[at + len(needle) - 1] + 1


def locate_in_source(source: Source, quote: str) -> tuple[str, int, int] | None:
    """Where `quote` stands in the source: ("body", start, end), or a marked part such as the headline."""
    for name, text in (("body", source.text), *source.parts.items()):
        span = locate_quote(text, quote)
        if span is not None:
            return name, *span
    return None


def source_part(source: Source, name: str) -> str:
    return source.text if name == "body" else source.parts[name]


def _folded_with_offsets(text: str) -> tuple[str, list[int]]:
    """`quote_key(text)` plus, for each of its characters, the offset it came from in `text`."""
    chars: list[str] = []
    offsets: list[int] = []
    pending_space = False
    for index, ch in enumerate(text):
        if ch.isspace():
            pending_space = bool(chars)
            continue
        if pending_space:
            chars.append(" ")
            offsets.append(index - 1)
            pending_space = False
        chars.append(quote_key(ch) or ch)
        offsets.append(index)
    return "".join(chars), offsets


def check_pack(pack: Pack) -> CheckReport:
    report = CheckReport()
    problem = report.problems.append
    sources = {s.id: s for s in pack.sources}
    entities = {e.id: e for e in pack.entities}
    facts = {f.id: f for f in pack.facts}

    owner_of_alias: dict[str, str] = {}
    for entity in pack.entities:
        if entity.kind == "person" and (
            entity.side is None or entities.get(entity.side) is None or entities[entity.side].kind != "side"
        ):
            problem(Problem("entities.yaml", entity.id, f"'side' must name a side entity, not {entity.side!r}"))
        for alias in entity.spellings():
            key = normalise(alias)
            if not key:
                problem(Problem("entities.yaml", entity.id, f"alias {alias!r} has no letters or digits"))
                continue
            other = owner_of_alias.setdefault(key, entity.id)
            if other != entity.id:
                problem(Problem("entities.yaml", entity.id, f"alias {alias!r} is also an alias of {other}"))

    quoted_spans: dict[str, list[tuple[int, int]]] = {s: [] for s in sources}
    for fact in pack.facts:
        if len(fact.statement) > MAX_STATEMENT_CHARS:
            problem(
                Problem(
                    "facts.yaml",
                    fact.id,
                    f"statement is {len(fact.statement)} characters; at most {MAX_STATEMENT_CHARS}",
                )
            )
        sentences = [part for part in _SENTENCE_END.split(fact.statement.strip()) if part]
        if len(sentences) > MAX_STATEMENT_SENTENCES:
            problem(
                Problem(
                    "facts.yaml",
                    fact.id,
                    f"statement has {len(sentences)} sentences; at most {MAX_STATEMENT_SENTENCES}",
                )
            )
        for entity_id in fact.entities:
            if entity_id not in entities:
                problem(Problem("facts.yaml", fact.id, f"unknown entity {entity_id!r}"))
        for index, quote in enumerate(fact.quotes, start=1):
            source = sources.get(quote.source.id)
            if source is None:
                problem(Problem("facts.yaml", fact.id, f"quote {index}: unknown source {quote.source.id!r}"))
                continue
            if "..." in quote.text or "\u2026" in quote.text:
                problem(
                    Problem(
                        "facts.yaml",
                        fact.id,
                        f"quote {index}: elisions ('...') are not allowed; quote one contiguous span",
                    )
                )
                continue
            found = locate_in_source(source, quote.text)
            if found is None:
                problem(
                    Problem(
                        "facts.yaml",
                        fact.id,
                        f"quote {index} is not verbatim in source {quote.source.id}: {quote.text[:80]!r}",
                    )
                )
            elif found[0] == "body":
                quoted_spans[quote.source.id].append(found[1:])

    reachable: set[str] = set()
    for intent in pack.intents:
        kinds = {kind for phrasing in intent.phrasings for kind in SLOT_PATTERN.findall(phrasing)}
        for phrasing in intent.phrasings:
            if len(SLOT_PATTERN.findall(phrasing)) > 1:
                problem(Problem("intents.yaml", intent.id, f"phrasing {phrasing!r} has more than one slot"))
        if len(kinds) > 1 or not kinds <= set(ENTITY_KINDS):
            problem(
                Problem(
                    "intents.yaml",
                    intent.id,
                    f"slots must be one of {{{'}, {'.join(ENTITY_KINDS)}}} and the same in every phrasing",
                )
            )
            continue
        slot = next(iter(kinds), None)
        if slot is not None:
            for phrasing in intent.phrasings:
                if not SLOT_PATTERN.search(phrasing):
                    problem(
                        Problem(
                            "intents.yaml", intent.id, f"phrasing {phrasing!r} lacks the {{{slot}}} slot the others use"
                        )
                    )
        if slot is None and None not in intent.answers:
            problem(Problem("intents.yaml", intent.id, "has no slot, so it needs 'answer: FACT_ID'"))
        if slot is not None and None in intent.answers:
            problem(
                Problem(
                    "intents.yaml", intent.id, f"has a {{{slot}}} slot, so it needs 'answers: {{ENTITY_ID: FACT_ID}}'"
                )
            )
        for value, fact_id in intent.answers.items():
            if value is not None:
                target = entities.get(value)
                if target is None:
                    problem(Problem("intents.yaml", intent.id, f"answers: unknown entity {value!r}"))
                elif target.kind != slot:
                    problem(Problem("intents.yaml", intent.id, f"answers: {value!r} is a {target.kind}, not a {slot}"))
            if fact_id not in facts:
                problem(Problem("intents.yaml", intent.id, f"answers: unknown fact {fact_id!r}"))
            else:
                reachable.add(fact_id)
    for entity in pack.entities:
        profile = entity.attributes.get("profile")
        if entity.attributes and entity.kind != "person":
            problem(Problem("entities.yaml", entity.id, "only persons carry role, delegation, attending and profile"))
        elif entity.attributes and profile is None:
            problem(Problem("entities.yaml", entity.id, "attributes need 'profile: FACT_ID', the fact backing them"))
        elif profile is not None and profile not in facts:
            problem(Problem("entities.yaml", entity.id, f"profile: unknown fact {profile!r}"))
        elif profile is not None:
            reachable.add(profile)
        if entity.attributes.get("delegation") and not entity.side:
            problem(Problem("entities.yaml", entity.id, "a delegation member needs a 'side'"))
    for fact in pack.facts:
        older = facts.get(fact.supersedes) if fact.supersedes else None
        if fact.supersedes and (older is None or older.id == fact.id):
            problem(Problem("facts.yaml", fact.id, f"supersedes: unknown fact {fact.supersedes!r}"))
        elif older is not None and older.as_of > fact.as_of:
            problem(Problem("facts.yaml", fact.id, f"supersedes {older.id}, which is newer ({older.as_of})"))
        elif older is not None:
            reachable.add(fact.id)  # it answers wherever the fact it replaces did
    for fact in pack.facts:
        for relation, value in fact.relations.items():
            if relation in ("speaker", "met") and value not in entities:
                problem(Problem("facts.yaml", fact.id, f"{relation}: unknown entity {value!r}"))
        if "met" in fact.relations and "speaker" not in fact.relations:
            problem(Problem("facts.yaml", fact.id, "met: a meeting is the occasion of a statement; name its speaker"))
        if fact.id not in reachable:
            problem(Problem("facts.yaml", fact.id, "no intent leads to this fact"))

    for key, fact_id in pack.presentation.fact_ids_by_key():
        if fact_id not in facts:
            problem(Problem("pack.yaml", key, f"unknown fact {fact_id!r}"))
    for key in ("lead", "delegations"):
        for side in getattr(pack.presentation, key):
            if side not in entities or entities[side].kind != "side":
                problem(Problem("pack.yaml", key, f"{side!r} is not a side entity"))
    report.problems.extend(unsupported_statements(pack))
    translation_problems, translation_warnings = check_translations(pack)
    report.problems.extend(translation_problems)
    report.problems.extend(check_labels(pack))
    report.warnings.extend(translation_warnings)

    for source in pack.sources:
        for start, sentence in source_sentences(source.text):
            end = start + len(sentence)
            if sentence.endswith("?"):
                continue  # a heading question asserts nothing
            if not any(s < end and start < e for s, e in quoted_spans[source.id]):
                report.warnings.append(
                    Problem(
                        f"sources/{source.id}.txt",
                        f"offset {start}",
                        f"no fact quotes this sentence: {sentence[:70]!r}",
                    )
                )
    return report


def unquoted_sentences(source: Source, pack: Pack) -> list[str]:
    """The source's body sentences that no fact of `pack` quotes (questions excepted)."""
    spans = [
        span
        for fact in pack.facts
        for quote in fact.quotes
        if quote.source.id == source.id
        for span in [locate_quote(source.text, quote.text)]
        if span is not None
    ]
    return [
        sentence
        for start, sentence in source_sentences(source.text)
        if not sentence.endswith("?") and not any(s < start + len(sentence) and start < e for s, e in spans)
    ]


def source_sentences(text: str) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for line_match in re.finditer(r"[^\n]+", text):
        position = line_match.start()
        for part in _SENTENCE_END.split(line_match.group()):
            at = text.find(part, position)
            if part.strip():
                found.append((at, part.strip()))
            position = at + len(part)
    return found
