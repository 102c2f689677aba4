"""How questions are matched: typos, slots, paraphrase, declines, near-misses, suggestions."""

from __future__ import annotations

import pytest

import datetime as dt

from knowledge.answer import Answerer, Citation, Reply


@pytest.mark.parametrize(
    "question, fact",
    [
        ("Who leads Ukraine's delegation?", "ukraine_lead"),
        ("who leds the ukrainain delgation", "ukraine_lead"),  # typos
        ("WHO IS HEADING THE UKRAINIAN TEAM", "ukraine_lead"),  # casing
        ("the ukrainian delegation is led by whom", "ukraine_lead"),  # word order
        ("Who speaks for Kyiv in Istanbul?", "ukraine_lead"),  # paraphrase, place as context
        ("Who’s in charge of the Russian side?", "russia_lead"),  # typographic apostrophe
        ("who is heading moscow's team", "russia_lead"),
        ("Who is Zelenskiy?", "person_zelenskyy"),  # transliteration
        ("Зеленський?", "person_zelenskyy"),  # Cyrillic alias
        ("who is kislitsa", "person_kyslytsya"),
        ("Where are the talks being held?", "talks_location"),
        ("Why isn't Zelensky going to Istanbul?", "zelenskyy_absent"),
        ("What is the US role in the talks?", "us_role"),
    ],
)
def test_answers_in_scope_questions(answerer: Answerer, question: str, fact: str) -> None:
    match = answerer.matcher.match(question)
    assert match.fact == fact, (question, match)


@pytest.mark.parametrize(
    "question",
    [
        "Who leads the Polish delegation?",
        "Who coaches Russia's hockey team?",
        "How old is Umerov's daughter?",
        "Who leads Turkey's delegation?",  # a known side the sources say nothing about
        "Who is Russia's defence minister?",  # only a deputy is named
        "Who led Ukraine's delegation in 2022?",  # the 2025 answer would be wrong
        "What did Trump say about Zelensky?",
        "Who is Olaf Scholz?",
        "what's the capital of France",
        "tell me a joke",
    ],
)
def test_declines_what_its_sources_do_not_cover(answerer: Answerer, question: str) -> None:
    reply = answerer.ask(question)
    assert not reply.answered, (question, reply.fact)
    assert reply.answer.startswith("I don't have a sourced answer")
    assert 1 <= len(reply.suggestions) <= 3


def test_a_slot_value_without_a_fact_is_declined_not_guessed(answerer: Answerer) -> None:
    match = answerer.matcher.match("Who leads Turkey's delegation?")
    assert match.intent == "delegation_lead" and match.slot_value == "turkey"
    assert match.fact is None and match.reason == "unsupported_slot"


def test_us_in_capitals_is_the_country_and_lowercase_us_is_a_pronoun(answerer: Answerer) -> None:
    analyzer = answerer.matcher.analyzer
    assert [m.entity for m in analyzer.analyse("Who leads the US delegation?").mentions] == ["united_states"]
    assert analyzer.analyse("can you tell us who leads Ukraine's team").mentions[0].entity == "ukraine"
    assert len(analyzer.analyse("can you tell us who leads Ukraine's team").mentions) == 1


def test_every_suggestion_is_a_question_the_bot_answers(answerer: Answerer) -> None:
    matcher = answerer.matcher
    offered = set(matcher.default_suggestions())
    for question in [
        "Who leads the Polish delegation?",
        "who is",
        "hockey",
        "Who is Scholz?",
        "what about turkey",
        "How old is Umerov's daughter?",
        "Is Zelenskyy married?",
        "Erdogan's favourite food?",
    ]:
        offered.update(answerer.ask(question).suggestions)
    for fact in answerer.knowledge.facts:
        suggestion = matcher.suggestion_for_fact(fact)
        assert suggestion is not None, fact
        offered.add(suggestion)
    unanswered = [s for s in offered if not matcher.match(s).answered]
    assert unanswered == []


def test_empty_and_junk_input_is_declined_politely(answerer: Answerer) -> None:
    for question in ["", "   ", "?!?", "\x00\x1b[31m", "🙂" * 50, "x" * 10_000]:
        reply = answerer.ask(question)
        assert not reply.answered
        assert reply.suggestions


def test_reply_carries_statement_source_and_verbatim_quote(answerer: Answerer) -> None:
    reply = answerer.ask("who leads ukraine's team")
    assert reply.answered and len(reply.answer) <= 600
    citation = reply.citations[0]
    assert citation.publisher == "NZ Herald" and citation.url.startswith("https://")
    assert citation.quote.startswith("The Ukraine delegation will be led by Defence Minister Rustem Umerov")
    text = reply.plain_text()
    assert text.splitlines()[0] == f"{reply.answer} (As of 15 May 2025.)"  # who leads can change
    assert "Source: Istanbul to host Ukraine-Russia peace talks" in text and "15 May 2025" in text


