"""Answering Ukrainian and Russian questions (also typed in Latin letters) from an English pack.

First the question is read word by word into English through a general glossary and the pack's
names (`knowledge.gloss`), and the English engine decides: its answer types, structured facts, slot
rules and out-of-scope predicates all apply. When the gloss understood every word, the English
engine's decline stands too. Only a question with words the glossary does not know goes on to the
encoder below.

Meaning then comes from a multilingual sentence encoder: the question is compared with every target
(`knowledge.targets`). Names come from the pack's aliases, found whatever their case ending
(`knowledge.inflection`). A question is answered only when
- it asks nothing the pack marks as out of scope (age, family, pay: such questions look like
  in-scope ones to the encoder, so they are declined by word, not by a threshold);
- the best target's intent, if it has a slot, has a fact for the side or person asked about
  (as in English, a side with no fact is declined, never answered with another side's fact);
- the names it gives agree with the fact's names;
- and the similarity passes the language's threshold, calibrated on tests/data/dev_{uk,ru}.yaml.
Without the encoder, translated statements are matched by their words (`knowledge.keyword_fallback`).

The encoder and the target vectors load on the first question that needs them (the command line),
or in a background thread (`start_warming`, the bot): until that thread is done, a question gets the
keyword fallback at once instead of waiting for half a minute of encoding.
"""

from __future__ import annotations

import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from knowledge.analysis import Analysis, Mention
from knowledge.encoder import Encoder, load_encoder
from knowledge.gloss import Glossary, QuestionReader
from knowledge.inflection import InflectedPhrases
from knowledge.keyword_fallback import KeywordFallback
from knowledge.matcher import Match
from knowledge.question import acronyms, answer_type, asks_what_was_said, fits_answer_type
from knowledge.records import Knowledge
from knowledge.targets import Target, build_targets
from knowledge.text import raw_words, tokenize
from knowledge.vector_cache import BuildStopped, cached_vectors

if TYPE_CHECKING:
    import numpy as np

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Threshold:
    """What a question's best target must pass: its cosine similarity, and its lead over the
    question's 90th-percentile similarity (off-topic questions are about as close to every target).
    Statements weigh less than phrasings: a phrasing says what is asked, a statement only what is
    known, and shared words ("переговори у Стамбулі") pull a question to the wrong statement."""

    score: float
    lead: float
    statement_penalty: float


THRESHOLDS = {"uk": Threshold(0.85, 0.10, 0.02), "ru": Threshold(0.865, 0.08, 0.03)}
"""Per language, calibrated on tests/data/dev/dev_uk.yaml and dev_ru.yaml (no wrong answer on uk, one on ru)."""
DEFAULT_THRESHOLD = Threshold(0.865, 0.10, 0.03)
LEAD_PERCENTILE = 50
"""The lead is measured over this percentile of the question's similarities to all targets."""
QUERY_CACHE = 2048
"""Questions whose vectors are kept (1.5 KiB each)."""
_INNER_SPACE = re.compile(r"(?<=\S)\s+(?=\S)")
VECTOR_THREAD = "talksbot-vectors"
"""The name of the thread that loads the encoder and the target vectors in the background."""
CANDIDATES = 40
"""How far down the similarity ranking an answer whose names agree is looked for."""


LOCATIVES = frozenset("в у во до на v u vo do na".split())
"""A name right after one of these ("прогрес у Туреччині") only sets the scene."""


@dataclass(frozen=True)
class Named:
    """The entities a question names: those it asks about, and those that only set the scene."""

    asked: tuple[str, ...] = ()
    scene: frozenset[str] = frozenset()

    @property
    def all(self) -> tuple[str, ...]:
        return self.asked + tuple(sorted(self.scene))


class NamedEntities:
    """Which entities a question names, and whether they agree with a fact's."""

    def __init__(self, knowledge: Knowledge) -> None:
        self.knowledge = knowledge
        self._finder = InflectedPhrases(
            {key: (e.name, *e.names.values(), *e.aliases) for key, e in knowledge.entities.items()}
        )

    def find(self, question: str) -> Named:
        """A name after a locative sets the scene, unless the question names nothing else."""
        words = tokenize(question)
        found = self._finder.find(question)
        located = [f.start > 0 and words[f.start - 1] in LOCATIVES for f in found]
        asked = tuple(dict.fromkeys(f.key for f, at in zip(found, located) if not at or all(located)))
        return Named(asked, frozenset(f.key for f in found) - set(asked))

    def first_of_kind(self, named: Named, kind: str) -> str | None:
        return next((key for key in named.asked if self.knowledge.entities[key].kind == kind), None)

    def agree(self, named: Named, fact: str) -> bool:
        """Every name asked about is the fact's, a place, or the side of a named person."""
        entities = self.knowledge.entities
        own = set(self.knowledge.facts[fact].entities)
        sides = {entities[key].side for key in named.asked if entities[key].side}
        return all(key in own or entities[key].kind == "place" or key in sides for key in named.asked)

    def mentions(self, named: Named) -> Analysis:
        """The names as an `Analysis`, so the English matcher's suggestions can use them."""
        return Analysis((), tuple(Mention(key, self.knowledge.entities[key].kind, key) for key in named.all))


