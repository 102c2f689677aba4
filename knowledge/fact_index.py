"""Confirming claims from the facts' own words, for yes/no questions no intent foresaw.

"Is Fomin Russia's deputy defence minister?", "Trump is the US president, right?", "Did Rubio
really say he has no high expectations?": a person checking a claim gets the fact that speaks to
it, whose statement then confirms or corrects the claim. Only yes/no questions qualify: for them,
the fact whose statement contains the claim's words is the honest answer even when the claim is
off ("Is Fomin the defence minister?" gets "Fomin is Russia's Deputy Defence Minister"), whereas a
wh-question ("Who heads the Security Service?") would need the fact to hold the asked-for thing,
which bag-of-words overlap cannot tell. The index answers only when
- the question names at least one side, person or place, and every name it uses is one of the
  fact's entities;
- nearly all of its other words appear in the fact's statement (rare words weigh more, IDF);
and among equally good facts the narrowest wins (the most specific answer).

"Who said they have no high expectations?" is the one wh-question the same overlap can answer: the
words after "who said" are what was said, and a statement someone made that holds nearly all of them
names its speaker (`FactIndex.spoken`).
"""

from __future__ import annotations

import math

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from knowledge.analysis import Analyzer
from knowledge.records import Knowledge
from knowledge.text import tokenize

MIN_COVERAGE = 0.85
SAYING = frozenset({"say", "think"})
"""The analyser's tokens for verbs of saying and of calling something something ("called it a ...")."""
MIN_HELD_WORDS = 3
"""A wh-question held whole by a statement must say enough to single it out ("what terms justify war")."""
MIN_UNNAMED_WORDS = 2
"""A claim that names no one must say at least this much of its own ("contact mostly humanitarian?")."""
BELIEF = frozenset({*SAYING, "expect"})
"""Words of saying, thinking or believing: "Does Zelenskyy believe Moscow is serious?" is checked by
what Zelenskyy said, whose statement need not say "believe"."""
POLARITY = frozenset({"not", "reject"})
"""Words that turn a claim around: "Medinsky refuses any compromise?" is settled by the statement that
he is ready to discuss compromises, which need not say "not" or "refuse"."""
CLAIM_EQUIVALENTS = {"role": frozenset({"attend", "member"}), "ask": frozenset({"want"})}
"""Words a claim's statement may say another way: being involved in something ("role") by taking part in
it or being part of it, asking for something by wanting it ("Kyiv's ask is a truce with no conditions?")."""
MIN_SAID_WORDS = 1
"""What was said must have a word of its own: "who said that?" quotes nothing."""
QUESTION_WORDS = frozenset({"who", "what", "where", "when", "why", "how", "which", "whom"})
_YES_NO_OPENERS = frozenset(
    {
        "is",
        "are",
        "was",
        "were",
        "did",
        "does",
        "do",
        "has",
        "have",
        "had",
        "will",
        "would",
        "can",
        "could",
        "isnt",
        "arent",
        "wasnt",
        "didnt",
        "doesnt",
        "dont",
        "hasnt",
        "havent",
        "wont",
    }
)
_TAG_PRONOUNS = frozenset({"he", "she", "it", "they", "there", "we", "you"})
"""The last word of a question tag ("..., isn't he", "... didnt they")."""
_CHECK_WORDS = ("right", "true", "correct", "yes", "yeah", "confirm", "accurate", "claim", "really")
_HEARSAY = frozenset(
    {
        *_CHECK_WORDS,
        "verify",
        "check",
        "checking",
        "someone",
        "somebody",
        "people",
        "said",
        "says",
        "saying",
        "heard",
        "hear",
        "claims",
        "rumour",
        "rumor",
        "post",
        "tweet",
        "read",
        "reading",
        "going",
        "round",
        "around",
        "that",
        "it",
    }
)
"""How a claim is put up for checking ("someone said ...", "checking a post"), not what it claims."""


AFTER_THE_MARK = 2
"""Words a chat message may add after its question mark and still end asking ("... up?? lol classic")."""