def test_html_rendering_escapes_everything_dynamic(answerer: Answerer) -> None:
    hostile = Reply(
        question="q",
        answered=True,
        answer="A <b>bold</b> & claim",
        citations=(Citation('T "1" <x>', "P&P", "https://e/?a=1&b=2", dt.date(2025, 5, 15), "q <i>"),),
        suggestions=("Who <leads>?",),
    )
    rendered = hostile.html()
    for raw in ("<b>bold", "<x>", "P&P", "q <i>", "<leads>"):
        assert raw not in rendered
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; claim" in rendered
    assert '<a href="https://e/?a=1&amp;b=2">' in rendered
    odd = Reply(
        question="q",
        answered=True,
        answer="A",
        citations=(Citation("T", "P", "https://e/?b=<2>", dt.date(2025, 5, 15), "q"),),
    )
    assert "<a " not in odd.html() and "<2>" not in odd.html()  # not a URL Telegram takes: no link


def test_inline_candidates_are_ranked_and_distinct(answerer: Answerer) -> None:
    candidates = answerer.matcher.candidates("who leads ukraine", limit=5)
    assert candidates and candidates[0].fact == "ukraine_lead"
    assert len({c.fact for c in candidates}) == len(candidates)
    assert all(a.confidence >= b.confidence for a, b in zip(candidates, candidates[1:]))


@pytest.mark.parametrize(
    "question, fact",
    [
        ("Is Alexander Fomin Russia's deputy defence minister?", "person_fomin"),
        ("Trump is the US president, right?", "person_trump"),
        ("Is Kyslytsya a deputy foreign minister?", "person_kyslytsya"),
        ("Is Fomin Russia's defence minister?", "person_fomin"),  # the answer corrects the claim: a deputy
    ],
)
def test_claims_put_up_for_checking_get_the_fact_that_speaks_to_them(
    answerer: Answerer, question: str, fact: str
) -> None:
    assert answerer.matcher.match(question).fact == fact


def test_fact_words_answer_only_yes_no_questions_whose_names_belong_to_the_fact(answerer: Answerer) -> None:
    facts = answerer.matcher.facts
    assert facts.best("Who heads Ukraine's Security Service?") is None  # a wh-question
    wrong_claim = facts.best("Is Galuzin Russia's deputy defence minister?")  # the answer sets it right
    assert wrong_claim is not None
    assert "Deputy Foreign Minister Mikhail Galuzin" in answerer.knowledge.facts[wrong_claim.fact].statement
    assert facts.best("Is Lavrov Ukraine's deputy foreign minister?") is None  # Lavrov is not in that fact
    assert facts.best("Is the sky blue?") is None  # names nothing


def test_a_chatty_message_is_answered_from_the_sentence_that_asks(answerer: Answerer) -> None:
    match = answerer.matcher.match("Good morning. Could you please tell me whether Putin will be attending?")
    assert match.fact == "putin_absent"
    assert answerer.matcher.match("Lovely weather. Who coaches Russia's hockey team?").fact is None


def test_words_an_intent_excludes_rule_it_out(answerer: Answerer) -> None:
    assert answerer.matcher.match("How many civilians were found dead in Bucha?").fact == "talks_2022_breakdown"
    assert answerer.matcher.match("How many civilians exactly were killed in Bucha?").fact is None
    assert answerer.matcher.match("what is the precise number of civilians found dead in bucha").fact is None


@pytest.mark.parametrize(
    "question, fact",
    [
        ("lavrov is the russian foreign minister?", "person_lavrov"),
        ("Zelensky is Ukraine's president, yeah?", "person_zelenskyy"),
    ],
)
def test_statements_ending_in_a_question_mark_are_checked_against_the_facts(
    answerer: Answerer, question: str, fact: str
) -> None:
    assert answerer.matcher.match(question).fact == fact


def test_shouted_possessives_read_like_quiet_ones(answerer: Answerer) -> None:
    assert (
        answerer.matcher.analyzer.analyse("WHO LEADS UKRAINE'S TEAM").tokens
        == answerer.matcher.analyzer.analyse("who leads ukraine's team").tokens
    )


def test_a_declined_question_naming_someone_suggests_what_is_known_about_them(answerer: Answerer) -> None:
    assert "Who is Rustem Umerov?" in answerer.ask("How old is Umerov's daughter?").suggestions


@pytest.mark.parametrize(
    "question, fact",
    [
        ("Are Russia's top diplomats in Istanbul?", "top_diplomats_absent"),  # several: both of them
        ("who is russia's top diplomat", "person_lavrov"),  # one: the foreign minister
    ],
)
def test_top_diplomats_are_several_people_and_the_top_diplomat_is_one(
    answerer: Answerer, question: str, fact: str
) -> None:
    assert answerer.ask(question).fact == fact


