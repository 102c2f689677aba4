"""Question analysis: the answer type a question asks for, and facts that cannot be of that type."""

from __future__ import annotations

import pytest

from knowledge.answer import Answerer
from knowledge.fact_index import is_yes_no_question
from knowledge.question import answer_type, states_a_count


@pytest.mark.parametrize(
    "question, expected",
    [
        ("Who leads Ukraine's delegation?", "who"),
        ("whose side is Fomin on", "who"),
        ("Which city hosts the talks?", "where"),  # which + a place noun asks where
        ("Which delegation does Fomin belong to?", "which"),
        ("What did Medinsky say?", "what"),
        ("When do the talks start?", "when"),
        ("Where are the talks?", "where"),
        ("Why is Zelenskyy staying away?", "why"),
        ("How many negotiators did the Kremlin name?", "how many"),
        ("At what time do the delegations sit down?", "what time"),
        ("Precisely how many deputies did Kyiv bring?", "exact count"),
        ("What does demilitarisation mean?", "definition"),
        ("What does the Kremlin mean by demilitarisation?", "what"),  # what someone meant, not a definition
        ("how much did the grain deal matter", "how many"),
        ("How does Moscow see these talks?", "how"),
        ("Is Lavrov in Istanbul?", "yes-no"),
        ("Fomin is the deputy defence minister, right?", "yes-no"),
        ("Tell me about Umerov.", "other"),
        ("How long has Bruce been at the State Department?", "how long"),
        ("has she worked there for long?", "how long"),
        ("Брюс давно працює в держдепі?", "how long"),
        ("How old is the Kremlin's negotiator?", "how old"),
        ("Where does Kyiv stand on a truce?", "what"),  # a position, not a place
        ("where's kyslytsya from?", "where from"),  # a person's roots
        ("where was Fomin born?", "where"),  # a birthplace is a place, not roots
    ],
)
def test_the_answer_type_is_read_from_the_question_words(question: str, expected: str) -> None:
    assert answer_type(question) == expected


@pytest.mark.parametrize(
    "statement, counts",
    [
        ("The Kremlin named three negotiators.", True),
        ("Umerov will be joined by about a dozen deputy ministers.", True),
        ("Hundreds of civilians were found dead.", True),
        ("In March 2022 the sides met.", False),  # a year is not a count
        ("The Kremlin named 3 negotiators in 2025.", True),
        ("Medinsky leads Russia's delegation.", False),
    ],
)
def test_a_count_is_a_number_or_a_number_word(statement: str, counts: bool) -> None:
    assert states_a_count(statement) is counts


def test_how_many_is_never_answered_by_a_fact_without_a_count(answerer: Answerer) -> None:
    for question in (
        "How many deputies does Medinsky have?",
        "How many people are on Russia's side?",
        "how many officials did the US send",
    ):
        reply = answerer.ask(question)
        assert not reply.answered or states_a_count(reply.answer), (question, reply.answer)


def test_how_many_is_answered_when_the_fact_counts(answerer: Answerer) -> None:
    reply = answerer.ask("How many negotiators did the Kremlin name besides Medinsky?")
    assert reply.fact == "russia_delegation" and states_a_count(reply.answer)


@pytest.mark.parametrize("question", ["Russia?", "and Russia's?", "ukraine", "Kyiv!!"])
def test_a_side_named_alone_asks_nothing_and_is_declined_with_suggestions(answerer: Answerer, question: str) -> None:
    reply = answerer.ask(question)
    assert not reply.answered and reply.suggestions, reply


def test_a_place_named_as_where_the_talks_are_still_counts(answerer: Answerer) -> None:
    assert answerer.ask("are the talks in turkey?").fact == "talks_location"


