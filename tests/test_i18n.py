"""Localisation: the gettext catalogues, localised replies and menus, and /lang kept across restarts.

The bot tests run the real Application against the Bot API stand-in over HTTP, on a SQLite file that
outlives a restart of the bot."""

from __future__ import annotations

import ast
import asyncio
import gettext
import itertools
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

from bot.app import serve
from bot.settings import Settings
from knowledge.answer import Answerer
from knowledge.i18n import DOMAIN, LOCALE_DIR, TRANSLATED, tr
from tests.support.botapi import BotAPIStandIn
from tests.support.waiting import encoder_settled

ROOT = Path(__file__).resolve().parents[1]
ADMIN_ID = 4343
_chat_ids = itertools.count(9100)
_message_ids = itertools.count(1)
_update_ids = itertools.count(1)
"""Telegram's update ids keep growing across restarts; the inbox skips ids it has handled."""


MARKERS = {"tr": (1,), "trn": (1, 2), "N_": (0,), "said": (0,), "said_n": (0, 1)}
"""The calls whose literal arguments are message ids: `tr(lang, "...")`, `trn(lang, one, many, n)`,
`N_("...")`, and the composed sentences `said("...")`, `said_n(one, many, n)` (`knowledge.wording`)."""


def messages_in_code() -> set[str]:
    """Every literal message id the code translates (a plural message by its singular)."""
    found: set[str] = set()
    for package in ("bot", "handlers", "knowledge"):
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
                    continue
                indexes = MARKERS.get(node.func.id)
                if indexes is None or len(node.args) <= indexes[0]:
                    continue
                arg = node.args[indexes[0]]
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    found.add(arg.value)
    return found


def placeholders(text: str) -> set[str]:
    """The slots of a message; a translation may ask a name for a case ("{side:gen}")."""
    return set(re.findall(r"\{(\w*)(?::\w+)?\}", text))


def has_words(message: str) -> bool:
    return bool(re.search("[A-Za-z]", re.sub(r"\{[^}]*\}", "", message)))