@pytest.mark.parametrize(
    "question",
    [
        "What is Erdogan's position on the ceasefire?",  # his profile says nothing of the ceasefire
        "what rank is shevchenko, is he a general",  # nor Shevchenko's of his rank
    ],
)
def test_a_profile_does_not_answer_a_question_about_a_topic_it_never_mentions(
    answerer: Answerer, question: str
) -> None:
    assert answerer.ask(question).fact is None


@pytest.mark.parametrize(
    "question, fact",
    [
        ("What is Erdogan's position?", "person_erdogan"),  # the same words without the topic
        ("Poklad - which agency?", "person_poklad"),  # "agency" is what profiles speak of
        ("Which GRU official is in the Russian delegation?", "person_kostyukov"),
    ],
)
def test_a_profile_still_answers_what_profiles_speak_of(answerer: Answerer, question: str, fact: str) -> None:
    assert answerer.ask(question).fact == fact


@pytest.mark.parametrize(
    "question, fact",
    [
        ("whats umerov's actual job", "person_umerov"),  # "actual job": the job
        ("so basically the two sides are still miles apart?", "differences"),
    ],
)
def test_everyday_words_for_jobs_and_gaps_are_understood(answerer: Answerer, question: str, fact: str) -> None:
    assert answerer.ask(question).fact == fact


def test_only_the_deputy_still_asks_for_someone_else(answerer: Answerer) -> None:
    assert answerer.ask("who's ukraine's foreign minister then, if kyslytsya is only the deputy").fact is None


@pytest.mark.parametrize(
    "question, fact",
    [
        ("how far apart are the two sides?", "differences"),
        ("Have the two sides negotiated in Istanbul before?", "talks_2022"),
    ],
)
def test_the_two_sides_are_both_sides(answerer: Answerer, question: str, fact: str) -> None:
    assert answerer.ask(question).fact == fact


def test_a_short_question_in_one_intents_own_words_is_answered_though_no_phrasing_is_close(
    answerer: Answerer,
) -> None:
    # "agreeing" is a word hardly any other intent uses; every word of the question is the intent's
    assert answerer.matcher.match("so are they close to agreeing at all").fact == "differences"
    # a question word its phrasings lack, beside two words of theirs
    assert answerer.matcher.match("how ready is medinsky to compromise").fact == "medinsky_expectations"
    # but not beside one: "today" alone tells nothing
    assert answerer.matcher.match("how r u today").fact is None


@pytest.mark.parametrize(
    "question",
    [
        "are they close to agreeing on zorbles",  # a word no intent knows: it may ask anything
        "what did erdogan tell reporters",  # Zelenskyy told them, after meeting Erdogan
        "What would Anton propose to Moscow?",  # a fact about Russia's position names no Anton
    ],
)
def test_a_question_in_an_intents_words_is_still_declined_when_it_asks_beyond_them(
    answerer: Answerer, question: str
) -> None:
    match = answerer.matcher.match(question)
    assert match.fact is None, match


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        ("what was Galuzin's job before this?", None),  # his profile is of now
        ("what did Umerov do before?", "person_umerov"),  # his profile tells of earlier diplomacy
        ("was Lavrov in earlier talks with the US?", "top_diplomats_absent"),  # a statement that tells
    ],
)
def test_a_profile_answers_what_someone_did_before_only_when_it_tells(
    answerer: Answerer, question: str, fact: str | None
) -> None:
    assert answerer.matcher.match(question).fact == fact


def test_a_claim_no_phrasing_fits_is_checked_against_the_statements_words(answerer: Answerer) -> None:
    # the intent close to it has no answer for Erdogan; his profile's own words bear the claim out
    assert answerer.matcher.match("Erdogan hosts the talks, right?").fact == "person_erdogan"


def test_a_claim_about_one_sides_office_is_not_checked_against_a_statement_about_the_other(
    answerer: Answerer,
) -> None:
    # Umerov's profile says "Defence Minister" and "Moscow", but he is Ukraine's
    assert answerer.matcher.match("is Russia's defence ministry represented at the talks?").fact != "person_umerov"


def test_two_people_asked_the_same_thing_get_each_ones_own_fact_with_its_quote(answerer: Answerer) -> None:
    reply = answerer.ask("what do Zelenskyy and Medinsky expect")
    assert reply.fact in {"zelenskyy_expectations", "medinsky_expectations"}
    assert "Zelenskyy" in reply.answer and "Medinsky" in reply.answer and len(reply.citations) == 2


def test_two_people_are_not_answered_together_with_a_profile(answerer: Answerer) -> None:
    # "what does Anton do" is answered by his profile: a profile says who someone is, not what was asked
    assert answerer.matcher.match("what do anton and rubio do at the talks").statement is None


