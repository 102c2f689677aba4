"""Everything the bot says in its own words, in English, Ukrainian and Russian, from gettext catalogues.

The English text is the message id. `tr(lang, "...")` translates one message for a reply language,
`trn(lang, singular, plural, n)` one that depends on a number (Ukrainian and Russian have three forms);
`said(...)`/`said_n(...)` (`knowledge.wording`) compose sentences said later in a reply's language;
`N_("...")` marks a message kept in a table (command descriptions) to be translated where it is shown.
Catalogues live in `knowledge/locale/<lang>/LC_MESSAGES/talksbot.po`, managed with Babel:

    pybabel extract -F babel.cfg -k tr:2 -k trn:2,3 -k N_ -k said -k said_n:1,2 --no-location --sort-output -o knowledge/locale/talksbot.pot .
    pybabel update -i knowledge/locale/talksbot.pot -d knowledge/locale -D talksbot -w 120 --no-fuzzy-matching
    pybabel compile -d knowledge/locale -D talksbot

The compiled `.mo` files are committed (tests check they match the `.po` files), so a fresh clone
and a plain `pip install .` have them.
"""

from __future__ import annotations

import gettext
from functools import cache
from pathlib import Path

DOMAIN = "talksbot"
LOCALE_DIR = Path(__file__).with_name("locale")
TRANSLATED = ("uk", "ru")
"""The languages with a catalogue; English is the message ids themselves."""


@cache
def translations(lang: str) -> gettext.NullTranslations:
    if lang not in TRANSLATED:
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[lang])


def tr(lang: str | None, message: str) -> str:
    """`message` in `lang` (English, the message itself, for any other language)."""
    return translations(lang or "en").gettext(message)


def trn(lang: str | None, singular: str, plural: str, count: int) -> str:
    """`singular` or `plural` for `count` in `lang`, by the catalogue's plural rule."""
    return translations(lang or "en").ngettext(singular, plural, count)


def N_(message: str) -> str:  # noqa: N802 - the conventional name, which pybabel extracts
    """Marks `message` for extraction; translated later with `tr`."""
    return message
