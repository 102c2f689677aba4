"""Telling the question's language, choosing the reply's, and finding inflected Cyrillic names."""

from __future__ import annotations

import pytest

from knowledge.answer import Answerer
from knowledge.gloss import Glossary
from knowledge.inflection import InflectedPhrases, inflected_form_of
from knowledge.language import detect_language, reply_language


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("Хто очолює українську делегацію?", "uk"),  # Ukrainian function word
        ("Де відбуваються переговори?", "uk"),  # Ukrainian letter і
        ("Кто возглавляет делегацию России?", "ru"),
        ("Розкажи про Мединського.", "uk"),
        ("Хто такий Michael Anton?", "uk"),  # a Latin name inside a Cyrillic question
        ("khto ocholiuie delehatsiiu Ukrainy", "uk"),  # transliterated
        ("kto vozglavlyaet rossiyskuyu delegatsiyu", "ru"),
        ("de zustrichaiutsia delehatsii", "uk"),  # a short Ukrainian question word
        ("kuda poedet Medinskiy", "ru"),
        ("Where is de Gaulle buried?", "en"),  # "de" alone does not outweigh English
        ("Who leads Ukraine's team?", "en"),
        ("Who is Умєров?", "en"),  # an English question with a Cyrillic name
        ("Umerov", None),  # a bare name says nothing
        ("hto ocholyuye delehaciyu ukrainy?", "uk"),  # words only the glossary knows, in another spelling
        ("sho tam z peregovoramy", "uk"),  # "шо" and "з" are Ukrainian chat
        ("hto taki Galuzin i Fomin?", "uk"),  # the informal spelling of "khto", and names the glossary does not read
        ("З ким вестиме переговори Майкл Антон?", "uk"),  # no telling letter or function word: glossary words
        ("whats umerov's actual job", "en"),  # chat English contractions are English
        ("who's moscow's top negotiator", "en"),
        ("???", None),
        ("a kogda nachinayutsya peregovory?", "ru"),  # "a" is "а" here: the glossary's words outweigh it
        ("chy poide zelenskyi do turechchyny na zustrich?", "uk"),  # "do" is "до" here
        ("putin priedet v stambul?", "ru"),  # one word the glossary reads, and a preposition English lacks
        ("Do you know a good kebab place in Istanbul?", "en"),
    ],
)
def test_question_language_is_told_by_letters_and_function_words(question: str, language: str | None) -> None:
    assert detect_language(question) == language


def test_reply_language_is_forced_then_the_questions_then_the_askers_then_english() -> None:
    assert reply_language("Who leads Ukraine's team?", forced="ru") == "ru"
    assert reply_language("Хто очолює делегацію?", hint="en") == "uk"
    assert reply_language("Umerov", hint="uk") == "uk"
    assert reply_language("Umerov", hint="ru-RU") == "ru"
    assert reply_language("Umerov", hint="de") == "en"
    assert reply_language("Umerov") == "en"


@pytest.mark.parametrize(
    ("word", "listed"),
    [
        ("умєрова", "умєров"),
        ("умєровим", "умєров"),
        ("мединського", "мединськии"),  # й is и after normalising
        ("україни", "украіна"),
        ("росію", "росія"),
        ("кисиця", "кислиця"),  # the last is a typo
    ],
)
def test_inflected_forms_and_near_typos_of_a_name_are_found(word: str, listed: str) -> None:
    assert inflected_form_of(word, listed)


@pytest.mark.parametrize(("word", "listed"), [("путь", "путін"), ("рости", "росія"), ("сша", "шс")])
def test_other_words_sharing_a_beginning_are_not_names(word: str, listed: str) -> None:
    assert not inflected_form_of(word, listed)


def test_names_are_found_through_the_packs_aliases_whatever_their_case(answerer: Answerer) -> None:
    names = answerer.crosslingual.names
    assert names.find("Хто допомагатиме Мединському з російського боку?").asked == ("medinsky", "russia")
    assert names.find("Чи поїде Зеленський до Києва?").asked == ("zelenskyy",)
    assert names.find("Чи поїде Зеленський до Києва?").scene == {"ukraine"}
    assert names.find("naskilky velyki rozbizhnosti mizh Kyievom i Moskvoiu").asked == ("ukraine", "russia")


def test_multi_word_names_match_before_their_parts() -> None:
    phrases = InflectedPhrases({"a": ["Сергій Кислиця"], "b": ["Сергій"]})
    assert [f.key for f in phrases.find("Що сказав Сергій Кислиця?")] == ["a"]


def test_a_prepared_answerer_reads_no_glossary_when_questions_come(
    answerer: Answerer, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh = Answerer(answerer.knowledge, matcher=answerer.matcher, load_encoder=lambda: None)
    fresh.prepare_readers()  # the bot does this at start

    def no_reading(language: str) -> None:
        raise AssertionError(f"the {language} glossary was read while answering")

    monkeypatch.setattr(Glossary, "for_language", no_reading)
    assert fresh.match("Хто очолює делегацію Росії?").fact == "russia_lead"