def test_a_first_letter_typed_as_another_makes_another_word_not_a_typo(answerer: Answerer) -> None:
    """ "deadline" read as "headline" (a stop word) would drop what the question asks about."""
    tokens = answerer.matcher.analyzer.analyse("is there a deadline for russia").tokens
    assert "?deadline" in tokens
    assert answerer.ask("Is there a deadline for Russia to accept the unconditional ceasefire?").fact is None


@pytest.mark.parametrize(
    "question, fact",
    [
        ("So the talks are happening in Vienna?", "talks_location"),
        ("The earlier round in 2022 was held in Gomel, wasn't it?", "talks_2022"),
        ("переговори відбуваються у Відні?", "talks_location"),  # the gloss keeps the capital: "у Відні"
    ],
)
def test_a_claim_naming_a_place_the_pack_does_not_know_gets_where_it_really_was(
    answerer: Answerer, question: str, fact: str
) -> None:
    assert answerer.ask(question).fact == fact


@pytest.mark.parametrize(
    "question",
    [
        "Is Kostyukov based in Sochi?",  # no fact says where he is based
        "are the talks in secret?",  # a lowercase word after "in" is no place
        "Did the talks in Geneva fail?",
    ],
)
def test_an_unknown_place_is_corrected_only_by_a_fact_that_says_where(answerer: Answerer, question: str) -> None:
    assert answerer.ask(question).fact is None


def test_two_questions_joined_by_and_are_answered_by_the_one_that_can_be(answerer: Answerer) -> None:
    assert answerer.ask("What happened at Bucha and why did it matter for the talks?").fact == "talks_2022_breakdown"
    assert answerer.ask("Що сталося в Бучі і як це змінило переговори?").fact == "talks_2022_breakdown"


def test_a_he_after_a_question_for_someone_is_that_someone_not_the_person_named(answerer: Answerer) -> None:
    """The US sent someone instead of Rubio; "he" is whoever was sent, so Rubio's fact is no answer."""
    reply = answerer.ask("They skipped Rubio for this. Who did Washington send and what will he do there?")
    assert reply.fact != "person_rubio"


def test_a_joined_question_whose_whole_fits_no_fact_is_answered_by_its_part_that_does(answerer: Answerer) -> None:
    """Anton is in no delegation, so "why is he there" read with the whole message finds no fact for him;
    "who is Michael Anton" alone does."""
    assert answerer.ask("who's michael anton and why is he there").fact in {
        "person_anton",
        "us_role",
    }  # who he is; what he is there for


@pytest.mark.parametrize(
    "question",
    [
        "are the talks in moscow?",
        "are the talks held in Kyiv?",
        "is the location moscow?",
        "are the RU UA talks in Istanbul?",  # the two sides say whose talks; not how far apart they are
        "are russia and ukraine meeting in moscow?",
    ],
)
def test_a_claim_putting_the_talks_in_a_sides_city_is_corrected_with_where_they_are(
    answerer: Answerer, question: str
) -> None:
    """Moscow is Russia to the pack, yet here it is a place: a fact about Russia (its position, or what
    Zelenskyy said of it) is no answer; where the talks are held is."""
    assert answerer.ask(question).fact == "talks_location"


def test_a_place_claim_about_a_side_with_no_fact_that_says_where_is_declined(answerer: Answerer) -> None:
    assert answerer.ask("is there a ceasefire in ukraine?").fact is None
    assert answerer.ask("Is Russia in Istanbul?").fact != "talks_location"  # whether it attends, not where
    assert answerer.ask("is anyone from the security service in Ukraine's delegation?").fact == "person_poklad"


def test_the_side_talked_with_is_the_setting_not_the_side_asked_about(answerer: Answerer) -> None:
    """ "with the Russian delegation" says whom the Americans talk to: the US is asked about."""
    assert answerer.ask("who from the american side will talk with the russian delegation").fact == "us_role"


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        ("where's bucha", "talks_2022_breakdown"),
        ("Буча это где", "talks_2022_breakdown"),
        ("where is istanbul?", "talks_location"),
    ],
)
def test_where_a_place_is_comes_from_the_narrowest_fact_that_names_it_and_says_where(
    answerer: Answerer, question: str, fact: str
) -> None:
    """Not from a fact that only lists the place among its entities (the report's date, "in Istanbul")."""
    assert answerer.ask(question).fact == fact


def test_a_pronoun_beside_the_name_it_stands_for_adds_no_second_mention(answerer: Answerer) -> None:
    """ "Michael Anton, who is he?": read with the name once, as "who is Michael Anton"."""
    assert answerer.ask("Michael Anton кто он и зачем едет").fact in {"person_anton", "us_role"}
    assert answerer.ask("medinsky is ukrainian isnt he? the name sounds ukrainian").fact == "person_medinsky"


