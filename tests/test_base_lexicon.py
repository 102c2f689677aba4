"""The base lexicon: the engine's own English, shared by every pack."""

from __future__ import annotations

from knowledge.answer import Answerer
from knowledge.lexicon import base_lexicon
from knowledge.structure import QUESTION_WORDS


def test_every_stopword_is_one_word() -> None:
    """A phrase listed as a stopword would make each of its words one ("people say" would drop "say"):
    phrases to ignore belong under a synonym of a stopword."""
    stopwords, _ = base_lexicon()
    assert [word for word in stopwords if len(word.split()) != 1] == []


def test_no_question_word_or_relation_is_a_stopword() -> None:
    stopwords, _ = base_lexicon()
    assert not stopwords & (QUESTION_WORDS | {"not", "say", "lead", "attend", "delegation", "deputy", "minister"})


def test_actual_is_not_a_stopword() -> None:
    """ "Who is Russia's actual defence minister?" asks for the minister, not the deputy the message named."""
    stopwords, _ = base_lexicon()
    assert "actual" not in stopwords


def test_chat_address_and_filler_words_do_not_stop_a_question_being_read(answerer: Answerer) -> None:
    for opener in ("bro", "omg", "idk", "yo fam"):
        assert answerer.ask(f"{opener} who even is medinsky").fact == "person_medinsky", opener


def test_words_that_place_in_time_are_not_stopwords() -> None:
    """ "where is Putin during the talks?" turns on these words; the standard English function words around
    them ("same", "itself", "own") do not. "Only" limits nothing the sources tell apart ("only prisoner swaps?")
    except in "only the deputy", which the lexicon reads as a phrase (see the next test)."""
    stopwords, _ = base_lexicon()
    assert not stopwords & {"during", "over", "under"}
    assert {"same", "itself", "own"} <= stopwords


def test_only_the_deputy_is_read_as_not_the_minister(answerer: Answerer) -> None:
    assert answerer.ask("if Kyslytsya is only the deputy, who is the minister?").fact is None


def test_reflexive_and_comparing_function_words_do_not_stop_a_question_being_read(answerer: Answerer) -> None:
    assert answerer.ask("fomin and poklad same side?").fact in ("person_fomin", "person_poklad")


def test_exactly_beside_a_question_word_asks_that_question(answerer: Answerer) -> None:
    """ "When exactly" asks when, as "who exactly" asks who; the sources' answer may be that they give no date."""
    assert answerer.ask("When exactly do the Istanbul talks begin?").fact == "talks_timing"
    assert answerer.ask("why exactly did the 2022 talks collapse?").fact == "talks_2022_breakdown"


def test_a_claim_of_approval_is_answered_by_the_criticism_that_corrects_it(answerer: Answerer) -> None:
    reply = answerer.ask("Zelenskyy was pleased with the level of Russia's team, right?")
    assert reply.fact == "zelenskyy_criticism" and not reply.answer.startswith("Yes"), reply.answer
    assert answerer.ask("is rubio satisfied with the talks?").fact is None  # no statement of his to correct it


def test_main_and_key_only_stress_what_is_asked(answerer: Answerer) -> None:
    """ "the main people at the table" are the people at the table; "main disagreements", the disagreements."""
    assert answerer.ask("Quick one. Who are the main people at the table?").fact == "attendees"
    assert answerer.ask("so have the main disagreements between kyiv and moscow been sorted out").fact == "differences"


def test_ready_to_talk_about_something_is_a_mandate_to_discuss_it(answerer: Answerer) -> None:
    assert answerer.ask("is kyiv ready to talk about an unconditional ceasefire").fact == "ukraine_position"


def test_family_roots_are_roots_and_a_family_is_not(answerer: Answerer) -> None:
    assert answerer.ask("where are umerov's family origins?").fact == "person_umerov"
    assert answerer.ask("does umerov have a big family?").fact is None


def test_any_chance_opens_a_question_and_asks_nothing_itself(answerer: Answerer) -> None:
    assert answerer.ask("any chance the fundamental differences have been resolved?").fact == "differences"


def test_a_countrys_leader_is_its_head_of_state_and_a_team_leader_leads_the_delegation(answerer: Answerer) -> None:
    """ "Russia's leader" is Putin, whose words the sources do not give; Medinsky is the team's leader."""
    assert answerer.ask("what has russia's leader said about the talks?").fact is None
    assert "Yes" in answerer.ask("is medinsky the russian team leader?").answer
