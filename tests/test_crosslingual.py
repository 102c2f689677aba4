"""Ukrainian and Russian questions, answered with the multilingual encoder, in the asker's language.

These need the encoder (x86-64 Linux); the first one encodes the pack's targets into the session's
vector cache, about a minute on a small machine.
"""

from __future__ import annotations

import pytest

from knowledge.answer import Answerer
from knowledge.encoder import encoder_installed

pytestmark = pytest.mark.skipif(not encoder_installed(), reason="the sentence encoder is not installed here")


@pytest.mark.parametrize(
    ("question", "facts"),
    [
        ("Хто очолює українську делегацію на переговорах?", {"ukraine_lead", "attendees"}),
        ("Хто такий Рустем Умєров?", {"person_umerov"}),
        ("Сергій Лавров приїхав до Стамбула?", {"top_diplomats_absent", "absentees", "person_lavrov"}),
        ("Чи готовий Мединський до компромісів?", {"medinsky_expectations"}),
        ("Що Зеленський сказав про рівень представників Росії?", {"zelenskyy_criticism"}),
        ("Чи влаштовує Зеленського рівень російської делегації?", {"zelenskyy_criticism"}),  # approval
        ("Умєров родом з Криму?", {"person_umerov"}),  # "родом": originally from, not born
        ("Хто з американців говоритиме з росіянами?", {"us_role", "person_anton"}),  # "хто з": who of
        ("Переговори 2022 року зірвалися через Херсон?", {"talks_2022_breakdown"}),  # a wrong cause, corrected
    ],
)
def test_ukrainian_questions_are_answered(answerer: Answerer, question: str, facts: set[str]) -> None:
    assert answerer.match(question).fact in facts


@pytest.mark.parametrize(
    ("question", "facts"),
    [
        ("Кто возглавляет делегацию России?", {"russia_lead", "attendees"}),
        ("Будет ли Путин в Стамбуле?", {"putin_absent", "absentees", "person_putin"}),
        ("Где проходили переговоры в марте 2022 года?", {"talks_2022"}),
        ("Кто такой Галузин?", {"person_galuzin"}),
        ("kto takoy Aleksandr Fomin", {"person_fomin"}),
        ("Умеров раньше вёл переговоры с русскими?", {"person_umerov"}),  # "the Russians", not "Russia"
        ("Когда Россия и Украина в прошлый раз садились за стол переговоров в Стамбуле?", {"talks_2022"}),
        ("Кого из важных людей не будет на встрече?", {"absentees"}),  # "будет на": attending
        ("сколько человек в укр делегации?", {"ukraine_delegation"}),  # chat shorthand for a side
        ("Какое ведомство возглавляет Костюков?", {"person_kostyukov"}),  # "ведомство": an agency
        ("Переговоры 2022 года сорвались из-за Бучи?", {"talks_2022_breakdown"}),  # "из-за": because of
    ],
)
def test_russian_questions_are_answered(answerer: Answerer, question: str, facts: set[str]) -> None:
    assert answerer.match(question).fact in facts


@pytest.mark.parametrize(
    "question",
    [
        "Скільки років Умєрову?",
        "Есть ли у Мединского жена и дети?",
        "Чи одружений Кислиця?",
        "Где учился Кислица?",
    ],
)
def test_personal_questions_about_known_people_are_declined_by_their_words(answerer: Answerer, question: str) -> None:
    match = answerer.match(question)
    assert match.fact is None and match.reason == "out_of_scope"


@pytest.mark.parametrize(
    "question",
    [
        "Який сьогодні курс долара до гривні?",
        "Кто выиграл чемпионат мира по хоккею?",
        "Дай рецепт борщу.",
    ],
)
def test_off_topic_questions_are_declined(answerer: Answerer, question: str) -> None:
    assert answerer.match(question).fact is None


def test_a_side_with_no_fact_is_declined_not_answered_with_another_sides(answerer: Answerer) -> None:
    match = answerer.match("Хто очолює делегацію Туреччини?")
    assert match.fact is None


