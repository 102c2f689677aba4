"""Ukrainian and Russian questions read into English words, so the English engine decides them.

The glossary is general (question words, the vocabulary of politics and news); the pack gives the
names. A question whose every word is understood is decided by the English engine alone, answer or
decline: the encoder is asked only about words the glossary does not know.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from knowledge.answer import Answerer
from knowledge.gloss import GLOSSARY_DIR, Glossary, QuestionReader, skeleton, transliterate
from knowledge.text import tokenize


@pytest.fixture(scope="module")
def reader(answerer: Answerer) -> QuestionReader:
    found = answerer.crosslingual.reader("uk")
    assert found is not None
    return found


@pytest.fixture(scope="module")
def no_encoder(answerer: Answerer) -> Answerer:
    """The same knowledge where the encoder's wheel is missing: only the gloss can answer."""
    return Answerer(answerer.knowledge, matcher=answerer.matcher, load_encoder=lambda: None)


@pytest.mark.parametrize("language", ["uk", "ru"])
def test_glossary_files_map_english_words_to_lists_of_words(language: str) -> None:
    data = yaml.safe_load((GLOSSARY_DIR / f"{language}.yaml").read_text(encoding="utf-8"))
    assert data and all(isinstance(key, str) for key in data)  # a bare `yes:` key would read as True
    assert all(isinstance(words, list) and all(isinstance(w, str) and w for w in words) for words in data.values())


@pytest.mark.parametrize(
    ("language", "word", "english"),
    [
        ("uk", "очолює", "lead"),
        ("uk", "очолюватиме", "lead"),
        ("uk", "делегацією", "delegation"),
        ("uk", "переговри", "talks"),  # one typo
        ("ru", "возглавляет", "lead"),
        ("ru", "возгловляет", "lead"),  # one typo
        ("ru", "переговорщиков", "negotiators"),  # plural, as English has it: several, not the lead one
        ("ru", "переговорщику", "negotiator"),
        ("uk", "ocholiuie", "lead"),  # typed in Latin letters
        ("ru", "vozglavlyaet", "lead"),
        ("uk", "підкажіть", ""),  # filler: read, glossed as nothing
    ],
)
def test_a_word_is_glossed_whatever_its_ending_spelling_or_script(language: str, word: str, english: str) -> None:
    glossary = Glossary.for_language(language)
    assert glossary is not None
    assert glossary.gloss_word(word) == english


def test_an_unknown_word_is_not_glossed() -> None:
    glossary = Glossary.for_language("uk")
    assert glossary is not None
    assert glossary.gloss_word("кавун") is None
    assert glossary.gloss_word("з") == "with"


def test_transliterations_meet_in_one_skeleton() -> None:
    assert skeleton(transliterate("делегацію", "uk")) == skeleton("delehatsiyu") == skeleton("delehaciju")
    assert skeleton(transliterate("хто", "uk")) == skeleton("khto") == skeleton("hto")
    assert skeleton(transliterate("возглавляет", "ru")) == skeleton("vozglavliaet")


def test_names_are_read_as_the_packs_english_names_whatever_their_case_or_script(reader: QuestionReader) -> None:
    reading = reader.read("Хто очолює делегацію Росії?")
    assert reading.text == "who lead delegation Russia?"
    assert reading.unknown == ()
    assert "Vladimir Medinsky" in reader.read("Що сказав Мединського?").text
    assert reader.read("khto ocholiuie delehatsiiu Rosii").text == "who lead delegation Russia"


def test_unknown_words_stay_in_the_gloss_so_the_english_engine_sees_them(reader: QuestionReader) -> None:
    reading = reader.read("Яка ціна кавуна в Туреччині?")
    assert reading.unknown == ("кавуна",)
    assert "кавуна" in reading.text
    assert 0 < reading.coverage < 1
    assert "Відні" in reader.read("Переговори у Відні?").text  # as written: a capital may say a place is named


