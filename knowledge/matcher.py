"""Matching a question to an intent and a fact, or declining.

A question is read by `knowledge.analysis.Analyzer`. Each phrasing is a sorted bag of tokens;
rapidfuzz's `fuzz.ratio` on two sorted token strings is their Dice overlap (0-100). Phrasings with
a `{side}`/`{person}`/`{place}` slot are scored against the question with its name of that kind
replaced by the slot token. The best intent answers if it scores at least the threshold and its
slot value has a fact; otherwise the matcher declines, never falling back to a weaker intent:
naming the wrong person is worse than saying "I don't know". Questions no intent fits may still be
answered from the facts' own words (`knowledge.fact_index`), under stricter rules.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from rapidfuzz import fuzz, process

from knowledge.analysis import SLOT_WORD, Analysis, Analyzer, Mention
from knowledge.fact_index import QUESTION_WORDS, SAYING, FactIndex
from knowledge.structure import DELEGATION, GUESS_TAIL, LEAD, NEGATION, Structure, StructuredAnswer
from knowledge.records import SLOT_PATTERN
from knowledge.question import (
    AFTER_THE_TALKS,
    CAUSE,
    COMPARING,
    WRITTEN_NEGATION,
    acronyms,
    answer_type,
    asks_to_whom,
    fits_answer_type,
    places_asked_within,
)
from knowledge.records import Intent, Knowledge
from knowledge.text import raw_words, tokenize
from knowledge.wording import Name, Statement, Wording, said, say

DEFAULT_THRESHOLD = 80.0
SUGGESTION_MEMO = 10_000
"""Suggestions whose facts are remembered (the memo starts again when full)."""
"""Calibrated on the pack's eval set (see `talksbot eval`); below it the matcher declines."""
SUGGESTION_FLOOR = 34.0
ADDRESSEE_FLOOR = 65.0
"""How close a statement with an addressee must come to a "to whom" question to answer it."""
WORDING_FLOOR = 60.0
"""How close a question worded wholly in one intent's words must still come to one of its phrasings."""
COVERED_FLOOR = 70.0
"""How close a question must come to an intent's phrasings for the fact's own words to make up the rest."""
HELD_TYPES = frozenset({"what", "which"})
"""Questions a statement holding their every word can answer, when it also holds the thing asked for
("which terms ...?"): "who" would take a deputy head for the head, "when" a date for any date."""
DISTINCTIVE_IN = 2
"""A word in the phrasings of at most this many intents tells its intent apart."""
BEFORE = "before"
"""The base lexicon's word for "earlier", "previously", "in the past": a time other than the sources' now."""
EVERY_SIDE = "everyside"
"""The base lexicon's word for "each side", "both delegations": every side is asked about."""
DECISIVE_WEIGHT = 2
CLAUSE_PENALTY = 3.0
"""Cost of answering one sentence of a longer message rather than the whole of it."""
_CLAUSE = re.compile(r"[^.?!;:\n]+[.?!;:\n]*")
_EITHER = re.compile(r"^(?P<head>.*?\w)[\s,]+or\s+(?P<tail>[^.?!;]*?)\s*(?P<end>[.?!;]*)$", re.IGNORECASE | re.DOTALL)
"""A question that offers alternatives: "Is it Istanbul or Antalya?", "military or civilian role?"."""
_NOT_AN_ALTERNATIVE = frozenset(
    {"not", "no", "nah", "nope", "what", "something", "so", "whatever", "anything", "more", "else"}
)
"""Tails after "or" that offer no alternative ("... or not?", "... or what?")."""
_CONDITIONS = frozenset({"if", "unless", "although", "because", "whereas", "provided"})
"""Words that open a part which sets a condition or gives a reason: "..., if Russia rejects it?" asks nothing."""

_OR = re.compile(r"\bor\b", re.IGNORECASE)
"""A part of a message that offers alternatives."""
_ALTERNATIVE_WORDS = 3
"""An alternative this short stands in for as many words before "or" ("Istanbul or Antalya")."""
_GUESSES = re.compile(r"^(.*\w)\s*(?:[,:;\u2013\u2014]|\s-)\s*[^,:;\u2013\u2014]+$")
"""Alternatives set off from the question ("Where is it, Istanbul or Antalya?") are guesses at its answer."""
_CLAUSE_OPENERS = frozenset(
    "am is are was were do does did will would has have had can could should i you he she it we they".split()
)
"""A longer tail after "or" that opens with these is a question of its own ("... or am I mixing him up?"):
the part before "or" is asked alone. Any other longer tail shares the question's end ("is A or B leading
the team?"), which cannot be split off safely."""
_ASIDE = re.compile(
    r",\s*(?:who|which|whose|whom)\b[^,?.!;]*,|\([^()]*\)|\s[\u2013\u2014]\s[^\u2013\u2014?]*\s[\u2013\u2014]\s"
)
"""A relative clause or parenthesis set off inside a question ("Is Ushakov, who ran the earlier track, in
Istanbul?"): it says who is meant, not what is asked."""
_HEARSAY = re.compile(
    r"^\W*(?P<teller>(?:[\w']+\s+){1,4}?)(?:says|say|said|told me|tells me|claims|claim|claimed|reckons|insists|swears|thinks)"
    r"\s+(?:that\s+)?(?P<claim>\w.*?)[\s,.;:\u2013\u2014-]*"
    r"(?:(?:is|was|isn't|isnt) (?:that|this|it|he|she|they) (?:actually |really |even )?(?:right|true|correct|so|accurate)\W*)?$",
    re.IGNORECASE | re.DOTALL,
)
"""A claim put up for checking as someone's word: "My friend says Lavrov leads the team, is that right?"."""
_PERSONAL_PRONOUN = re.compile(r"\b(he|she|him|her|his|hers)\b", re.IGNORECASE)
_COMMA_PARTS = re.compile(r"[^.?!;:,\n]+[.?!;:,\n]*")
_JOINED_QUESTIONS = re.compile(r"\s*,?\s+and\s+(?=(?:who|what|where|when|why|how|which|whose)\b)", re.IGNORECASE)
"""Where "and" starts a second question ("... and how did it affect the talks?")."""
_ABBREVIATION = re.compile(r"\b(?:i\.e|e\.g|etc|vs|approx)\.", re.IGNORECASE)
TIE = 0.01
"""Scores closer than this are a tie between intents."""
STRUCTURED_CONFIDENCE = 95.0
"""An answer read from the attributes: exact by construction, yet not a phrasing the pack foresaw."""
CONTEXT_PENALTY = 3.0
"""Cost of ignoring context names: a place ("... in Istanbul") or a person's own side ("Ukraine's Umerov")."""
WHERE = "where"
"""The base lexicon's word for where something is: what a guessed, unknown place asks."""
_PLACE_PREPOSITIONS = frozenset({"in", "at"})
_MEETING_WORDS = frozenset({WHERE, "held", "meet", "negotiat"})
"""What a claim of where two sides meet may say besides the sides and the place."""
_VIEWS = frozenset({"expect", "think"})
"""Tokens of what someone expects or thinks: the views a comparison sets side by side."""
_TALKS = re.compile(r"\b(talks|negotiations)\b", re.IGNORECASE)
_PLACE_AT_END = re.compile(r"\b(?:in|at)\s+(?:the\s+)?([^\W\d_]+)\s*(?:[?.!,;:]|$)", re.IGNORECASE)
"""A place that ends its clause: "in Moscow?" (not "in Ukraine's delegation", "in Russia's view")."""
PROFILE_SURE = 90.0
"""A profile matched at least this closely answers even with a topic word beside it (`_asks_beyond`)."""


@dataclass(frozen=True)
class Match:
    """The matcher's decision about one question."""

    question: str
    fact: str | None
    """The fact that answers, or None when declining."""
    intent: str | None
    confidence: float
    slot_value: str | None = None
    reason: str = "answered"
    """answered | structured (composed from attributes) | fact_text (answered from a fact's own words) |
    empty | no_match | missing_slot | unsupported_slot"""
    suggestions: tuple[str, ...] = field(default_factory=tuple)
    statement: str | None = None
    """A composed statement replacing the fact's own ("No. Igor Kostyukov is ...")."""
    support: tuple[str, ...] = ()
    """Further facts whose quotes back a composed statement."""
    wording: tuple[Wording, ...] = ()
    """The composed statement as words to say in the reply's language (`knowledge.wording`)."""

    @property
    def answered(self) -> bool:
        return self.fact is not None