def is_yes_no_question(question: str) -> bool:
    """ "Is/Did/Does ...?", or a statement put up for checking: "X is Y, right?", "lavrov is the
    foreign minister?", "Claim: ... True?". Not a question asking who, what, where, when, why or how."""
    words = tokenize(question)
    if not words or any(word in QUESTION_WORDS for word in words):
        return False
    _, mark, after = question.rpartition("?")
    # "... showing up?? lol classic": a little lower-case chatter after the mark (not a name put after it)
    ends_asking = bool(mark) and len(tokenize(after)) <= AFTER_THE_MARK and after == after.lower()
    # "kostyukov is on ukraine's side isnt he": a question tag makes a claim a question, "?" or not
    tagged = len(words) >= 3 and words[-1] in _TAG_PRONOUNS and words[-2] in _YES_NO_OPENERS
    return words[0] in _YES_NO_OPENERS or any(word in _CHECK_WORDS for word in words) or ends_asking or tagged


@dataclass(frozen=True)
class FactHit:
    fact: str
    coverage: float


class FactIndex:
    def __init__(self, knowledge: Knowledge) -> None:
        self.analyzer = Analyzer(knowledge)
        texts = {key: fact.statement for key, fact in knowledge.facts.items()}
        self.analyzer.learn(word for text in texts.values() for word in tokenize(text))
        self._tokens: dict[str, frozenset[str]] = {}
        for key, text in texts.items():
            analysis = self.analyzer.analyse(text)
            names = {f"@{entity}" for entity in knowledge.facts[key].entities}
            tokens = frozenset(analysis.tokens) | names
            # a member of a delegation attends the talks: "Is anyone from X's security service coming?"
            self._tokens[key] = tokens | {"attend"} if {"member", "delegation"} <= tokens else tokens
        count = len(self._tokens) or 1
        frequency: dict[str, int] = {}
        for tokens in self._tokens.values():
            for token in tokens:
                frequency[token] = frequency.get(token, 0) + 1
        self._idf = {token: math.log(1 + count / seen) for token, seen in frequency.items()}
        self._unknown_idf = math.log(1 + count)
        self._kinds = {key: entity.kind for key, entity in knowledge.entities.items()}
        places = Counter(
            entity
            for fact in knowledge.facts.values()
            for entity in fact.entities
            if knowledge.entities[entity].kind == "place"
        )
        most = max(places.values(), default=0)
        self._scene = frozenset(f"@{place}" for place, count in places.items() if count == most and count > 1)
        """The place most facts name, where the event happens: "Is anyone from the security service going
        to Istanbul?" is checked by a statement that need not say where the talks are."""
        self._speakers = {
            key: fact.relations["speaker"] for key, fact in knowledge.facts.items() if "speaker" in fact.relations
        }

    @property
    def vocabulary(self) -> frozenset[str]:
        """Every token some fact's statement has."""
        return frozenset(t for tokens in self._tokens.values() for t in tokens)

    def tokens_of(self, fact: str) -> frozenset[str]:
        """The tokens of a fact's statement, with its entities' names."""
        return self._tokens.get(fact, frozenset())

    def best(self, question: str) -> FactHit | None:
        if not is_yes_no_question(question):
            return None
        claim = " ".join(w for w in tokenize(question) if w not in _HEARSAY)  # "Claim: ... True?"
        analysis = self.analyzer.analyse(claim)
        asked = [t.lstrip("?") if t.startswith("?") else t for t in analysis.tokens if t not in QUESTION_WORDS]
        names = {t for t in asked if t.startswith("@")}
        words = [t for t in asked if not t.startswith("@")]
        people = {name for name in names if self._kinds.get(name[1:]) == "person"}
        if names - self._scene and names & self._scene and not (people and "attend" in words):
            # not whether a person goes there: "Will Bruce travel to Istanbul?" is no claim her words settle
            names -= self._scene  # the scene besides someone or something else named
            asked = [t for t in asked if t not in self._scene]
        if not words or not names and len(words) < MIN_UNNAMED_WORDS:
            return None
        hit = self._narrowest(asked, names, words, MIN_COVERAGE, POLARITY, CLAIM_EQUIVALENTS)
        if hit is not None and not names and len(self._sides_of(hit.fact)) == 1:
            return None  # "Is our team led by the defence minister?": a claim naming no side is not one side's
        return hit

    def _sides_of(self, key: str) -> set[str]:
        return {t for t in self._tokens[key] if t.startswith("@") and self._kinds.get(t[1:]) == "side"}

    def holding(self, question: str) -> FactHit | None:
        """The statement that holds every word of a wh-question, names and all, with nothing unknown:
        "Which terms has Moscow used to justify the invasion?" is asked in the very words of the
        statement that says which. The caller checks that the statement is of the asked type."""
        analysis = self.analyzer.analyse(question)
        if any(t.startswith("?") for t in analysis.tokens):
            return None
        asked = [t for t in analysis.tokens if t not in QUESTION_WORDS]
        names = {t for t in asked if t.startswith("@")}
        words = [t for t in asked if not t.startswith("@")]
        if len(words) < MIN_HELD_WORDS:
            return None
        return self._narrowest(asked, names, words, 1.0)

    def _narrowest(
        self,
        asked: list[str],
        names: set[str],
        words: list[str],
        floor: float,
        optional: frozenset[str] = frozenset(),
        equivalents: Mapping[str, frozenset[str]] | None = None,
    ) -> FactHit | None:
        total = sum(self._idf.get(t, self._unknown_idf) for t in asked)
        hits: list[tuple[float, int, str]] = []
        for key, tokens in self._tokens.items():
            if not names <= tokens or not any(w in tokens for w in words):
                continue
            own = optional | (BELIEF if f"@{self._speakers.get(key)}" in names else frozenset())
            covered = sum(
                self._idf.get(t, self._unknown_idf)
                for t in asked
                if t in tokens or t in own or (equivalents or {}).get(t, frozenset()) & tokens
            )
            hits.append((covered / total, len(tokens), key))
        if not hits:
            return None
        best_coverage = max(h[0] for h in hits)
        if best_coverage < floor - 1e-9:
            return None
        close = [h for h in hits if h[0] >= best_coverage - 0.02]
        narrowest = min(close, key=lambda h: h[1])  # "most specific": the fact saying least besides
        return FactHit(narrowest[2], round(best_coverage * 100, 1))

    def spoken(self, question: str) -> FactHit | None:
        """The statement a "who said ...?" question quotes, when one speaker's statement holds nearly all
        of its words and no other speaker's statement comes as close. The matcher asks this after
        `Structure._speaker_of`, which also reads the statements' intents' phrasings and so finds ties
        where the statements themselves differ (every "expectations" intent is asked about "high
        expectations"); here only the statements' own words count, rare ones more."""
        analysis = self.analyzer.analyse(question)
        tokens = analysis.tokens
        if not tokens or tokens[0] != "who" or not SAYING & set(tokens[1:3]):
            return None
        said = [t.lstrip("?") for t in tokens[1:] if t not in SAYING and t not in QUESTION_WORDS]
        if len([t for t in said if not t.startswith("@")]) < MIN_SAID_WORDS:
            return None
        total = sum(self._idf.get(t, self._unknown_idf) for t in said)
        hits = sorted(
            (
                (sum(self._idf.get(t, self._unknown_idf) for t in said if t in self._tokens[key]) / total, key)
                for key in self._speakers
                if {t for t in said if t.startswith("@")} <= self._tokens[key]
            ),
            reverse=True,
        )
        if not hits or hits[0][0] < MIN_COVERAGE:
            return None
        rivals = {self._speakers[key] for coverage, key in hits if coverage >= hits[0][0] - 0.02}
        if len(rivals) > 1:
            return None  # two people said much the same: naming one would be a guess
        return FactHit(hits[0][1], round(hits[0][0] * 100, 1))
