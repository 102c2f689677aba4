"""Question analysis: the answer type a question asks for, and facts that cannot be of that type."""

from __future__ import annotations

import pytest

from knowledge.answer import Answerer
from knowledge.question import answer_type, states_a_count


@pytest.mark.parametrize("question, expected", [
    ("Who leads Ukraine's delegation?", "who"),
    ("whose side is Fomin on", "who"),
    ("Which city hosts the talks?", "which"),
    ("What did Medinsky say?", "what"),
    ("When do the talks start?", "when"),
    ("Where are the talks?", "where"),
    ("Why is Zelenskyy staying away?", "why"),
    ("How many negotiators did the Kremlin name?", "how many"),
    ("how much did the grain deal matter", "how many"),
    ("How does Moscow see these talks?", "how"),
    ("Is Lavrov in Istanbul?", "yes-no"),
    ("Fomin is the deputy defence minister, right?", "yes-no"),
    ("Tell me about Umerov.", "other"),
])
def test_the_answer_type_is_read_from_the_question_words(question: str, expected: str) -> None:
    assert answer_type(question) == expected


@pytest.mark.parametrize("statement, counts", [
    ("The Kremlin named three negotiators.", True),
    ("Umerov will be joined by about a dozen deputy ministers.", True),
    ("Hundreds of civilians were found dead.", True),
    ("In March 2022 the sides met.", True),
    ("Medinsky leads Russia's delegation.", False),
])
def test_a_count_is_a_number_or_a_number_word(statement: str, counts: bool) -> None:
    assert states_a_count(statement) is counts


def test_how_many_is_never_answered_by_a_fact_without_a_count(answerer: Answerer) -> None:
    for question in ("How many deputies does Medinsky have?", "How many people are on Russia's side?",
                     "how many officials did the US send"):
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
