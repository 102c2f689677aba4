"""Reading text the way the matcher compares it: canonical tokens and entity mentions.

Questions and phrasings go through the same `Analyzer`, in order:
1. words are normalised (`knowledge.text`) and names are recognised through entity aliases,
   longest first, with typo tolerance for words of five letters or more;
2. lexicon synonyms map variants to one canonical word ("heads", "in charge of" -> "lead");
3. stop words are dropped; other unknown words are corrected to the nearest vocabulary word if one
   is a plausible typo away, else kept as out-of-vocabulary (OOV) words, which weigh heavily
   against every intent: a question about something the pack never mentions should be declined.
"""

from __future__ import annotations

import re

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA, Levenshtein

from knowledge.lexicon import with_base
from knowledge.records import Knowledge
from knowledge.text import raw_words, stem, tokenize

MAX_QUESTION_CHARS = 500
"""Longer input is cut before matching: no real question needs more, and work stays bounded."""
CORRECTIONS_KEPT = 10_000
"""Out-of-vocabulary words whose reading is remembered (the memory starts again when full)."""
OOV_WEIGHT = 3
SHORT_OOV_WEIGHT = 2
"""Unknown three-letter words are mostly acronyms ("SBU", "FSB"): they name something too."""
ENTITY_WEIGHT = {"person": 3, "side": 2, "place": 1}
"""A name the phrasing does not expect says more about a question than any other word."""
NUMBER_WEIGHT = 3
_LOCATIVES = frozenset({"in", "to", "with"})
"""Before a side, words that make it the setting or the other party ("talks in Russia", "talks with the
Russians"), not what is asked about, when the question names someone else."""
SLOT_TOKEN = "<{}>"
SLOT_WORD = "zzslot{}zz"
_ARTICLES = frozenset({"the", "a", "an"})
_SHORT_YEAR = re.compile(
    r"\b(since|after|before|until|till)\s+['\u2019]?(1[4-9]|2\d)\b(?!\s*(?:[%.,]\d|days?|weeks?|months?|years?|hours?|"
    r"minutes?|people|officials|members|percent|of\b))",
    re.IGNORECASE,
)
"""A year in two digits after a word of time ("since 22", "after '22"): this century's, not a count."""


_VOWELS = frozenset("aeiouy")


def _plausible_typo(word: str, candidate: str) -> bool:
    """Whether `candidate` is a likely intended spelling of `word`, not a different real word.

    Dropped, doubled and swapped letters and vowel mix-ups ("leeds", "serius") are typos; a
    changed letter in a short word usually makes another word ("live"/"line", "tall"/"tell",
    "rate"/"date"), and so does a changed consonant next to another edit ("religion"/"relation").
    """
    edits = Levenshtein.editops(word, candidate)
    swaps = [(word[op.src_pos], candidate[op.dest_pos]) for op in edits if op.tag == "replace"]
    if len(word) <= 5 and word[0] != candidate[0]:
        return False  # short words are rarely mistyped at the start ("live" is not "ive")
    if any(op.tag == "replace" and op.src_pos == 0 for op in edits):
        return False  # nor is a first letter typed as another: "deadline" is not "headline"
    if len(word) <= 4:
        return not swaps
    hard = sum(1 for a, b in swaps if not (a in _VOWELS and b in _VOWELS))
    return hard == 0 or (hard == 1 and len(word) >= 6 and len(edits) == 1)


def _oov_weight(word: str) -> int:
    if len(word) >= 4:
        return OOV_WEIGHT
    return SHORT_OOV_WEIGHT if len(word) == 3 else 1


def _typo_budget(word: str) -> int:
    """How many edits a word of this length may contain and still be recognised."""
    if len(word) < 5:
        return 0
    return 1 if len(word) < 8 else 2


@dataclass(frozen=True)
class Mention:
    entity: str
    kind: str
    text: str
    locative: bool = False
    """Named right after "in" or "to" ("... in Turkey"): may only set the scene."""