def test_a_negated_word_is_read_as_not_and_the_word(reader: QuestionReader) -> None:
    assert reader.read("несерйозно").text == "not serious"
    assert reader.read("неформально").unknown == ("неформально",)  # "формально" is unknown too


def test_a_relative_pronoun_after_the_question_word_asks_nothing(reader: QuestionReader) -> None:
    assert reader.read("що за причини про які весь час каже Москва").text == "what reason about that say Russia"
    assert reader.read("в якому місті переговори").text == "in which city talks"
    assert reader.read("звідки відомо, що вони їдуть").text.startswith("who said, that ")  # how is it known
    assert reader.read("з ким говоритиме Антон").text == "with who talk Michael Anton"  # talk with, not say
    assert reader.read("що сказав Зеленський з 2022 року").text == "what say Volodymyr Zelenskyy since 2022"
    assert reader.read("kogo ne budet").text == "who not will"  # "ne" is "не", not a folded "нее"
    # a second question joined by "and" asks again
    assert reader.read("хто такий Поклад і яку посаду обіймає").text == "who Oleksandr Poklad and which post hold"


def test_will_be_in_a_place_is_being_there(reader: QuestionReader) -> None:
    """English reads "be in" by its subject: a person attends, the talks are held there."""
    assert reader.read("Хто не буде у Стамбулі?").text == "who not be in Istanbul?"
    assert reader.read("перемовини будуть у Стамбулі?").text == "talks be in Istanbul?"
    assert reader.read("Чи буде перемир'я?").text.startswith("will ")  # no place: a future


def test_since_which_year_asks_since_when(reader: QuestionReader) -> None:
    assert reader.read("з якого року Костюков очолює ГРУ?").text.startswith("since when ")


def test_to_whom_stays_apart_from_who(reader: QuestionReader) -> None:
    assert reader.read("Кому Зеленський сказав?").text == "to whom Volodymyr Zelenskyy say?"
    assert reader.read("Кто сказал?").text.startswith("who ")


def test_sentences_are_glossed_apart_so_the_asking_one_can_be_found(reader: QuestionReader) -> None:
    assert reader.read("Привіт! Хто очолює делегацію Росії?").text == "who lead delegation Russia?"


@pytest.mark.parametrize(
    "question",
    [
        "Хто очолює делегацію Росії?",
        "Кто возглавляет делегацию Украины?",
        "Де проходять переговори?",
        "Чи буде Путін у Стамбулі?",
        "Скільки людей у делегації України?",
        "Чому Зеленський не їде?",
    ],
)
def test_a_fully_understood_question_gets_the_english_engines_decision(answerer: Answerer, question: str) -> None:
    language = "ru" if "Кто" in question else "uk"
    reader = answerer.crosslingual.reader(language)
    assert reader is not None
    reading = reader.read(question)
    assert reading.unknown == ()
    english = answerer.matcher.match(reading.text)
    decided = answerer.match(question)
    assert english.answered
    assert decided == replace(english, question=question)


def test_the_english_engines_decline_of_a_fully_understood_question_stands(answerer: Answerer) -> None:
    """No encoder second opinion: "which military rank" is out of scope in English too."""
    question = "Яке військове звання у Фоміна?"
    reader = answerer.crosslingual.reader("uk")
    assert reader is not None and reader.read(question).unknown == ()
    assert answerer.matcher.match(reader.read(question).text).fact is None
    assert answerer.match(question).fact is None


@pytest.mark.parametrize(
    ("question", "facts"),
    [
        ("Хто очолює делегацію Росії?", {"russia_lead", "attendees"}),
        ("kto vozglavlyaet delegatsiyu Ukrainy", {"ukraine_lead", "attendees"}),
        ("Де проходять переговори?", {"talks_location"}),
    ],
)
def test_without_the_encoder_glossed_questions_are_still_answered(
    no_encoder: Answerer, question: str, facts: set[str]
) -> None:
    assert no_encoder.match(question).fact in facts