@pytest.mark.parametrize(
    "question",
    [
        "What building will the delegations use in Istanbul?",  # where: no fact is about a building
        "Why is Lavrov not coming to Istanbul?",  # why: the source gives no reason
        "Where did Zelenskyy and Erdogan meet?",  # where: the fact names no place
        "What time did Zelenskyy sit down with Erdogan?",  # a time of day: no fact states one
        "Whereabouts in Istanbul do the delegations meet?",  # finer than the city the fact names
        "Precisely how many civilians died in Bucha?",  # the source gives an estimate ("hundreds")
        "What does demilitarisation mean?",  # no fact defines a word
        "has tammy bruce worked at the state department for long?",  # how long: no fact states a duration
        "how old is russia's deputy foreign minister",  # how old: no fact gives anyone's age
    ],
)
def test_a_fact_of_the_wrong_type_does_not_answer(answerer: Answerer, question: str) -> None:
    reply = answerer.ask(question)
    assert not reply.answered, (question, reply.answer)


def test_a_where_question_narrowed_to_a_wider_place_is_answered(answerer: Answerer) -> None:
    assert answerer.ask("Where in Turkey are they meeting?").fact == "talks_location"


def test_a_question_about_a_person_asked_as_which_official_is_a_who_question(answerer: Answerer) -> None:
    assert answerer.ask("Which official will head Moscow's delegation?").fact in {"russia_lead", "person_medinsky"}


def test_why_is_answered_by_a_fact_that_gives_the_reason(answerer: Answerer) -> None:
    assert answerer.ask("Why is Zelenskyy not going to the talks?").fact in {"zelenskyy_absent", "person_zelenskyy"}


@pytest.mark.parametrize(
    "question",
    [
        "Скільки разів Умєров зустрічався з Мединським?",  # how many: no fact states a count of meetings
        "Що Лавров сказав журналістам?",  # what did X say: the sources quote him on nothing
        "В каком городе встретились Зеленский и Эрдоган?",  # where: the fact names no place
    ],
)
def test_ukrainian_and_russian_questions_of_the_wrong_type_are_declined(answerer: Answerer, question: str) -> None:
    reply = answerer.ask(question)
    assert not reply.answered, (question, reply.answer)


def test_a_ukrainian_how_many_is_answered_by_a_fact_that_states_a_count(answerer: Answerer) -> None:
    """About a dozen is a count: the delegation fact answers how many are on Umerov's team."""
    reply = answerer.ask("Скільки людей у команді Умєрова?")
    assert reply.fact == "ukraine_delegation", reply.answer


@pytest.mark.parametrize(
    "question, expected",
    [
        ("У якому місті переговори?", "where"),
        ("Сколько человек в делегации?", "how many"),
        ("Чому Зеленський не їде?", "why"),
        ("Кто возглавляет делегацию?", "who"),
        ("which country is galuzin from", "which"),  # a country asks for a side, not a place
    ],
)
def test_answer_types_in_ukrainian_russian_and_english(question: str, expected: str) -> None:
    assert answer_type(question) == expected


def test_either_or_is_settled_by_the_one_alternative_the_sources_support(answerer: Answerer) -> None:
    reply = answerer.ask("Are the talks in Antalya or in Istanbul?")
    assert reply.fact == "talks_location", reply


def test_either_or_is_answered_with_the_facts_own_statement_not_a_yes_or_no(answerer: Answerer) -> None:
    reply = answerer.ask("Who heads Moscow's team, Lavrov or Medinsky?")
    assert reply.fact in {"person_medinsky", "russia_lead"}, reply
    assert not reply.answer.startswith(("Yes", "No")), reply.answer


def test_either_or_with_no_supported_alternative_gets_the_sourced_correction(answerer: Answerer) -> None:
    reply = answerer.ask("Are the talks in Ankara or Antalya?")
    assert reply.fact == "talks_location" and "Istanbul" in reply.answer, reply


def test_either_or_answered_by_a_fact_that_names_neither_alternative_is_declined(answerer: Answerer) -> None:
    """The statement is about their meeting, but says nothing of where it was."""
    assert answerer.ask("did zelensky meet erdogan in istanbul or in ankara").fact is None


