"""Answering from the structure of the knowledge: people's sides, roles, delegations and statements.

The keyword matcher answers questions that resemble an intent's phrasings. Questions about an
attribute or a relation of a person need no phrasing: the pack gives each person typed attributes
(`role`, `delegation`, `attending`, backed by the quotes of a `profile` fact) and each statement its
`speaker` and `addressee`. A question is read into its answer type and the entities it names, and
answered when that reading fits the structure exactly:

- "Is Kostyukov on Kyiv's side?", "Is Lavrov heading the Ukrainian team?", "Fomin is Russia's
  deputy defence minister, right?": a claim, confirmed or corrected ("No. ...") from the attributes;
- "Which side is Galuzin on?", "Who does Poklad work for?": the person's side;
- "Who is Russia's deputy defence minister?": the one person whose role is exactly the one asked;
- "What did Zelenskyy tell Erdogan?": only a statement with that speaker *and* that addressee
  answers; when none has, the question is declined rather than answered with another statement.

Anything it cannot read with certainty is left to the keyword matcher (`None`): this layer adds
answers and vetoes wrong ones, it never guesses.
"""

from __future__ import annotations

from dataclasses import dataclass

from knowledge.analysis import Analysis, Analyzer
from knowledge.fact_index import is_yes_no_question
from knowledge.i18n import N_
from knowledge.question import answer_type
from knowledge.records import Entity, Knowledge
from knowledge.text import tokenize
from knowledge.wording import Listing, Name, Statement, Wording, plain, said, said_n, say

LEAD, DELEGATION, MEMBER, WORK, SAY, NEGATION, ATTEND = "lead", "delegation", "member", "work", "say", "not", "attend"
"""Canonical words of the base lexicon that carry a relation ("heads" -> lead, "team" -> delegation)."""
SIDE_WORD = "side"
"""Written out, "side" asks for allegiance, not a seat in the delegation ("Is Putin on Russia's side?")."""
EVERY_SIDE = "everyside"
"""The base lexicon's word for "each side", "every delegation"."""
QUESTION_WORDS = frozenset({"who", "what", "which", "whom", "whose", "where", "when", "why", "how"})
QUALIFIERS = frozenset({"deputy", "vice", "assistant", "acting", "former", "first"})
"""Words that make a different office: the deputy defence minister is not the defence minister."""
ORGANISATION_CUES = frozenset({"represent", "represents", "representing", "from"})
"""Words that ask who is at the talks for an organisation, not who holds its top office."""
ADDRESSING = frozenset({"tell", "told", "telling", "tells", "to"})
"""Words after which a name is the one spoken to ("What did X tell Y?", "say to Y")."""


@dataclass(frozen=True)
class Person:
    entity: Entity
    role: frozenset[str]
    """The role's canonical words ("Deputy Defence Minister" -> deputy, defence, minister)."""
    profile: str

    @property
    def key(self) -> str:
        return self.entity.id

    @property
    def delegation(self) -> str | None:
        return self.entity.attributes.get("delegation")  # type: ignore[no-any-return]

    def holds(self, asked: frozenset[str]) -> bool:
        """Whether `asked` names this person's office: every word of it, and no qualifier left out."""
        return bool(asked) and asked <= self.role and (self.role & QUALIFIERS) <= asked


@dataclass(frozen=True)
class StructuredAnswer:
    """A compositional reply: `statement` (English) is backed by the quotes of `fact` and of `support`;
    `wording` says it in any reply language (`knowledge.wording`)."""

    fact: str | None
    statement: str
    support: tuple[str, ...] = ()
    wording: tuple[Wording, ...] = ()

    @property
    def declined(self) -> bool:
        return self.fact is None


__all__ = ["Structure", "StructuredAnswer", "plain"]