def test_a_sentence_is_read_with_the_person_its_office_names_as_a_whole_question_is(answerer: Answerer) -> None:
    """The defence minister is Umerov, so "how many go with him" asks about his delegation."""
    question = "reading about this in the metro lol. how many ukrainian officials go with the defence minister?"
    assert answerer.ask(question).fact == "ukraine_delegation"
    # a sentence that, so read, answers nothing leaves the message to the other rules
    assert answerer.ask("ok so kyiv is sending the defence minister to lead? whats his name").fact == "ukraine_lead"


@pytest.mark.parametrize(
    "question",
    ["so rubio is the one doing the working-level talks w the russians?", "is rubio holding talks with the russians?"],
)
def test_a_claim_that_one_person_does_what_another_is_reported_doing_gets_the_report(
    answerer: Answerer, question: str
) -> None:
    """The US role names Anton as the one holding the talks: that statement answers, with no yes or no."""
    reply = answerer.ask(question)
    assert reply.fact == "us_role" and not reply.answer.startswith(("Yes", "No")), reply.answer


def test_what_a_person_said_is_not_read_as_what_they_do(answerer: Answerer) -> None:
    """Zelenskyy's criticism of Russia's negotiators does not make him the one negotiating for Russia."""
    assert answerer.ask("Poklad negotiates for the Russian side, right?").fact != "zelenskyy_criticism"


@pytest.mark.parametrize(
    ("question", "opening"),
    [
        ("is putin skipping the talks?", "Yes. Vladimir Putin is not joining"),
        ("will putin miss the talks?", "Yes. Vladimir Putin is not joining"),
        ("Путін пропускає переговори?", "Так. Володимир Путін не долучається"),
        ("is putin attending?", "No, Vladimir Putin is not joining"),
        ("isn't putin going?", "No, Vladimir Putin is not joining"),  # the asker's own "not": "No, he isn't"
    ],
)
def test_a_question_of_absence_gets_the_verdict_of_its_own_polarity(
    answerer: Answerer, question: str, opening: str
) -> None:
    assert answerer.ask(question).answer.startswith(opening)


def test_a_message_the_attributes_cannot_settle_whole_is_answered_by_a_sentence_they_can(
    answerer: Answerer,
) -> None:
    question = "Lavrov is leading the RU delegation, yes? thats what my uncle keeps saying"
    assert answerer.ask(question).answer.startswith("No. Vladimir Medinsky leads Russia's delegation.")


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        ("Umerov has no previous experience dealing with Moscow, correct?", "person_umerov"),
        ("the us isn't sending anyone?", "us_role"),
        ("the talks aren't in istanbul?", "talks_location"),
    ],
)
def test_a_claim_in_the_negative_is_settled_by_the_fact_that_settles_the_positive(
    answerer: Answerer, question: str, fact: str
) -> None:
    reply = answerer.ask(question)
    assert reply.fact == fact and not reply.answer.startswith("Yes"), reply.answer


@pytest.mark.parametrize(
    "question",
    ["will russia and ukraine do a new prisoner exchange after these talks", "did trump call putin after the talks"],
)
def test_what_happens_after_the_talks_is_beyond_sources_written_before_their_end(
    answerer: Answerer, question: str
) -> None:
    assert answerer.ask(question).fact is None


def test_after_the_talks_of_another_year_or_after_they_broke_down_is_still_asked(answerer: Answerer) -> None:
    assert answerer.ask("what happened after the talks in 2022?").fact == "talks_2022_breakdown"
    assert answerer.ask("what did zelenskyy say after meeting erdogan?").fact == "zelenskyy_expectations"


@pytest.mark.parametrize(
    "question", ["with which mandate does ukraine's team go?", "с каким мандатом едет украинская команда"]
)
def test_intents_that_tie_are_told_apart_by_the_words_their_facts_say(answerer: Answerer, question: str) -> None:
    """Its delegation and its position score alike; only the position speaks of a mandate."""
    assert answerer.ask(question).fact == "ukraine_position"


@pytest.mark.parametrize(
    "question", ["Marco Rubio expect from meeting in Turkey?", "Rubio чогось чекає від зустрічі в Туреччині?"]
)
def test_a_fact_about_someone_else_does_not_answer_for_the_person_named(answerer: Answerer, question: str) -> None:
    """Trump's profile speaks of Turkey and of a meeting; it says nothing of Rubio."""
    assert answerer.ask(question).fact != "person_trump"