@given(st.text(max_size=300))
def test_any_text_reads_without_error(text: str) -> None:
    glossary = Glossary.for_language("ru")
    assert glossary is not None
    reader = QuestionReader([glossary], {"russia": ["Россия", "Russia"]}, {"russia": "Russia"})
    reading = reader.read(text)
    assert 0.0 <= reading.coverage <= 1.0
    assert all(word in reading.text.casefold() for word in reading.unknown)  # kept as written


def test_a_question_word_opening_a_later_clause_of_a_question_is_a_conjunction(reader: QuestionReader) -> None:
    """ "Хто сказав, що ..." asks who said that ..., not what; "Скажіть, що ..." still asks what."""
    assert reader.read("Хто сказав, що переговори продовжаться?").text.startswith("who say, that")
    assert reader.read("Скажіть, що сказав Путін?").text == "what say Vladimir Putin?"


class _NoDuplicateKeys(yaml.SafeLoader):
    """A loader that refuses a key given twice: plain YAML keeps the last list and drops the first."""


def _unique_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[object, object]:
    keys = [loader.construct_object(key) for key, _ in node.value]
    repeated = sorted({str(k) for k in keys if keys.count(k) > 1})
    assert not repeated, f"keys given twice: {repeated}"
    return loader.construct_mapping(node)


_NoDuplicateKeys.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _unique_mapping)


@pytest.mark.parametrize("language", ["uk", "ru"])
def test_each_glossary_word_is_listed_once_under_one_key(language: str) -> None:
    """A word under two keys is read under the first only; the second listing is a mistake waiting."""
    data = yaml.load((GLOSSARY_DIR / f"{language}.yaml").read_text(encoding="utf-8"), Loader=_NoDuplicateKeys)
    owner: dict[tuple[str, bool], str] = {}
    twice = []
    for key, words in data.items():
        for word in words:
            spelled = (" ".join(tokenize(word)), word.endswith("-"))
            if owner.setdefault(spelled, key) != key:
                twice.append((word, owner[spelled], key))
    assert twice == []


@pytest.mark.parametrize(
    ("language", "word", "english"),
    [
        ("uk", "кожної", "each"),
        ("uk", "обох", "both"),
        ("uk", "усьому", "all"),
        ("uk", "цьому", ""),
        ("uk", "вдалося", "manage"),
        ("uk", "зблизити", "narrow"),
        ("uk", "ставляться", "regard"),
        ("ru", "каждой", "each"),
        ("ru", "всём", "all"),
        ("ru", "этом", ""),
        ("ru", "удалось", "manage"),
        ("ru", "сблизить", "narrow"),
        ("ru", "относятся", "regard"),
        ("ru", "кстати", ""),
    ],
)
def test_determiners_particles_and_news_verbs_are_known(language: str, word: str, english: str) -> None:
    glossary = Glossary.for_language(language)
    assert glossary is not None
    assert glossary.gloss_word(*tokenize(word)) == english  # read as a question's words are: "всём" as "всем"


@pytest.mark.parametrize(
    ("language", "word", "english"),
    [
        ("uk", "брат", None),  # not a form of брав (took)
        ("ru", "брат", None),  # nor of брал
        ("uk", "берег", None),  # not a form of бере
        ("uk", "рівні", "level"),  # not рівно (exactly)
        ("uk", "обережно", "careful"),  # not обере (will elect)
        ("uk", "середньому", "average"),  # not середа (Wednesday)
        ("uk", "активно", "active"),  # not активи (assets)
        ("ru", "судьба", "fate"),  # not судья (judge)
        ("ru", "отдельно", "separately"),  # not отдел (department)
    ],
)
def test_short_words_are_not_caught_by_a_neighbours_stem(language: str, word: str, english: str | None) -> None:
    """A listed word also matches its inflected forms: a neighbour sharing its stem must not ride along."""
    glossary = Glossary.for_language(language)
    assert glossary is not None
    assert glossary.gloss_word(word) == english