def test_or_not_offers_no_alternative(answerer: Answerer) -> None:
    assert answerer.ask("Is Putin coming to Istanbul or not?").fact in {"putin_absent", "person_putin", "absentees"}


def test_either_or_with_a_longer_second_alternative_asks_the_first_alone(answerer: Answerer) -> None:
    reply = answerer.ask("is kyslytsya a deputy minister or the actual foreign minister")
    assert reply.fact == "person_kyslytsya" and not reply.answer.startswith(("Yes", "No")), reply
    reply = answerer.ask("Is Putin going to Istanbul himself or sending someone in his place?")
    assert reply.fact in {"putin_absent", "person_putin", "absentees"}, reply


def test_either_or_whose_first_part_names_nobody_doing_anything_is_not_split(answerer: Answerer) -> None:
    """ "Is Kostyukov" asks nothing: the alternatives share the rest of the question, and his profile alone
    would not say whether he is at the table."""
    question = "Is Kostyukov or the other guy from his agency going to be at the table in Istanbul?"
    assert answerer.ask(question).fact != "person_kostyukov"


def test_which_x_or_y_shares_its_end_and_is_not_split(answerer: Answerer) -> None:
    assert answerer.ask("which building or palace in istanbul are they meeting in").fact is None


def test_or_what_is_no_alternative_to_put_in_place_of_the_last_words(answerer: Answerer) -> None:
    """ "... in the end or what": not "... in the what"."""
    assert answerer.ask("so did they agree on a ceasefire in the end or what").fact is None


@pytest.mark.parametrize(
    "question", ["will the talks be in ankara or istanbul?", "перемовини будуть в анкарі чи в стамбулі?"]
)
def test_the_talks_being_somewhere_asks_where_they_are_held(answerer: Answerer, question: str) -> None:
    assert answerer.ask(question).fact == "talks_location"


def test_he_in_the_asking_sentence_is_the_one_person_the_message_names(answerer: Answerer) -> None:
    reply = answerer.ask("Kremlin sent its deputies and Zelenskyy was not impressed. What did he say about that team?")
    assert reply.fact in {"zelenskyy_criticism", "zelenskyy_expectations"}, reply


def test_he_is_not_guessed_when_the_message_names_two_people(answerer: Answerer) -> None:
    assert not answerer.ask("Umerov and Medinsky shook hands. Who is he?").answered


def test_an_aside_describing_who_is_meant_does_not_change_what_is_asked(answerer: Answerer) -> None:
    reply = answerer.ask("Is Lavrov, who has been foreign minister for years, coming to the talks?")
    assert reply.fact in {"person_lavrov", "top_diplomats_absent", "absentees"}, reply


def test_a_question_between_commas_of_a_chatty_message_is_found(answerer: Answerer) -> None:
    reply = answerer.ask("galuzin, who is he, why is his name in every headline today")
    assert reply.fact == "person_galuzin", reply


@pytest.mark.parametrize(
    "question, ends_asking",
    [
        ("so neither putin nor zelensky are showing up?? lol classic", True),
        ("umerov leads the team? ok", True),
        ("Shevchenko is deputy. his boss? Oleksiy Shevchenko", False),  # a name put after the mark
        ("umerov leads the team? I read it in three different papers", False),
    ],
)
def test_a_claim_still_asks_with_a_little_chatter_after_its_question_mark(question: str, ends_asking: bool) -> None:
    assert is_yes_no_question(question) is ends_asking


@pytest.mark.parametrize(
    "question, facts",
    [
        ("which country is hosting the ukraine russia talks this time", {"talks_location"}),
        (
            "so neither putin nor zelensky are showing up?? lol classic",
            {"putin_absent", "zelenskyy_absent", "absentees"},
        ),
        ("who holds the deputy defence minister slot on the russian team", {"person_fomin"}),
        ("wtf does russia mean by 'root causes'", {"russia_root_causes"}),
        ("Notable no-shows in Istanbul?", {"absentees"}),
        ("Roughly how large is Ukraine's delegation?", {"ukraine_delegation"}),
        ("How wide is the gap between Kyiv and Moscow at this point?", {"differences"}),
    ],
)
def test_chat_filler_and_everyday_words_for_an_office_are_read(
    answerer: Answerer, question: str, facts: set[str]
) -> None:
    assert answerer.ask(question).fact in facts