def test_a_sentence_that_asks_without_a_question_mark_is_read_when_the_marked_ones_fail(
    answerer: Answerer,
) -> None:
    assert answerer.ask("Erdoğan kimdir? I mean, who is Erdogan").fact == "person_erdogan"
    # a statement beside the question is never read as the question
    assert answerer.ask("Medinsky leads the Russian team. What does he eat for breakfast?").fact is None
    # nor is a sentence read when a marked one asks what the attributes say no source says
    assert answerer.ask("medinsky's official job title? like what ministry is he in").fact is None


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        ("The 2022 talks fell apart over the grain deal, right?", "talks_2022_breakdown"),
        ("the 2022 talks collapsed bc of the kherson retreat right?", "talks_2022_breakdown"),
        ("zelenskyy is staying away because he is ill, right?", "zelenskyy_absent"),
    ],
)
def test_a_claim_of_why_something_happened_gets_the_fact_that_gives_the_reason(
    answerer: Answerer, question: str, fact: str
) -> None:
    reply = answerer.ask(question)
    assert reply.fact == fact and not reply.answer.startswith("Yes"), reply.answer  # never confirms the guess


@pytest.mark.parametrize(
    "question",
    [
        "Is Russia demanding that Ukraine hand over the four regions it annexed?",  # "hand over" gives no reason
        "Zelenskyy won't attend because Putin isn't coming. Will he send a letter instead?",  # the reason is not asked
    ],
)
def test_over_or_because_that_gives_no_reason_asked_about_is_not_read_as_one(answerer: Answerer, question: str) -> None:
    assert answerer.ask(question).fact not in {"russia_root_causes", "zelenskyy_absent"}


@pytest.mark.parametrize(
    ("question", "year"),
    [
        ("so since 22 its just been prisoner swaps", True),
        ("have they talked since '22?", True),
        ("since 22 people died", False),  # a count after "since", not a year
    ],
)
def test_a_two_digit_year_after_a_word_of_time_is_this_centurys(answerer: Answerer, question: str, year: bool) -> None:
    assert ("2022" in answerer.matcher.analyzer.analyse(question).tokens) is year


@pytest.mark.parametrize(
    "question",
    [
        "Who sounds more upbeat about the talks, Medinsky or Rubio?",
        "Do Trump and Rubio see the talks the same way?",
        "кто настроен оптимистичнее, Мединский или Рубио",  # who, of the two: a comparison too
    ],
)
def test_a_comparison_of_two_peoples_views_gets_each_ones_statement(answerer: Answerer, question: str) -> None:
    """Side by side, for the reader to compare: the sources do not say which is more upbeat."""
    match = answerer.match(question)
    assert match.fact is not None and len(match.support) == 1 and match.support[0] != match.fact, match
    assert not answerer.ask(question).answer.startswith(("Yes", "No"))


def test_a_comparison_the_sources_give_no_views_for_is_declined(answerer: Answerer) -> None:
    assert answerer.ask("is putin older than zelenskyy?").fact is None


@pytest.mark.parametrize(
    "question, fact",
    [
        ("Which deputy ministers and military officials accompany Umerov?", "ukraine_delegation"),
        ("what terms does Moscow use to justify the invasion", "russia_root_causes"),
    ],
)
def test_a_what_or_which_question_worded_wholly_in_one_statement_gets_it(
    answerer: Answerer, question: str, fact: str
) -> None:
    assert answerer.ask(question).fact == fact, question


@pytest.mark.parametrize(
    "question",
    [
        "What did the outline they discussed in March 2022 say?",  # what, then no thing the statement holds
        "On what date will Trump meet Putin?",
        "who is the chief of ukraine's general staff?",  # who: never by words alone (he is its deputy chief)
    ],
)
def test_a_statement_holding_the_words_answers_only_when_it_holds_the_thing_asked_for(
    answerer: Answerer, question: str
) -> None:
    assert answerer.ask(question).fact is None, question


@pytest.mark.parametrize("question", ["Is a second round planned?", "when is the next round of talks?"])
def test_a_next_round_is_after_the_talks_and_beyond_the_sources(answerer: Answerer, question: str) -> None:
    assert answerer.ask(question).fact is None, question


def test_a_name_mentioned_in_the_story_is_not_a_speaker(answerer: Answerer) -> None:
    assert answerer.ask("Who is the American president mentioned in the article?").fact == "person_trump"


def test_appeared_to_is_seeming_not_attending(answerer: Answerer) -> None:
    """A statement that someone "appeared to concede" says nothing of his going anywhere."""
    assert answerer.ask("is trump travelling to turkey for the talks?").fact is None


@pytest.mark.parametrize(
    "question, fact",
    [
        ("Does Zelenskyy believe the Russians are serious about ending the war?", "zelenskyy_criticism"),
        ("zelensky reckons moscow is taking the real negotiations seriously, right?", "zelenskyy_expectations"),
    ],
)
def test_a_claim_of_what_someone_believes_is_checked_by_what_they_said(
    answerer: Answerer, question: str, fact: str
) -> None:
    assert answerer.ask(question).fact == fact, question


def test_an_intensifier_asks_nothing_of_its_own(answerer: Answerer) -> None:
    assert answerer.ask("rubio is extremely optimistic about the talks, isn't he?").fact == "rubio_expectations"


