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

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from knowledge.analysis import Analysis, Analyzer, Mention
from knowledge.fact_index import is_yes_no_question
from knowledge.i18n import N_
from knowledge.question import COUNT_TYPES, acronyms, answer_type
from knowledge.records import Entity, Knowledge
from knowledge.text import tokenize
from knowledge.wording import Listing, Name, Slot, Statement, Wording, plain, said, said_n, say

LEAD, DELEGATION, MEMBER, WORK, SAY, NEGATION, ATTEND = "lead", "delegation", "member", "work", "say", "not", "attend"
"""Canonical words of the base lexicon that carry a relation ("heads" -> lead, "team" -> delegation)."""
RELATIONS = frozenset({LEAD, DELEGATION, MEMBER, WORK, SAY, NEGATION, ATTEND})
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
GUESS_TAIL = re.compile(r"[,?:;\u2013\u2014-]\s*([^,?:;\u2013\u2014-]+?)\s*\?*\s*$")
"""The last part of a question, set apart by punctuation: where a guessed answer goes ("..., Umerov?")."""
ROLE = "role"
"""The base lexicon's word for "job", "title", "post"."""
BESIDES = "besides"
"""The base lexicon's word for "who else", "apart from", "other than"."""
COMPANY = frozenset("with besides beside alongside except beyond help helps helping assist assists assisting".split())
"""Words after which a name is the one others go with ("Who is going with Umerov?")."""
SAYS_WHEN = re.compile(r"\b(until|before|after|once|by|since|soon|later|today|tomorrow|(?:19|20)\d\d)\b", re.IGNORECASE)
"""Words with which a statement says when something will be or was."""
_AUXILIARY_BEFORE = re.compile(r"\b(does|do|did|is|are|was|were|will|would|has|have|had|can)\s*$", re.IGNORECASE)
"""A verb right before a name: the name is the subject of a question, not an office's possessor."""
BODIES = frozenset({"agency", "service", "department", "body", "organisation", "organization", "institution"})
"""Words for an organisation of any kind: "which agency?" asks for whichever a person's office is in."""
RANKS = frozenset({"general", "colonel", "admiral", "marshal", "lieutenant", "major", "captain", "officer"})
"""Military ranks: whoever holds an office may hold one too, so an office neither confirms nor refutes it."""
MANY_HOLD = frozenset({"aide", "adviser", "advisor", "assistant", "envoy", "representative"})
"""Titles many hold at once: that one person holds one says nothing of whether another does too."""
HEAD_TITLES = frozenset({"director", "chief", "chair", "chairman", "commander"})
"""Offices that head an organisation: "X runs the agency" claims what "X is its director" says."""
TOPIC = frozenset({"about", "regarding", "concerning"})
"""Words after which a name is what is spoken about, not who speaks ("what did he say about X?")."""
CONVERSING = frozenset(
    "discuss discussed discussing talk talked talking spoke speak speaking chat chatted agree agreed decide decided".split()
)
"""Words that ask what passed between two people ("What did X and Y talk about?"); not "talks"."""
DISCUSS = "discuss"
YEAR = re.compile(r"(?:19|20)\d\d")
"""A year as a word of a question."""
ROLE_OF = re.compile(r"\b(?:of|for)\b", re.IGNORECASE)
"""What separates an office from the organisation it is in ("Deputy Head of Security Service")."""
THINK = "think"
IN_ORGANISATION = re.compile(
    r"\b(?:from|at|in|with)\s+(?:the\s+)?(?:[\w'’]+\s+){0,2}"
    r"(?:ministry|ministries|service|agency|staff|department|directorate)\b",
    re.IGNORECASE,
)
"""A claim of working somewhere ("Is Fomin from the defence ministry?"), not of holding its top office."""
MEET = "meet"
_PAST_OR_EVER = frozenset(
    {"met", "did", "has", "have", "had", "ever", "before", "previously", "since", "after", "later"}
)
"""A meeting asked about at another time than the talks': whether the two attend says nothing of it."""
_AHEAD = frozenset({"will", "gonna", "going", "meeting", "shall", "ll"})
"""A meeting asked about as ahead ("will they meet", "are they meeting"), as the talks are; "meet" alone may
be a past tense lost in a gloss ("встречался" reads "meet")."""
"""The base lexicon's word for "believe", "reckon": what a person thinks is what the sources quote them saying."""
OFFICIAL = "official"
HIGH = "high"
"""The base lexicon's word for "big", "important", "high-level": everyone the sources mark absent is one."""
LEVEL = "level"
"""The base lexicon's word for "senior" and "lower-level" alike: it tells no one apart."""
SEND = "send"
"""Any person with an office is an official: in a claim, the word says only whose ("a Russian official")."""
DELEGATION_WORDS = frozenset(
    {LEAD, DELEGATION, MEMBER, ATTEND, "send", "official", "list", "people", "many", "negotiate"}
)
"""Words that ask about a delegation and nothing else: who is in it, leads it, is sent or attends."""