def test_the_reply_is_in_the_askers_language_and_the_quote_stays_verbatim(answerer: Answerer) -> None:
    uk = answerer.ask("Хто такий Рустем Умєров?")
    ru = answerer.ask("Кто такой Галузин?")
    assert uk.lang == "uk" and uk.answer.startswith("Рустем Умєров — міністр оборони України")
    assert "Джерело:" in uk.plain_text() and "травня 2025" in uk.plain_text()
    assert ru.lang == "ru" and ru.answer.startswith("Михаил Галузин")
    assert "Источник:" in ru.plain_text()
    assert "Galuzin" in ru.citations[0].quote  # the English source, verbatim


def test_a_decline_is_in_the_askers_language(answerer: Answerer) -> None:
    reply = answerer.ask("Скільки років Умєрову?")
    assert not reply.answered and reply.answer.startswith("У мене немає відповіді")
    assert "Можна запитати:" in reply.plain_text()


@pytest.mark.parametrize(
    ("question", "profile", "answers"),
    [
        ("Чи був Фомін послом у Бразилії?", "person_fomin", False),
        ("Лавров раньше был послом в Аргентине?", "person_lavrov", False),
        ("Хто такий Фомін?", "person_fomin", True),
        ("Кто такой Лавров?", "person_lavrov", True),
    ],
)
def test_a_claim_the_glossary_cannot_read_is_not_answered_with_the_persons_profile(
    answerer: Answerer, question: str, profile: str, answers: bool
) -> None:
    # The encoder puts any claim about a person near their profile, whether or not the profile bears it out.
    matcher = answerer.crosslingual
    named = matcher.names.find(question)
    assert matcher._answers_what_is_asked(question, profile, named) is answers


@pytest.mark.parametrize(
    ("question", "fact", "answers"),
    [
        ("Ердоган сам очолить засідання делегацій?", "zelenskyy_expectations", False),  # Zelenskyy's words
        ("Что Зеленский сказал после встречи с Эрдоганом?", "zelenskyy_expectations", True),
    ],
)
def test_a_statement_answers_a_question_about_a_person_only_if_that_person_made_it(
    answerer: Answerer, question: str, fact: str, answers: bool
) -> None:
    matcher = answerer.crosslingual
    assert matcher._answers_what_is_asked(question, fact, matcher.names.find(question)) is answers


@pytest.mark.parametrize(
    "question", ["Які саме компроміси пропонує Мединський?", "Какие именно уступки предлагает Мединский?"]
)
def test_which_exactly_asks_for_specifics_the_sources_do_not_list(answerer: Answerer, question: str) -> None:
    """ "Possible compromises" names none: "which exactly" is declined, as in English."""
    assert answerer.match(question).fact is None


@pytest.mark.parametrize(
    "question", ["Що думає Буданов про склад делегації Росії?", "Что говорит Песков о российской делегации?"]
)
def test_what_someone_the_sources_never_name_says_is_declined(answerer: Answerer, question: str) -> None:
    """A capitalised name the pack does not know is whom the question is about: the encoder must not answer it."""
    assert answerer.ask(question).fact is None, question


def test_the_european_union_is_no_side_of_the_talks(answerer: Answerer) -> None:
    assert answerer.ask("Які санкції введе Євросоюз, якщо Росія відкине перемир'я?").fact is None


def test_a_stranger_claimed_to_lead_a_delegation_is_corrected(answerer: Answerer) -> None:
    assert answerer.ask("Российскую делегацию возглавляет Шойгу, верно?").fact == "russia_lead"


@pytest.mark.parametrize(
    "question", ["Скільки охоронців привезла делегація Росії?", "Сколько охранников у российской делегации?"]
)
def test_guards_are_not_the_security_service(answerer: Answerer, question: str) -> None:
    """Bodyguards are no office of anyone in the sources: the delegation's list does not count them."""
    assert answerer.ask(question).fact is None, question