class _TokenCodes:
    """Each token as one character, so rapidfuzz compares short strings instead of Python lists.

    `fuzz.ratio` on two sorted strings of token codes is the same Dice overlap as on the sorted
    token lists, computed in C without hashing every list on every call.
    """

    _FIRST, _SURROGATES, _QUERY_ONLY = 0x100, range(0xD800, 0xE000), 0x10F000

    def __init__(self) -> None:
        self._codes: dict[str, str] = {}
        self._next = self._FIRST

    def learn(self, tokens: Iterable[str]) -> str:
        for token in tokens:
            if token not in self._codes:
                if self._next in self._SURROGATES:
                    self._next = self._SURROGATES.stop
                if self._next >= self._QUERY_ONLY:
                    raise ValueError("too many distinct words in the phrasings")
                self._codes[token] = chr(self._next)
                self._next += 1
        return self.encode(tokens)

    def encode(self, tokens: Iterable[str]) -> str:
        """Tokens no phrasing has get codes of their own: they can only lower a score."""
        unknown: dict[str, str] = {}
        chars = [self._codes.get(t) or unknown.setdefault(t, chr(self._QUERY_ONLY + len(unknown))) for t in tokens]
        return "".join(sorted(chars))


class _PhrasingGroup:
    """The phrasings sharing one slot kind, searchable by Dice score.

    Large groups are searched through an inverted index with prefix filtering, which is exact: a
    phrasing scoring at least `floor` shares at least `c` tokens with the question (c follows from
    the Dice formula), so it contains one of the question's `len - c + 1` rarest tokens. Only
    phrasings holding one of those are scored. Small groups are simply scored in full.
    """

    INDEX_FROM = 2_000

    def __init__(self) -> None:
        self.intents: list[str] = []
        self.choices: list[str] = []
        self._postings: dict[str, list[int]] = {}

    def add(self, intent: str, codes: str) -> None:
        index = len(self.choices)
        self.intents.append(intent)
        self.choices.append(codes)
        for code in set(codes):
            self._postings.setdefault(code, []).append(index)

    def search(self, query: str, floor: float, exhaustive: bool = True) -> list[tuple[float, int]]:
        if len(self.choices) < self.INDEX_FROM:
            found = process.extract(
                query, self.choices, scorer=fuzz.ratio, processor=None, score_cutoff=floor, limit=None
            )
            return [(score, index) for _, score, index in found]
        rarest = sorted(query, key=lambda code: len(self._postings.get(code, ())))
        needed = math.ceil(floor * len(query) / (200 - floor) - 1e-9) if floor < 200 else len(query)
        prefix = rarest[: max(1, len(query) - needed + 1)] if exhaustive else rarest[:2]
        candidates = sorted({i for code in set(prefix) for i in self._postings.get(code, ())})
        found = process.extract(
            query,
            [self.choices[i] for i in candidates],
            scorer=fuzz.ratio,
            processor=None,
            score_cutoff=floor,
            limit=None,
        )
        return [(score, candidates[position]) for _, score, position in found]