def test_how_long_is_answered_by_a_fact_that_states_a_duration(answerer: Answerer) -> None:
    assert answerer.ask("how long was Bucha occupied").fact == "talks_2022_breakdown"  # "a month-long occupation"


@pytest.mark.parametrize(
    "question, tagged",
    [
        ("kostyukov is on ukraine's side isnt he", True),
        ("medinsky leads russia's team, doesn't he", True),
        ("the talks are in istanbul, aren't they", True),
        ("tell me about umerov and what he did", False),
    ],
)
def test_a_question_tag_makes_a_claim_a_question_without_a_question_mark(question: str, tagged: bool) -> None:
    assert is_yes_no_question(question) is tagged


@pytest.mark.parametrize("question", ["have the talks already happened", "Have the talks already taken place?"])
def test_whether_the_event_has_happened_yet_is_answered_with_when_it_is(answerer: Answerer, question: str) -> None:
    assert answerer.ask(question).fact == "talks_timing"


def test_what_happened_somewhere_is_still_what_was_found_there(answerer: Answerer) -> None:
    assert answerer.ask("what happened in bucha").fact == "talks_2022_breakdown"


@pytest.mark.parametrize(
    "question",
    [
        "is the EU sending anyone to istanbul or just the US",
        "Will NATO be at the talks?",
        "ЕС участвует в переговорах?",
    ],
)
def test_a_body_the_pack_does_not_know_is_asked_about_and_declined(answerer: Answerer, question: str) -> None:
    assert answerer.ask(question).fact is None


def test_a_known_abbreviation_still_answers(answerer: Answerer) -> None:
    assert answerer.ask("Who represents the US?").fact in {"us_role", "person_anton", "attendees"}
    assert answerer.ask("Кто представляет МИД России на переговорах?").fact in {"person_galuzin", "russia_delegation"}


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Is the Ukrainian side bringing anyone from the security service?", "ukraine_delegation"),
        ("How many people are joining Umerov on the Ukrainian side?", "ukraine_delegation"),
        ("Who is pushing for the unconditional ceasefire Kyiv wants to discuss?", "ukraine_position"),
    ],
)
def test_words_no_phrasing_has_may_be_made_up_by_the_facts_own_words(
    answerer: Answerer, question: str, expected: str
) -> None:
    assert answerer.ask(question).fact == expected


@pytest.mark.parametrize(
    "question",
    [
        "Is the Ukrainian side bringing anyone from the grain deal?",  # the delegation's statement has no deal
        "Shevchenko is deputy. who's Ukraine's chief of general staff, his boss?",  # "chief" of "deputy chief"
    ],
)
def test_a_word_neither_the_phrasings_nor_the_fact_has_is_asked_beyond_them(answerer: Answerer, question: str) -> None:
    assert answerer.ask(question).fact is None


def test_being_there_is_attending_and_there_being_something_is_not(answerer: Answerer) -> None:
    assert answerer.ask("is lavrov there").fact in {"top_diplomats_absent", "person_lavrov", "absentees"}
    assert answerer.ask("who's the american there").fact in {"us_role", "person_anton", "attendees"}
    reply = answerer.ask("who said there wouldnt be any movement until he met putin")
    assert reply.fact in {"trump_expectations", "person_trump"}, reply


def test_a_role_asked_of_each_side_is_answered_for_every_side_with_its_own_quote(answerer: Answerer) -> None:
    reply = answerer.ask("Who are the deputy foreign ministers on each side?")
    assert reply.fact in {"person_kyslytsya", "person_galuzin"}, reply
    assert "Kyslytsya" in reply.answer and "Galuzin" in reply.answer
    quotes = " ".join(citation.quote for citation in reply.citations)
    assert "Sergiy Kyslytsya" in quotes and "Mikhail Galuzin" in quotes