@pytest.mark.parametrize(
    ("language", "question", "meaning"),
    [
        ("uk", "При чому тут міністр культури?", ["what role", "minister", "culture"]),
        ("uk", "Чи правильно, що обидві сторони погодилися на обмін полоненими?", ["is it true", "both", "prisoners"]),
        ("uk", "Хто з них брав участь у попередньому раунді?", ["who", "attend", "previous", "round"]),
        ("uk", "Чи вдалося зблизити позиції на цьому етапі?", ["manage", "narrow", "position", "stage"]),
        ("uk", "Невже санкції знімуть після підписання меморандуму?", ["is it true", "sanctions", "lift", "sign"]),
        ("uk", "Скільки тіл повернули під час обміну, за даними ЗСУ?", ["how many", "bodies", "return", "during"]),
        ("uk", "Хіба кожна делегація не має свого мандату?", ["is it true", "each", "delegation", "mandate"]),
        ("ru", "Какую роль играет министр культуры?", ["what role", "play", "minister", "culture"]),
        ("ru", "Правильно ли, что обе стороны согласились на обмен пленными?", ["is it true", "both", "prisoners"]),
        ("ru", "Кто из них принимал участие в прошлом раунде?", ["who", "attend", "round"]),
        ("ru", "Удалось ли сблизить позиции на этом этапе?", ["manage", "narrow", "position", "stage"]),
        ("ru", "Неужели санкции снимут после подписания меморандума?", ["is it true", "sanctions", "lift", "sign"]),
        ("ru", "Кстати, сколько тел вернули во время обмена, по данным СМИ?", ["how many", "bodies", "during"]),
        ("ru", "Разве каждая делегация не имеет своего мандата?", ["is it true", "each", "delegation", "mandate"]),
        ("uk", "Чи є якісь новини щодо обміну, і хто їздив туди в понеділок ввечері?", ["attend", "monday", "evening"]),
        ("uk", "Хто-небудь знає, чи дотримуються сторони будь-яких домовленостей?", ["who", "comply", "any"]),
        ("ru", "Кто-нибудь знает, при чём здесь министр культуры?", ["who", "what role", "minister", "culture"]),
        ("ru", "Сколько раз они встречались недавно и на каком языке говорили?", ["times", "recently", "language"]),
    ],
)
def test_questions_in_everyday_news_vocabulary_are_read_whole(language: str, question: str, meaning: list[str]) -> None:
    glossaries = [Glossary.for_language(language), Glossary.for_language("ru" if language == "uk" else "uk")]
    reader = QuestionReader([g for g in glossaries if g], {}, {})
    reading = reader.read(question)
    assert reading.unknown == ()
    assert reading.coverage == 1.0
    assert all(word in reading.text for word in meaning), reading.text


@pytest.mark.parametrize(
    "question", ["Що сталося у 2022-му?", "Что было в 2022-м году?", "Хто вів переговори у 2022-му?"]
)
def test_a_case_ending_written_after_a_number_is_part_of_the_number(reader: QuestionReader, question: str) -> None:
    reading = reader.read(question)
    assert not reading.unknown and any(ch.isdigit() for ch in reading.text), reading


def test_chy_asks_at_the_start_of_a_clause_and_means_or_inside_one(reader: QuestionReader) -> None:
    assert reader.read("Чи поїде Путін?").text.split()[0] != "or"
    assert " or " in reader.read("Делегацію веде Умєров чи Кислиця?").text
    assert " or " not in reader.read("Хто їде, і чи буде Путін?").text


def test_alternatives_set_off_by_a_comma_stay_set_off(answerer: Answerer, reader: QuestionReader) -> None:
    question = "Хто головує в делегації Росії, Лавров чи Мединський?"
    assert "Russia, " in reader.read(question).text
    assert answerer.ask(question).fact in {"russia_lead", "person_medinsky"}