@pytest.mark.parametrize(
    "question, fact",
    [
        ("Is somebody from Ukraine's security service coming to Istanbul?", "person_poklad"),
        ("Rubio has said he is hopeful about Istanbul?", "rubio_expectations"),
    ],
)
def test_a_claim_need_not_find_the_events_city_in_the_statement_that_settles_it(
    answerer: Answerer, question: str, fact: str
) -> None:
    assert answerer.ask(question).fact == fact, question


@pytest.mark.parametrize("question", ["Will Tammy Bruce fly to Istanbul herself?", "will it snow in istanbul?"])
def test_the_events_city_alone_or_a_persons_trip_there_is_no_claim_a_statement_settles(
    answerer: Answerer, question: str
) -> None:
    assert answerer.ask(question).fact is None, question


def test_sitting_at_the_table_is_meeting(answerer: Answerer) -> None:
    assert answerer.ask("When did Russia and Ukraine last sit at the table in Istanbul?").fact == "talks_2022"


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        ("quick rundown pls: who's heading each delegation", "attendees"),
        ("Who is attending on behalf of each side?", "attendees"),
        ("list everybody who is going to the talks", "attendees"),
    ],
)
def test_filler_words_of_a_request_ask_nothing_of_their_own(answerer: Answerer, question: str, fact: str) -> None:
    assert answerer.ask(question).fact == fact, question


def test_what_others_say_before_naming_someone_is_not_a_claim_about_his_words(answerer: Answerer) -> None:
    reply = answerer.ask("Everybody keeps saying the big names won't come. Is Putin actually going to show up?")
    assert reply.fact == "putin_absent", reply.answer


def test_a_question_of_every_side_is_read_of_each_side_and_answered_with_each_ones_fact(answerer: Answerer) -> None:
    match = answerer.matcher.match("what is each side's deputy foreign minister called?")
    assert {match.fact, *match.support} == {"person_kyslytsya", "person_galuzin"}, match


@pytest.mark.parametrize("question", ["how old is each side's leader?", "what does each side's lead earn?"])
def test_a_question_of_every_side_declined_for_one_side_is_declined(answerer: Answerer, question: str) -> None:
    assert answerer.ask(question).fact is None, question


def test_two_sides_written_as_a_digit_are_both_sides(answerer: Answerer) -> None:
    assert answerer.ask("where do the 2 sides stand?").fact == "differences"


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        ("who did Kyiv put on its negotiating team besides Umerov?", "ukraine_delegation"),
        ("Can you outline who is in the Russian delegation?", "russia_delegation"),
    ],
)
def test_putting_someone_on_a_team_is_sending_and_outlining_is_asking(
    answerer: Answerer, question: str, fact: str
) -> None:
    assert answerer.ask(question).fact == fact, question


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        ("What sort of ceasefire does Kyiv propose?", "ukraine_position"),
        ("why won't Russia accept a ceasefire right away?", "russia_position"),
    ],
)
def test_proposing_is_wanting_and_right_away_asks_nothing_of_its_own(
    answerer: Answerer, question: str, fact: str
) -> None:
    assert answerer.ask(question).fact == fact, question


def test_brand_new_is_new(answerer: Answerer) -> None:
    assert answerer.ask("Does Moscow see these as brand-new negotiations?").fact == "russia_continuation"


def test_a_claim_turned_around_is_settled_by_the_statement_of_the_other_polarity(answerer: Answerer) -> None:
    """ "refuses any compromise" is answered by his readiness to discuss compromises, which corrects it."""
    assert answerer.ask("is it true medinsky rejects every compromise?").fact == "medinsky_expectations"


def test_who_of_the_top_people_will_not_be_at_the_meeting_is_everyone_absent(answerer: Answerer) -> None:
    assert answerer.ask("which important people will not be at the meeting?").fact == "absentees"


def test_a_common_word_is_not_corrected_into_another(answerer: Answerer) -> None:
    """ "building" is not a typo of "bailing" (not attending): which building is asked, and the sources do not say."""
    assert answerer.ask("which building are they meeting in?").fact is None


@pytest.mark.parametrize("question", ["where does Umerov hail from?", "Umerov is originally from Crimea, isn't he?"])
def test_where_someone_is_originally_from_is_their_roots(answerer: Answerer, question: str) -> None:
    assert answerer.ask(question).fact == "person_umerov", question


def test_where_someone_was_born_is_not_their_roots(answerer: Answerer) -> None:
    assert answerer.ask("Where was Umerov born?").fact is None


def test_a_ceasefire_without_conditions_is_an_unconditional_one(answerer: Answerer) -> None:
    assert answerer.ask("does russia want a ceasefire without conditions?").fact == "russia_position"


def test_a_request_to_summarise_asks_nothing_of_its_own(answerer: Answerer) -> None:
    assert answerer.ask("could you summarize where the two sides stand?").fact == "differences"


