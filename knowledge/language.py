"""Telling which language a question is in, so it reaches the right matcher and is answered in kind.

Cyrillic text is Ukrainian when it has letters only Ukrainian uses (і ї є ґ) or more Ukrainian than
Russian function words, otherwise Russian. Latin text is English unless it reads as Ukrainian or
Russian typed in Latin letters ("khto ocholiuie delehatsiiu"), told by a small list of
transliterated function words, or, with no English function word, by the words the Ukrainian and
Russian glossaries read; the glossaries also settle Cyrillic text with no telling letter or function
word. Text with no signal either way (a bare name) has no language.
"""

from __future__ import annotations

import re

LANGUAGES = ("en", "uk", "ru")
CROSSLINGUAL = frozenset({"uk", "ru"})
"""Languages answered through the multilingual encoder rather than the English keyword matcher."""

_WORD = re.compile(r"[^\W\d_]+(?:['\u2019\u02bc][^\W\d_]+)?")
_UK_LETTERS = frozenset("іїєґ")
_RU_LETTERS = frozenset("ыэъё")
_UK_WORDS = frozenset(
    "хто що чи як який яка яке які де коли чому скільки від та це цей ця ці цих цього "
    "буде будуть між після її їх вже ще також або чим розкажи скажіть будь ласка".split()
)
_RU_WORDS = frozenset(
    "кто что ли как какой какая какое какие где когда почему сколько от и это этот эта эти "
    "этих будет будут между после ее их уже еще также или чем расскажи скажите пожалуйста".split()
)
_UK_LATIN = frozenset(
    "khto shcho chy yak yakyi yaka yake yaki koly chomu skilky vid dlia tse bude budut "
    "mizh pislia yoho yikh vzhe shche takozh abo chym rozkazhy de kudy zvidky chyi chyia kotryi kotra yakomu "
    "yakii yakoiu shchodo nemaie cherez koho komu hto sho scho jak jakyj takyi taki taka choho".split()
)
_RU_LATIN = frozenset(
    "kto chto li kak kakoy kakoi kakaya kakie gde kogda pochemu skolko ot dlya eto budet "
    "budut mezhdu posle ego ikh uzhe eshche takzhe ili chem rasskazhi kuda otkuda chei chya kotoryi kotoryy "
    "kakom kakuyu ob naschet cherez kogo komu chtoby kakoj takoi takoy takaya zachem".split()
)
_EN_WORDS = frozenset(
    "who what which where when why how is are was were does do did will the a an of to "
    "in on for and or has have with about from who's whos what's whats where's wheres didnt isnt can".split()
)

_LATIN_PREPOSITIONS = frozenset("v vo z iz vid ot na dlia dlya pislia posle".split())
"""Prepositions of Ukrainian or Russian typed in Latin letters that English never writes alone."""

GLOSSED_WORDS = 2
"""Latin words a Ukrainian or Russian glossary reads that make a question with no English function
word that language."""


def detect_language(text: str) -> str | None:
    """'uk', 'ru', 'en', or None when the text gives no clear signal."""
    words = [w.casefold() for w in _WORD.findall(text)]
    cyrillic = [w for w in words if any("\u0400" <= ch <= "\u04ff" for ch in w)]
    latin = sum(1 for w in words if w.isascii())
    english = sum(w in _EN_WORDS for w in words)
    if cyrillic and (len(cyrillic) >= latin or not english):  # "Хто такий Michael Anton?" is Ukrainian
        letters = set("".join(words))
        uk = len(letters & _UK_LETTERS) * 2 + sum(w in _UK_WORDS for w in words)
        ru = len(letters & _RU_LETTERS) * 2 + sum(w in _RU_WORDS for w in words)
        if uk == ru:  # "З ким вестиме переговори Майкл Антон?": the words each glossary has as written
            uk, ru = _glossed(cyrillic, "uk", exact=True), _glossed(cyrillic, "ru", exact=True)
        return "uk" if uk > ru else "ru"
    if not latin:
        return None
    uk = sum(w in _UK_LATIN for w in words)
    ru = sum(w in _RU_LATIN for w in words)
    if max(uk, ru) > english:
        return "uk" if uk > ru else "ru"
    if max(uk, ru) == english or not english:
        # as many function words each way ("chy ... do turechchyny": "do" is "to" in both), or none: the
        # Latin words the glossaries read tell ("a putin bude v stambuli"), with a Slavic preposition
        prepositions = sum(w in _LATIN_PREPOSITIONS for w in words)
        uk, ru = _glossed(words, "uk") + prepositions, _glossed(words, "ru") + prepositions
        if max(uk, ru) >= GLOSSED_WORDS + english:
            return "uk" if uk >= ru else "ru"
    return "en" if english else None


def _glossed(words: list[str], language: str, exact: bool = False) -> int:
    """How many of the words the language's glossary reads: as written (`exact`), or Latin words by stem."""
    from knowledge.gloss import Glossary  # the glossaries load on the first question that needs them

    glossary = Glossary.for_language(language)
    if glossary is None:
        return 0
    if exact:
        return sum(1 for w in words if glossary.has_word(w))
    return sum(1 for w in words if w.isascii() and len(w) > 2 and glossary.gloss_word(w, typos=False))


def reply_language(question: str, forced: str | None = None, hint: str | None = None) -> str:
    """The reply's language: forced, else the question's, else the asker's (e.g. Telegram
    `language_code`), else English."""
    for candidate in (forced, detect_language(question), (hint or "")[:2].lower()):
        if candidate in LANGUAGES:
            return candidate
    return "en"