@pytest.mark.parametrize("question", ["who tf is rustem umerov, never heard of him", "no idea who Rustem Umerov is"])
def test_chat_asides_about_the_asker_ask_nothing_more(answerer: Answerer, question: str) -> None:
    assert answerer.ask(question).fact in {"person_umerov", "ukraine_lead"}


@pytest.mark.parametrize(
    "question",
    [
        "Has Tammy Bruce said anything about the Ukrainian delegation?",  # her words name only Russia's team
        "when is trump meeting putin exactly, any date",  # "any date" alone would be the talks' date
        "Кому підпорядковується Майкл Антон?",  # whom he reports to: no source says
    ],
)
def test_near_misses_that_name_what_no_fact_covers_are_declined(answerer: Answerer, question: str) -> None:
    assert answerer.ask(question).fact is None


def test_a_composed_answer_must_fit_the_answer_type_too(answerer: Answerer) -> None:
    """ "building" read as a typo of "bailing" composes who is staying away: no answer to where."""
    assert answerer.ask("In which building or venue in Istanbul are the delegations meeting?").fact is None


def test_alternatives_set_off_by_a_comma_ask_nothing_alone(answerer: Answerer) -> None:
    """ "Ukraine or Russia" is which language was asked about, not how the two sides differ."""
    assert answerer.ask("in which language are the talks held, Ukrainian or Russian?").fact is None
    assert answerer.ask("якою мовою йдуть переговори, українською чи російською").fact is None


def test_what_a_side_said_is_not_what_another_said_about_it(answerer: Answerer) -> None:
    assert answerer.ask("How did the Kremlin reply when Zelenskyy said Moscow was not serious?").fact is None
    reply = answerer.ask("zelensky criticised the russian delegation? what he said exactly")
    assert reply.fact == "zelenskyy_criticism", reply


def test_what_two_people_agreed_asks_what_passed_between_them(answerer: Answerer) -> None:
    """Zelenskyy's words to reporters after meeting Erdogan say nothing of what the two agreed."""
    assert answerer.ask("what did erdogan and zelensky agree on in their meeting").fact is None


def test_how_old_a_report_is_is_answered_by_its_date(answerer: Answerer) -> None:
    assert answerer.ask("how old is this report?").fact == "talks_timing"


def test_where_someone_comes_from_is_answered_by_their_roots_and_only_by_them(answerer: Answerer) -> None:
    assert answerer.ask("so where's umerov from?").fact == "person_umerov"  # "Crimean roots"
    assert answerer.ask("where is galuzin from?").fact is None  # his fact says nothing of his origins
    assert answerer.ask("where was umerov born?").fact is None  # roots are not a birthplace


def test_where_someone_came_from_needs_a_fact_that_says_from_where(answerer: Answerer) -> None:
    """Where the talks are held says nothing of where a delegation flew in from; Umerov's roots do say."""
    assert answerer.ask("where did the delegation fly in from?").fact is None
    assert answerer.ask("where is umerov from?").fact == "person_umerov"


def test_a_sentence_of_a_joined_question_is_held_to_its_own_answer_type(answerer: Answerer) -> None:
    question = "When did the Russian delegation land in Istanbul, and where did it fly in from?"
    assert answerer.ask(question).fact is None


@pytest.mark.parametrize(
    ("question", "fact"),
    [("Where does Trump come into this story?", "person_trump"), ("where does erdogan fit in?", "person_erdogan")],
)
def test_where_someone_comes_into_it_asks_for_their_part_not_a_place(
    answerer: Answerer, question: str, fact: str
) -> None:
    assert answer_type(question) == "what"
    assert answerer.ask(question).fact == fact
    assert answerer.ask("denazification?? where does that come into it").fact != "talks_location"