@pytest.mark.parametrize(
    "question", ["@ivan who leads Russia's team?", "@talks_helper, who heads the Russian delegation"]
)
def test_a_leading_mention_is_no_part_of_the_question(answerer: Answerer, question: str) -> None:
    assert answerer.ask(question).fact == "russia_lead", question


def test_places_offered_as_guesses_are_not_asked_inside(answerer: Answerer) -> None:
    """ "..., Istanbul or Ankara?": the names after the comma are guesses at the city, not where to look."""
    assert answerer.ask("what city are the talks in, istanbul or ankara?").fact == "talks_location"


def test_where_inside_the_city_is_not_where_the_city_is(answerer: Answerer) -> None:
    assert answerer.ask("where in istanbul will they negotiate?").fact is None


def test_or_more_offers_no_alternative(answerer: Answerer) -> None:
    assert answerer.ask("what is russia demanding? a truce or more?").fact in ("russia_root_causes", "russia_position")


def test_only_the_deputy_asks_for_the_minister_himself(answerer: Answerer) -> None:
    assert answerer.ask("who is ukraine's foreign minister, since kyslytsya is only the deputy?").fact is None


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        ("russia's delegation is headed by shoigu, right?", "russia_lead"),
        ("Is Kuleba leading the Ukrainian team?", "ukraine_lead"),
    ],
)
def test_a_stranger_claimed_to_lead_a_delegation_gets_who_does(answerer: Answerer, question: str, fact: str) -> None:
    assert answerer.ask(question).fact == fact, question


def test_a_stranger_claimed_to_lead_a_country_is_not_read_as_its_delegation(answerer: Answerer) -> None:
    assert answerer.ask("does kuleba lead ukraine?").fact is None


def test_a_condition_is_not_the_question(answerer: Answerer) -> None:
    """ "..., if Russia rejects a truce?" sets a condition; what is asked is the sanctions, which no source gives."""
    assert answerer.ask("what sanctions will brussels impose, if russia rejects a truce?").fact is None
    assert answerer.ask("If Putin stays home, who heads Russia's delegation?").fact == "russia_lead"


def test_what_else_someone_did_is_not_who_else_is_with_them(answerer: Answerer) -> None:
    assert answerer.ask("medinsky ran the culture ministry, no? what else did he do").fact is None


def test_a_place_the_asker_rules_out_is_no_answer_to_where(answerer: Answerer) -> None:
    assert answerer.ask("where is ushakov now, if not in istanbul?").fact is None


def test_ze_is_zelenskyy_as_chats_call_him(answerer: Answerer) -> None:
    assert answerer.ask("is ze flying to istanbul?").fact == "zelenskyy_absent"


def test_a_claim_naming_no_one_is_checked_against_a_statement_of_both_sides_or_none(answerer: Answerer) -> None:
    facts = answerer.matcher.facts
    assert facts.best("has contact been mostly humanitarian, like prisoner exchanges?").fact == "contact_since_2022"
    assert facts.best("the fundamental differences are still far from resolved, aren't they?").fact == "differences"
    # one side's statement is no answer to a claim that names no side: whose team is "the team"?
    assert facts.best("the team includes a deputy defence minister, doesn't it?") is None


def test_the_weekday_of_the_report_adds_nothing_and_another_day_is_unknown(answerer: Answerer) -> None:
    """The bundled report is dated Thursday, 15 May 2025: what someone said on Thursday is what it says."""
    assert answerer.ask("what did rubio say thursday about the talks?").fact == "rubio_expectations"
    assert answerer.ask("what did the delegations agree on saturday?").fact is None


@pytest.mark.parametrize(
    ("question", "fact"),
    [("Galuzin heads the SVR, doesn't he?", "person_galuzin"), ("so fomin runs the rosgvardia?", "person_fomin")],
)
def test_a_claim_that_an_official_heads_a_body_no_source_names_gets_what_he_does(
    answerer: Answerer, question: str, fact: str
) -> None:
    assert answerer.ask(question).fact == fact, question


def test_heading_something_that_is_no_body_is_not_read_as_an_office(answerer: Answerer) -> None:
    assert answerer.ask("does galuzin run marathons?").fact is None


def test_being_involved_in_something_is_checked_by_taking_part_in_it(answerer: Answerer) -> None:
    facts = answerer.matcher.facts
    hit = facts.best("was umerov involved in the grain deal back in 2022?")
    assert hit is not None and hit.fact == "person_umerov"
    assert facts.best("was umerov involved in the bucha investigation?") is None


def test_asking_for_something_is_checked_by_wanting_it(answerer: Answerer) -> None:
    hit = answerer.matcher.facts.best("ukraine is asking for an unconditional ceasefire, right?")
    assert hit is not None and hit.fact == "ukraine_position"