@dataclass(frozen=True)
class Person:
    entity: Entity
    role: frozenset[str]
    """The role's canonical words ("Deputy Defence Minister" -> deputy, defence, minister)."""
    profile: str
    organisation: frozenset[str] = frozenset()
    """The canonical words of what the role is "of" or "for" ("Deputy Chief of General Staff" ->
    general, staff): "Is he from the General Staff?" claims he works there, not that he heads it."""
    described: frozenset[str] = frozenset()
    """The words of their profile's statement ("Crimean roots"): "the Crimean defence minister" is him."""

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
        self.stopwords = frozenset(analyzer.stopwords)
        """Words that are no part of a name, though an alias has them ("the Kremlin")."""
        self.people: dict[str, Person] = {}
        self._topic_candidates: tuple[str, ...] = ()
        """People and sides, whom a question may ask what was said about (`topic_unsaid`)."""
        for entity in knowledge.entities.values():
            profile = entity.attributes.get("profile")
            if entity.kind != "person" or profile not in knowledge.facts:
                continue
            role_text = entity.attributes.get("role", "")
            role = frozenset(t for t in analyzer.analyse(role_text).tokens if not t.startswith(("@", "?")))
            organisation_text = ROLE_OF.split(role_text)[-1] if ROLE_OF.search(role_text) else ""
            organisation = frozenset(analyzer.analyse(organisation_text).tokens) & role
            described = frozenset(analyzer.analyse(knowledge.facts[profile].statement).tokens)
            self.people[entity.id] = Person(entity, role, profile, organisation, described)
        self._topic_candidates = (*self.people, *(key for key, e in self.entities.items() if e.kind == "side"))
        self.role_words = frozenset(word for person in self.people.values() for word in person.role)
        self.office_words = self.role_words - {LEAD, OFFICIAL, DELEGATION, MEMBER, ATTEND}
        """Role words that name an office, not a relation to the talks."""
        self.officeless = frozenset(
            key for key, person in self.people.items() if not person.role and not person.described & self.office_words
        )
        """People the sources give no office: neither a role nor an office word in their profile."""
        self.statements: dict[str, list[tuple[str, str | None]]] = {}
        """speaker -> [(fact, addressee)]"""
        self.meetings: list[tuple[str, str, str]] = [
            (fact.id, fact.relations["speaker"], fact.relations["met"])
            for fact in knowledge.facts.values()
            if "met" in fact.relations and "speaker" in fact.relations
        ]
        """(fact, speaker, whom the speaker met when making the statement)"""
        self.said_words: dict[str, frozenset[str]] = {}
        """fact with a speaker -> the words its statement and the phrasings of its intents use: what a
        "who said ...?" question must be about to be asking for that fact's speaker."""
        self.said_names: dict[str, frozenset[str]] = {}
        """fact with a speaker -> the names its statement is about (its intents' phrasings may name more)."""
        phrasings: dict[str, list[str]] = {}
        for intent in knowledge.intents.values():
            for fact_id in set(intent.answers.values()):
                phrasings.setdefault(fact_id, []).extend(intent.phrasings)
        for fact in knowledge.facts.values():
            speaker = fact.relations.get("speaker")
            if speaker:
                self.statements.setdefault(speaker, []).append((fact.id, fact.relations.get("addressee")))
                texts = [fact.statement, *phrasings.get(fact.id, [])]
                words = {t for text in texts for t in analyzer.analyse(text).tokens if not t.startswith("?")}
                self.said_words[fact.id] = frozenset(words | {f"@{e}" for e in fact.entities})
                in_statement = analyzer.analyse(fact.statement).tokens
                self.said_names[fact.id] = frozenset(
                    {f"@{e}" for e in fact.entities} | {t for t in in_statement if t[:1] == "@"}
                )

    def answer(self, question: str, analysis: Analysis) -> StructuredAnswer | None:
        named = self.named_by_office(analysis)
        found = self._answer(question, named) if named is not None else None
        # "What did the US president say ...?" asks what "What did Trump say ...?" asks; else as it stands
        return found if found is not None else self._answer(question, analysis)

    def possessor_as_side(self, question: str, analysis: Analysis) -> Analysis | None:
        """The question with a person whose office one other person of their side holds, read as that
        person's side: "Is Putin's foreign minister going?" and "Is the aide to Putin on foreign policy
        there?" (or a Slavic genitive, "помічник Путіна") ask about Russia's office holder, not about
        Putin. The person comes in the possessive before the office, or right after it. `None` when
        there is no such person."""
        tokens = analysis.tokens
        for at, token in enumerate(tokens):
            person = self.people.get(token[1:]) if token[:1] == "@" else None
            if person is None or not person.entity.side:
                continue
            before = at > 0 and tokens[at - 1] in self.office_words
            after = at + 1 < len(tokens) and tokens[at + 1] in self.office_words
            mention = next(m for m in analysis.mentions if m.entity == person.key)
            if tokens[at + 1 : at + 2] == (DELEGATION,) and _possessive(mention.text, person.entity, question):
                return self._as_side(analysis, at, person)  # "Zelenskyy's team" is his side's delegation
            if after and not before and not _possessive(mention.text, person.entity, question):
                continue  # "Putin's aide" names the aide; "Putin aide" could be either
            if (
                before
                and not after
                and _AUXILIARY_BEFORE.search(question.split(mention.text)[0] if mention.text in question else "")
            ):
                continue  # "Which ministry does Medinsky work for?": the office is asked about, not his side's
            if not before and not after:
                continue
            office = frozenset(
                t for t in (*tokens[max(0, at - 3) : at], *tokens[at + 1 :][:4]) if t in self.office_words
            )
            side = person.entity.side
            holders = [p for p in self.people.values() if p.entity.side == side and p.holds(office)]
            if len(holders) != 1 or holders[0] is person or person.holds(office):
                continue  # "Shevchenko's military rank" names no office of another person on his side
            return self._as_side(analysis, at, person)
        return None

    def _as_side(self, analysis: Analysis, at: int, person: Person) -> Analysis:
        """The analysis with the person at `at` read as their side."""
        side = person.entity.side or ""
        renamed = (*analysis.tokens[:at], f"@{side}", *analysis.tokens[at + 1 :])
        mentions = [m for m in analysis.mentions if m.entity != person.key]
        if all(m.entity != side for m in mentions):
            mentions.append(Mention(side, "side", self.entities[side].name))
        return Analysis(renamed, tuple(mentions))

    def office_of_none(self, analysis: Analysis, people: Iterable[str]) -> bool:
        """Whether the question asks about an office ("the US secretary of state") that none of these
        people holds or is described by: their words do not answer for the office's holder."""
        office = frozenset(analysis.tokens) & self.office_words
        known = [self.people[key] for key in people if key in self.people]
        if not office or not known or any(m.entity in self.people for m in analysis.mentions):
            return False
        if not {SAY, THINK, "expect"} & set(analysis.tokens):
            return False  # only whose words: "Is the US sending someone like the secretary of state?" is no view
        return not any(p.holds(office) or office <= p.described | p.role for p in known)

    def named_by_office(self, analysis: Analysis) -> Analysis | None:
        """The question with the one person its office words (and side) describe named instead, when it
        names nobody and does not ask who holds the office."""
        if {"who", "whose", "which"} & set(analysis.tokens):
            return None
        tokens = analysis.tokens
        office = frozenset(tokens) & self.office_words
        if any(m.entity in self.people for m in analysis.mentions):
            # "did the US president say anything about Putin?": only the speaker may be named by office
            verb = next((i for i, t in enumerate(tokens) if t in (SAY, THINK)), None)
            named = [i for i, t in enumerate(tokens) if t[1:] in self.people]
            if verb is None or not all(i > verb for i in named) or not office & set(tokens[:verb]):
                return None
            office = office & set(tokens[:verb])
        sides = {m.entity for m in analysis.mentions if m.kind == "side" and not m.locative}
        beside = {t[1:] for t, after in zip(tokens, tokens[1:], strict=False) if t[1:] in sides and after in office}
        sides = beside or sides  # "the Ukrainian president ... Russia's delegation": the side beside the office
        if not office and len(sides) == 1:
            return self._lead_named(analysis, next(iter(sides)))
        if not office or len(sides) > 1:
            return None
        holders = [p for p in self.people.values() if p.holds(office) and (not sides or p.entity.side in sides)]
        if len(holders) != 1:
            return None
        person = holders[0]
        tokens = analysis.tokens
        side_names = {f"@{side}" for side in sides}
        # The office is the run of words around the first office word, each of its words used once: "Is
        # the deputy head of the SBU leading the delegation?" keeps "leading", the claim, though "head"
        # is in the office. "The head of the GRU", "the GRU chief" name its director: one "head" beside
        # the office is part of it when the question does not give the title itself.
        budget = Counter(person.role | office)
        if person.role & HEAD_TITLES and not office & HEAD_TITLES:
            budget[LEAD] += 1
        first = next(i for i, t in enumerate(tokens) if t in office)
        span = {first}
        budget[tokens[first]] -= 1
        for step in (1, -1):
            i = first + step
            while 0 <= i < len(tokens) and (budget[tokens[i]] > 0 or tokens[i] in side_names):
                budget[tokens[i]] -= tokens[i] not in side_names
                span.add(i)
                i += step
        at = min(span)
        while at > 0 and tokens[at - 1] in person.described - QUESTION_WORDS - self.role_words - RELATIONS:
            at -= 1  # "the Crimean defence minister": a word of his profile right before the office describes him
            span.add(at)
        kept = [(i, t) for i, t in enumerate(tokens) if i not in span and t not in side_names]
        renamed = (*(t for i, t in kept if i < at), f"@{person.key}", *(t for i, t in kept if i > at))
        mention = Mention(person.key, "person", person.entity.name)
        return Analysis(renamed, (*(m for m in analysis.mentions if m.entity not in sides), mention))

    def _answer(self, question: str, analysis: Analysis) -> StructuredAnswer | None:
        people = [m.entity for m in analysis.mentions if m.entity in self.people]
        sides = [m.entity for m in analysis.mentions if m.kind == "side"]
        words = frozenset(t for t in analysis.tokens if not t.startswith("@"))
        if any(t.startswith("?") for t in words):
            # a word it does not know: not a question it can read exactly, unless it names another body
            # the person is claimed to head
            return self._heads_another_body(question, people, words)
        if EVERY_SIDE in words and (sides or LEAD in words) and not people:  # "who leads each side? is the US there?"
            sides = [*sides, *(p.entity.side for p in self.people.values() if p.delegation == "lead" and p.entity.side)]
        if len(set(sides)) > 1:
            return None if people else self._leads_of(words, list(dict.fromkeys(sides)))
        side = sides[0] if sides else None
        if MEET in words and people and (met := self._meeting(question, analysis, list(dict.fromkeys(people)), words)):
            return met
        if len(set(people)) == 2 and CONVERSING & set(tokenize(question)) and words & {"what", "how", DISCUSS}:
            return self._conversation(people)  # "What did Erdogan and Zelenskyy talk about?"
        if len(set(people)) == 2 and words & {SAY, THINK}:
            stated = self._statement(question, people) if SAY in words else None
            if stated is not None or not (words & {"what", "how"} or is_yes_no_question(question)):
                return stated
            # "How did Zelenskyy describe Russia's approach after meeting Erdogan?": the one named before
            # the verb said it ("What did Putin say about Zelenskyy?" asks what Putin said)
            speaker = self._speaker_named(analysis)
            if speaker is not None and self._asks_for_speaker(question, analysis, speaker):
                about = self._said_about(self.people[speaker], analysis)
                if about is None or about.fact is None:
                    return None
                wording = said("{speaker} said so: {statement}", speaker=Name(speaker), statement=Statement(about.fact))
                return self._composed(self.people[speaker].profile, wording, (about.fact,))
            if speaker is not None and is_yes_no_question(question) and not words & QUESTION_WORDS:
                corrected = self._said_by_another(self.people[speaker], _said_of(analysis, speaker))
                if corrected is not None:
                    return corrected  # "Rubio announced Anton's role, didn't he?"
            if speaker is not None and speaker not in self.statements:
                return StructuredAnswer(None, "")  # "What did Erdogan tell reporters after meeting Zelenskyy?"
            return self._said_about(self.people[speaker], analysis) if speaker in self.statements else None
        if len(set(people)) == 2 and is_yes_no_question(question) and not words & (QUESTION_WORDS | {SAY, THINK}):
            return self._claimed_of_both(question, analysis, list(dict.fromkeys(people)))
        if len(set(people)) > 1:
            return self._who_are(list(dict.fromkeys(people))) if words == {"who"} else None
        person = self.people[people[0]] if people else None
        if person is not None and words & {LEAD, DELEGATION, MEMBER} and self._another_year(words, person):
            return StructuredAnswer(None, "")  # "Did Medinsky lead Russia's team in 2022?": delegations are of now
        if BESIDES in words or person is not None and self._named_after(tokenize(question), person.key, COMPANY):
            return self._others(question, words, person, side)
        asked_role = words & self.role_words
        if person is not None and "who" in words and self._guessed_last(question, person.key):
            return self._guess(person, words, side)
        if person is None and asked_role and words - asked_role == {ATTEND} and is_yes_no_question(question):
            if ORGANISATION_CUES & set(tokenize(question)):
                # "Does Russia have anyone from its defence ministry there?": anyone who works there, not its minister
                return self._representative(words, asked_role, side)
            return self._holder_attends(asked_role, side)
        if person is None and {NEGATION, ATTEND} <= words:
            return self._absent(words, side)
        if person is None and answer_type(question) in COUNT_TYPES:
            return self._delegation_sizes(words, side)
        if person is None and "who" in words and SAY in words:
            return self._speaker_of(analysis)
        if person is None and asked_role and ORGANISATION_CUES & set(tokenize(question)):
            return self._representative(words, asked_role, side)
        if person is None and asked_role - {OFFICIAL} and words & {"which", "what"} and OFFICIAL in words:
            found = self._representative(words, asked_role, side)  # "Which General Staff officer is in it?"
            if found is not None:
                return found
        if person is None and ("who" in words or words & {"which", "what"} and words & {OFFICIAL, MEMBER, "send"}):
            return self._holder(words, asked_role, side)  # "Which General Staff officer is in the delegation?"
        if person is None:
            return None
        if words == {"who", ROLE}:
            words = frozenset({"what", ROLE})  # "Galuzin, who is he by position?" asks what his role is
        if words & {SAY, THINK} and self._named_after(tokenize(question), person.key, TOPIC):
            return StructuredAnswer(None, "")  # "What does he say about Medinsky?": not what Medinsky said
        if words & {SAY, THINK} and "who" in words and not asked_role and person.key in self.statements:
            about = self._said_about(person, analysis)
            named = self.said_names[about.fact] if about is not None and about.fact is not None else frozenset()
            if any(
                name[1:] != person.key and name[1:] in self.people and name not in analysis.tokens for name in named
            ):
                return about  # "Who does Trump say he must meet first?": his words, which name whom
        claim = is_yes_no_question(question) and not words & QUESTION_WORDS
        if claim and SAY in words and self._said_before(analysis, person):
            # "copy says 'Deputy Defence Minister Fomin', right?": the text says it, not Fomin
            reported = self._claim(
                person,
                words - {SAY},
                asked_role,
                side,
                SIDE_WORD in tokenize(question),
                in_organisation=bool(IN_ORGANISATION.search(question)),
            )
            if reported is not None:
                return reported
        if claim and words & {SAY, THINK}:
            return self._said_claim(person, analysis)
        if words & {SAY, THINK} and "what" in words and person.key not in self.statements:
            return StructuredAnswer(None, "")  # "What did Putin say / think ...?": the sources quote him on nothing
        if SAY in words and words - QUESTION_WORDS == {SAY} and "what" in words:
            return self._said(person)
        if words & {SAY, THINK} and words & {"what", "how", "when"} and person.key in self.statements:
            about = self._said_about(person, analysis)
            if about is not None and ("when" not in words or SAYS_WHEN.search(self.facts[about.fact or ""].statement)):
                return about  # "When does Trump think the war could end?": his words, when they say when
        if "who" in words and asked_role - {LEAD} and words - QUESTION_WORDS - asked_role <= {LEAD}:
            return self._other_holder(person, words, asked_role, side)
        if (
            ROLE in words
            and words & {"what", "which"}
            and person.key in self.officeless
            and not is_yes_no_question(question)
        ):
            return StructuredAnswer(None, "")  # "What's Rubio's job title?": the sources give him none
        asked_of_role = words - QUESTION_WORDS - {ROLE} - ({LEAD} if person.role & HEAD_TITLES else set())
        if (
            words & {"what", "which"}
            and (ROLE in words or asked_of_role)
            and asked_of_role <= person.role
            and not is_yes_no_question(question)
        ):
            return self._fact_said(person.profile)  # "What's Lavrov's job?", "Kostyukov runs which agency?"
        asked_office = asked_of_role - {WORK, MEMBER, OFFICIAL}
        if words & {"what", "which"} and asked_office and not is_yes_no_question(question):
            if asked_office <= BODIES and person.organisation:
                return self._fact_said(person.profile)  # "Poklad - which agency?": his office's organisation
            if asked_office <= self.role_words and not asked_office & person.role:
                return StructuredAnswer(None, "")  # "What ministry is Medinsky in?": his office names none
        if is_yes_no_question(question) and (sent := self._sent_instead(person, words, side)) is not None:
            return sent
        if is_yes_no_question(question):
            plainer = self.without_own_office(analysis)
            rest = frozenset(t for t in plainer.tokens if not t.startswith("@")) if plainer else frozenset()
            if rest and not rest & self.office_words:
                # "Is Shevchenko from the General Staff in the delegation?": what is left is the claim
                words, asked_role = rest, frozenset()
            return self._claim(
                person,
                words,
                asked_role,
                side,
                SIDE_WORD in tokenize(question),
                plainer is not None,
                in_organisation=bool(IN_ORGANISATION.search(question)),
            )
        if (
            words & {"what", "which", "who", "whose"}
            and words - QUESTION_WORDS <= {DELEGATION, WORK, LEAD}
            and (DELEGATION in words or WORK in words)
            and side is None
        ):
            return self._side_of(person)
        return None

    def _meeting(
        self, question: str, analysis: Analysis, people: list[str], words: frozenset[str]
    ) -> StructuredAnswer | None:
        """ "Who did Zelenskyy meet before he spoke to reporters?", "Who met Erdogan?", "Did Zelenskyy meet
        Erdogan?": from the statements made on the occasion of a meeting (a fact's `met`). A meeting the
        sources do not record is neither confirmed nor denied: `None`, for the other rules to read."""
        involving = [(fact, a, b) for fact, a, b in self.meetings if set(people) <= {a, b}]
        others = [m for m in analysis.mentions if m.entity not in people]
        if len(people) == 2 and not involving and is_yes_no_question(question) and words == {MEET}:
            absent = [self.people[p] for p in people if self.people[p].entity.attributes.get("attending") is False]
            said_when = set(tokenize(question))
            if absent and said_when & _AHEAD and not said_when & _PAST_OR_EVER:
                # "Will Putin and Zelenskyy meet in Istanbul?": one who is not attending meets no one there
                return self._not_attending(absent)
        if any(m.kind != "side" for m in others):
            return None  # "... meet Erdogan in Istanbul or in Ankara?": the statement says nothing of where
        if (
            len(people) == 2
            and not others
            and is_yes_no_question(question)
            and not words & QUESTION_WORDS
            and len(involving) == 1
        ):
            fact = involving[0][0]
            return self._composed(fact, said("Yes. {statement}", statement=Statement(fact)))
        if len(people) == 1 and words & {"who", "which", "what"} and len({fact for fact, _, _ in involving}) == 1:
            fact, a, b = involving[0]
            met = self.people[b if a == people[0] else a]
            if all(m.entity == met.entity.side for m in others):  # "Which Turkish leader did Zelenskyy meet?"
                return self._fact_said(fact)
        return None

    def _claimed_of_both(self, question: str, analysis: Analysis, people: list[str]) -> StructuredAnswer | None:
        """ "Are Galuzin and Kyslytsya both deputy foreign ministers?": the claim checked for each one alone;
        "Yes." when it holds for both (for either, asked with "or"), else "No.", with both profiles. `None`
        unless both are verdicts from the profiles (a claim about the two together is no claim about each)."""
        verdicts: list[tuple[bool, str]] = []
        for person, other in (people, people[::-1]):
            found = self._answer(question, analysis.without({other}))
            profile = self.people[person].profile
            if found is None or found.fact != profile or found.support:
                return None
            if not found.statement.startswith(("Yes.", "No.")):
                return None
            verdicts.append((found.statement.startswith("Yes."), profile))
        either = "or" in tokenize(question)  # "Is Poklad or Medinsky on Russia's side?": one of them is
        holds = any(verdict for verdict, _ in verdicts) if either else all(verdict for verdict, _ in verdicts)
        verdicts.sort(key=lambda verdict: not verdict[0] if either else verdict[0])  # the deciding one first
        first, second = (profile for _, profile in verdicts)
        verdict = (
            said("Yes. {statement}", statement=Statement(first))
            if holds
            else said("No. {statement}", statement=Statement(first))
        )
        wording = (verdict, said("{statement}", statement=Statement(second)))
        return StructuredAnswer(first, say(wording, self, "en"), (second,), wording)

    def _who_are(self, people: list[str]) -> StructuredAnswer | None:
        """ "Galuzin and Fomin, who are they?": one profile answers for one of them; the narrowest fact
        that names them all answers for all."""
        naming = [key for key, fact in self.facts.items() if set(people) <= set(fact.entities)]
        if not naming:
            return None
        return self._fact_said(min(naming, key=lambda key: len(self.facts[key].entities)))

    def _lead_named(self, analysis: Analysis, side: str) -> Analysis | None:
        """ "What did Moscow's top negotiator say ...?": a side's lead right before a verb of saying is
        the person who leads its delegation, named."""
        tokens = analysis.tokens
        verb = next((i for i, t in enumerate(tokens) if t in (SAY, THINK)), None)
        leader = self._leader(side)
        if leader is None or verb is None:
            return None
        # "Moscow's top negotiator said", "the head of the Russian delegation says": the words right before the verb
        span = next(
            (
                start
                for start in (verb - 3, verb - 2)
                if start >= 0
                and set(tokens[start:verb]) in ({f"@{side}", LEAD}, {f"@{side}", LEAD, DELEGATION})
                and len(tokens[start:verb]) == len(set(tokens[start:verb]))
            ),
            None,
        )
        if span is None:
            return None
        renamed = (*tokens[:span], f"@{leader.key}", *tokens[verb:])
        mention = Mention(leader.key, "person", leader.entity.name)
        return Analysis(renamed, (*(m for m in analysis.mentions if m.entity != side), mention))

    def without_own_office(self, analysis: Analysis) -> Analysis | None:
        """ "Is Kostyukov from the GRU going?" asks what "Is Kostyukov going?" asks: words right beside the
        one person named that name their own office only say who is meant. `None` when there are none."""
        people = {m.entity for m in analysis.mentions if m.entity in self.people}
        if len(people) != 1:
            return None
        person = next(iter(people))
        own = self.people[person].role - RELATIONS
        tokens = list(analysis.tokens)
        at = tokens.index(f"@{person}")
        first, last = at, at
        while first > 0 and tokens[first - 1] in own:
            first -= 1
        while last + 1 < len(tokens) and tokens[last + 1] in own:
            last += 1
        kept = tokens[:first] + [tokens[at]] + tokens[last + 1 :]
        if len(kept) == len(tokens) or len(kept) == 1:
            return None
        return Analysis(tuple(kept), analysis.mentions)

    # -- the kinds of question ----------------------------------------------------------------

    def _claim(
        self,
        person: Person,
        words: frozenset[str],
        asked_role: frozenset[str],
        side: str | None,
        says_side: bool,
        office_beside: bool = False,
        in_organisation: bool = False,
    ) -> StructuredAnswer | None:
        """A yes/no claim about a person's side, role, delegation or leadership, checked against the attributes.
        `office_beside`: the office is named right beside the name, so it says who is meant, not what is claimed."""
        claimed = words - QUESTION_WORDS - {NEGATION, ROLE}  # "his title is ..., right?": the title is what is claimed
        if OFFICIAL in claimed and side is not None and person.role:
            claimed, asked_role, says_side = claimed - {OFFICIAL}, asked_role - {OFFICIAL}, True
        attending = person.entity.attributes.get("attending")
        if ATTEND in claimed and asked_role and attending is True and not office_beside:
            claimed = claimed - {ATTEND}  # "the GRU director at the talks is Kostyukov?": the office is the claim
        if not claimed <= self.role_words | {LEAD, DELEGATION, MEMBER, WORK}:
            return None  # it claims something the attributes do not cover
        side_ok = side is None or person.entity.side == side
        if LEAD in asked_role and asked_role - {LEAD} and person.role & HEAD_TITLES:
            asked_role = asked_role - {LEAD} | person.role & HEAD_TITLES  # heads an organisation: its director
        if LEAD in claimed and not asked_role - {LEAD}:
            leads = person.delegation == "lead" and side_ok
            leader = self._leader(side or person.entity.side)
            if leader is None and not leads and side_ok and (sent := self._sent_by(person)) is not None:
                return sent  # "Rubio is leading the American team, right?": the US sends Anton, and leads no delegation
            if leader is None and not leads and person.entity.attributes.get("attending") is True:
                # "Is Anton leading the US team?": its one envoy, and the side names no leader
                return self._fact_said(person.profile)
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
        if asked_role and asked_role <= RANKS and not asked_role <= person.role:
            return StructuredAnswer(None, "")  # "Is Fomin a general?": an office says nothing of a military rank
        if asked_role and asked_role - {LEAD} <= MANY_HOLD and not asked_role <= person.role:
            return StructuredAnswer(None, "")  # "Is Medinsky also Putin's aide?": a president has many aides
        if asked_role:
            works_there = WORK in claimed or in_organisation or asked_role == person.organisation
            in_it = asked_role <= person.role if works_there else person.holds(asked_role)
            if (
                not in_it
                and side_ok
                and asked_role < person.role
                and asked_role | person.role & QUALIFIERS != person.role
            ):
                # "Is Shevchenko a general?": part of his office's words ("Deputy Chief of General Staff")
                # neither is his office nor differs from it by a qualifier only; the source gives no rank
                return StructuredAnswer(None, "")
            if side_ok and not in_it and not person.role - {OFFICIAL}:
                return StructuredAnswer(
                    None, ""
                )  # "a US official" names no office: it neither confirms nor refutes one
            return self._verdict(side_ok and in_it, person)  # works for an organisation / holds an office
        if side is None and claimed and claimed <= {MEMBER, DELEGATION}:
            # "Is the GRU's head in the delegation?": a seat in one is the claim, whichever side's
            if person.delegation is not None:
                return self._verdict(True, person)
            return self._verdict(False, person) if attending is False else None
        if side is None:
            return None
        if side_ok and person.delegation is None and not says_side:
            return None  # on that side, but is "their team" its delegation? The lexicon reads both alike
        return self._verdict(side_ok, person)

    def _sent_instead(self, person: Person, words: frozenset[str], side: str | None) -> StructuredAnswer | None:
        """ "Did the US send Rubio?", "Is Rubio in the US team?": the sources say nothing of this person
        attending, but name the one their side is sending. That is the sourced answer; no yes or no."""
        claimed = words - QUESTION_WORDS - {"there"}
        if (
            person.entity.attributes.get("attending") is not None
            or person.delegation is not None
            # "Is Rubio flying to Istanbul?" asks what no source says; "is Rubio going for the US?" asks who
            # goes on its behalf
            or not claimed & {SEND, DELEGATION, MEMBER}
            and not (ATTEND in claimed and side is not None)
            or not claimed <= {ATTEND, SEND, DELEGATION, MEMBER, "talks"}
            or side not in (None, person.entity.side)
        ):
            return None
        return self._sent_by(person)

    def _sent_by(self, person: Person) -> StructuredAnswer | None:
        """The one person of `person`'s side whom the sources place at the talks, when there is exactly one
        and it is someone else."""
        sent = [
            p
            for p in self.people.values()
            if p.entity.side == person.entity.side and p.entity.attributes.get("attending") is True
        ]
        if len(sent) != 1 or sent[0] is person:
            return None
        return self._composed(
            sent[0].profile,
            said(
                "The sources name {name} as the one sent by {side}. {statement}",
                name=Name(sent[0].key),
                side=Name(person.entity.side or ""),
                statement=Statement(sent[0].profile),
            ),
        )

    def _holder(self, words: frozenset[str], asked_role: frozenset[str], side: str | None) -> StructuredAnswer | None:
        """ "Who is Russia's deputy defence minister?": the one person holding exactly that office."""
        rest = words - QUESTION_WORDS - {"is", "are"}
        at_the_talks = rest & {DELEGATION, MEMBER, ATTEND}  # "who is the deputy foreign minister in the delegation?"
        asked_role = asked_role - at_the_talks
        if asked_role - {OFFICIAL}:  # "which General Staff officer": any office holder is an official
            rest, asked_role = rest - {OFFICIAL}, asked_role - {OFFICIAL}
            at_the_talks = rest & {DELEGATION, MEMBER, ATTEND}
        described = rest - asked_role - at_the_talks  # "which head of state is hosting": what their profile says
        if not asked_role or LEAD in asked_role and len(asked_role) == 1:
            return None
        holders = [
            p
            for p in self.people.values()
            if p.holds(asked_role) and (p.delegation or not at_the_talks) and described <= p.described
        ]
        on_side = [p for p in holders if side is None or p.entity.side == side]
        if len(on_side) == 1:
            return self._fact_said(on_side[0].profile)
        return None  # nobody, or several: the keyword matcher's slot rules decide

    def _absent(self, words: frozenset[str], side: str | None) -> StructuredAnswer | None:
        """ "Who from the Kremlin is staying away?": everyone the attributes mark as not attending,
        answered with the narrowest fact that names them all."""
        if not words & {"who", "what", "which"}:
            return None
        # "which of Russia's top diplomats are missing?": only those their profile calls so
        qualifiers = words - QUESTION_WORDS - {NEGATION, ATTEND, DELEGATION, "official", HIGH, MEET, "people"}
        absent = [
            p
            for p in self.people.values()
            if p.entity.attributes.get("attending") is False
            and (side is None or p.entity.side == side)
            and qualifiers <= p.described
        ]
        if not absent:
            describing = set().union(*(p.described for p in self.people.values())) - {LEVEL}
            # "which Crimean officials are staying away?": words that describe people, fitting no one absent
            return StructuredAnswer(None, "") if qualifiers <= describing else None
        return self._not_attending(absent, side)

    def _not_attending(self, absent: list[Person], side: str | None = None) -> StructuredAnswer | None:
        """That `absent` are not attending, with the narrowest fact that names them all (None if none does)."""
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
        at_the_talks = {LEAD, OFFICIAL, ATTEND, DELEGATION, MEMBER, "there"}
        if not organisation or words - QUESTION_WORDS - asked_role - at_the_talks:
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
        attending = ATTEND in words and (side is not None or EVERY_SIDE in words)  # "how many Ukrainians are going?"
        if not words & {DELEGATION, MEMBER} and EVERY_SIDE not in words and not attending:
            return None
        if (
            words
            - QUESTION_WORDS
            - {"many", "people", DELEGATION, MEMBER, "official", "send", EVERY_SIDE}
            - ({ATTEND} if attending else set())
        ):
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

    def _other_holder(
        self, person: Person, words: frozenset[str], asked_role: frozenset[str], side: str | None
    ) -> StructuredAnswer | None:
        """ "Who is Russia's defence minister, Fomin's boss?": an office asked about beside a person named. The
        person holding it is the answer; one who does not (Fomin is the *deputy*) is not, so the holder the
        attributes name answers, and with none the question is declined rather than answered with the person."""
        if person.holds(asked_role - {LEAD}) and (side is None or person.entity.side == side):
            return None
        holder = self._holder(words, asked_role - {LEAD}, side or person.entity.side)
        return holder if holder is not None else StructuredAnswer(None, "")

    def _holder_attends(self, asked_role: frozenset[str], side: str | None) -> StructuredAnswer | None:
        """ "Is the Kremlin's foreign policy aide going?": the one person holding that office, and whether the
        attributes say they attend."""
        holders = [p for p in self.people.values() if p.holds(asked_role) and (side is None or p.entity.side == side)]
        attending = holders[0].entity.attributes.get("attending") if len(holders) == 1 else None
        return None if attending is None else self._verdict(attending is True, holders[0])

    def _speaker_of(self, analysis: Analysis) -> StructuredAnswer | None:
        """ "Who announced the US role?": the speaker of the one statement whose words cover what the
        question says was said (all of it, or all but one word of a longer question)."""
        asked = {t for t in analysis.tokens if t not in QUESTION_WORDS and t != SAY and not t.startswith("?")}
        found = self._covering_any(asked)
        if found is None:
            return None
        fact = self.facts[found]
        speaker = self.people.get(fact.relations.get("speaker", ""))
        if speaker is None:
            return None
        if _names(fact.statement, speaker):
            return self._fact_said(fact.id)  # the statement names who said it
        wording = said("{speaker} said so: {statement}", speaker=Name(speaker.key), statement=Statement(fact.id))
        return self._composed(speaker.profile, wording, (fact.id,))

    def _covering_any(self, asked: set[str]) -> str | None:
        """The one statement, by anyone, whose words cover `asked` (all of it, or all but one word of more
        than two)."""
        if len(asked) < 2:
            return None
        covered = {fact: len(asked & words) for fact, words in self.said_words.items()}
        best = max(covered.values(), default=0)
        found = [fact for fact, count in covered.items() if count == best]
        if best < max(2, len(asked) - (len(asked) > 2)) or len(found) != 1:
            return None
        return found[0]

    def _said_by_another(self, person: Person, asked: set[str]) -> StructuredAnswer | None:
        """ "Rubio announced Anton's role, didn't he?": when the person's statements share no word with the
        claim and one other person's covers all of it, a sourced no that names who said it."""
        own = self._covering_statement(person, asked)
        if own is not None and own[1] or len(asked) < 2 or all(t[:1] == "@" for t in asked):
            return None  # their own words touch on it (the claim may be a reading of them), or no claim is made
        found = self._covering_any(asked)
        speaker = self.people.get(self.facts[found].relations.get("speaker", "")) if found else None
        if found is None or speaker is None or speaker.key == person.key or not asked <= self.said_words[found]:
            return None
        if _names(self.facts[found].statement, speaker):
            return self._composed(found, said("No. {statement}", statement=Statement(found)))
        wording = said("No. {speaker} said so: {statement}", speaker=Name(speaker.key), statement=Statement(found))
        return self._composed(speaker.profile, wording, (found,))

    def _said_before(self, analysis: Analysis, person: Person) -> bool:
        """Whether a verb of saying comes before the person is named, and no office before it: something
        ("the copy") says it of them, not someone ("the US president") whose words are asked about."""
        tokens = analysis.tokens
        if SAY not in tokens or f"@{person.key}" not in tokens:
            return False
        verb = tokens.index(SAY)
        return verb < tokens.index(f"@{person.key}") and not self.role_words & set(tokens[:verb])

    @staticmethod
    def _asks_for_speaker(question: str, analysis: Analysis, speaker: str) -> bool:
        """Whether the question word asks for the speaker, named by office right after it and right before
        the verb ("Which State Department spokesperson said Anton would ...?"), not for what was said."""
        tokens = analysis.tokens
        at = tokens.index(f"@{speaker}") if f"@{speaker}" in tokens else -1
        return (
            answer_type(question) in ("who", "which")
            and 0 < at < len(tokens) - 1
            and tokens[at - 1] in QUESTION_WORDS
            and tokens[at + 1] == SAY
        )

    def _said_claim(self, person: Person, analysis: Analysis) -> StructuredAnswer | None:
        """ "Medinsky said he's open to compromise?": the one statement of the person's whose words cover
        the claim (all of it, or all but one word of a longer one), in its own words: whether it confirms
        the claim is for the reader to see, not for a keyword match to say."""
        asked = _said_of(analysis, person.key)
        found = self._covering_statement(person, asked)
        if found is None or found[1] < max(1, len(asked) - (len(asked) > 2)):
            # "Everyone says the big names won't be there. Is Putin coming?": what others say of him is
            # no claim about his words that another's words correct
            corrected = None if self._said_before(analysis, person) else self._said_by_another(person, asked)
            if (
                corrected is None
                and SAY in analysis.tokens  # not "..., I think?": the asker's hedge
                and person.key not in self.statements
                and not self._said_before(analysis, person)
            ):
                return StructuredAnswer(None, "")  # "Did Ushakov say anything?": the sources quote him on nothing
            return corrected
        return self._fact_said(found[0])

    def _said_about(self, person: Person, analysis: Analysis) -> StructuredAnswer | None:
        """ "What does Zelenskyy think about how seriously Russia takes the talks?": of the person's
        statements, the one whose words cover most of what is asked about (at least half, and alone)."""
        own = f"@{person.key}"
        asked = {
            t
            for t in analysis.tokens
            if t not in (SAY, THINK, own) and t not in QUESTION_WORDS and not t.startswith("?")
        }
        found = self._covering_statement(person, asked)
        if found is None or 2 * found[1] < len(asked):
            return None
        if any(t.startswith("@") and t not in self.said_names[found[0]] for t in asked):
            return None  # "What did Bruce say about the Ukrainian delegation?": she said nothing of Ukraine's
        return self._fact_said(found[0])

    def _covering_statement(self, person: Person, asked: set[str]) -> tuple[str, int] | None:
        """The one statement of the person's that shares the most words with `asked`, and how many."""
        covered = {fact: len(asked & self.said_words[fact]) for fact, _ in self.statements.get(person.key, [])}
        best = max(covered.values(), default=0)
        found = [fact for fact, count in covered.items() if count == best]
        return (found[0], best) if asked and len(found) == 1 else None

    def _speaker_named(self, analysis: Analysis) -> str | None:
        """The person named last before the first verb of saying or thinking: who is asked to have said it."""
        tokens = analysis.tokens
        verb = next((i for i, t in enumerate(tokens) if t in (SAY, THINK)), None)
        before = [t[1:] for t in tokens[:verb] if t.startswith("@") and t[1:] in self.people] if verb else []
        return before[-1] if before else None

    def _said(self, person: Person) -> StructuredAnswer | None:
        """ "What did Tammy Bruce say?": the one statement the sources quote the person making."""
        said = self.statements.get(person.key, [])
        return StructuredAnswer(said[0][0], self.facts[said[0][0]].statement) if len(said) == 1 else None

    def _guess(self, person: Person, words: frozenset[str], side: str | None) -> StructuredAnswer | None:
        """ "Who leads Ukraine? Umerov?", "who is going from Kyiv, Umerov?": a who-question with its own
        guess, checked like the claim it makes ("Does Umerov lead Ukraine?", "Is Umerov going?")."""
        claimed = words - {"who"}
        if ATTEND in claimed and claimed <= {ATTEND, DELEGATION}:
            attending = person.entity.attributes.get("attending") is True
            in_it = DELEGATION not in claimed or person.delegation is not None
            side_ok = side is None or person.entity.side == side
            return self._verdict(True, person) if attending and in_it and side_ok else None
        if LEAD in claimed and claimed <= {LEAD, DELEGATION, "send"}:
            if DELEGATION not in claimed and person.delegation != "lead":
                return None  # "Who leads Ukraine, Zelenskyy?" may ask about the country, not its delegation
            return self._claim(person, claimed, frozenset(), side, False)
        return None

    def _guessed_last(self, question: str, entity: str) -> bool:
        """Whether the question ends with the entity's name alone, set apart ("..., Umerov?", "...? Umerov?")."""
        tail = GUESS_TAIL.search(question)
        names = {w for alias in (self.entities[entity].name, *self.entities[entity].aliases) for w in tokenize(alias)}
        return tail is not None and bool(tokenize(tail.group(1))) and set(tokenize(tail.group(1))) <= names

    def _leads_of(self, words: frozenset[str], sides: list[str]) -> StructuredAnswer | None:
        """ "Who leads the delegations of Ukraine, Russia and the US?": each side's lead, answered with the
        narrowest fact that names every side asked about and every lead."""
        if (
            not words & {"who", "which"}
            or not words & {LEAD, DELEGATION, ATTEND}
            or words
            - QUESTION_WORDS
            - {
                LEAD,
                DELEGATION,
                ATTEND,
                "there",
                "send",
                "official",
                EVERY_SIDE,
            }
        ):
            return None
        leaders = [leader for leader in map(self._leader, sides) if leader is not None]
        if len(leaders) < 2:
            return None
        named = set(sides) | {leader.key for leader in leaders}
        naming_all = [f for f in self.facts.values() if named <= set(f.entities)]
        if not naming_all:
            return None
        fact = min(naming_all, key=lambda f: len(f.entities))
        if all(_names(fact.statement, leader) for leader in leaders) and LED.search(fact.statement):
            return self._fact_said(fact.id)  # the statement says who leads each: no need to say it twice
        leads = tuple(
            said("{leader} leads {side}'s delegation.", leader=Name(leader.key), side=Name(leader.entity.side or ""))
            for leader in leaders
        )
        return self._composed_all(fact.id, (*leads, said("{statement}", statement=Statement(fact.id))))

    def _others(
        self, question: str, words: frozenset[str], person: Person | None, side: str | None
    ) -> StructuredAnswer | None:
        """ "Who else did the Kremlin send besides Medinsky?", "Who is going with Umerov?": the rest of the
        person's (or the side's, besides its lead) delegation, answered with the narrowest fact naming them."""
        # "how many more negotiators did the Kremlin announce?": a side announcing its people names them
        announced = {SAY} if person is None and words & DELEGATION_WORDS else set()
        if words - QUESTION_WORDS - DELEGATION_WORDS - {BESIDES} - announced:
            return None
        if person is None and side is None:
            return None
        if person is not None and "what" in words and not words & DELEGATION_WORDS:
            return None  # "What else did Medinsky do?" asks for his deeds, not for the others with him
        if person is None and not words & {LEAD, "many"} and not words & {"what", "which"}:
            # "besides its leader" names whom the others are counted apart from; "how many more did the
            # Kremlin name?" counts them apart from the one a delegation is named after, its leader, and
            # "which other negotiators did the Kremlin name?" asks for those beside the one it is known by
            return None
        if person is not None and (person.delegation is None or side not in (None, person.entity.side)):
            return None
        home = person.entity.side if person is not None else side
        others = [p for p in self.people.values() if p.delegation and p.entity.side == home]
        if person is not None:
            others = [p for p in others if p.key != person.key]
        else:
            others = [p for p in others if p.delegation != "lead"]
        members = {p.key for p in others if p.delegation != "lead"}
        naming = [f for f in self.facts.values() if members and members <= set(f.entities)]
        if not naming:
            return None
        fact = min(naming, key=lambda f: len(f.entities))
        support = tuple(p.profile for p in others if p.delegation == "lead" and p.key not in fact.entities)
        listed = Listing(
            tuple(
                said("{name}, who leads it", name=Name(p.key)) if p.delegation == "lead" else Name(p.key)
                for p in others
            )
        )
        apart = person if person is not None else self._leader(home)
        if apart is None:
            return None
        slots: dict[str, Slot] = {
            "name": Name(apart.key),
            "side": Name(home or ""),
            "parts": listed,
            "statement": Statement(fact.id),
        }
        if answer_type(question) in COUNT_TYPES:
            wording = said_n(
                "Besides {name}, the source names {count} person in {side}'s delegation: {parts}. {statement}",
                "Besides {name}, the source names {count} people in {side}'s delegation: {parts}. {statement}",
                len(others),
                count=len(others),
                **slots,
            )
        else:
            wording = said("Besides {name}, {side}'s delegation includes {parts}. {statement}", **slots)
        return self._composed(fact.id, wording, support)

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
            return self._fact_said(spoken[0])
        return StructuredAnswer(None, "") if not spoken else None

    def _another_year(self, words: frozenset[str], person: Person) -> bool:
        """Whether the question names a year other than that of the person's profile: their delegation
        and office are as of the sources' date, and say nothing of another year's."""
        years = {w for w in words if YEAR.fullmatch(w)}
        return bool(years - {str(self.facts[person.profile].as_of.year)})

    def said_by_the_topic(self, question: str, fact: str) -> bool:
        """Whether `fact` is a statement by the person the question names as its topic ("... what does he
        say about Medinsky?"): what Medinsky said does not answer what others say about him."""
        speaker = self.facts[fact].relations.get("speaker") if fact in self.facts else None
        return speaker in self.entities and self._named_after(tokenize(question), speaker, TOPIC)

    def topic_unsaid(self, question: str, analysis: Analysis, fact: str) -> bool:
        """Whether the question asks what was said about someone (`TOPIC`: "... say about Rubio's
        plans?") whom `fact`, a statement, does not name: Bruce's words on Anton are no answer."""
        names = self.said_names.get(fact)
        if names is None or not {SAY, THINK} & set(analysis.tokens):
            return False
        words = tokenize(question)
        speaker = self.facts[fact].relations.get("speaker")
        return any(
            key != speaker and f"@{key}" not in names and self._named_after(words, key, TOPIC)
            for key in self._topic_candidates
        )

    def said_by_another(self, analysis: Analysis, fact: str) -> bool:
        """Whether the question asks what someone says or thinks ("What does Ukraine say about ...?")
        and `fact` is not theirs: neither their statement, nor about them, nor (for a side) said by one
        of its people. Russia's demand is no answer to what Ukraine says of it."""
        tokens = analysis.tokens
        verb = next((i for i, t in enumerate(tokens) if t in (SAY, THINK)), None)
        if not verb or not {"what", "how"} & set(tokens[:verb]):
            return False  # "Umerov leads Russia's team? someone said so" asks nobody's words
        named = [t[1:] for t in tokens[:verb] if t.startswith("@") and t[1:] in self.entities]
        if not named or fact not in self.facts:
            return False
        asked, found = named[-1], self.facts[fact]
        speaker = found.relations.get("speaker")
        speaker_side = self.entities[speaker].side if speaker in self.entities else None
        if speaker is not None:
            # "How did the Kremlin reply when Zelenskyy said ...?": his words about Moscow are not Moscow's
            return not any(name in (speaker, speaker_side) for name in named)
        return asked not in found.entities

    def _conversation(self, people: list[str]) -> StructuredAnswer:
        """What two people discussed: a statement one of them made to the other, or a decline. What
        either said to someone else after they met does not say what passed between them."""
        between = [
            fact
            for speaker in people
            for fact, to in self.statements.get(speaker, [])
            if to in people and to != speaker
        ]
        return self._fact_said(between[0]) if len(between) == 1 else StructuredAnswer(None, "")

    # -- composing ----------------------------------------------------------------------------

    def _heads_another_body(self, question: str, people: list[str], words: frozenset[str]) -> StructuredAnswer | None:
        """ "Kostyukov runs the FSB, right?": a claim that the head of one organisation heads another, named by
        an abbreviation the pack does not know, is false: nobody directs two agencies. Only for one who heads
        (no deputy), and only when heading is all that is claimed."""
        if len(set(people)) != 1 or not is_yes_no_question(question):
            return None
        person = self.people[people[0]]
        unknown = {t[1:] for t in words if t.startswith("?")}
        if not unknown <= acronyms(question) or not person.role & HEAD_TITLES or person.role & QUALIFIERS:
            return None
        claimed = words - {f"?{u}" for u in unknown} - QUESTION_WORDS
        if not claimed or not claimed <= {LEAD} | HEAD_TITLES:
            return None
        return self._verdict(False, person)

    def _verdict(self, holds: bool, person: Person) -> StructuredAnswer:
        statement = Statement(person.profile)
        verdict = (
            said("Yes. {statement}", statement=statement) if holds else said("No. {statement}", statement=statement)
        )
        return self._composed(person.profile, verdict)

    def _composed(self, fact: str, wording: Wording, support: tuple[str, ...] = ()) -> StructuredAnswer:
        """An answer whose words are composed: English for `statement`, any language from `wording`."""
        return StructuredAnswer(fact, say((wording,), self, "en"), support, (wording,))

    def _composed_all(self, fact: str, wording: tuple[Wording, ...]) -> StructuredAnswer:
        """An answer of several composed sentences."""
        return StructuredAnswer(fact, say(wording, self, "en"), (), wording)

    def _fact_said(self, fact: str, plain: bool = True) -> StructuredAnswer:
        """An answer that is a fact's own statement (in the reply's language)."""
        return self._composed(fact, said("{statement}", statement=Statement(fact, plain)))

    def _leader(self, side: str | None) -> Person | None:
        return next((p for p in self.people.values() if p.delegation == "lead" and p.entity.side == side), None)

    def _named_after(self, words: list[str], entity: str, markers: frozenset[str]) -> bool:
        """Whether one of `entity`'s name words comes right after a marker word ("tell Erdogan")."""
        names = {w for alias in (self.entities[entity].name, *self.entities[entity].aliases) for w in tokenize(alias)}
        names -= self.stopwords
        return any(word in names and _after_marker(words, index, markers) for index, word in enumerate(words))