def test_with_before_a_year_is_since(reader: QuestionReader) -> None:
    assert "since 2014" in reader.read("Що змінилося з 2014 року?").text
    assert "since 2014" in reader.read("Что изменилось с 2014 года?").text


def test_a_question_word_after_a_verb_of_saying_is_a_conjunction(reader: QuestionReader) -> None:
    assert "say, that" in reader.read("Умєров казав, що переговори продовжаться?").text


@pytest.mark.parametrize("question", ["Що Зеленський сказав Ердогану?", "Что Зеленский сказал Эрдогану на встрече?"])
def test_a_name_spoken_to_after_a_verb_of_saying_is_read_as_spoken_to(
    answerer: Answerer, reader: QuestionReader, question: str
) -> None:
    """What Zelenskyy said *to* Erdogan is not what he told reporters after meeting him."""
    assert "say to Recep Tayyip Erdogan" in reader.read(question).text
    assert answerer.ask(question).fact is None


def test_a_name_that_never_inflects_is_not_read_as_spoken_to(reader: QuestionReader) -> None:
    assert " to " not in reader.read("Що сказав Зеленський журналістам після зустрічі з Ердоганом?").text


@pytest.mark.parametrize(
    "language, question, english",
    [
        ("uk", "Правда, що Умєров має кримське коріння?", "roots"),
        ("ru", "Правда что у Умерова крымские корни?", "roots"),
        ("ru", "С кем будет вести переговоры Майкл Антон?", "negotiate"),
        ("uk", "З ким вестиме переговори Майкл Антон?", "negotiate"),
        ("ru", "Мединский готов идти на компромиссы?", "compromise"),
        ("uk", "Наскільки далекі позиції сторін?", "apart"),
        ("uk", "Читаю новини і не можу зрозуміти, хто в Росії головний переговірник?", "who"),
    ],
)
def test_everyday_phrases_are_read_as_a_whole(answerer: Answerer, language: str, question: str, english: str) -> None:
    """A phrase is read before its words: "будет вести переговоры" negotiates, it does not lead."""
    reader = answerer.crosslingual.reader(language)
    assert reader is not None
    reading = reader.read(question)
    assert english in reading.text.rstrip("?").split() and not reading.unknown, reading


def test_a_word_the_pack_rules_out_is_not_ruled_out_inside_an_idiom(answerer: Answerer) -> None:
    """The pack declines exchange rates ("курс"); "я не в курсе" only says the asker does not know."""
    assert answerer.ask("Кто такой Умеров? Его фамилию везде пишут, а я не в курсе").fact == "person_umerov"
    assert answerer.ask("какой курс доллара?").fact is None


@pytest.mark.parametrize(
    "lang, question",
    [
        ("uk", "Наскільки близькі зараз позиції Києва і Москви?"),
        ("ru", "Насколько близки сейчас позиции Киева и Москвы?"),
    ],
)
def test_to_what_extent_asks_how_not_how_many(answerer: Answerer, lang: str, question: str) -> None:
    # наскільки / насколько: "how close", not "how much" (a count no fact about the gap states)
    answer = answerer.ask(question)
    assert answer.fact == "differences" and answer.lang == lang, answer