class Structure:
    """People's attributes and statements' speakers, indexed for the questions above."""

    def __init__(self, knowledge: Knowledge, analyzer: Analyzer) -> None:
        self.facts = knowledge.facts
        self.entities = knowledge.entities
        """Only facts and entities are kept: a persisted index must not carry every intent twice."""
        self.people: dict[str, Person] = {}
        for entity in knowledge.entities.values():
            profile = entity.attributes.get("profile")
            if entity.kind != "person" or profile not in knowledge.facts:
                continue
            role_text = entity.attributes.get("role", "")
            role = frozenset(t for t in analyzer.analyse(role_text).tokens if not t.startswith(("@", "?")))
            self.people[entity.id] = Person(entity, role, profile)
        self.role_words = frozenset(word for person in self.people.values() for word in person.role)
        self.statements: dict[str, list[tuple[str, str | None]]] = {}
        """speaker -> [(fact, addressee)]"""
        for fact in knowledge.facts.values():
            speaker = fact.relations.get("speaker")
            if speaker:
                self.statements.setdefault(speaker, []).append((fact.id, fact.relations.get("addressee")))

    def answer(self, question: str, analysis: Analysis) -> StructuredAnswer | None:
        people = [m.entity for m in analysis.mentions if m.entity in self.people]
        sides = [m.entity for m in analysis.mentions if m.kind == "side"]
        words = frozenset(t for t in analysis.tokens if not t.startswith("@"))
        if any(t.startswith("?") for t in words) or len(set(sides)) > 1:
            return None  # a word it does not know, or two sides: not a question it can read exactly
        side = sides[0] if sides else None
        if len(set(people)) == 2 and SAY in words:
            return self._statement(question, people)
        if len(set(people)) > 1:
            return None
        person = self.people[people[0]] if people else None
        asked_role = words & self.role_words
        if person is None and {NEGATION, ATTEND} <= words:
            return self._absent(words, side)
        if person is None and answer_type(question) == "how many":
            return self._delegation_sizes(words, side)
        if person is None and asked_role and ORGANISATION_CUES & set(tokenize(question)):
            return self._representative(words, asked_role, side)
        if person is None:
            return self._holder(words, asked_role, side) if "who" in words else None
        if SAY in words and "what" in words and person.key not in self.statements:
            return StructuredAnswer(None, "")  # "What did Putin say ...?": the sources quote him on nothing
        if is_yes_no_question(question):
            return self._claim(person, words, asked_role, side, SIDE_WORD in tokenize(question))
        if (
            words & {"what", "which", "who", "whose"}
            and words - QUESTION_WORDS <= {DELEGATION, WORK, LEAD}
            and (DELEGATION in words or WORK in words)
            and side is None
        ):
            return self._side_of(person)
        return None

    # -- the kinds of question ----------------------------------------------------------------

    def _claim(
        self, person: Person, words: frozenset[str], asked_role: frozenset[str], side: str | None, says_side: bool
    ) -> StructuredAnswer | None:
        """A yes/no claim about a person's side, role, delegation or leadership, checked against the attributes."""
        claimed = words - QUESTION_WORDS - {NEGATION}
        if not claimed <= self.role_words | {LEAD, DELEGATION, MEMBER, WORK}:
            return None  # it claims something the attributes do not cover
        side_ok = side is None or person.entity.side == side
        if LEAD in claimed and not asked_role - {LEAD}:
            leads = person.delegation == "lead" and side_ok
            leader = self._leader(side or person.entity.side)
            if leads or leader is None:
                return self._verdict(leads, person)
            return self._composed(
                person.profile,
                said(
                    "No. {leader} leads {side}'s delegation. {statement}",
                    leader=Name(leader.key),
                    side=Name(leader.entity.side or ""),
                    statement=Statement(person.profile),
                ),
                (leader.profile,),
            )
        if asked_role:
            in_it = asked_role <= person.role if WORK in claimed else person.holds(asked_role)
            return self._verdict(side_ok and in_it, person)  # works for an organisation / holds an office
        if side is None:
            return None
        if side_ok and person.delegation is None and not says_side:
            return None  # on that side, but is "their team" its delegation? The lexicon reads both alike
        return self._verdict(side_ok, person)

    def _holder(self, words: frozenset[str], asked_role: frozenset[str], side: str | None) -> StructuredAnswer | None:
        """ "Who is Russia's deputy defence minister?": the one person holding exactly that office."""
        rest = words - QUESTION_WORDS - {"is", "are"}
        if not asked_role or rest - asked_role or LEAD in asked_role and len(asked_role) == 1:
            return None
        holders = [p for p in self.people.values() if p.holds(asked_role)]
        on_side = [p for p in holders if side is None or p.entity.side == side]
        if len(on_side) == 1:
            return self._fact_said(on_side[0].profile)
        return None  # nobody, or several: the keyword matcher's slot rules decide

    def _absent(self, words: frozenset[str], side: str | None) -> StructuredAnswer | None:
        """ "Who from the Kremlin is staying away?": everyone the attributes mark as not attending,
        answered with the narrowest fact that names them all."""
        if not words & {"who", "what", "which"} or words - QUESTION_WORDS - {NEGATION, ATTEND, DELEGATION, "official"}:
            return None
        absent = [
            p
            for p in self.people.values()
            if p.entity.attributes.get("attending") is False and (side is None or p.entity.side == side)
        ]
        keys = {p.key for p in absent}
        naming_all = [f for f in self.facts.values() if len(keys) > 1 and keys <= set(f.entities)]
        if len(absent) == 1:
            naming_all = [self.facts[absent[0].profile]]
        if not naming_all:
            return None
        fact = min(naming_all, key=lambda f: len(f.entities))
        names = Listing(tuple(Name(p.key) for p in absent))
        if side:
            wording = said_n(
                "From {side}, {names} is not attending the talks. {statement}",
                "From {side}, {names} are not attending the talks. {statement}",
                len(absent),
                side=Name(side),
                names=names,
                statement=Statement(fact.id),
            )
        else:
            wording = said_n(
                "{names} is not attending the talks. {statement}",
                "{names} are not attending the talks. {statement}",
                len(absent),
                names=names,
                statement=Statement(fact.id),
            )
        return self._composed(fact.id, wording)

    def _representative(
        self, words: frozenset[str], asked_role: frozenset[str], side: str | None
    ) -> StructuredAnswer | None:
        """ "Who represents Ukraine's security service?": the one delegate whose office is in that organisation."""
        organisation = asked_role - {LEAD, "official"}
        if not organisation or words - QUESTION_WORDS - asked_role - {LEAD, "official", ATTEND, DELEGATION}:
            return None
        delegates = [
            p
            for p in self.people.values()
            if p.delegation and organisation <= p.role and (side is None or p.entity.side == side)
        ]
        if len(delegates) != 1:
            return None
        return self._fact_said(delegates[0].profile)

    def _delegation_sizes(self, words: frozenset[str], side: str | None) -> StructuredAnswer | None:
        """ "How many people does each side's delegation name?": counted from the members the attributes list."""
        if not words & {DELEGATION, MEMBER} and EVERY_SIDE not in words:
            return None
        if words - QUESTION_WORDS - {"many", "people", DELEGATION, MEMBER, "official", "send", EVERY_SIDE}:
            return None
        sides = (
            [side]
            if side
            else sorted(
                {p.entity.side for p in self.people.values() if p.delegation and p.entity.side}
                if EVERY_SIDE in words
                else ()
            )
        )
        parts: list[Wording] = []
        facts: list[str] = []
        for key in sides:
            members = [p for p in self.people.values() if p.delegation and p.entity.side == key]
            others = {p.key for p in members if p.delegation != "lead"}
            naming = [f for f in self.facts.values() if others and others <= set(f.entities)]
            if not naming:
                return None
            facts.append(min(naming, key=lambda f: len(f.entities)).id)
            names = Listing(
                tuple(
                    said("{name}, who leads it", name=Name(p.key)) if p.delegation == "lead" else Name(p.key)
                    for p in members
                ),
                separator="; ",
                last="; ",
            )
            parts.append(
                said_n(
                    "{count} person in {side}'s delegation ({names})",
                    "{count} people in {side}'s delegation ({names})",
                    len(members),
                    count=len(members),
                    side=Name(key),
                    names=names,
                )
            )
        if not facts:
            return None
        listed = Listing(tuple(parts), separator=N_(" and "), last=N_(" and "))
        if len(facts) == 1:
            wording = said("The source names {parts}. {statement}", parts=listed, statement=Statement(facts[0]))
        else:
            wording = said("The source names {parts}.", parts=listed)
        return self._composed(facts[0], wording, tuple(facts[1:]))

    def _side_of(self, person: Person) -> StructuredAnswer | None:
        side = self.entities.get(person.entity.side or "")
        if side is None:
            return None
        return self._composed(
            person.profile,
            said(
                "{person} is on {side}'s side. {statement}",
                person=Name(person.key),
                side=Name(side.id),
                statement=Statement(person.profile),
            ),
        )

    def _statement(self, question: str, people: list[str]) -> StructuredAnswer | None:
        """ "What did X tell Y?": the statement X made to Y, or a decline when the sources report none."""
        words = tokenize(question)
        addressees = {p for p in people if self._named_after(words, p, ADDRESSING)}
        speakers = [p for p in people if p not in addressees]
        if len(addressees) != 1 or len(speakers) != 1:
            return None
        addressee = next(iter(addressees))
        spoken = [fact for fact, to in self.statements.get(speakers[0], []) if to == addressee]
        if len(spoken) == 1:
            return self._fact_said(spoken[0], plain=False)
        return StructuredAnswer(None, "") if not spoken else None

    # -- composing ----------------------------------------------------------------------------

    def _verdict(self, holds: bool, person: Person) -> StructuredAnswer:
        statement = Statement(person.profile)
        verdict = (
            said("Yes. {statement}", statement=statement) if holds else said("No. {statement}", statement=statement)
        )
        return self._composed(person.profile, verdict)

    def _composed(self, fact: str, wording: Wording, support: tuple[str, ...] = ()) -> StructuredAnswer:
        """An answer whose words are composed: English for `statement`, any language from `wording`."""
        return StructuredAnswer(fact, say((wording,), self, "en"), support, (wording,))

    def _fact_said(self, fact: str, plain: bool = True) -> StructuredAnswer:
        """An answer that is a fact's own statement (in the reply's language)."""
        return self._composed(fact, said("{statement}", statement=Statement(fact, plain)))

    def _leader(self, side: str | None) -> Person | None:
        return next((p for p in self.people.values() if p.delegation == "lead" and p.entity.side == side), None)

    def _named_after(self, words: list[str], entity: str, markers: frozenset[str]) -> bool:
        """Whether one of `entity`'s name words comes right after a marker word ("tell Erdogan")."""
        names = {w for alias in (self.entities[entity].name, *self.entities[entity].aliases) for w in tokenize(alias)}
        return any(word in names and index > 0 and words[index - 1] in markers for index, word in enumerate(words))