@dataclass(frozen=True)
class Analysis:
    """A question as the matcher sees it."""

    tokens: tuple[str, ...]
    """Canonical content words; names as '@entity'; OOV words as '?word'."""
    mentions: tuple[Mention, ...]

    def scoring_tokens(self, slot_kind: str | None, weights: Mapping[str, int] | None = None) -> list[str]:
        """Sorted tokens, names of `slot_kind` replaced by the slot token; OOV words, names, numbers and
        words in `weights` repeated by their weight."""
        kinds = {f"@{m.entity}": m.kind for m in self.mentions}
        slot_filler = self.first_of_kind(slot_kind) if slot_kind else None
        out: list[str] = []
        for token in self.tokens:
            kind = kinds.get(token)
            if token.startswith("?"):
                out.extend([token] * _oov_weight(token[1:]))
            elif slot_filler is not None and token == f"@{slot_filler.entity}":
                out.append(SLOT_TOKEN.format(slot_kind))
            elif kind is not None:
                out.extend([token] * ENTITY_WEIGHT.get(kind, 1))
            elif token.isdigit():
                out.extend([token] * NUMBER_WEIGHT)
            else:
                out.extend([token] * (weights.get(token, 1) if weights else 1))
        return sorted(out)

    def without(self, entities: set[str]) -> Analysis:
        return Analysis(
            tuple(t for t in self.tokens if t[1:] not in entities or t[0] != "@"),
            tuple(m for m in self.mentions if m.entity not in entities),
        )

    def first_of_kind(self, kind: str) -> Mention | None:
        return next((m for m in self.mentions if m.kind == kind), None)