def _after_marker(words: list[str], index: int, markers: frozenset[str]) -> bool:
    """Whether the word at `index` follows a marker word, articles between ("about the Ukrainian team")."""
    before = index - 1
    while before >= 0 and words[before] in _ARTICLES:
        before -= 1
    return before >= 0 and words[before] in markers


_ARTICLES = frozenset({"the", "a", "an"})


def _possessive(text: str, entity: Entity, question: str) -> bool:
    """Whether the name as written (`text`) is in the possessive: "Putin's", or "putins" where no
    spelling of the name ends in that "s"."""
    if re.search(rf"(?<!\w){re.escape(text)}['\u2019]s(?!\w)", question, re.IGNORECASE):
        return True
    folded = text.casefold()
    return folded.endswith("s") and all(spelling.casefold() != folded for spelling in entity.spellings())


def _said_of(analysis: Analysis, speaker: str) -> set[str]:
    """What a question claims `speaker` said or thinks: its words but the verb, the negation and the speaker."""
    own = f"@{speaker}"
    return {t for t in analysis.tokens if t not in (SAY, THINK, NEGATION, own) and not t.startswith("?")}


LED = re.compile(r"\b(?:led by|leads|leading|heads|headed by)\b", re.IGNORECASE)
"""A statement that itself says who leads ("Ukraine's delegation is led by ...")."""


def _names(statement: str, person: Person) -> bool:
    """Whether the statement names the person (any word of their name): it then says who said it."""
    return any(part in statement for part in person.entity.name.split())