@pytest.mark.parametrize(
    ("language", "question", "read"),
    [
        ("uk", "яка роль Ердогана в цій історії", "what role Recep Tayyip Erdogan"),  # a story, not history
        ("ru", "какую роль в этой истории играет Эрдоган", "what role play Recep Tayyip Erdogan"),
        ("uk", "шо він там робить", "what he there doing"),
        ("uk", "як в москві дивляться на переговори", "how in Russia regard talks"),
        ("ru", "США примут участие в переговорах", "United States attend in talks"),
        ("uk", "зеля поїде", "Volodymyr Zelenskyy attend"),  # a nickname among the pack's aliases
        ("uk", "народ, хто їде", "who attend"),  # "folks", not a nation
        ("uk", "хто від кого їде", "who from each side attend"),  # who is there for which side
        ("ru", "кто от кого едет", "who from each side attend"),
        ("ru", "что сказала пресс-секретарь", "what say spokesperson"),  # a hyphenated stem: "пресс-секретар-"
        ("uk", "що казала прес-секретарка", "what say spokesperson"),
        ("ru", "кто замглавы МИДа", "who deputy foreign ministry"),  # an abbreviation with a case ending
        ("ru", "путин едет или как", "Vladimir Putin attend"),  # "or what?": a tag that offers no alternative
        ("uk", "росія погоджується чи як", "Russia agree"),
        ("uk", "що рубіо чекає від переговорів", "what Marco Rubio expect talks"),  # "wait from": expect
        ("ru", "что рубио ждёт от переговоров", "what Marco Rubio expect talks"),
        ("uk", "чи вдалося подолати розбіжності", "manage resolve differences"),
        ("ru", "примут ли США участие", "accept United States attend"),  # "примут": the future of "принять"
        ("uk", "україна прийме пропозицію", "Ukraine accept propose"),
        ("ru", "кого из первых лиц не будет", "who from top officials not will"),  # heads of state and the like
        ("uk", "хто з великих шишок не приїде", "who from top officials not attend"),
        ("ru", "кто будет на переговорах", "who attend talks"),  # being at the talks, not a future of nothing
        ("ru", "рубио настроен скептически", "Marco Rubio serious sceptical"),
        ("uk", "хто оптимістичніший", "who optimistic"),  # a comparative, by its stem
    ],
)
def test_chat_phrases_and_idioms_are_read_for_what_they_mean(
    answerer: Answerer, language: str, question: str, read: str
) -> None:
    reader = answerer.crosslingual.reader(language)
    assert reader is not None
    assert reader.read(question).text.rstrip("?") == read


def test_and_before_a_question_word_joins_two_questions(reader: QuestionReader) -> None:
    assert reader.read("Що сталося в Бучі і як це вплинуло?").text.startswith("what happened in Bucha and how")
    assert " and " not in reader.read("Умєров і Поклад їдуть?").text  # between names it asks nothing new


@pytest.mark.parametrize(
    ("question", "read"),
    [
        ("після 22-го року контакти були", "after 2022 contact"),
        ("а після 22го року вони контактували", "after 2022 contact"),
        ("до 22-го травня будуть переговори", "to 22 may will talks"),  # a day of May, not a year
    ],
)
def test_a_two_digit_year_after_since_or_after_is_this_centurys(
    reader: QuestionReader, question: str, read: str
) -> None:
    assert reader.read(question).text == read


@pytest.mark.parametrize(
    ("question", "english"),
    [
        ("хто з генштабу їде?", "from"),  # the genitive: from
        ("хто поїде з Умєровим?", "with"),  # the instrumental: with
        ("з ким говоритиме Антон?", "with"),
    ],
)
def test_ukrainian_z_is_from_before_the_genitive_and_with_before_the_instrumental(
    reader: QuestionReader, question: str, english: str
) -> None:
    assert english in reader.read(question).text.split(), reader.read(question).text


def test_what_follows_hearsay_is_a_claim_not_a_question(reader: QuestionReader) -> None:
    """ "Кажуть, що ..." is "they say that ...": the "що" opens what is claimed, it asks nothing."""
    assert reader.read("Кажуть, що Умєров не їде?").text.split()[0] == "that"


@pytest.mark.parametrize(("language", "word"), [("uk", "зрушиться"), ("ru", "сдвинется")])
def test_things_moving_is_progress(language: str, word: str) -> None:
    assert Glossary.for_language(language).gloss_word(word, typos=False) == "progress"


@pytest.mark.parametrize("word", ["согласна", "согласен", "согласны"])
def test_russian_agreeing_is_not_according_to(word: str) -> None:
    assert Glossary.for_language("ru").gloss_word(word, typos=False) == "agree"