class Analyzer:
    """Turns text (questions and phrasings alike) into canonical tokens and entity mentions.

    Lexicon lookups try the words as written first, then their stems, so "talks" (a stop word) and
    "talked" (a synonym of "contact") stay apart while "discussed" and "discussing" agree.
    """

    def __init__(self, knowledge: Knowledge) -> None:
        self._kinds = {key: entity.kind for key, entity in knowledge.entities.items()}
        self._sides = {key: entity.side for key, entity in knowledge.entities.items() if entity.side}
        self._aliases: dict[tuple[str, ...], str] = {}
        self._case_sensitive: dict[tuple[str, ...], tuple[str, ...]] = {}
        self._name_parts: dict[str, set[str]] = {}
        for key, entity in knowledge.entities.items():
            for alias in (entity.name, *entity.aliases):
                words = tuple(tokenize(alias))
                if not words:
                    continue
                self._aliases.setdefault(words, key)
                self._name_parts.setdefault(key, set()).update(w for w in words if len(w) >= 3)
                raw = tuple(raw_words(alias))
                if all(w.isupper() for w in raw) and sum(map(len, raw)) <= 3:
                    self._case_sensitive[words] = raw  # "US" is a country, "us" is a pronoun
        self._alias_len = max((len(words) for words in self._aliases), default=1)
        self._fuzzy_aliases = [
            " ".join(words)
            for words in self._aliases
            if len(" ".join(words)) >= 5 and words not in self._case_sensitive
        ]
        stopwords, synonyms = with_base(knowledge.stopwords, knowledge.synonyms)
        stopwords |= report_days(knowledge)
        self.stopwords: set[str] = set()
        for word in stopwords:
            self.stopwords.update(tokenize(word))
        self._stopword_stems = {stem(w) for w in self.stopwords}
        self._phrases: dict[tuple[str, ...], str] = {}
        self._stem_phrases: dict[tuple[str, ...], str] = {}
        """The same variants by stem, consulted only for words not found as written."""
        for variant, canonical in synonyms.items():
            words = tuple(tokenize(variant))
            target = " ".join(tokenize(canonical))
            if words and target:
                self._phrases[words] = target
                stems = tuple(stem(w) for w in words)
                if not any(w in self.stopwords for w in stems):  # "willing" must not make "will" a variant
                    self._stem_phrases.setdefault(stems, target)
        for target in list(self._phrases.values()):
            alone = (target,)
            if " " in target or alone in self._phrases or (stem(target),) in self._stem_phrases:
                continue
            if stem(target) != target:
                self._phrases[alone] = target  # a canonical word written out stays itself: "besides", not "beside"
        self._phrase_len = max((len(words) for words in self._phrases), default=1)
        self._corrections: dict[str, tuple[str | None, tuple[str, ...]]] = {}
        """Words outside the vocabulary and what they were read as (an entity, or tokens): the
        fuzzy search over every known word is most of what a declined question costs."""
        self._vocabulary: set[str] = set()
        self.learn(self.stopwords)
        self.learn(
            words[0] for words in self._phrases if len(words) == 1
        )  # words of longer variants stay unknown alone
        self.learn(w for target in self._phrases.values() for w in target.split())

    def learn(self, words: Iterable[str]) -> None:
        """Add words to the vocabulary that typos are corrected to."""
        for word in words:
            if (word,) not in self._aliases:
                self._vocabulary.update((word, stem(word)))
        self._vocabulary_list = sorted(self._vocabulary)
        self._corrections = {}

    def __getstate__(self) -> dict[str, object]:
        """Persisted without the corrections remembered so far (questions' words, not the pack's)."""
        return {name: value for name, value in self.__dict__.items() if name != "_corrections"}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._corrections = {}

    def analyse(self, text: str) -> Analysis:
        raw = raw_words(_SHORT_YEAR.sub(r"\1 20\2", text[:MAX_QUESTION_CHARS]))
        words = [w.casefold() for w in raw]
        stems = [stem(w) for w in words]
        tokens: list[str] = []
        mentions: list[Mention] = []
        i = 0
        while i < len(words):
            entity, length = self._entity_at(words, raw, i)
            if entity is not None:
                mentions.append(
                    Mention(
                        entity,
                        self._kinds[entity],
                        " ".join(raw[i : i + length]),
                        locative=_after_locative(words, i),
                    )
                )
                tokens.append(f"@{entity}")
                i += length
                continue
            canonical, length = self._phrase_at(words, stems, i)
            if canonical is not None:
                tokens.extend(t for t in canonical.split() if t not in self.stopwords)
                i += length
                continue
            word, word_stem = words[i], stems[i]
            i += 1
            if word.startswith(SLOT_WORD[:6]) and word.endswith("zz"):
                tokens.append(SLOT_TOKEN.format(word[6:-2]))
            elif word in self.stopwords or word_stem in self._stopword_stems:
                continue
            elif word in self._vocabulary or word_stem in self._vocabulary:
                tokens.append(word_stem)
            else:
                tokens.extend(self._correct(word, raw[i - 1], mentions))
        return Analysis(tuple(self._absorb_name_parts(tokens)), tuple(mentions))

    def context_names(self, analysis: Analysis) -> set[str]:
        """Names that only set the scene: places, the side of a person also named, and a side named
        after "in"/"to" when the question is about someone else ("Russia's team in Turkey")."""
        people_sides = {self._sides.get(m.entity) for m in analysis.mentions if m.kind == "person"}
        subjects = {m.entity for m in analysis.mentions if m.kind != "place" and not m.locative}
        return {
            m.entity
            for m in analysis.mentions
            if m.kind == "place"
            or m.entity in people_sides
            or (m.kind == "side" and m.locative and subjects - {m.entity})
        }

    def _entity_at(self, words: list[str], raw: list[str], i: int) -> tuple[str | None, int]:
        for length in range(min(self._alias_len, len(words) - i), 0, -1):
            key = tuple(words[i : i + length])
            entity = self._aliases.get(key)
            if entity is None and length == 1 and stem(words[i]) != words[i]:
                entity = self._aliases.get((stem(words[i]),))  # "ukraines" written without apostrophe
            if entity is None:
                continue
            needed = self._case_sensitive.get(key)
            after_article = i > 0 and words[i - 1] in _ARTICLES
            if needed is not None and tuple(raw[i : i + length]) != needed and not after_article:
                continue  # "US" or "the us" is a country; "us" alone is a pronoun
            return entity, length
        return None, 0

    def _phrase_at(self, words: list[str], stems: list[str], i: int) -> tuple[str | None, int]:
        for length in range(min(self._phrase_len, len(words) - i), 0, -1):
            canonical = self._phrases.get(tuple(words[i : i + length]))
            if canonical is None and not any(s in self._stopword_stems for s in stems[i : i + length]):
                canonical = self._stem_phrases.get(tuple(stems[i : i + length]))  # not "talk" -> "talked"
            if canonical is not None:
                return canonical, length
        return None, 0

    def _correct(self, word: str, raw: str, mentions: list[Mention]) -> list[str]:
        """A word outside the vocabulary: a misspelt name, a misspelt known word, or OOV (remembered:
        the same words come back in question after question)."""
        known = self._corrections.get(word)
        if known is None:
            if len(self._corrections) >= CORRECTIONS_KEPT:
                self._corrections = {}
            known = self._corrections[word] = self._correction(word)
        entity, tokens = known
        if entity is not None:
            mentions.append(Mention(entity, self._kinds[entity], raw))
        return list(tokens)

    def _correction(self, word: str) -> tuple[str | None, tuple[str, ...]]:
        budget = _typo_budget(word)
        if budget:
            found = process.extractOne(word, self._fuzzy_aliases, scorer=OSA.distance, score_cutoff=budget)
            if found is not None:
                entity = self._aliases[tuple(found[0].split())]
                return entity, (f"@{entity}",)
        if len(word) >= 4:
            candidates = process.extract(
                word, self._vocabulary_list, scorer=OSA.distance, score_cutoff=max(1, budget), limit=None
            )
            candidates = [c for c in candidates if _plausible_typo(word, c[0])]
            if candidates:
                # Fewest edits; then the same first letter; then a content word over a stop word.
                corrected = min(
                    candidates,
                    key=lambda c: (c[1], c[0][:1] != word[:1], c[0] in self.stopwords, abs(len(c[0]) - len(word))),
                )[0]
                canonical = self._phrases.get((corrected,), corrected)
                return None, tuple(t for t in canonical.split() if t not in self.stopwords)
        return None, (f"?{word}",)

    def _absorb_name_parts(self, tokens: list[str]) -> list[str]:
        """Drop unknown words next to a name that are a spelling of part of it ("Sergii Kyslytsya")."""
        out: list[str] = []
        for index, token in enumerate(tokens):
            if token.startswith("?"):
                neighbours = [t[1:] for t in tokens[max(0, index - 1) : index + 2] if t.startswith("@")]
                if any(self._is_name_part(token[1:], entity) for entity in neighbours):
                    continue
            out.append(token)
        return out

    def _is_name_part(self, word: str, entity: str) -> bool:
        parts = self._name_parts.get(entity, set())
        return process.extractOne(word, parts, scorer=OSA.distance, score_cutoff=1 if len(word) >= 4 else 0) is not None


def _after_locative(words: list[str], at: int) -> bool:
    """Whether the word at `at` follows a locative preposition; "with" also through an article ("with the
    Russians"), unlike "to" ("according to the US president" names the president's side)."""
    if at > 1 and words[at - 1] in _ARTICLES and words[at - 2] == "with":
        return True
    return at > 0 and words[at - 1] in _LOCATIVES


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def report_days(knowledge: Knowledge) -> frozenset[str]:
    """The weekdays the sources were written on: "What did Medinsky say on Thursday?" asks what the report of
    that day says, so the day adds nothing; any other day stays a word the sources do not know."""
    return frozenset(WEEKDAYS[source.as_of.weekday()] for source in knowledge.sources)