def compiled(lang: str) -> dict[str, tuple[str, ...]]:
    """Message id -> its translations (one, or one per plural form)."""
    with open(LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo", "rb") as mo:
        catalog: dict[Any, str] = gettext.GNUTranslations(mo)._catalog  # type: ignore[attr-defined]
    out: dict[str, list[str]] = {}
    for key, value in sorted(catalog.items(), key=lambda item: str(item[0])):
        if isinstance(key, tuple):
            out.setdefault(key[0], []).append(value)
        elif key:
            out[key] = [value]
    return {key: tuple(values) for key, values in out.items()}


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_message_in_the_code_is_translated_with_the_same_placeholders(lang: str) -> None:
    used = messages_in_code()
    assert len(used) > 60 and "What I know and how to ask" in used and "Yes. {statement}" in used
    catalog = compiled(lang)
    missing = sorted(used - catalog.keys())
    assert missing == [], f"no {lang} translation for {missing}"
    for message in used:
        for translated in catalog[message]:
            assert translated and translated != message or message.isupper() or not has_words(message), (
                lang,
                message,
            )
            assert placeholders(translated) == placeholders(message), (lang, message, translated)
    assert sorted(catalog.keys() - used) == [], "translations of messages the code no longer uses"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_the_committed_mo_files_are_compiled_from_the_po_files(lang: str) -> None:
    pofile = pytest.importorskip("babel.messages.pofile")
    with open(LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po", "rb") as po:
        catalog = pofile.read_po(po, locale=lang)
    from_po = {
        message.id[0] if isinstance(message.id, tuple) else message.id: (
            tuple(message.string) if isinstance(message.string, tuple) else (message.string,)
        )
        for message in catalog
        if message.id and not message.fuzzy
    }
    assert from_po == compiled(lang), "run: pybabel compile -d knowledge/locale -D talksbot"


def test_the_catalogues_are_package_data() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"locale/*/LC_MESSAGES/*.mo"' in pyproject
    assert all((LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo").is_file() for lang in TRANSLATED)


def test_reply_words_and_dates_come_from_the_catalogues() -> None:
    from knowledge.answer import format_date
    from knowledge.phrases import phrases
    import datetime as dt

    assert phrases("uk").decline == "У мене немає відповіді на це з джерелом."
    assert phrases("ru").source == "Источник:" and phrases("en").source == "Source:"
    assert format_date(dt.date(2025, 5, 15), "uk") == "15 травня 2025"
    assert tr("de", "Source:") == "Source:"


class Bot:
    def __init__(self, api: BotAPIStandIn) -> None:
        self.api = api

    async def say(
        self,
        text: str,
        chat_id: int,
        language_code: str | None = None,
        chat_type: str = "private",
        user_id: int | None = None,
    ) -> str:
        """Send `text` as a user (with that Telegram language) and return the bot's next reply's text."""
        before = len([c for c in self.api.calls_to("sendMessage") if c.params.get("chat_id") == chat_id])
        user: dict[str, Any] = {"id": user_id or chat_id, "is_bot": False, "first_name": "Olena"}
        if language_code:
            user["language_code"] = language_code
        chat: dict[str, Any] = {"id": chat_id, "type": chat_type}
        chat.update({"first_name": "Olena"} if chat_type == "private" else {"title": "Talks"})
        message: dict[str, Any] = {
            "message_id": next(_message_ids),
            "date": 1747300000,
            "text": text,
            "chat": chat,
            "from": user,
        }
        if text.startswith("/"):
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        self.api.push_update({"update_id": next(_update_ids), "message": message})

        def replies() -> list[Any]:
            return [c for c in self.api.calls_to("sendMessage") if c.params.get("chat_id") == chat_id]

        await self.api.wait_for_async("sendMessage", lambda c: len(replies()) > before, timeout=30)
        return str(replies()[before].params["text"])


@asynccontextmanager
async def running(database: Path) -> AsyncIterator[Bot]:
    api = BotAPIStandIn(long_poll_cap=0.5).start()
    settings = Settings(
        _env_file=None,
        telegram_bot_token=api.token,
        telegram_base_url=api.base_url,
        database_url=f"sqlite+aiosqlite:///{database}",
        admin_user_ids=(ADMIN_ID,),
    )
    stop = asyncio.Event()
    task = asyncio.create_task(serve(settings, stop))
    try:
        await api.wait_for_async("getUpdates", timeout=60)
        await encoder_settled()  # its Cyrillic questions are for the encoder, not the keyword fallback
        yield Bot(api)
    finally:
        stop.set()
        await asyncio.wait_for(task, 30)
        api.stop()
    assert api.server_errors == []


async def test_help_is_localised_by_the_users_telegram_language(tmp_path: Path) -> None:
    async with running(tmp_path / "talksbot.db") as bot:
        uk = await bot.say("/help", next(_chat_ids), "uk")
        ru = await bot.say("/help", next(_chat_ids), "ru-RU")
        en = await bot.say("/help", next(_chat_ids), "de")
    assert "Я знаю фактів про переговори з джерелами" in uk and "травня 2025" in uk
    assert "/lead — Хто очолює кожну делегацію: /lead [сторона]" in uk and "Наприклад:" in uk
    assert "Я знаю фактов о переговорах с источниками" in ru and "мая 2025" in ru
    assert "/brief — Краткая сводка о переговорах" in ru and "Например:" in ru
    assert en.startswith("I know ") and "/lang — Reply language: /lang uk|ru|en" in en


async def test_command_menus_are_registered_per_language_with_admin_scoping_kept(tmp_path: Path) -> None:
    async with running(tmp_path / "talksbot.db") as bot:
        calls = bot.api.calls_to("setMyCommands")

    def menu(scope: str, lang: str | None) -> dict[str, str]:
        chosen = [c for c in calls if c.params["scope"]["type"] == scope and c.params.get("language_code") == lang]
        assert len(chosen) == 1, (scope, lang)
        return {command["command"]: command["description"] for command in chosen[0].params["commands"]}

    for scope in ("all_private_chats", "all_group_chats"):
        assert menu(scope, None)["help"] == "What I know and how to ask"
        assert menu(scope, "uk")["help"] == "Що я знаю і як запитувати"
        assert menu(scope, "ru")["help"] == "Что я знаю и как спрашивать"
        assert all("reload" not in menu(scope, lang) for lang in (None, "uk", "ru"))
    for lang, stats in ((None, "Question counts"), ("uk", "Кількість запитань"), ("ru", "Количество вопросов")):
        admin = menu("chat", lang)
        assert admin["stats"] == stats and "lang" in admin
    assert {c.params["scope"]["chat_id"] for c in calls if c.params["scope"]["type"] == "chat"} == {ADMIN_ID}


async def test_lang_is_kept_per_chat_across_a_restart_and_ranks_below_the_questions_own_language(
    tmp_path: Path,
) -> None:
    database = tmp_path / "talksbot.db"
    chat, other = next(_chat_ids), next(_chat_ids)
    async with running(database) as bot:
        assert (await bot.say("/lang", chat, "en")).startswith("This chat has no language set")
        assert await bot.say("/lang de", chat, "en") == "Usage: /lang uk|ru|en"
        assert (await bot.say("/lang uk", chat, "en")).startswith("У цьому чаті я відповідатиму мовою: українська")
    async with running(database) as bot:  # a new process's bot, the same database
        assert (await bot.say("/lang", chat, "ru")).startswith("Мова цього чату: українська.")
        assert "Я знаю фактів" in await bot.say("/help", chat, "ru")  # the chat's /lang beats the user's
        assert (await bot.say("Umerov?", chat, "ru")).startswith("Рустем Умєров")  # no signal in the text
        assert (await bot.say("Кто такой Рустем Умеров?", chat, "en")).startswith("Рустем Умеров")  # its own
        assert (await bot.say("Who leads Ukraine's team?", chat)).startswith("Defence Minister Rustem Umerov")
        assert "Я знаю фактов" in await bot.say("/help", other, "ru")  # another chat: untouched
        assert (await bot.say("/lang en", chat, "ru")).startswith("I'll reply in English")
        assert (await bot.say("/help", chat, "ru")).startswith("I know ")


async def test_in_groups_only_administrators_set_the_language(tmp_path: Path) -> None:
    group = -next(_chat_ids)
    async with running(tmp_path / "talksbot.db") as bot:
        refused = await bot.say("/lang ru", group, "uk", chat_type="group", user_id=777)
        assert refused == "Вибачте, змінювати мову цієї групи можуть лише її адміністратори."
        assert (await bot.say("/lang ru", group, "uk", chat_type="group", user_id=ADMIN_ID)).startswith(
            "В этом чате я буду отвечать на языке: русский"
        )


# --- Composed answers, suggestions, inline cards and the profile in Ukrainian and Russian ---------------

ENGLISH_WORDS = re.compile(
    r"\b(yes|no|the|is|are|leads|delegation|side|not|attending|talks|source|names|people|who|what|"
    r"where|when|you|could|ask|did|mean|said|so|and)\b",
    re.IGNORECASE,
)


def said_in_english(text: str) -> list[str]:
    """English words in the bot's own words: the headline, suggestion lines and button labels (the
    quotes and the source's title stay verbatim in the source's language)."""
    own = [line for line in text.splitlines() if line and not line.startswith(("<i>", "— <a", "— "))]
    return ENGLISH_WORDS.findall(" ".join(own))


def last_reply(bot: Bot, chat_id: int) -> dict[str, Any]:
    return [c.params for c in bot.api.calls_to("sendMessage") if c.params.get("chat_id") == chat_id][-1]


@pytest.mark.parametrize(
    ("lang", "question", "expected"),
    [
        ("uk", "Умєров очолює делегацію Росії?", "Ні. Делегацію Росії очолює Володимир Мединський. Рустем Умєров —"),
        (
            "ru",
            "Лавров возглавляет делегацию Украины?",
            "Нет. Делегацию Украины возглавляет Рустем Умеров. Сергей Лавров —",
        ),
        # a Latin-script claim with no language signal of its own: the asker's Telegram language decides
        ("ru", "Kostyukov, Kyiv's side?", "Нет. Игорь Костюков — директор российской военной разведки ГРУ"),
    ],
)
async def test_a_composed_answer_is_said_in_the_askers_language_with_their_spelling_of_names(
    tmp_path: Path, lang: str, question: str, expected: str
) -> None:
    chat = next(_chat_ids)
    async with running(tmp_path / "talksbot.db") as bot:
        text = await bot.say(question, chat, lang)
    headline = text.splitlines()[0]
    assert headline.startswith(expected), headline
    assert said_in_english(text) == [], text
    assert "Umerov" not in headline and "Medinsky" not in headline and "Lavrov" not in headline


@pytest.mark.parametrize(
    ("lang", "question", "decline", "did_you_mean"),
    [
        (
            "uk",
            "Хто очолює польську делегацію?",
            "У мене немає відповіді на це з джерелом.",
            "Можливо, ви мали на увазі: ",
        ),
        ("ru", "Кто возглавляет польскую делегацию?", "У меня нет ответа на это с источником.", None),
    ],
)
async def test_a_decline_offers_suggestions_in_the_askers_language_that_answer_when_pressed(
    tmp_path: Path, lang: str, question: str, decline: str, did_you_mean: str | None
) -> None:
    chat = next(_chat_ids)
    async with running(tmp_path / "talksbot.db") as bot:
        text = await bot.say(question, chat)
        reply = last_reply(bot, chat)
        labels = [row[0]["text"] for row in reply["reply_markup"]["inline_keyboard"]]
        assert text.startswith(decline) and 1 <= len(labels) <= 3
        assert said_in_english("\n".join([text, *labels])) == [], labels
        assert all(re.search("[а-яіїєґ]", label.casefold()) for label in labels), labels
        if did_you_mean:
            assert all(label.startswith(did_you_mean) for label in labels), labels
        before = len(bot.api.calls_to("sendMessage"))
        bot.api.push_callback_query(reply["reply_markup"]["inline_keyboard"][0][0]["callback_data"])
        await bot.api.wait_for_async("sendMessage", lambda c: len(bot.api.calls_to("sendMessage")) > before, timeout=30)
    assert "nzherald" in bot.api.calls_to("sendMessage")[-1].params["text"]  # the suggestion's fact, sourced


async def test_inline_cards_and_the_profile_texts_are_localised(tmp_path: Path) -> None:
    async with running(tmp_path / "talksbot.db") as bot:
        bot.api.push_inline_query("Хто очолює делегацію України?")
        call = await bot.api.wait_for_async("answerInlineQuery", timeout=30)
        descriptions = {
            c.params.get("language_code"): c.params["description"] for c in bot.api.calls_to("setMyDescription")
        }
        short = {
            c.params.get("language_code"): c.params["short_description"]
            for c in bot.api.calls_to("setMyShortDescription")
        }
    (card,) = call.params["results"]
    assert card["title"].startswith("Делегацію України очолює міністр оборони Рустем Умєров")
    assert "травня 2025" in card["input_message_content"]["message_text"]  # the date in Ukrainian too
    assert descriptions[None].startswith("I answer questions about the direct Russia–Ukraine talks")
    assert descriptions["uk"].startswith("Я відповідаю на запитання про прямі переговори Росії та України")
    assert descriptions["ru"].startswith("Я отвечаю на вопросы о прямых переговорах России и Украины")
    assert short["uk"].startswith("Запитання про переговори") and short["ru"].startswith("Вопросы о переговорах")


@pytest.mark.parametrize(
    ("question", "en", "uk", "ru"),
    [
        (
            "Who isn't going to the talks?",
            "Volodymyr Zelenskyy, Vladimir Putin, Sergei Lavrov and Yuri Ushakov are not attending the talks.",
            "Володимир Зеленський, Володимир Путін, Сергій Лавров і Юрій Ушаков не беруть участі в переговорах.",
            "Владимир Зеленский, Владимир Путин, Сергей Лавров и Юрий Ушаков не участвуют в переговорах.",
        ),
        (
            "How many people are in the delegation of Ukraine?",
            "The source names 4 people in Ukraine's delegation (Rustem Umerov, who leads it; Sergiy Kyslytsya;",
            "Джерело називає 4 особи в делегації України (Рустем Умєров (очолює її); Сергій Кислиця;",
            "Источник называет 4 человек в делегации Украины (Рустем Умеров (возглавляет её); Сергей Кислица;",
        ),
        (
            "Galuzin - which side?",
            "Mikhail Galuzin is on Russia's side. Mikhail Galuzin is Russia's Deputy Foreign Minister",
            "Михайло Галузін — на боці Росії. Михайло Галузін — заступник міністра закордонних справ Росії",
            "Михаил Галузин — на стороне России. Михаил Галузин — заместитель министра иностранных дел России",
        ),
        (
            "Is Shevchenko in Ukraine's delegation?",
            "Yes. Oleksiy Shevchenko is",
            "Так. Олексій Шевченко —",
            "Да. Алексей Шевченко —",
        ),
    ],
)
def test_composed_answers_are_said_in_each_language(
    answerer: Answerer, question: str, en: str, uk: str, ru: str
) -> None:
    match = answerer.matcher.match(question)
    assert match.reason == "structured"
    for lang, expected in (("en", en), ("uk", uk), ("ru", ru)):
        assert answerer.reply(match, lang).answer.startswith(expected), (lang, answerer.reply(match, lang).answer)
    assert answerer.reply(match, "en").answer == match.statement  # English as the matcher composed it