def prepare_vectors(knowledge: Knowledge, cache_dir: Path, load: Callable[[], Encoder | None] = load_encoder) -> bool:
    """Encode the knowledge's targets into the cache now (`talksbot load`), so that no question waits
    for it later. False when the encoder is absent (nothing to prepare)."""
    return CrossLingualMatcher(knowledge, lambda analysis: (), cache_dir=cache_dir, load=load).warm()


class CrossLingualMatcher:
    """Built from a knowledge snapshot; the encoder and the target vectors load on first use."""

    def __init__(
        self,
        knowledge: Knowledge,
        suggest: Callable[[Analysis], tuple[str, ...]],
        cache_dir: Path | None = None,
        load: Callable[[], Encoder | None] = load_encoder,
        thresholds: dict[str, Threshold] | None = None,
        english: Callable[[str], Match] | None = None,
    ) -> None:
        """`english` answers an English question (the keyword matcher's `match`): glossed questions go to it."""
        self.knowledge = knowledge
        self._english = english
        self._readers: dict[str, QuestionReader | None] = {}
        self.names = NamedEntities(knowledge)
        self.thresholds = thresholds or THRESHOLDS
        self._suggest = suggest
        self._out_of_scope = InflectedPhrases({word: [word] for word in knowledge.out_of_scope})
        self._cache_dir = cache_dir
        self._is_statement: np.ndarray | None = None
        self._load = load
        self._loaded = False
        self._loading = threading.Lock()
        self._ready = threading.Event()
        """Set once the encoder and the vectors are loaded (or known to be absent)."""
        self._background = False
        """A background thread loads them: questions must not wait for it."""
        self._stop = threading.Event()
        self._query_vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._query_lock = threading.Lock()
        self._penalties: dict[float, np.ndarray] = {}
        """Statement penalty -> the vector subtracted from the similarities."""
        self._encoder: Encoder | None = None
        self._targets: list[Target] = []
        self._vectors: np.ndarray | None = None
        self.fallback = KeywordFallback(knowledge, self.names)
        self._profiles = frozenset(
            str(entity.attributes["profile"])
            for entity in knowledge.entities.values()
            if "profile" in entity.attributes
        )

    @property
    def encoder(self) -> Encoder | None:
        """The encoder, loaded (with the target vectors) on first use; None where it is absent."""
        with self._loading:
            self._load_once()
        return self._encoder

    def warm(self) -> bool:
        """Load the encoder and the target vectors now rather than on the first question."""
        return self.encoder is not None

    def start_warming(self) -> threading.Thread:
        """Load the encoder and build or read the target vectors in a background thread. Until it is
        done, questions get the keyword fallback rather than wait; `ready` tells when it is done."""
        self._background = True
        thread = threading.Thread(target=self._warm_in_background, name=VECTOR_THREAD, daemon=True)
        thread.start()
        return thread

    def stop_warming(self) -> None:
        """Ask a background build to stop between two chunks (the bot stops, or newer knowledge came)."""
        self._stop.set()

    @property
    def ready(self) -> threading.Event:
        """Set once the encoder and the vectors are loaded, or known to be absent."""
        return self._ready

    def _warm_in_background(self) -> None:
        try:
            if self._english is not None:
                for language in ("uk", "ru"):  # the gloss readers too: the first question must not build them
                    self.reader(language)
            self.warm()
        except BuildStopped:
            log.info("target vectors: build stopped")
        except Exception:  # a failed build costs the encoder, never the bot: the fallback answers
            log.exception("target vectors could not be built; Cyrillic questions use the keyword fallback")
        else:
            log.info("sentence encoder %s", "ready" if self._vectors is not None else "absent")

    def _encoder_now(self) -> Encoder | None:
        """The encoder if a question may use it now: never wait for a background build."""
        if self._background and not self._ready.is_set():
            return None
        return self.encoder

    def _load_once(self) -> None:
        if not self._loaded:
            import numpy as np

            self._loaded = True
            try:
                self._encoder = self._load()
                if self._encoder is not None:
                    targets = build_targets(self.knowledge)
                    self._vectors = cached_vectors(
                        self._encoder,
                        [t.text for t in targets],
                        self.knowledge.fingerprint,
                        self._cache_dir,
                        self._stop,
                    )
                    self._targets = targets
                    self._is_statement = np.array([t.intent is None for t in targets], dtype=np.float32)
            finally:
                self._ready.set()

    def reader(self, language: str) -> QuestionReader | None:
        """The gloss reader for a language (its glossary first, the other's next), built on first use."""
        if language not in self._readers:
            glossaries = [g for g in (Glossary.for_language(language), *self._other_glossaries(language)) if g]
            self._readers[language] = (
                QuestionReader(
                    glossaries,
                    {key: (e.name, *e.names.values(), *e.aliases) for key, e in self.knowledge.entities.items()},
                    {key: e.name for key, e in self.knowledge.entities.items()},
                    frozenset(key for key, e in self.knowledge.entities.items() if e.kind in ("place", "side")),
                )
                if glossaries
                else None
            )
        return self._readers[language]

    @staticmethod
    def _other_glossaries(language: str) -> list[Glossary | None]:
        return [Glossary.for_language(other) for other in ("uk", "ru") if other != language]

    def match(self, question: str, language: str) -> Match:
        named = self.names.find(question)
        if not any(ch.isalpha() for ch in question):
            return self._decline(question, Named(), 0.0, reason="empty")
        if self.out_of_scope(question, language):
            return self._decline(question, named, 0.0, reason="out_of_scope")
        reader = self.reader(language) if self._english is not None else None
        if reader is not None and self._english is not None:
            reading = reader.read(question)
            if acronyms(question) & set(reading.unknown) and not self.names.first_of_kind(named, "person"):
                # "ЕС участвует в переговорах?": an abbreviation nobody knows names what is asked about
                return self._decline(question, named, 0.0)
            decided = self._english(reading.text) if reading.text else None
            if decided is not None and (
                decided.answered or not reading.unknown or _names_a_stranger(question, reading.unknown)
            ):
                # "Что сказал Песков о делегации?": a name the pack does not know is whom the question is
                # about; the English reading declined it, and the encoder would answer about the delegation
                return replace(decided, question=question)
        encoder = self._encoder_now()
        if encoder is None or self._vectors is None or self._is_statement is None:
            found = self.fallback.best(question, language, named)
            if found is None:
                return self._decline(question, named, 0.0)
            fact, score = found
            return Match(question, fact, None, round(score * 100, 1), reason="fact_text")
        import numpy as np

        threshold = self.thresholds.get(language, DEFAULT_THRESHOLD)
        scores = self.similarities(self.query_vector(encoder, question), threshold)
        order = scores.argsort()[::-1][:CANDIDATES]
        lead = float(scores[order[0]] - np.percentile(scores, LEAD_PERCENTILE))
        best = self._targets[int(order[0])]
        confidence = round(float(scores[order[0]]) * 100, 1)
        problem = self._slot_problem(best, named)
        if problem is not None:
            reason, value = problem
            return self._decline(question, named, confidence, intent=best.intent, slot_value=value, reason=reason)
        if lead < threshold.lead:
            return self._decline(question, named, confidence)
        for index in order:
            score = float(scores[index])
            if score < threshold.score:
                break
            target = self._targets[int(index)]
            if self._fits(target, named) and self._answers_what_is_asked(question, target.fact, named):
                return Match(
                    question,
                    target.fact,
                    target.intent,
                    round(score * 100, 1),
                    slot_value=target.value,
                    reason="answered" if target.intent else "fact_text",
                )
        return self._decline(question, named, confidence)

    @property
    def targets(self) -> list[Target]:
        """What questions are compared with (empty until the encoder is loaded)."""
        return self._targets

    def out_of_scope(self, question: str, language: str | None = None) -> bool:
        """Whether the question asks what the pack marks as out of scope (age, family, pay). A word inside
        a phrase the glossary knows as filler is not asked about ("не в курсе" is not about a "курс")."""
        found = self._out_of_scope.find(question)
        reader = self.reader(language) if found and language else None
        if reader is None:
            return bool(found)
        filler = reader.filler_words(tokenize(question))
        return any(f.start not in filler for f in found)

    def forget_query_vectors(self) -> None:
        """Empty the cache of questions' vectors (benchmarks time questions never seen before)."""
        with self._query_lock:
            self._query_vectors.clear()

    def query_vector(self, encoder: Encoder, question: str) -> np.ndarray:
        """The question's unit vector, encoded once per text: a question asked again (a popular one,
        an edited message, a follow-up) costs no encoding. Runs of whitespace inside the text do not
        change its vector, so they do not make another entry."""
        key = _INNER_SPACE.sub(" ", question)
        with self._query_lock:
            cached = self._query_vectors.get(key)
            if cached is not None:
                self._query_vectors.move_to_end(key)
                return cached
        vector: np.ndarray = encoder.encode([question])[0]
        with self._query_lock:
            self._query_vectors[key] = vector
            while len(self._query_vectors) > QUERY_CACHE:
                self._query_vectors.popitem(last=False)
        return vector

    def similarities(self, vector: np.ndarray, threshold: Threshold) -> np.ndarray:
        """The question's similarity to every target, statements lowered by the language's penalty.

        `einsum` rather than `@`: a matrix-vector product goes to the BLAS library, whose threads, on
        a busy two-core machine, made it 0.02 ms at best and 16 ms at p95; einsum runs in this thread."""
        import numpy as np

        assert self._vectors is not None and self._is_statement is not None
        penalty = self._penalties.get(threshold.statement_penalty)
        if penalty is None:
            penalty = self._penalties[threshold.statement_penalty] = self._is_statement * threshold.statement_penalty
        scores: np.ndarray = np.einsum("ij,j->i", self._vectors, vector) - penalty
        return scores

    def _slot_problem(self, target: Target, named: Named) -> tuple[str, str | None] | None:
        """Why the best target's intent cannot answer, as in English: it has no fact for the side or
        person asked about ('unsupported_slot'), or the question names none of several ('missing_slot')."""
        intent = self.knowledge.intents[target.intent] if target.intent else None
        if intent is None or intent.slot is None:
            return None
        value = self.names.first_of_kind(named, intent.slot)
        if value is None:
            return ("missing_slot", None) if len(intent.answers) > 1 else None
        return ("unsupported_slot", value) if value not in intent.answers else None

    def _fits(self, target: Target, named: Named) -> bool:
        if not self.names.agree(named, target.fact):
            return False
        if target.value is None:
            return True
        kind = self.knowledge.entities[target.value].kind
        asked = self.names.first_of_kind(named, kind)
        if asked is not None:
            return asked == target.value
        intent = self.knowledge.intents[target.intent] if target.intent else None
        return intent is not None and len(intent.answers) == 1  # no name needed when only one can be meant

    def _answers_what_is_asked(self, question: str, fact_key: str, named: Named) -> bool:
        """The fact is of the type asked for (a count for "скільки", a place for "де", a reason for
        "чому"), and for "what did X say" a statement X made. Meaning alone cannot tell a profile from
        a person's words."""
        fact = self.knowledge.facts[fact_key]
        entities = self.knowledge.entities
        kinds = {key: entity.kind for key, entity in entities.items()}
        asked = answer_type(question)
        if not fits_answer_type(asked, fact.statement, fact.entities, kinds):
            return False
        if asked == "yes-no" and fact_key in self._profiles:
            # "Чи був Галузін послом у Японії?": a claim the glossary could not read in full, about a person,
            # is close in meaning to their profile whether or not the profile bears it out
            return False
        people = {key for key in named.asked if entities[key].kind == "person"}
        speaker = fact.relations.get("speaker")
        if asks_what_was_said(question) and people and (speaker is None or speaker not in people):
            return False
        if speaker is not None and people and speaker not in people:
            return False  # "Ердоган буде модерувати?": what Zelenskyy said after meeting Erdogan is not about that
        return True

    def _decline(
        self,
        question: str,
        named: Named,
        confidence: float,
        *,
        intent: str | None = None,
        slot_value: str | None = None,
        reason: str = "no_match",
    ) -> Match:
        return Match(
            question,
            None,
            intent,
            confidence,
            slot_value=slot_value,
            reason=reason,
            suggestions=self._suggest(self.names.mentions(named)),
        )


def _names_a_stranger(question: str, unknown: tuple[str, ...]) -> bool:
    """Whether a word the reader could not read is a name: capitalised inside the sentence, not an abbreviation."""
    words = raw_words(question)
    return any(word[:1].isupper() and not word.isupper() and word.casefold() in unknown for word in words[1:])