class Matcher:
    """Built once from a `Knowledge` snapshot; `match` is pure and never touches the store."""

    def __init__(
        self,
        knowledge: Knowledge,
        threshold: float = DEFAULT_THRESHOLD,
        progress: Callable[[int, int], None] | None = None,
    ) -> None:
        """`progress(done, total)` is told about the phrasings analysed so far (for progress bars)."""
        self.knowledge = knowledge
        self.threshold = threshold
        self.analyzer = Analyzer(knowledge)
        self.facts = FactIndex(knowledge)
        prepared: list[tuple[str, str | None, str]] = []
        for intent in knowledge.intents.values():
            for phrasing in intent.phrasings:
                slot_kinds = SLOT_PATTERN.findall(phrasing)
                text = SLOT_PATTERN.sub(lambda m: f" {SLOT_WORD.format(m.group(1))} ", phrasing)
                prepared.append((intent.id, slot_kinds[0] if slot_kinds else None, text))
        # Phrasing words are vocabulary before any phrasing is analysed, so typos are never learnt.
        self.analyzer.learn(w for _, _, text in prepared for w in tokenize(text) if not w.startswith("zzslot"))
        self._requires = {
            intent.id: self._words(intent.requires) for intent in knowledge.intents.values() if intent.requires
        }
        self._excludes = {
            intent.id: self._words(intent.excludes) for intent in knowledge.intents.values() if intent.excludes
        }
        # Words some intent `requires` ("deputy") tell similar questions apart: they weigh double.
        self._weights = {
            t: DECISIVE_WEIGHT for words in self._requires.values() for t in words if not t.startswith("@")
        }
        self.structure = Structure(knowledge, self.analyzer)
        self._kinds = {key: entity.kind for key, entity in knowledge.entities.items()}
        self._place_names = {
            key: (entity.name, *entity.aliases) for key, entity in knowledge.entities.items() if entity.kind == "place"
        }
        self._codes = _TokenCodes()
        self._groups: dict[str | None, _PhrasingGroup] = {}
        self._profiles = frozenset(person.profile for person in self.structure.people.values())
        profile_intents = {
            intent.id for intent in knowledge.intents.values() if set(intent.answers.values()) & self._profiles
        }
        profile_phrasing_words: set[str] = set()
        self._intent_words: dict[str, frozenset[str]] = {}
        """An intent's phrasings' words, worked out when first needed (`_phrasing_words`)."""
        self._intents_using: Counter[str] = Counter()
        """How many intents' phrasings use each word: one used by few tells its intent apart."""
        current: tuple[str, set[str]] = ("", set())
        for done, (intent_key, slot, text) in enumerate(prepared, start=1):
            analysed = self.analyzer.analyse(text)
            if intent_key in profile_intents:
                profile_phrasing_words.update(analysed.tokens)
            if intent_key != current[0]:  # phrasings come intent by intent
                self._intents_using.update(current[1])
                current = (intent_key, set())
            current[1].update(analysed.tokens)
            tokens = analysed.scoring_tokens(slot, self._weights)
            self._groups.setdefault(slot, _PhrasingGroup()).add(intent_key, self._codes.learn(tokens))
            if progress is not None and (done % 1_000 == 0 or done == len(prepared)):
                progress(done, len(prepared))
        self._intents_using.update(current[1])
        self._topics = self._profile_topics(profile_phrasing_words)
        self._prepare_suggestions()

    def _profile_topics(self, profile_phrasing_words: set[str]) -> frozenset[str]:
        """Words of the facts that name a topic a person's profile does not cover: in at most one
        profile's statement ("ceasefire", "rank"), and in no phrasing of the intents answered with
        profiles (unlike "role", "side", "member"). Question words and verbs of saying name no topic."""
        in_profiles = Counter(t for fact in self._profiles for t in self.facts.tokens_of(fact))
        return frozenset(
            t
            for t in self.facts.vocabulary
            if in_profiles[t] <= 1
            and t not in profile_phrasing_words
            and t not in QUESTION_WORDS
            and t not in SAYING
            and not t.startswith("@")
        )

    def _words(self, words: tuple[str, ...]) -> frozenset[str]:
        """`requires`/`excludes` words as the tokens a question would have for them."""
        return frozenset(t for word in words for t in self.analyzer.analyse(word).tokens)

    # -- scoring ---------------------------------------------------------------------------------

    def scores(self, analysis: Analysis, floor: float, exhaustive: bool = True) -> dict[str, float]:
        """Best score per intent over its phrasings, for intents scoring at least `floor`.

        Exhaustive for deciding; suggestions only need the closest few (`exhaustive=False`).
        """
        best = self._scores(analysis, floor, 0.0, exhaustive)
        context = self.analyzer.context_names(analysis)
        bare = analysis.without(context) if context else None
        if bare is not None and bare.tokens:
            for intent, score in self._scores(bare, floor + CONTEXT_PENALTY, CONTEXT_PENALTY, exhaustive).items():
                best[intent] = max(score, best.get(intent, -1.0))
        present = set(analysis.tokens)
        return {
            intent: score
            for intent, score in best.items()
            if self._requires.get(intent, frozenset()) <= present
            and not self._excludes.get(intent, frozenset()) & present
        }

    def ranked(self, analysis: Analysis, floor: float, exhaustive: bool = True) -> list[tuple[str, float]]:
        return sorted(self.scores(analysis, floor, exhaustive).items(), key=lambda item: -item[1])

    def _scores(self, analysis: Analysis, floor: float, penalty: float, exhaustive: bool) -> dict[str, float]:
        best: dict[str, float] = {}
        for slot, group in self._groups.items():
            query = self._codes.encode(analysis.scoring_tokens(slot, self._weights))
            if not query:
                continue
            for score, index in group.search(query, floor, exhaustive):
                intent = group.intents[index]
                if score - penalty > best.get(intent, -1.0):
                    best[intent] = score - penalty
        return best

    def match(self, question: str) -> Match:
        found = self._match(question)
        to_whom = asks_to_whom(question)
        if found.fact is None and not to_whom:
            return found
        analysis = self.analyzer.analyse(question)
        if to_whom:
            found = self._addressed(found, analysis)
        if found.fact is not None and (
            self._names_an_unknown_body(question, analysis)
            or self.structure.said_by_the_topic(question, found.fact)
            or self.structure.topic_unsaid(question, analysis, found.fact)
            or self.structure.said_by_another(analysis, found.fact)
        ):
            # "... and what does he say about Medinsky?": whichever part matched, Medinsky's words do not
            # answer; nor do Bruce's words on Anton "what Bruce said about Rubio's plans", nor Russia's
            # own demand "what Ukraine says about Russia's demand"
            return Match(question, None, None, 0.0, reason="no_match", suggestions=self._near_suggestions(analysis))
        return self._with_the_askers_polarity(found, analysis)

    def _with_the_askers_polarity(self, found: Match, analysis: Analysis) -> Match:
        """ "Is Putin skipping the talks?": a statement that opens with "No." answers "Is he attending?"; asked
        whether he stays away, the answer to that very statement is "Yes.". Only when the question's "not"
        comes from a word of absence (skip, miss, absent), not from a "not" of its own ("Isn't he going?")."""
        fact = self.knowledge.facts.get(found.fact or "")
        if fact is None or found.statement is not None or not fact.statement.startswith(("No.", "No,")):
            return found
        if NEGATION not in analysis.tokens or WRITTEN_NEGATION.search(found.question):
            return found
        if answer_type(found.question) != "yes-no" or CAUSE.search(found.question):
            return found  # "He stays away because he is ill?": a "Yes." would confirm the reason too
        wording = (said("Yes. {statement}", statement=Statement(fact.id)),)
        return replace(found, statement=say(wording, self.knowledge, "en"), wording=wording)

    @staticmethod
    def _names_an_unknown_body(question: str, analysis: Analysis) -> bool:
        """ "Is the EU sending anyone to Istanbul?": an abbreviation the pack does not know names what is asked
        about, and a fact about others does not answer it. Beside a person it may be a claim to correct
        ("Kostyukov runs the FSB?"), which the person's facts can do."""
        if any(m.kind == "person" for m in analysis.mentions):
            return False
        unknown = {token[1:] for token in analysis.tokens if token.startswith("?")}
        return bool(acronyms(question) & unknown)

    def _match(self, question: str) -> Match:
        analysis = self.analyzer.analyse(question)
        if not analysis.tokens:
            return Match(question, None, None, 0.0, reason="empty", suggestions=self.default_suggestions())
        if AFTER_THE_TALKS.search(question):
            # "Will they swap prisoners after these talks?": the sources were written before the talks ended
            return Match(question, None, None, 0.0, reason="no_match", suggestions=self._near_suggestions(analysis))
        if all(m.kind == "side" and not m.locative for m in analysis.mentions) and len(analysis.mentions) == len(
            analysis.tokens
        ):
            # "Russia?": a side alone asks nothing in particular; what could be asked about it is offered
            return Match(question, None, None, 0.0, reason="no_match", suggestions=self._near_suggestions(analysis))
        hearsay = self._hearsay(question)
        if hearsay is not None:
            return hearsay
        analysis = self.structure.possessor_as_side(question, analysis) or analysis
        structured = self.structure.answer(question, analysis)
        if structured is not None and structured.declined:
            # "Lavrov leads the RU team, yes? that's what my uncle says": the whole reads as no question the
            # attributes settle, but one of its sentences may be one
            return self._best_clause(question) or Match(
                question, None, None, 0.0, reason="no_match", suggestions=self._near_suggestions(analysis)
            )
        if structured is not None:
            return self._fits_type(self._structured(question, structured), analysis)
        unguessed = (
            self._without_guess(question, analysis)
            or self._placed_in_a_side(question, analysis)
            or self._where_a_place_is(question, analysis)
        )
        if unguessed is not None:
            return unguessed
        ranked, analysis = self._ranked_as_read(analysis, self.threshold)
        if not ranked:
            each = (
                self._asked_of_each_side(question, analysis)
                or self._each_of_two(question, analysis)
                or self._guessed_place(question, analysis)
                or self._led_by_a_stranger(question, analysis)
                or self._leads_the_unknown(question, analysis)
                or self._negated_claim(question, analysis)
                or self._guessed_reason(question)
                or self._compared(question, analysis)
            )
            if each is not None:
                return each
            clause = (
                self._best_clause(question)
                or self._joined_questions(question)
                or self._either(question)
                or self._without_asides(question)
                or self._best_clause(question, _COMMA_PARTS)
            )
            if clause is not None:
                return clause
            claim = self._claim_in_facts(question, analysis) or self._done_by_another(question, analysis)
            if claim is not None:
                return claim
            spoken = self.facts.spoken(question)
            if spoken is not None and self._about_everyone_named(spoken.fact, analysis):
                found = Match(question, spoken.fact, None, spoken.coverage, reason="fact_text")
                return self._name_the_speaker(self._fits_type(found, analysis), analysis)
            held = self._held_by_a_statement(question, analysis)
            if held is not None:
                return held
            worded = self._in_one_intents_words(question, analysis)
            if worded is not None:
                return worded
            covered = self._covered_by_intent_and_fact(question, analysis)
            if covered is not None:
                return covered
            near = self.ranked(analysis, SUGGESTION_FLOOR, exhaustive=False)
            confidence = near[0][1] if near else 0.0
            return Match(
                question, None, None, round(confidence, 1), reason="no_match", suggestions=self.suggest(analysis, near)
            )
        ranked = self._tied_by_the_facts_words(question, analysis, ranked)
        decided = self._name_the_speaker(
            self._fits_type(self._decide(question, analysis, ranked[0][0], ranked[0][1]), analysis), analysis
        )
        if decided.reason == "missing_slot" and EVERY_SIDE in analysis.tokens:
            each = self._for_each_side(question, decided)
            if each is not None:
                return each
        if decided.fact is not None and self.structure.office_of_none(
            analysis, (e for e in self.knowledge.facts[decided.fact].entities if self._kinds.get(e) == "person")
        ):
            # "What does the US secretary of state expect?": Trump's words are the president's, and the
            # sources say nothing of who the secretary is
            return Match(question, None, None, 0.0, reason="no_match", suggestions=self._near_suggestions(analysis))
        if decided.reason in ("unsupported_slot", "missing_slot"):
            # "Erdogan is the host, right?": no intent's phrasing fits him, but a claim may still be
            # checked against the statements' own words (yes/no questions only, `FactIndex.best`)
            claim = self._claim_in_facts(question, analysis) or self._joined_questions(question)
            if claim is not None:
                return claim
        if (
            decided.fact is not None
            and (decided.fact in self._profiles or self.knowledge.facts[decided.fact].dated)
            and BEFORE in analysis.tokens
            and BEFORE not in self.facts.tokens_of(decided.fact)
        ):
            # "What did Anton do before his current job?", "Was Kyslytsya an envoy before?": a profile, or
            # a fact of how things stand (`dated`), says nothing of before; a statement that does may
            # answer a claim ("Was Ushakov in earlier talks with the US?")
            claim = self._claim_in_facts(question, analysis)
            if claim is not None and claim.fact is not None and BEFORE in self.facts.tokens_of(claim.fact):
                return claim
            return Match(question, None, None, 0.0, reason="no_match", suggestions=self._near_suggestions(analysis))
        if (
            decided.fact in self._profiles
            and decided.confidence < PROFILE_SURE
            and self._asks_beyond(decided, analysis)
        ):
            # "What is Erdogan's position on the ceasefire?": his profile is no answer, however close
            # "what is {person} position" scores
            return Match(question, None, None, 0.0, reason="no_match", suggestions=self._near_suggestions(analysis))
        alternatives = self._alternatives(question)
        if decided.fact is not None and alternatives and not self._names_one_of(decided.fact, alternatives):
            # "Did they meet in Istanbul or in Ankara?": a fact that names neither does not say which
            return Match(question, None, None, 0.0, reason="no_match", suggestions=self._near_suggestions(analysis))
        return decided

    def _tied_by_the_facts_words(
        self, question: str, analysis: Analysis, ranked: list[tuple[str, float]]
    ) -> list[tuple[str, float]]:
        """Intents that score the same are told apart by their facts: the one whose statement says more of
        the question's words comes first ("with which mandate does Ukraine's team go?": its position, which
        speaks of a mandate, before its delegation, which does not)."""
        tied = [(intent, score) for intent, score in ranked if score >= ranked[0][1] - TIE]
        if len(tied) < 2:
            return ranked
        asked = {t for t in analysis.tokens if not t.startswith(("@", "?")) and t not in QUESTION_WORDS}

        def said(intent: str) -> int:
            fact = self._decide(question, analysis, intent, ranked[0][1], with_suggestions=False).fact
            return len(asked & self.facts.tokens_of(fact)) if fact is not None else -1

        best = max(tied, key=lambda pair: said(pair[0]))  # the first of the best, as ranked
        return [best, *(pair for pair in ranked if pair is not best)]

    def _ranked_as_read(self, analysis: Analysis, threshold: float) -> tuple[list[tuple[str, float]], Analysis]:
        """The intents ranked for the question as written, else with an office that is the asker's own
        subject dropped, else with the person an office names put in its place; and the reading used."""
        ranked = self.ranked(analysis, threshold)
        plainer = self.structure.without_own_office(analysis) if not ranked else None
        if plainer is not None:
            ranked = self.ranked(plainer, threshold)
            analysis = plainer if ranked else analysis
        named = self.structure.named_by_office(analysis) if not ranked else None
        if named is not None:
            # "Why does the Ukrainian president think Moscow is not serious?" asks what the question
            # with Zelenskyy named asks, as the structured answers already read it
            ranked = self.ranked(named, threshold)
            analysis = named if ranked else analysis
        return ranked, analysis

    def _each_of_two(self, question: str, analysis: Analysis) -> Match | None:
        """ "What do Trump and Rubio expect from the talks?": two people named side by side where a phrasing
        has one. Each is asked about alone; when one intent answers both, with a fact of each one's own (no
        profile, nothing shared), the reply gives both facts, each with its quote."""
        people = list(dict.fromkeys(m.entity for m in analysis.mentions))
        if len(people) != 2 or any(m.kind != "person" for m in analysis.mentions):
            return None
        if answer_type(question) not in ("what", "how"):
            return None  # "Did Trump and Putin speak?" asks about the two together, not each one
        at = [analysis.tokens.index(f"@{person}") for person in people]
        if abs(at[0] - at[1]) != 1:
            return None  # "What did Medinsky tell Trump?" asks what passed between them, not each one's words
        answers: list[Match] = []
        for drop in reversed(people):
            alone = analysis.without({drop})
            ranked = self.ranked(alone, self.threshold)
            if not ranked:
                return None
            answers.append(self._decide(question, alone, ranked[0][0], ranked[0][1], with_suggestions=False))
        first, second = answers
        if (
            first.fact is None
            or second.fact is None
            or first.intent != second.intent
            or first.fact == second.fact
            or {first.fact, second.fact} & self._profiles
        ):
            return None
        wording = tuple(said("{statement}", statement=Statement(fact)) for fact in (first.fact, second.fact))
        return Match(
            question,
            first.fact,
            first.intent,
            min(first.confidence, second.confidence),
            statement=say(wording, self.structure, "en"),
            support=(second.fact,),
            wording=wording,
        )

    def _compared(self, question: str, analysis: Analysis) -> Match | None:
        """ "Who is more upbeat about the talks, Medinsky or Rubio?", "Do Trump and Rubio see the talks the same
        way?": a comparison of two people's views is answered with each one's own statement, side by side,
        for the reader to compare; no verdict on which is more."""
        people = [m.entity for m in analysis.mentions if m.kind == "person"]
        which_of_two = answer_type(question) == "who" and _OR.search(question)  # "who is upbeat, A or B?"
        if len(people) != 2 or len(set(people)) != 2 or not (COMPARING.search(question) or which_of_two):
            return None
        views = [t for t in analysis.tokens if t in _VIEWS]
        if not views:
            return None
        first, second = people
        asked = Analysis(("what", f"@{first}", f"@{second}", *views), analysis.mentions)
        found = self._each_of_two(f"what do {first} and {second} {views[0]}", asked)
        return replace(found, question=question) if found is not None else None

    def _decided_as(
        self, question: str, reading: Analysis, asked: str | None = None, own_words: bool = False
    ) -> Match | None:
        """The decision for the question read another way (a place or a reason asked for, a "not" dropped):
        the best intent's fact, if one ranks, fits the answer type `asked` and, with `own_words`, answers
        in its statement's own words (no composed yes or no)."""
        ranked = self.ranked(reading, self.threshold)
        if not ranked:
            return None
        decided = self._decide(question, reading, ranked[0][0], ranked[0][1])
        fact = self.knowledge.facts.get(decided.fact or "")
        if fact is None or own_words and decided.statement is not None:
            return None
        if asked is not None and not fits_answer_type(asked, fact.statement, fact.entities, self._kinds):
            return None
        return decided

    def _guessed_place(self, question: str, analysis: Analysis) -> Match | None:
        """ "Are the talks in Geneva?", "The 2022 talks were in Minsk, right?": a claim that puts something
        in a place the pack does not know asks where it is. Answered with a fact that says where (the
        correction), as the question with the place asked for; never with a fact that names no place."""
        if answer_type(question) not in ("yes-no", "other"):
            return None
        raw = raw_words(question)
        guessed = {
            f"?{word.casefold()}"
            for before, word in zip(raw, raw[1:])
            if before.casefold() in _PLACE_PREPOSITIONS and word[:1].isupper() and not word.isupper()
        }
        unknown = [token for token in analysis.tokens if token.startswith("?")]
        if len(unknown) != 1 or unknown[0] not in guessed:
            return None
        where = Analysis(tuple(WHERE if t == unknown[0] else t for t in analysis.tokens), analysis.mentions)
        return self._decided_as(question, where, WHERE)

    def _led_by_a_stranger(self, question: str, analysis: Analysis) -> Match | None:
        """ "Ukraine's team is led by Kuleba, right?": a claim that someone the sources never name leads a
        side's delegation asks who leads it. The fact that says who does answers, and so corrects it."""
        if answer_type(question) not in ("yes-no", "other"):
            return None
        unknown, said = _unknown_and_said(analysis)
        if len(unknown) != 1 or len(analysis.mentions) != 1 or analysis.mentions[0].kind != "side":
            return None
        if said != {LEAD, DELEGATION}:
            return None  # "Does Kuleba lead Ukraine?" may ask about the country, not its delegation
        who_leads = Analysis(("who", LEAD, DELEGATION, f"@{analysis.mentions[0].entity}"), analysis.mentions)
        return self._decided_as(question, who_leads, "who", own_words=True)

    def _leads_the_unknown(self, question: str, analysis: Analysis) -> Match | None:
        """ "Kostyukov runs the FSB, right?": a claim that someone with an office heads a body the sources
        never name is answered with what he does head, in his profile's own words (no composed yes or no:
        whether the two are one body is not for the sources to say)."""
        if answer_type(question) not in ("yes-no", "other") or len(analysis.mentions) != 1:
            return None
        person = self.structure.people.get(analysis.mentions[0].entity)
        unknown, said = _unknown_and_said(analysis)
        if person is None or not person.role or len(unknown) != 1 or said - {NEGATION} != {LEAD}:
            return None
        words = [word.casefold() for word in raw_words(question)]
        body = unknown[0][1:]
        if body not in acronyms(question) and not any(a == "the" and b == body for a, b in zip(words, words[1:])):
            return None  # a body is an abbreviation or "the" something: "Does he run marathons?" names none
        return Match(question, person.profile, None, STRUCTURED_CONFIDENCE, reason="fact_text")

    def _guessed_reason(self, question: str) -> Match | None:
        """ "The 2022 talks fell apart over the grain deal, right?": a claim of why something happened asks
        why it did. The fact that gives the reason answers, in its own words (the correction, or the
        confirmation); none that gives no reason."""
        if answer_type(question) not in ("yes-no", "other"):
            return None
        found = CAUSE.search(question)
        if found is None or len(_CLAUSE.findall(question)) > 1:
            return None  # "He won't attend because ... . Will he send a letter?": the reason is not what is asked
        head = self.analyzer.analyse(question[: found.start(found.lastgroup or 0)])
        if not any(not t.startswith(("@", "?")) for t in head.tokens) or any(t.startswith("?") for t in head.tokens):
            return None
        return self._decided_as(question, Analysis(("why", *head.tokens), head.mentions), "why", own_words=True)

    def _negated_claim(self, question: str, analysis: Analysis) -> Match | None:
        """ "Umerov has never dealt with the Russians, right?": a claim put in the negative is checked against
        the same fact as the positive one, whose statement settles either. Its own words answer; no composed
        "Yes."/"No.", which would answer the positive claim."""
        if answer_type(question) != "yes-no" or NEGATION not in analysis.tokens:
            return None
        positive = Analysis(tuple(t for t in analysis.tokens if t != NEGATION), analysis.mentions)
        return self._decided_as(question, positive, own_words=True)

    def _where_a_place_is(self, question: str, analysis: Analysis) -> Match | None:
        """ "Where is Bucha?": a place asked about alone is where the one narrowest fact whose statement names
        it and says where puts it ("the Kyiv suburb of Bucha"); none, or two as narrow, and the rules go on."""
        if answer_type(question) != WHERE or len(analysis.mentions) != 1 or analysis.mentions[0].kind != "place":
            return None
        place = analysis.mentions[0].entity
        if set(analysis.tokens) != {WHERE, f"@{place}"} or place in places_asked_within(question, self._place_names):
            return None  # "Where in Istanbul are they meeting?" asks inside the place, not where it is
        saying_where = [
            fact
            for fact in self.knowledge.facts.values()
            if place in fact.entities
            and self.knowledge.entities[place].name in fact.statement
            and fits_answer_type(WHERE, fact.statement, fact.entities, self._kinds)
        ]
        narrowest = sorted(saying_where, key=lambda fact: len(fact.entities))
        if not narrowest or (len(narrowest) > 1 and len(narrowest[1].entities) == len(narrowest[0].entities)):
            return None
        return Match(question, narrowest[0].id, None, STRUCTURED_CONFIDENCE, reason="fact_text")

    def _placed_in_a_side(self, question: str, analysis: Analysis) -> Match | None:
        """ "Are the talks in Moscow?", "Is the location Kyiv?": a claim that puts something in a side's city
        or country asks where it is, though the pack knows the place (as that side). Only a fact that says
        where answers it (the correction); a fact about that side does not, so without one it is declined."""
        mentions = analysis.mentions
        if answer_type(question) not in ("yes-no", "other") or not mentions:
            return None
        if any(m.kind not in ("side", "place") for m in mentions) or len(mentions) == 1 and mentions[0].kind != "side":
            return None
        at_end = [self.analyzer.analyse(place).tokens for place in _PLACE_AT_END.findall(question)]
        names = {f"@{m.entity}" for m in mentions}
        if len(mentions) == 1:
            token = next(iter(names))
            if WHERE not in analysis.tokens and (token,) not in at_end:
                return None
            where = Analysis(tuple(dict.fromkeys(WHERE if t == token else t for t in analysis.tokens)), ())
        else:
            # "Are the Russia-Ukraine talks in Moscow?": the sides say whose talks; where they are is asked
            asked = set(analysis.tokens) - names
            if not any(len(place) == 1 and place[0] in names for place in at_end) or not asked <= _MEETING_WORDS:
                return None
            if not asked - {WHERE} and not _TALKS.search(question):
                return None  # "Is Russia in Istanbul?" asks whether it attends, not where the talks are
            where = Analysis((WHERE, *sorted(asked - {WHERE})), ())
        found = self._decided_as(question, where, WHERE)
        if found is None:
            return Match(question, None, None, 0.0, reason="no_match", suggestions=self._near_suggestions(analysis))
        return found

    def _asked_of_each_side(self, question: str, analysis: Analysis) -> Match | None:
        """ "What does each side want?": a question asked of every side, read as asked of each side in turn.
        When the same intent with a side to fill ranks first for every side it has a fact for (two or
        more), each side's own fact answers (`_for_each_side`)."""
        if EVERY_SIDE not in analysis.tokens or any(m.kind == "side" for m in analysis.mentions):
            return None
        firsts: dict[str, tuple[str, float]] = {}
        for side in (key for key, kind in self._kinds.items() if kind == "side"):
            reading = Analysis(
                tuple(f"@{side}" if t == EVERY_SIDE else t for t in analysis.tokens),
                (*analysis.mentions, Mention(side, "side", side)),
            )
            ranked = self.ranked(reading, self.threshold)
            if not ranked or side not in self.knowledge.intents[ranked[0][0]].answers:
                continue
            decided = self._fits_type(self._decide(question, reading, *ranked[0], with_suggestions=False), reading)
            if decided.fact is None:
                return None  # "how old is each side's leader?": declined for one side, declined for all
            firsts[side] = ranked[0]
        intents = {intent for intent, _ in firsts.values()}
        if len(firsts) < 2 or len(intents) != 1:
            return None
        intent, score = min(firsts.values(), key=lambda first: first[1])
        return self._for_each_side(question, Match(question, None, intent, score, reason="missing_slot"))

    def _for_each_side(self, question: str, missing: Match) -> Match | None:
        """ "Who are the deputy foreign ministers on each side?": a question of an intent with a side to fill,
        asked of every side, is answered with each side's own fact, each with its quote."""
        if missing.intent is None or self._slots[missing.intent] != "side":
            return None
        facts = list(
            dict.fromkeys(
                fact
                for side, fact in self.knowledge.intents[missing.intent].answers.items()
                if side is not None and self._kinds.get(side) == "side" and fact in self.knowledge.facts
            )
        )
        if len(facts) < 2:
            return None
        wording = tuple(said("{statement}", statement=Statement(fact)) for fact in facts)
        return Match(
            question,
            facts[0],
            missing.intent,
            missing.confidence,
            statement=say(wording, self.structure, "en"),
            support=tuple(facts[1:]),
            wording=wording,
        )

    def _hearsay(self, question: str) -> Match | None:
        """The claim in "my friend says ..., is that right?", checked as "..., right?". Only when the one
        who says it is nobody the sources know: "Zelenskyy says Russia isn't serious, right?" asks
        about Zelenskyy's words."""
        found = _HEARSAY.match(question.strip())
        teller = found.group("teller") if found is not None else ""
        if found is None or self.analyzer.analyse(teller).mentions or QUESTION_WORDS & set(tokenize(teller)):
            return None  # "what do people say about Lavrov" asks, it checks nothing
        claim = found.group("claim").rstrip(" ?!.")
        if not self.analyzer.analyse(claim).mentions:
            return None
        checked = self._match(f"{claim}, right?")
        return replace(checked, question=question) if checked.fact is not None else None

    def _claim_in_facts(self, question: str, analysis: Analysis) -> Match | None:
        """A yes/no claim checked against the statements' own words (`FactIndex.best`), when the fact is
        about every side the question puts an office to: "Is Russia's defence ministry represented?" is
        not answered by Umerov's profile, which mentions Moscow only as whom he dealt with."""
        hit = self.facts.best(question)
        if hit is None:
            return None
        tokens = analysis.tokens
        offices_of = {
            t[1:]
            for t, after in zip(tokens, tokens[1:], strict=False)
            if self._kinds.get(t[1:]) == "side" and after in self.structure.office_words
        }
        fact = self.knowledge.facts[hit.fact]
        if not offices_of <= set(fact.entities):
            return None
        if not self._about_everyone_named(hit.fact, analysis):
            return None  # "Rubio expects something from the meeting in Turkey?": not Trump's words on Turkey
        return Match(question, hit.fact, None, hit.coverage, reason="fact_text")

    def _held_by_a_statement(self, question: str, analysis: Analysis) -> Match | None:
        """ "Which terms has Moscow used to justify the invasion?": a question whose every word one statement
        says (`FactIndex.holding`), the thing it asks for ("terms") among them, when that statement is of
        the asked type and about everyone the question names."""
        if answer_type(question) not in HELD_TYPES:
            return None
        hit = self.facts.holding(question)
        if hit is None or not self._about_everyone_named(hit.fact, analysis):
            return None
        words = tokenize(question)
        asking = next((i for i, word in enumerate(words) if word in HELD_TYPES), None)
        if asking is None or asking + 1 >= len(words):
            return None
        thing = self.facts.analyzer.analyse(words[asking + 1]).tokens
        if not thing or not set(thing) <= self.facts.tokens_of(hit.fact) - QUESTION_WORDS:
            return None  # "what was in the outline?", "on what date ...?": the statement holds no such thing
        return self._fits_type(Match(question, hit.fact, None, hit.coverage, reason="fact_text"), analysis)

    def _about_everyone_named(self, fact_id: str, analysis: Analysis) -> bool:
        """Whether every person the question names is one the fact is about, speaks, or names."""
        fact = self.knowledge.facts[fact_id]
        about = {*fact.entities, fact.relations.get("speaker", "")}
        return all(
            m.entity in about or self.knowledge.entities[m.entity].name.split()[-1] in fact.statement
            for m in analysis.mentions
            if m.kind == "person"
        )

    def _done_by_another(self, question: str, analysis: Analysis) -> Match | None:
        """ "So Rubio is the one doing the working-level talks?": a claim that one person does what a statement
        says another of their side does. The statement, which names who does it, answers; no yes or no."""
        people = [m for m in analysis.mentions if m.kind == "person"]
        if len(people) != 1 or answer_type(question) != "yes-no":
            return None
        claimed = people[0]
        unnamed = re.sub(re.escape(claimed.text), " ", question, flags=re.IGNORECASE)
        hit = self.facts.best(unnamed)
        if hit is None or hit.fact in self._profiles:
            return None  # a profile says who someone is, not what they do in the claim's place
        fact = self.knowledge.facts[hit.fact]
        side = self.knowledge.entities[claimed.entity].side
        speaker = fact.relations.get("speaker")
        doers = [e for e in fact.entities if self._kinds.get(e) == "person" and e != speaker]  # not their words
        if claimed.entity in fact.entities or len(doers) != 1 or self.knowledge.entities[doers[0]].side != side:
            return None
        return Match(question, hit.fact, None, hit.coverage, reason="fact_text")

    def _addressed(self, match: Match, analysis: Analysis) -> Match:
        """A "to whom did X say ...?" question is answered only by a statement of X's that has an
        addressee: the best such one among the close candidates, or none. "Кому Зеленський сказав, що
        росіяни несерйозні?" is not answered by his criticism, which was said to no one in particular."""
        if match.fact is not None and self.knowledge.facts[match.fact].relations.get("addressee"):
            return match
        named = {m.entity for m in analysis.mentions}
        for intent, score in self.ranked(analysis, ADDRESSEE_FLOOR):
            found = self._decide(match.question, analysis, intent, score, with_suggestions=False)
            fact = self.knowledge.facts.get(found.fact) if found.fact is not None else None
            if fact is not None and fact.relations.get("addressee") and fact.relations.get("speaker") in named:
                return found
        return Match(match.question, None, None, 0.0, reason="no_match", suggestions=self._near_suggestions(analysis))

    def _phrasing_words(self, intent_key: str) -> frozenset[str]:
        """Every word of an intent's phrasings (slots left out), worked out when first needed."""
        words = self._intent_words.get(intent_key)
        if words is None:
            intent = self.knowledge.intents[intent_key]
            words = frozenset(
                t
                for phrasing in intent.phrasings
                for t in self.analyzer.analyse(SLOT_PATTERN.sub(" ", phrasing)).tokens
            )
            self._intent_words[intent_key] = words
        return words

    def _in_one_intents_words(self, question: str, analysis: Analysis) -> Match | None:
        """A short question worded wholly in one intent's words, though close to none of its phrasings:
        "are they anywhere close to agreeing?" has only words of one intent's phrasings, one of them
        ("agreeing") used by hardly any other intent; a question word no phrasing of it uses may be
        added to two or more such words ("how ready is Medinsky to compromise?"). Only when exactly one
        intent close enough qualifies, no word is unknown, the fact names every person the question
        does ("What will Anton propose to the Russians?" is not Russia's position), and it fits the
        question's type and speaker."""
        words = {t for t in analysis.tokens if not t.startswith("@")}
        if not words or any(t.startswith("?") for t in analysis.tokens):
            return None
        if not any(self._intents_using[t] <= DISTINCTIVE_IN for t in words):
            return None
        fitting = [
            (intent, score)
            for intent, score in self.ranked(analysis, WORDING_FLOOR)
            if words <= self._phrasing_words(intent)
            or len(words - QUESTION_WORDS) > 1
            and words - QUESTION_WORDS <= self._phrasing_words(intent)
        ]
        if len(fitting) != 1:
            return None
        decided = self._fits_type(self._decide(question, analysis, *fitting[0], with_suggestions=False), analysis)
        if decided.fact is None or decided.fact in self._profiles:
            return None  # a person's profile answers "who is X?", never a near miss of it
        fact = self.knowledge.facts[decided.fact]
        people = {m.entity for m in analysis.mentions if self._kinds.get(m.entity) == "person"}
        if not people <= set(fact.entities):
            return None
        if words & SAYING and people and fact.relations.get("speaker") not in people:
            return None  # "what did Erdogan tell reporters?": Zelenskyy's words, said after meeting him
        return decided

    def _covered_by_intent_and_fact(self, question: str, analysis: Analysis) -> Match | None:
        """ "Is Kyiv ready to talk about an unconditional ceasefire?": close to one intent's phrasings, with
        the words its phrasings lack ("unconditional") said by the fact it answers with. A word that neither
        the phrasings nor the statement has is what the question asks beyond them, and it is declined."""
        near = self.ranked(analysis, COVERED_FLOOR, exhaustive=False)
        if not near or any(t.startswith("?") for t in analysis.tokens):
            return None
        intent_key, score = near[0]
        decided = self._fits_type(self._decide(question, analysis, intent_key, score, with_suggestions=False), analysis)
        if decided.fact is None or decided.fact in self._profiles and answer_type(question) == "who":
            return None  # who holds an office is the structure's to say: "chief" is in "deputy chief"
        fact = self.knowledge.facts[decided.fact]
        said = self.facts.tokens_of(decided.fact) | {f"@{e}" for e in fact.entities}
        beyond = set(analysis.tokens) - self._phrasing_words(intent_key) - QUESTION_WORDS
        if decided.slot_value is not None:
            beyond.discard(f"@{decided.slot_value}")
        if not beyond or not beyond <= said:
            return None
        people = {m.entity for m in analysis.mentions if self._kinds.get(m.entity) == "person"}
        if not people <= set(fact.entities):
            return None
        if set(analysis.tokens) & SAYING and people and fact.relations.get("speaker") not in people:
            return None
        return decided

    def _asks_beyond(self, match: Match, analysis: Analysis) -> bool:
        """Whether a question answered with a profile asks about a topic (`_profile_topics`) that
        neither the profile's statement nor the phrasings of the intent that matched have."""
        if match.intent is None or match.fact is None:
            return False
        words = self._phrasing_words(match.intent)
        statement = self.facts.tokens_of(match.fact)
        return any(t in self._topics and t not in words and t not in statement for t in analysis.tokens)

    def _structured(self, question: str, structured: StructuredAnswer, penalty: float = 0.0) -> Match:
        return Match(
            question,
            structured.fact,
            None,
            STRUCTURED_CONFIDENCE - penalty,
            reason="structured",
            statement=structured.statement,
            support=structured.support,
            wording=structured.wording,
        )

    def _name_the_speaker(self, match: Match, analysis: Analysis) -> Match:
        """ "Who announced ...?" asks for the speaker: when the statement does not name who said it,
        the reply does ("Tammy Bruce said so: ...")."""
        fact = self.knowledge.facts.get(match.fact or "")
        speaker = self.knowledge.entities.get(fact.relations.get("speaker", "")) if fact else None
        if fact is None or speaker is None or answer_type(match.question) != "who" or not SAYING & set(analysis.tokens):
            return match
        if any(part in fact.statement for part in speaker.name.split()):
            return match
        statement = f"{speaker.name} said so: {fact.statement}"
        wording = (
            said("{speaker} said so: {statement}", speaker=Name(speaker.id), statement=Statement(fact.id, False)),
        )
        profile = speaker.attributes.get("profile")
        if profile in self.knowledge.facts and profile != fact.id:
            # the answer to "who" is the speaker: their profile answers, the statement's quotes back it
            return replace(match, fact=profile, statement=statement, support=(fact.id,), wording=wording)
        return replace(match, statement=statement, wording=wording)

    def _fits_type(self, match: Match, analysis: Analysis) -> Match:
        """A fact answers only a question of a type it can answer (`knowledge.question.fits_answer_type`)."""
        fact = self.knowledge.facts[match.fact] if match.fact is not None else None
        if fact is None:
            return match
        asked = answer_type(match.question)
        within = places_asked_within(match.question, self._place_names) if asked == "where" else frozenset()
        named = frozenset(m.entity for m in analysis.mentions if m.entity in self._place_names)
        if fits_answer_type(asked, fact.statement, fact.entities, self._kinds, named, within):
            return match
        return Match(
            match.question,
            None,
            match.intent,
            match.confidence,
            reason="no_match",
            suggestions=self._near_suggestions(analysis),
        )

    def _best_clause(
        self, question: str, parts: re.Pattern[str] | None = None, pronouns_named: bool = True
    ) -> Match | None:
        """A chatty message often holds its question in one sentence ("Good morning. Is Putin coming?"):
        the best sentence that matches on its own answers, at a small cost in confidence. With `parts`,
        the pieces between commas are tried the same way ("tammy bruce, who is she, why ..."). With
        `pronouns_named`, "he" or "she" in a piece is the one person the message names."""
        unbroken = _ABBREVIATION.sub(lambda m: m.group(0).replace(".", " "), question)  # "i.e." ends no sentence
        clauses = [part for part in (parts or _CLAUSE).findall(unbroken) if len(part.split()) >= 2]
        if len(clauses) < 2:
            return None
        clauses = [part for part in clauses if part.split()[0].casefold() not in _CONDITIONS]
        asked = [part for part in clauses if part.rstrip().endswith("?")]
        # "I keep reading X; who did Y?": the question is the part that asks, and only when none of the parts
        # that ask can be answered is a sentence that asks without a question mark read ("Erdoğan kimdir? I
        # mean, who is Erdogan"); a statement ("Rubio has no high expectations. Did he say ...?") never
        unmarked = [part for part in clauses if part not in asked and answer_type(part) not in ("yes-no", "other")]
        passes = [asked, unmarked if parts is None else []] if asked else [clauses]
        people = {m.entity for m in self.analyzer.analyse(question).mentions if m.kind == "person"}
        best: tuple[float, str, Analysis, bool, str] | None = None
        settled = False  # a part that asks was declined on purpose: what it asks is not to be answered
        for clause in (clause for candidates in passes for clause in candidates):
            if asked and clause not in asked and (best is not None or settled):
                break
            analysis = self.analyzer.analyse(clause)
            named_here = any(m.kind == "person" for m in analysis.mentions)
            if pronouns_named and len(people) == 1 and _PERSONAL_PRONOUN.search(clause) and not named_here:
                # "Zelenskyy seemed annoyed. What did he say?": the one person the message names is "he"
                clause = f"{clause} {self.knowledge.entities[next(iter(people))].name}"
                analysis = self.analyzer.analyse(clause)
            if all(token.startswith("@") for token in analysis.tokens) and _OR.search(clause):
                continue  # "..., Ukraine or Russia?": alternatives alone ask nothing; the rest of the message asks
            structured = self.structure.answer(clause, analysis)
            if structured is not None and structured.declined:
                settled = True
                continue  # the attributes say this part asks what no source says
            if structured is not None:
                if not self._about_someone_named(structured.fact, analysis, people):
                    return None
                return self._structured(question, structured, CLAUSE_PENALTY)
            ranked, read = self._ranked_as_read(analysis, self.threshold + CLAUSE_PENALTY)
            if ranked and (best is None or ranked[0][1] > best[0]):
                best = (ranked[0][1], ranked[0][0], read, read is not analysis, clause)
        if best is None:
            return None
        score, intent_key, analysis, reread, sentence = best
        decided = self._decide(question, analysis, intent_key, score - CLAUSE_PENALTY)
        if reread and not decided.answered:
            return None  # a sentence read with an office's holder named that answers nothing says nothing
        if decided.answered and not self._fits_type(replace(decided, question=sentence), analysis).answered:
            return None  # "When did they land, and where did they fly in from?": the sentence's own type too
        if not self._about_someone_named(decided.fact, analysis, people):
            return None  # "when is trump meeting putin, any date": the talks' date is not theirs
        return decided

    def _joined_questions(self, question: str) -> Match | None:
        """ "What happened in Bucha and how did it change the talks?": two questions joined by "and" are
        two sentences, and the one that can be answered is, as in a message of several sentences. A "he"
        in the second may be whoever the first asks for ("Who did they send and what will he do?"): then it
        is not read as the person the message names."""
        split = _JOINED_QUESTIONS.sub("? ", question)
        if split == question:
            return None
        asks_for_someone = any(
            answer_type(part) == "who"
            and not _PERSONAL_PRONOUN.search(part)
            and not any(m.kind == "person" for m in self.analyzer.analyse(part).mentions)
            for part in _CLAUSE.findall(split)[:-1]
        )
        found = self._best_clause(split, pronouns_named=not asks_for_someone)
        return replace(found, question=question) if found is not None else None

    def _about_someone_named(self, fact_id: str | None, clause: Analysis, people: set[str]) -> bool:
        """Whether a fact answering a part of a message that names nobody ("any date?") is about someone
        the rest of the message names, if it names anyone: that is whom the message asks about."""
        fact = self.knowledge.facts.get(fact_id or "")
        if fact is None or clause.mentions or not people:
            return True
        return bool(people & set(fact.entities))

    def _without_asides(self, question: str) -> Match | None:
        """The question asked again without its asides, which describe rather than ask."""
        plainer = _ASIDE.sub(" ", question)
        if plainer == question:
            return None
        found = self.match(plainer)
        if found.fact is None or found.confidence < self.threshold + CLAUSE_PENALTY:  # the bar a clause must pass
            return None
        return replace(found, question=question, confidence=round(found.confidence - CLAUSE_PENALTY, 1))

    def _without_guess(self, question: str, analysis: Analysis) -> Match | None:
        """ "Who chose Istanbul, was it Putin?": a who-question ending in its own guess at a person, which
        the structure could not settle, is asked without the guess. Its answer says who it was, and so
        whether the guess was right; matched with the guess, the guessed person's profile would win."""
        if "who" not in analysis.tokens:
            return None
        tail = GUESS_TAIL.search(question)
        if tail is None:
            return None
        guessed = self.analyzer.analyse(tail.group(1)).tokens
        head = question[: tail.start()].strip()
        if len(guessed) != 1 or guessed[0][1:] not in self.structure.people or not head:
            return None
        found = self.match(head + "?")
        fact = self.knowledge.facts.get(found.fact or "")
        if fact is not None and not any(self._kinds.get(e) == "person" for e in fact.entities):
            return None  # "Who's hosting, Erdogan?": "who's hosting?" alone reads as where; a person is asked
        return replace(found, question=question)

    def _either(self, question: str) -> Match | None:
        """ "Are the talks in Ankara or Istanbul?": each alternative is asked on its own, and when only one
        is answered, or both by the same fact, that fact settles the question; otherwise it is declined."""
        found = _EITHER.match(question.strip())
        if found is None:
            return None
        head, tail, end = found.group("head"), found.group("tail").split(), found.group("end") or "?"
        if not tail:
            return None
        first = tail[0].lower()
        no_alternative = first in _NOT_AN_ALTERNATIVE
        if (no_alternative or len(tail) > _ALTERNATIVE_WORDS) and first not in _CLAUSE_OPENERS:
            # "... or not?", "Is Kyslytsya a deputy minister or the actual foreign minister?": the part
            # before "or" is asked alone when it asks something of its own; "Is Medinsky or Lavrov
            # leading?" shares its end with the tail, and "Is Medinsky" asks nothing
            if not self._asks_something(head):
                return None
            if not no_alternative and head.split()[0].lower() in QUESTION_WORDS:
                return None  # "Which building or palace are they meeting in?": the alternatives share the end
        asked = [head + end]
        guessing = _GUESSES.match(head)
        if guessing is not None:  # "Who heads the team, Lavrov or Medinsky?": the question without its guesses
            asked = [guessing.group(1) + end]
        words = head.split()
        if guessing is None and len(tail) <= _ALTERNATIVE_WORDS and len(words) > len(tail) and not no_alternative:
            asked.append(" ".join(words[: -len(tail)] + tail) + end)
        answered = [m for m in map(self.match, asked) if m.fact is not None]
        if not answered or len({m.fact for m in answered}) > 1:
            return None
        if any(m.confidence < self.threshold + CLAUSE_PENALTY for m in answered):  # the bar a clause must pass
            return None
        best = answered[0]
        alternatives = self._alternatives(question)
        if alternatives and not self._names_one_of(best.fact, alternatives):
            return None  # "Did they meet in Istanbul or Ankara?": a fact that names neither does not say which
        # the fact's own statement answers "A or B?"; a composed "Yes."/"No." would answer only A
        return replace(
            best,
            question=question,
            confidence=round(best.confidence - CLAUSE_PENALTY, 1),
            statement=None,
            support=(),
            wording=(),
        )

    def _asks_something(self, part: str) -> bool:
        """Whether a part of a question says what it asks beyond the names in it ("going to Istanbul")."""
        return any(not token.startswith(("@", "?")) for token in self.analyzer.analyse(part).tokens)

    @staticmethod
    def _alternatives(question: str) -> tuple[list[str], list[str]] | None:
        """The two alternatives a question offers in so many words ("in Istanbul or in Ankara"), unless
        they are guesses at what it asks ("Who leads, Lavrov or Medinsky?") or no alternative at all."""
        found = _EITHER.match(question.strip())
        if found is None or _GUESSES.match(found.group("head")):
            return None
        words, tail = found.group("head").split(), found.group("tail").split()
        if not tail or tail[0].lower() in _NOT_AN_ALTERNATIVE or not len(words) > len(tail) <= _ALTERNATIVE_WORDS:
            return None
        return words[-len(tail) :], tail

    def _names_one_of(self, fact_id: str | None, alternatives: tuple[list[str], ...]) -> bool:
        """Whether the fact's statement (or the entities it is about) says one of the alternatives."""
        fact = self.knowledge.facts.get(fact_id or "")
        if fact is None:
            return False
        said = set(self.analyzer.analyse(fact.statement).tokens) | {f"@{e}" for e in fact.entities}
        return any(
            {t for t in self.analyzer.analyse(" ".join(words)).tokens if not t.startswith("?")} & said
            for words in alternatives
        )

    def _decide(
        self, question: str, analysis: Analysis, intent_key: str, score: float, with_suggestions: bool = True
    ) -> Match:
        intent = self.knowledge.intents[intent_key]
        slot = self._slots[intent_key]
        value: str | None = None
        if slot is not None:
            # "the talks are in Turkey. Who is Ukraine sending?": a side named as where things happen is the
            # scene; the slot is the side the question is about, when it names one
            named = [m for m in analysis.mentions if m.kind == slot]
            mention = next((m for m in named if not m.locative), named[0] if named else None)
            if mention is None:
                return Match(
                    question,
                    None,
                    intent_key,
                    round(score, 1),
                    reason="missing_slot",
                    suggestions=self._near_suggestions(analysis) if with_suggestions else (),
                )
            value = mention.entity
        fact = intent.answers.get(value)
        if fact is None or fact not in self.knowledge.facts:
            return Match(
                question,
                None,
                intent_key,
                round(score, 1),
                slot_value=value,
                reason="unsupported_slot",
                suggestions=self._near_suggestions(analysis) if with_suggestions else (),
            )
        return Match(question, fact, intent_key, round(score, 1), slot_value=value)

    def candidates(self, question: str, limit: int = 5) -> list[Match]:
        """Answers from every intent above the threshold, best first, one per fact (for inline mode)."""
        analysis = self.analyzer.analyse(question)
        if not analysis.tokens:
            return []
        found: dict[str, Match] = {}
        for intent_key, score in self.ranked(analysis, self.threshold):
            decided = self._decide(question, analysis, intent_key, score, with_suggestions=False)
            if decided.fact is not None and decided.fact not in found:
                found[decided.fact] = decided
        return list(found.values())[:limit]

    # -- suggestions -----------------------------------------------------------------------------

    def _prepare_suggestions(self) -> None:
        """What suggestions need, computed once here: a declined question must not scan every intent."""
        intents = self.knowledge.intents
        self._slots: dict[str, str | None] = {key: intent.slot for key, intent in intents.items()}
        self._about: dict[str, str] = {}
        """Entity -> its "Who is X?" intent: the slotted intent answering for the most values (first wins)."""
        for key, intent in intents.items():
            if self._slots[key] is None:
                continue
            for entity in filter(None, intent.answers):
                current = self._about.get(entity)
                if current is None or len(intent.answers) > len(intents[current].answers):
                    self._about[entity] = key
        first = list(itertools.islice(intents.values(), 3))
        self._defaults = tuple(text for intent in first for text in self._suggestions_for(intent, [])[:1])
        self._fact_questions: dict[str, str] = {}
        for intent in intents.values():
            for value, fact in intent.answers.items():
                if fact not in self._fact_questions:
                    found = self._suggestions_for(intent, [value] if value is not None else [])
                    if found:
                        self._fact_questions[fact] = found[0]

    def _near_suggestions(self, analysis: Analysis) -> tuple[str, ...]:
        return self.suggest(analysis, self.ranked(analysis, SUGGESTION_FLOOR, exhaustive=False))

    def suggest(self, analysis: Analysis, ranked: list[tuple[str, float]], limit: int = 3) -> tuple[str, ...]:
        """Up to `limit` questions the bot can answer, closest to what was asked first."""
        out: list[str] = []
        mentioned = [m.entity for m in analysis.mentions]
        for intent_key, _ in ranked:
            for text in self._suggestions_for(self.knowledge.intents[intent_key], mentioned):
                if text not in out:
                    out.append(text)
                    break
            if len(out) >= limit:
                return tuple(out)
        for entity in dict.fromkeys(mentioned):  # nothing close: offer what is known about who was named
            about = self._about.get(entity)
            if about is not None and len(out) < limit:
                text = self._suggestions_for(self.knowledge.intents[about], [entity])[0]
                if text not in out:
                    out.append(text)
        for text in self.default_suggestions():
            if len(out) >= limit:
                break
            if text not in out:
                out.append(text)
        return tuple(out)

    def _suggestions_for(self, intent: Intent, prefer: list[str]) -> list[str]:
        template = intent.suggest or (intent.phrasings[0][:1].upper() + intent.phrasings[0][1:] + "?")
        slot = self._slots[intent.id]
        if slot is None:
            return [template]
        values = [v for v in intent.answers if v is not None]
        ordered = [v for v in prefer if v in values] + [v for v in values if v not in prefer]
        return [
            template.replace(f"{{{slot}}}", self.knowledge.entities[v].name)
            for v in ordered
            if v in self.knowledge.entities
        ]

    def default_suggestions(self) -> tuple[str, ...]:
        """The first questions of the pack: what to offer when nothing asked is close."""
        return self._defaults

    def suggestion_for_fact(self, fact_key: str) -> str | None:
        """A question that leads to `fact_key`, for buttons and help texts."""
        return self._fact_questions.get(fact_key)

    def fact_of_suggestion(self, suggestion: str) -> str | None:
        """The fact a suggestion answers, for its button. Memoised: declines offer the same few
        suggestions again and again, and matching each costs a full analysis of its text."""
        memo: dict[str, str | None] | None = self.__dict__.get("_suggested_facts")
        if memo is None or len(memo) >= SUGGESTION_MEMO:
            memo = {}
            self._suggested_facts = memo
        if suggestion not in memo:
            memo[suggestion] = self.match(suggestion).fact
        return memo[suggestion]


def _unknown_and_said(analysis: Analysis) -> tuple[list[str], set[str]]:
    """The words no lexicon knows ("?fsb") and the known words that are not names."""
    unknown = [token for token in analysis.tokens if token.startswith("?")]
    return unknown, {token for token in analysis.tokens if not token.startswith(("?", "@"))}
