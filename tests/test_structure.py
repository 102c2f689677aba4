"""Questions answered from the structure of the knowledge: people's sides, roles, delegations and
who said what to whom, with no phrasing written for them."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from knowledge.answer import Answerer


def reply(answerer: Answerer, question: str):  # type: ignore[no-untyped-def]
    return answerer.ask(question)


@pytest.mark.parametrize(
    "question, fact, verdict",
    [
        ("Is Kostyukov on Kyiv's side?", "person_kostyukov", "No."),  # side A versus side B
        ("Is Kostyukov on Moscow's side?", "person_kostyukov", "Yes."),
        ("is galuzin in the russian delegation", "person_galuzin", "Yes."),
        ("is fomin part of the ukrainian delegation", "person_fomin", "No."),
        ("Is Medinsky heading Russia's team?", "person_medinsky", "Yes."),
        ("Is Lavrov heading the Ukrainian team?", "person_lavrov", "No."),
        ("Is Fomin the defence minister?", "person_fomin", "No."),  # a deputy is not the minister
        ("Fomin is Russia's deputy defence minister, right?", "person_fomin", "Yes."),
        ("is the kremlin's foreign policy aide attending?", "person_ushakov", "No."),  # a person named by office
        ("is Ukraine's deputy chief of general staff coming?", "person_shevchenko", "Yes."),
        ("Kostyukov runs Russian military intelligence, right?", "person_kostyukov", "Yes."),  # runs: its director
        ("Poklad heads Ukraine's security service, right?", "person_poklad", "No."),  # he is the deputy head
        ("Is Galuzin a Ukrainian official?", "person_galuzin", "No."),  # an official of the other side
        ("Is Galuzin a Russian official?", "person_galuzin", "Yes."),
    ],
)
def test_yes_no_claims_are_confirmed_or_corrected_from_the_attributes(
    answerer: Answerer, question: str, fact: str, verdict: str
) -> None:
    answer = reply(answerer, question)
    assert answer.fact == fact and answer.answer.startswith(verdict), answer


@pytest.mark.parametrize(
    "question, fact, wrong_side",
    [
        ("Shevchenko is Russia's deputy chief of staff, isn't he?", "person_shevchenko", "Russia"),
        ("Poklad works for Russia's security service, doesn't he?", "person_poklad", "Russia"),
    ],
)
def test_a_false_claim_gets_a_sourced_correction(answerer: Answerer, question: str, fact: str, wrong_side: str) -> None:
    answer = reply(answerer, question)
    assert answer.fact == fact and answer.answer.startswith("No.")
    assert "Ukraine" in answer.answer and answer.citations, answer


def test_a_wrong_leader_claim_names_the_real_leader_with_both_sources(answerer: Answerer) -> None:
    answer = reply(answerer, "is umerov leading russia's team?")
    assert answer.answer.startswith("No. Vladimir Medinsky leads Russia's delegation.")
    quotes = " ".join(c.quote for c in answer.citations)
    assert "Medinsky" in quotes and "Umerov" in quotes


@pytest.mark.parametrize(
    "question, fact",
    [
        ("which side is galuzin on", "person_galuzin"),
        ("who does kostyukov work for", "person_kostyukov"),
    ],
)
def test_which_side_a_person_is_on(answerer: Answerer, question: str, fact: str) -> None:
    answer = reply(answerer, question)
    assert answer.fact == fact and " is on Russia's side." in answer.answer


@pytest.mark.parametrize(
    "question, fact",
    [
        ("who is russia's deputy defence minister", "person_fomin"),
        ("Who is Ukraine's defence minister?", "person_umerov"),
        ("who is the ukrainian deputy foreign minister", "person_kyslytsya"),
    ],
)
def test_who_holds_a_role_for_a_side(answerer: Answerer, question: str, fact: str) -> None:
    assert reply(answerer, question).fact == fact


@pytest.mark.parametrize(
    "question",
    [
        "Who is Russia's defence minister?",  # only the deputy is named
        "who is the deputy foreign minister",  # one for each side: which?
    ],
)
def test_a_role_nobody_or_several_hold_is_declined(answerer: Answerer, question: str) -> None:
    assert not reply(answerer, question).answered


def test_speaker_versus_addressee(answerer: Answerer) -> None:
    to_reporters = reply(answerer, "What did Zelenskyy tell reporters after meeting Erdogan?")
    assert to_reporters.fact == "zelenskyy_expectations"
    assert not reply(answerer, "What did Zelenskyy tell Erdogan?").answered  # he spoke to reporters


@pytest.mark.parametrize(
    "question",
    [
        "To whom did Zelenskyy say that Russia is not serious about the talks?",
        "who did zelenskyy tell that russia isnt serious",
        "Кому Зеленський сказав, що росіяни несерйозно ставляться до переговорів?",
    ],
)
def test_to_whom_something_was_said_is_answered_by_a_statement_with_an_addressee(
    answerer: Answerer, question: str
) -> None:
    # His criticism says the same about Russia but was made to no one in particular.
    assert reply(answerer, question).fact == "zelenskyy_expectations"


@pytest.mark.parametrize(
    "question", ["To whom did Rubio say he has no high expectations?", "To whom did Zelenskyy say he would not attend?"]
)
def test_to_whom_is_declined_when_the_statement_names_no_addressee(answerer: Answerer, question: str) -> None:
    assert not reply(answerer, question).answered


@pytest.mark.parametrize(
    "question",
    [
        "Did the US send Rubio?",
        "Is Rubio in the American delegation?",
        "Is Rubio heading the American delegation?",  # the US names no leader: the one it sends answers
        "США відправили в Стамбул Рубіо?",
        "is it rubio going for the us?",  # going on its behalf: whom it sends
    ],
)
def test_a_person_the_sources_do_not_place_at_the_talks_gets_the_one_their_side_sends(
    answerer: Answerer, question: str
) -> None:
    answer = reply(answerer, question)
    assert answer.fact == "person_anton"
    assert not answer.answer.startswith(("Yes", "No", "Так", "Ні"))  # the sources neither confirm nor deny it


def test_a_person_placed_at_the_talks_or_on_another_side_is_checked_as_before(answerer: Answerer) -> None:
    assert reply(answerer, "Is Anton attending?").fact in {"us_role", "person_anton"}
    assert reply(answerer, "Did Russia send Rubio?").fact != "person_anton"
    assert reply(answerer, "is rubio flying to istanbul?").fact != "person_anton"  # travel, on no one's behalf


@pytest.mark.parametrize(
    ("question", "fact", "verdict"),
    [
        ("My cousin says Kostyukov is on Kyiv's side, is that right?", "person_kostyukov", "No."),
        ("a guy at work says Medinsky leads Russia's team", "person_medinsky", "Yes."),
    ],
)
def test_a_claim_passed_on_as_someones_word_is_checked_like_any_claim(
    answerer: Answerer, question: str, fact: str, verdict: str
) -> None:
    answer = reply(answerer, question)
    assert answer.fact == fact and answer.answer.startswith(verdict)


def test_what_a_known_person_says_is_not_taken_for_hearsay(answerer: Answerer) -> None:
    assert reply(answerer, "Zelenskyy says Russia isn't serious, right?").fact == "zelenskyy_criticism"


@pytest.mark.parametrize(
    ("question", "verdict"),
    [
        ("Is the head of the GRU in Russia's delegation?", "Yes."),  # "head" names the office, not a leader
        ("Is Kostyukov in the delegation?", "Yes."),
        ("Is Lavrov in the delegation?", "No."),  # marked as not attending
        ("Чи правда, що до складу російської делегації включили керівника ГРУ?", "Так."),
    ],
)
def test_a_seat_in_a_delegation_is_checked_whoever_names_the_person(
    answerer: Answerer, question: str, verdict: str
) -> None:
    assert reply(answerer, question).answer.startswith(verdict)


def test_a_seat_is_neither_confirmed_nor_denied_for_someone_the_sources_do_not_place(answerer: Answerer) -> None:
    assert not reply(answerer, "Is Erdogan in the delegation?").answer.startswith(("Yes.", "No."))
    # the US sends one official and names no leader: leading is neither confirmed nor denied
    answer = reply(answerer, "Is Anton heading the American team?")
    assert answer.fact == "person_anton" and not answer.answer.startswith(("Yes.", "No."))


def test_every_structured_answer_is_backed_by_verbatim_quotes(answerer: Answerer) -> None:
    sources = {s.url: s for s in answerer.knowledge.sources}
    for question in ("Is Lavrov heading the Ukrainian team?", "which side is galuzin on"):
        answer = reply(answerer, question)
        assert answer.citations
        assert all(c.url in sources for c in answer.citations)


# -- properties over questions generated from the structured facts ------------------------------


def people(answerer: Answerer) -> list[tuple[str, str, str]]:
    """(name, side name, profile fact) of every person with attributes."""
    entities = answerer.knowledge.entities
    return [
        (e.name, entities[e.side].name, e.attributes["profile"])
        for e in entities.values()
        if e.kind == "person" and e.side and "profile" in e.attributes
    ]


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_every_generated_side_claim_is_answered_with_that_persons_profile(
    answerer: Answerer, data: st.DataObject
) -> None:
    name, side, profile = data.draw(st.sampled_from(people(answerer)))
    claimed = data.draw(st.sampled_from(["Ukraine", "Russia"]))
    surname = name.split()[-1]
    template = data.draw(
        st.sampled_from(
            [
                "Is {p} on {s}'s side?",
                "is {p} on the {s} side",
                "{p} is on {s}'s side, right?",
                "Is {p} on {s}'s side or not?",
            ]
        )
    )
    answer = reply(answerer, template.format(p=surname, s=claimed))
    assert answer.fact == profile, (name, claimed, answer.answer)
    assert answer.answer.startswith("Yes." if claimed == side else "No."), (name, claimed, answer.answer)


def delegates(answerer: Answerer) -> list[tuple[str, str, str]]:
    """(office, side name, "lead" or "member") of every person the pack seats in a delegation."""
    entities = answerer.knowledge.entities
    return [
        (str(e.attributes["role"]), entities[e.side].name, str(e.attributes["delegation"]))
        for e in entities.values()
        if e.kind == "person" and e.side and "role" in e.attributes and "delegation" in e.attributes
    ]


@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_a_delegate_named_by_office_is_confirmed_in_the_delegation_and_leads_it_only_if_they_do(
    answerer: Answerer, data: st.DataObject
) -> None:
    office, side, seat = data.draw(st.sampled_from(delegates(answerer)))
    leads = data.draw(st.booleans())
    question = (
        data.draw(st.sampled_from(["Is {s}'s {o} leading the delegation?", "Is the {o} of {s} heading the team?"]))
        if leads
        else data.draw(st.sampled_from(["Is the {o} in {s}'s delegation?", "Is {s}'s {o} part of the delegation?"]))
    ).format(o=office, s=side)
    answer = reply(answerer, question).answer
    if leads and seat != "lead":
        assert not answer.startswith("Yes."), (question, answer)
    elif answer.startswith(("Yes.", "No.")):
        assert answer.startswith("Yes."), (question, answer)


@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_generated_questions_about_attributes_the_pack_lacks_are_declined(
    answerer: Answerer, data: st.DataObject
) -> None:
    name, _, _ = data.draw(st.sampled_from(people(answerer)))
    lacking = data.draw(
        st.sampled_from(
            [
                "How old is {p}?",
                "Who is {p}'s wife?",
                "What is {p}'s salary?",
                "Where was {p} born?",
                "How many children does {p} have?",
            ]
        )
    )
    assert not reply(answerer, lacking.format(p=name.split()[-1])).answered


@pytest.mark.parametrize("question", ["who leads our side?", "who heads our delegation", "is our team led by Umerov?"])
def test_our_side_is_no_particular_side_in_a_mixed_chat(answerer: Answerer, question: str) -> None:
    answer = reply(answerer, question)
    assert answer.fact not in {"ukraine_lead", "russia_lead"} or "our" not in question, answer
    assert not answer.answered or answer.fact == "person_umerov", answer


@pytest.mark.parametrize(
    "question, side_names, absent",
    [
        ("Who from the Kremlin is staying away?", ["Putin", "Lavrov", "Ushakov"], ["Zelenskyy"]),
        ("who from ukraine won't attend", ["Zelenskyy"], ["Putin"]),
        ("who isn't going", ["Putin", "Lavrov", "Ushakov", "Zelenskyy"], []),
        ("which of Moscow's top diplomats are staying away?", ["Lavrov", "Ushakov"], ["Putin", "Zelenskyy"]),
        ("which big figures are skipping the talks", ["Putin", "Lavrov", "Ushakov", "Zelenskyy"], []),
    ],
)
def test_who_from_a_side_is_not_attending(
    answerer: Answerer, question: str, side_names: list[str], absent: list[str]
) -> None:
    answer = reply(answerer, question)
    first = answer.answer.split(".")[0]
    assert answer.answered and all(name in first for name in side_names), answer.answer
    assert not any(name in first for name in absent), answer.answer
    assert "No." not in answer.answer


def test_absentees_described_as_no_absent_person_is_are_none(answerer: Answerer) -> None:
    assert not reply(answerer, "which crimean officials are not attending").answered  # Umerov, the Crimean, attends


def test_a_person_the_sources_never_quote_has_said_nothing(answerer: Answerer) -> None:
    assert not reply(answerer, "What did Putin say about skipping Istanbul?").answered
    assert reply(answerer, "what did medinsky say").fact == "medinsky_expectations"


@pytest.mark.parametrize(
    "question, fact",
    [
        ("Who represents Ukraine's security service?", "person_poklad"),
        ("which official represents Russia's defence ministry?", "person_fomin"),
        ("who is there from the russian foreign ministry", "person_galuzin"),  # not Lavrov: he stays away
        ("which Ukrainian official comes from the foreign ministry", "person_kyslytsya"),
        ("which security service official is on Kyiv's team?", "person_poklad"),  # the organisation's official
        ("which russian defence ministry official is attending", "person_fomin"),
    ],
)
def test_who_represents_an_organisation_at_the_talks(answerer: Answerer, question: str, fact: str) -> None:
    assert reply(answerer, question).fact == fact


@pytest.mark.parametrize(
    "question",
    [
        "who heads Ukraine's security service",  # its deputy head is there, not its head
        "who represents the foreign ministry",  # one for each side
    ],
)
def test_the_head_of_an_organisation_is_not_its_deputy_and_two_candidates_are_not_one(
    answerer: Answerer, question: str
) -> None:
    assert not reply(answerer, question).answered


def test_how_many_people_each_delegation_names_is_counted_from_the_members(answerer: Answerer) -> None:
    both = reply(answerer, "how many people does each side's delegation name")
    assert "4 people in Russia's delegation" in both.answer and "4 people in Ukraine's delegation" in both.answer
    assert both.fact in {"russia_delegation", "ukraine_delegation"}
    quoted = " ".join(c.quote for c in both.citations)
    assert "Kostyukov" in quoted and "Shevchenko" in quoted  # both delegations' quotes back it
    one = reply(answerer, "how many people are in ukraine's delegation")
    assert one.fact == "ukraine_delegation" and "Russia" not in one.answer.split(".")[0]


def test_who_announced_something_is_answered_naming_the_speaker(answerer: Answerer) -> None:
    answer = reply(answerer, "Who announced that the US would send a lower-level official?")
    assert answer.answer.startswith("Tammy Bruce said so:") and "Bruce" in answer.citations[0].quote
    assert answer.fact == "person_bruce"  # "who" asks for a person: the speaker's profile answers
    assert any("Anton" in c.quote for c in answer.citations)  # and the statement's own quote backs it


# -- the rest of a delegation, and several sides at once ----------------------------------------


@pytest.mark.parametrize(
    "question, fact, apart, named",
    [
        ("Who is travelling with Kyslytsya?", "ukraine_delegation", "Sergiy Kyslytsya", "Rustem Umerov, who leads it"),
        ("besides galuzin, who is on the russian team", "russia_delegation", "Mikhail Galuzin", "Igor Kostyukov"),
        ("who else did Moscow field apart from its chief", "russia_delegation", "Vladimir Medinsky", "Alexander Fomin"),
    ],
)
def test_the_others_in_a_persons_or_sides_delegation(
    answerer: Answerer, question: str, fact: str, apart: str, named: str
) -> None:
    """Everyone else the source names in that delegation, with the fact that names them."""
    answer = reply(answerer, question)
    assert answer.fact == fact, answer
    assert answer.answer.startswith(f"Besides {apart}, ") and named in answer.answer, answer.answer
    listed = answer.answer.split(", ", 1)[1].split(". ")[0]
    assert apart not in listed, listed


def test_a_person_outside_any_delegation_has_no_others_to_name(answerer: Answerer) -> None:
    assert reply(answerer, "who else is flying in alongside Lavrov?").fact not in ("russia_delegation",)


def test_how_many_others_counts_the_people_the_source_names(answerer: Answerer) -> None:
    answer = reply(answerer, "how many people did Moscow send besides its chief negotiator")
    assert answer.fact == "russia_delegation" and "names 3 people in Russia's delegation" in answer.answer


@pytest.mark.parametrize(
    "question",
    ["Who heads the Ukrainian and the Russian teams?", "who represents Russia, Ukraine and America"],
)
def test_the_leads_of_several_sides_at_once(answerer: Answerer, question: str) -> None:
    answer = reply(answerer, question)
    assert answer.fact == "attendees", answer
    assert "led by Defence Minister Rustem Umerov" in answer.answer and "Vladimir Medinsky" in answer.answer
    assert answer.answer.count("Umerov") == 1, "a statement that says who leads each is not said twice"


# -- words that only say who is meant, and a question that carries its own guess ------------------


def test_a_persons_own_office_named_beside_them_does_not_block_the_question(answerer: Answerer) -> None:
    assert reply(answerer, "Kostyukov from military intelligence attending?").fact == "russia_delegation"


def test_an_office_word_apart_from_the_name_still_counts(answerer: Answerer) -> None:
    assert not reply(answerer, "which military rank does Fomin have?").answered


@pytest.mark.parametrize(
    "question, fact, verdict",
    [
        ("who heads Moscow's negotiators? Medinsky?", "person_medinsky", "Yes."),
        ("who heads Moscow's negotiators: Galuzin?", "person_galuzin", "No. Vladimir Medinsky leads Russia's"),
        ("who is turning up from Russia, Fomin?", "person_fomin", "Yes."),
    ],
)
def test_a_who_question_with_its_own_guess_is_checked_like_a_claim(
    answerer: Answerer, question: str, fact: str, verdict: str
) -> None:
    answer = reply(answerer, question)
    assert answer.fact == fact and answer.answer.startswith(verdict), answer.answer


@pytest.mark.parametrize("question", ["who leads Ukraine, Zelenskyy?", "who is coming from Russia, Lavrov?"])
def test_a_guess_the_attributes_cannot_settle_is_not_corrected(answerer: Answerer, question: str) -> None:
    """Zelenskyy leads his country, not its delegation; Lavrov stays away, which is not a structural "no"."""
    assert not reply(answerer, question).answer.startswith(("No.", "Yes."))


# -- what a person said, their job, an office beside a name, a question inside a chatty message ---


def test_what_a_person_quoted_once_said_is_that_statement(answerer: Answerer) -> None:
    answer = reply(answerer, "and what did tammy bruce say?")
    assert answer.fact == "us_role" and answer.citations, answer


def test_a_persons_job_is_their_profile(answerer: Answerer) -> None:
    assert reply(answerer, "what's Galuzin's job?").fact == "person_galuzin"


def test_an_office_the_named_person_does_not_hold_is_not_answered_with_them(answerer: Answerer) -> None:
    """Fomin is Russia's *deputy* defence minister and no defence minister of Russia is named: decline.
    Asked with a wrong guess at Ukraine's, the one who holds it is the answer, not the guess."""
    assert not reply(answerer, "who is Russia's defence minister - Fomin's boss?").answered
    assert reply(answerer, "Who is Ukraine's defence minister, Fomin?").fact == "person_umerov"


def test_the_question_inside_a_chatty_message_is_read_from_the_structure(answerer: Answerer) -> None:
    answer = reply(answerer, "Galuzin is on the Ukrainian team? my friend insists on it, weird")
    assert answer.fact == "person_galuzin" and answer.answer.startswith("No."), answer.answer


def test_who_said_something_is_answered_with_its_speaker_backed_by_the_statement(answerer: Answerer) -> None:
    answer = reply(answerer, "Who announced what role the Americans will have in Istanbul?")
    assert answer.fact == "person_bruce" and answer.answer.startswith("Tammy Bruce said so"), answer
    statement_quotes = {q.text for q in answerer.knowledge.facts["us_role"].quotes}
    assert statement_quotes <= {c.quote for c in answer.citations}, "the statement's own quotes back it too"


def test_which_office_holder_said_something_is_answered_with_the_speaker_not_what_was_said(
    answerer: Answerer,
) -> None:
    answer = reply(answerer, "Which State Department spokesperson said Anton would hold working-level talks?")
    assert answer.fact == "person_bruce" and answer.answer.startswith("Tammy Bruce said so"), answer.answer
    # named before the verb but not asked for: what she said is asked
    assert reply(answerer, "What did the State Department spokesperson say about Anton?").fact == "us_role"


@pytest.mark.parametrize("question", ["Kostyukov runs the FSB, right?", "is kostyukov the FSB director?"])
def test_a_claim_that_the_head_of_one_agency_heads_another_is_corrected(answerer: Answerer, question: str) -> None:
    answer = reply(answerer, question)
    assert answer.fact == "person_kostyukov" and answer.answer.startswith("No. Igor Kostyukov is director"), answer


@pytest.mark.parametrize(
    "question",
    [
        "Is Poklad the head of the FSB?",  # a deputy head: the sources do not say he heads nothing else
        "Is Kostyukov on the FSB board?",  # a seat is not heading it
        "did Kostyukov meet the FSB?",
    ],
)
def test_other_claims_about_an_unknown_agency_are_not_decided(answerer: Answerer, question: str) -> None:
    assert not reply(answerer, question).answer.startswith(("Yes.", "No."))


def test_when_someone_thinks_something_will_happen_is_their_statement_that_says_when(answerer: Answerer) -> None:
    answer = reply(answerer, "According to Donald Trump, when could there be movement towards ending the war?")
    assert answer.fact == "trump_expectations", answer.answer  # "no movement ... until he met Putin"
    # Medinsky's readiness to compromise says nothing of when
    assert reply(answerer, "when does medinsky think there will be compromises?").fact is None


@pytest.mark.parametrize(
    "question",
    ["did ushakov say anything about the delegation", "did putin say anything about the talks?"],
)
def test_whether_someone_the_sources_never_quote_said_something_is_declined(answerer: Answerer, question: str) -> None:
    """Not answered with a fact about them ("No. ... not in Istanbul") nor with another's words about them."""
    assert reply(answerer, question).fact is None


def test_the_askers_own_i_think_is_not_the_person_thinking(answerer: Answerer) -> None:
    assert reply(answerer, "fomin is deputy foreign minister i think?").fact == "person_fomin"


@pytest.mark.parametrize("question", ["who helps Medinsky negotiate?", "Кто помогает Мединскому вести переговоры?"])
def test_who_negotiates_with_a_delegation_member_is_the_rest_of_the_delegation(
    answerer: Answerer, question: str
) -> None:
    assert reply(answerer, question).fact == "russia_delegation"


def test_which_other_negotiators_a_side_named_are_those_beside_its_lead(answerer: Answerer) -> None:
    answer = reply(answerer, "Which other negotiators has the Kremlin named?")
    assert answer.fact == "russia_delegation" and answer.answer.startswith("Besides Vladimir Medinsky"), answer


def test_an_office_holder_may_be_picked_out_by_what_their_profile_says(answerer: Answerer) -> None:
    assert reply(answerer, "the defence minister who's got Crimean roots, whats his name again").fact == "person_umerov"
    assert reply(answerer, "who is the deputy foreign minister with crimean roots?").fact is None  # fits no one


def test_an_office_asked_about_a_person_is_not_read_as_their_sides_office_holder(answerer: Answerer) -> None:
    """ "Which ministry does Medinsky work for?" is not "Which minister of Russia's ...", Lavrov."""
    assert reply(answerer, "which ministry does medinsky work for?").fact != "person_lavrov"
    assert reply(answerer, "is putin's foreign minister going?").fact == "person_lavrov"


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        ("what ministry is medinsky in?", None),  # his office names no ministry
        ("which agency does zelenskyy work for?", None),
        ("Poklad - which agency?", "person_poklad"),  # the Security Service
        ("what ministry is kyslytsya in?", "person_kyslytsya"),
    ],
)
def test_which_organisation_someone_is_in_is_their_offices_or_none(
    answerer: Answerer, question: str, fact: str | None
) -> None:
    assert reply(answerer, question).fact == fact


@pytest.mark.parametrize(
    "question", ["What part does the Turkish president play in all this?", "what is the turkish president's role?"]
)
def test_the_host_countrys_president_is_named_by_office(answerer: Answerer, question: str) -> None:
    assert reply(answerer, question).fact == "person_erdogan"


def test_who_someone_is_by_role_asks_for_their_role(answerer: Answerer) -> None:
    """ "Галузин — кто он по должности?" reads "Galuzin, who he role?": what his role is."""
    assert reply(answerer, "Михаил Галузин — кто он по должности?").fact == "person_galuzin"
    assert reply(answerer, "Mikhail Galuzin, who he role?").fact == "person_galuzin"


def test_who_said_something_the_statement_attributes_itself_is_that_statement(answerer: Answerer) -> None:
    answer = reply(answerer, "Who said the Russians were ready to discuss possible compromises?")
    assert answer.fact == "medinsky_expectations", answer


def test_secretary_of_state_is_an_office_not_a_verb_of_saying(answerer: Answerer) -> None:
    assert reply(answerer, "who is the american secretary of state").fact != "person_bruce"


def test_the_state_department_is_a_ministry_not_a_statement(answerer: Answerer) -> None:
    assert reply(answerer, "tammy bruce works for the state department?").fact == "person_bruce"


def test_what_a_person_said_or_thinks_is_answered_with_their_statement_in_its_own_words(answerer: Answerer) -> None:
    """Whether the statement confirms the claim is for the reader to see: no Yes or No from a word match."""
    answer = reply(answerer, "Does Medinsky think compromise is possible?")
    assert answer.fact == "medinsky_expectations", answer
    assert not answer.answer.startswith(("Yes", "No")) and "compromises" in answer.answer, answer.answer


def test_a_claim_about_what_a_person_said_that_their_statements_do_not_cover_is_declined(answerer: Answerer) -> None:
    assert reply(answerer, "Did Medinsky say Russia will accept a ceasefire?").fact is None


@pytest.mark.parametrize(
    "question",
    ["who heads each delegation?", "who heads each delegation, and is the US there?", "who leads both sides?"],
)
def test_each_sides_lead_is_answered_with_the_fact_naming_them_all(answerer: Answerer, question: str) -> None:
    answer = reply(answerer, question)
    assert answer.fact == "attendees" and "Umerov" in answer.answer and "Medinsky" in answer.answer, answer


@pytest.mark.parametrize("question", ["is rubio the secretary of state?", "Rubio is the US defence secretary, right?"])
def test_an_office_claimed_for_someone_the_sources_call_only_an_official_is_declined(
    answerer: Answerer, question: str
) -> None:
    """ "A US official" names no office: it neither confirms nor refutes the one claimed."""
    assert reply(answerer, question).fact is None


def test_an_office_claimed_for_someone_of_the_other_side_is_still_refuted(answerer: Answerer) -> None:
    answer = reply(answerer, "is rubio russia's foreign minister?")
    assert answer.fact == "person_rubio" and answer.answer.startswith("No."), answer


@pytest.mark.parametrize(
    "question, fact, verdict",
    [
        (
            "copy says 'Deputy Defence Minister Alexander Fomin' for the russian side. title right?",
            "person_fomin",
            "Yes.",
        ),
        ("copy says 'Defence Minister Alexander Fomin'. title right?", "person_fomin", "No."),
        ("editor q: anton's title is director for policy planning, yes?", "person_anton", "Yes."),
        ("desk q: GRU director at the talks is Igor Kostyukov, correct?", "person_kostyukov", "Yes."),
        ("we've got poklad as deputy head of the security service, ok to run?", "person_poklad", "Yes."),
    ],
)
def test_a_title_put_up_for_checking_is_confirmed_or_corrected(
    answerer: Answerer, question: str, fact: str, verdict: str
) -> None:
    """What the copy says of someone is a claim about them, not something they said."""
    answer = reply(answerer, question)
    assert answer.fact == fact and answer.answer.startswith(verdict), answer


def test_a_claim_someone_else_reports_falls_back_to_what_the_person_said(answerer: Answerer) -> None:
    answer = reply(answerer, "someone in the group said zelensky is attending in person. true?")
    assert answer.fact == "zelenskyy_absent", answer


@pytest.mark.parametrize(
    "question, fact",
    [
        ("who is the deputy head of the security service in the delegation?", "person_poklad"),
        ("Хто заступник голови СБУ в делегації?", "person_poklad"),
        ("who's the deputy chief of general staff thats going", "person_shevchenko"),
    ],
)
def test_the_holder_of_an_office_at_the_talks(answerer: Answerer, question: str, fact: str) -> None:
    """ "In the delegation", "going" narrow the holders to those at the talks; the office picks one."""
    assert reply(answerer, question).fact == fact


def test_an_office_two_delegations_have_at_the_talks_asks_which_side(answerer: Answerer) -> None:
    assert reply(answerer, "who is the deputy foreign minister in the delegation?").fact is None


@pytest.mark.parametrize(
    "question, fact",
    [
        ("What does Zelenskyy think about how seriously Russia is taking the talks?", "zelenskyy_expectations"),
        ("How did Zelenskyy describe Russia's approach after meeting Erdogan?", "zelenskyy_expectations"),
        ("Как Трамп оценивает шансы на прогресс в Турции?", "trump_expectations"),
        ("What did Putin say about Zelenskyy not coming?", None),  # Zelenskyy said it; Putin is quoted on nothing
        ("What did Tammy Bruce say about the Ukrainian delegation?", None),  # she spoke of the US role only
    ],
)
def test_what_a_person_said_about_something_is_their_statement_that_covers_it(
    answerer: Answerer, question: str, fact: str | None
) -> None:
    assert reply(answerer, question).fact == fact


@pytest.mark.parametrize(
    "question, fact",
    [
        ("What did the US president say about the chances of progress in Turkey?", "trump_expectations"),
        ("what did the ukrainian president say about the level of russia's delegation", "zelenskyy_criticism"),
        ("Why does Ukraine's president say Moscow isn't serious?", "zelenskyy_criticism"),  # an intent's question
    ],
)
def test_a_person_named_by_office_and_side_is_that_person(answerer: Answerer, question: str, fact: str) -> None:
    assert reply(answerer, question).fact == fact


def test_a_claim_about_a_person_named_by_office_is_checked_like_one_about_them_by_name(answerer: Answerer) -> None:
    answer = reply(answerer, "is the ukrainian president leading kyiv's team?")
    assert answer.answer.startswith("No. Rustem Umerov leads Ukraine's delegation."), answer.answer
    assert reply(answerer, "Is the kremlin aide going?").answer.startswith("No. Yuri Ushakov")


@pytest.mark.parametrize(
    "question, fact",
    [
        ("did the us president say anything about putin?", "trump_expectations"),
        ("Does trump think anything will move before he sits down with putin?", "trump_expectations"),
        ("did the us president say anything about zelenskyy?", None),  # not "is Zelenskyy the US president?"
    ],
)
def test_the_speaker_named_before_the_verb_is_asked_about_not_the_person_after_it(
    answerer: Answerer, question: str, fact: str | None
) -> None:
    assert reply(answerer, question).fact == fact


@pytest.mark.parametrize(
    "question, verdict",
    [
        ("is putins foreign minister attending", "No. Sergei Lavrov"),  # Putin's: Russia's
        ("Who is Zelenskyy's defence minister?", "Rustem Umerov"),
    ],
)
def test_a_person_in_the_possessive_before_an_office_of_their_side_is_that_side(
    answerer: Answerer, question: str, verdict: str
) -> None:
    assert reply(answerer, question).answer.startswith(verdict)


def test_what_two_people_discussed_needs_a_statement_one_made_to_the_other(answerer: Answerer) -> None:
    # Zelenskyy spoke to reporters after meeting Erdogan: that is not what the two talked about
    assert not reply(answerer, "what did erdogan and zelensky talk about in their meeting").answered
    assert not reply(answerer, "did zelensky and erdogan discuss a ceasefire?").answered
    assert reply(answerer, "What did Zelenskyy say after meeting Erdogan?").fact == "zelenskyy_expectations"


def test_part_of_an_office_is_neither_confirmed_nor_denied(answerer: Answerer) -> None:
    # "Deputy Chief of General Staff" does not say whether he is a general; a "No." would be a guess
    assert not reply(answerer, "is shevchenko a general?").answered


@pytest.mark.parametrize(
    "question, verdict",
    [
        ("is poklad from the security service?", "Yes."),  # Deputy Head *of* Security Service: he works there
        ("shevchenko is general staff?", "Yes."),
        ("is kyslytsya from the security service?", "No."),
        ("Is Kostyukov from the GRU in the Ukrainian delegation?", "No."),  # the office only says who is meant
    ],
)
def test_the_organisation_an_office_is_of_is_where_its_holder_works(
    answerer: Answerer, question: str, verdict: str
) -> None:
    assert reply(answerer, question).answer.startswith(verdict)


@pytest.mark.parametrize(
    "question", ["who chose istanbul, was it putin?", "who suggested holding the talks in istanbul, was it putins idea"]
)
def test_a_guess_at_who_did_something_the_sources_do_not_report_is_not_answered_about_the_guess(
    answerer: Answerer, question: str
) -> None:
    # without the guess the question has no answer; with it, the guessed person's profile used to win
    assert not reply(answerer, question).answered


@pytest.mark.parametrize(
    "question", ["did medinsky lead russia's team in 2022 too?", "was galuzin in russia's delegation in 2022?"]
)
def test_a_delegation_in_another_year_is_not_settled_by_todays_attributes(answerer: Answerer, question: str) -> None:
    assert not reply(answerer, question).answered


def test_a_sides_lead_right_before_a_verb_of_saying_is_the_person_who_leads_its_delegation(answerer: Answerer) -> None:
    assert (
        reply(answerer, "What did Moscow's top negotiator say he was ready to discuss?").fact == "medinsky_expectations"
    )
    assert not reply(answerer, "What did Ukraine's lead negotiator say?").answered  # Umerov is quoted on nothing


def test_a_person_spoken_about_is_not_the_speaker(answerer: Answerer) -> None:
    # whichever sentence of the message matches, what Medinsky said does not say what others say of him
    assert not reply(answerer, "Is Zelenskyy sure Moscow is serious? And what does he say about Medinsky?").answered
    assert reply(answerer, "what did medinsky say about compromises?").fact == "medinsky_expectations"


def test_a_speaker_the_sources_never_quote_said_nothing_even_with_someone_else_named(answerer: Answerer) -> None:
    assert not reply(answerer, "What did Erdogan tell reporters after meeting Zelenskyy?").answered
    assert reply(answerer, "What did Zelenskyy tell reporters after meeting Erdogan?").fact == "zelenskyy_expectations"


def test_a_claim_that_someone_said_what_another_said_is_corrected_naming_the_speaker(answerer: Answerer) -> None:
    answer = reply(answerer, "rubio announced anton's role didnt he")
    assert answer.answer.startswith("No. Tammy Bruce said so:") and answer.fact == "person_bruce", answer.answer
    assert any("Anton" in c.quote for c in answer.citations)  # the statement's own quote backs it
    said_in_uk = answerer.ask("rubio announced anton's role didnt he", lang="uk")
    assert said_in_uk.answer.startswith("Ні. Це слова Теммі Брюс:"), said_in_uk.answer


@pytest.mark.parametrize("lang, verdicts", [("en", ("Yes", "No")), ("uk", ("Так", "Ні")), ("ru", ("Да", "Нет"))])
def test_a_statement_quoted_for_what_someone_said_carries_no_verdict_of_its_own(
    answerer: Answerer, lang: str, verdicts: tuple[str, ...]
) -> None:
    # the fact's statement opens with "No." (it answers "Is Zelenskyy going?"), which is no answer to this
    answer = answerer.ask("Did Zelenskyy say Putin is not joining?", lang=lang)
    assert answer.fact == "zelenskyy_absent" and not answer.answer.startswith(verdicts), answer.answer


@pytest.mark.parametrize(
    "question, speaker",
    [
        ("who said they don't have high expectations", "Rubio"),
        ("who called these talks a continuation", "Medinsky"),  # calling something something is saying it
        ("кто сказал что у него нет высоких ожиданий от переговоров", "Рубио"),
    ],
)
def test_who_said_what_is_quoted_is_answered_with_the_speaker_of_the_statement_holding_it(
    answerer: Answerer, question: str, speaker: str
) -> None:
    answer = reply(answerer, question)
    assert answer.fact is not None and speaker in answer.answer, answer


@pytest.mark.parametrize("question", ["who said that?", "who said the weather is fine", "who said yes"])
def test_who_said_declines_when_no_statement_holds_what_is_quoted(answerer: Answerer, question: str) -> None:
    assert reply(answerer, question).fact is None


@pytest.mark.parametrize(
    "question, fact",
    [
        ("who are galuzin and fomin", "russia_delegation"),  # one fact names them both
        ("Poklad, Shevchenko - who are they?", "ukraine_delegation"),
        ("Галузин и Фомин — это кто?", "russia_delegation"),
    ],
)
def test_who_are_several_people_is_answered_by_the_narrowest_fact_naming_them_all(
    answerer: Answerer, question: str, fact: str
) -> None:
    assert reply(answerer, question).fact == fact


def test_who_are_several_people_no_fact_names_together_is_declined(answerer: Answerer) -> None:
    assert reply(answerer, "who are lavrov and umerov").fact is None


@pytest.mark.parametrize(
    "question, fact",
    [
        ("is the aide to Putin on foreign policy in Istanbul?", "top_diplomats_absent"),  # the office before the name
        ("а помощник путина по внешней политике тоже в стамбул полетел?", "person_ushakov"),  # a Slavic genitive
        ("помічник Путіна з зовнішньої політики в Стамбулі?", "top_diplomats_absent"),
        ("is foreign minister lavrov there", "person_lavrov"),  # his own office: it names him, no one else
    ],
)
def test_a_person_after_an_office_someone_else_on_their_side_holds_is_read_as_that_side(
    answerer: Answerer, question: str, fact: str
) -> None:
    answer = reply(answerer, question)
    assert answer.fact == fact and "Putin is" not in answer.answer, answer


def test_a_relation_claimed_beside_a_named_office_is_checked_without_the_office(answerer: Answerer) -> None:
    answer = reply(answerer, "is the defence minister umerov leading")  # used to get "No."
    assert answer.fact == "person_umerov" and answer.answer.startswith("Yes."), answer.answer


def test_a_persons_office_the_sources_never_give_is_declined(answerer: Answerer) -> None:
    assert reply(answerer, "whats rubio's official job title exactly").fact is None  # "a US official" is no title
    assert reply(answerer, "What's Erdogan's role in all this?").fact == "person_erdogan"  # the host, a president


def test_a_word_of_the_holders_profile_before_an_office_describes_the_holder(answerer: Answerer) -> None:
    answer = reply(answerer, "the crimean defence minister, which side is he on")  # Umerov has Crimean roots
    assert answer.fact == "person_umerov" and "Ukraine's side" in answer.answer, answer.answer
    assert reply(answerer, "our delegation lead defence minister or foreign minister?").fact != "person_lavrov"


@pytest.mark.parametrize(
    "question, fact",
    [
        ("kostyukov runs which agency", "person_kostyukov"),  # runs: he is its director
        ("which service is poklad from", "person_poklad"),
    ],
)
def test_which_part_of_their_office_a_person_holds_is_answered_with_their_profile(
    answerer: Answerer, question: str, fact: str
) -> None:
    assert reply(answerer, question).fact == fact


@pytest.mark.parametrize(
    "question, verdict",
    [
        ("who did zelenskyy meet before talking to the press", "After meeting Erdogan"),
        ("who met erdogan", "After meeting Erdogan"),
        ("did zelensky meet erdogan?", "Yes. After meeting Erdogan"),
        ("which turkish politician did zelensky meet", "After meeting Erdogan"),  # the side of the one he met
        ("З ким зустрівся Зеленський перед тим, як говорити з журналістами?", "Після зустрічі з Ердоганом"),
    ],
)
def test_a_meeting_is_read_from_the_statement_made_on_its_occasion(
    answerer: Answerer, question: str, verdict: str
) -> None:
    answer = reply(answerer, question)
    assert answer.fact == "zelenskyy_expectations" and answer.answer.startswith(verdict), answer.answer


@pytest.mark.parametrize(
    "question",
    [
        "did zelensky meet putin?",  # not recorded: neither confirmed nor denied
        "did zelensky meet erdogan in istanbul or in ankara",  # the statement does not say where
        "which russian official did zelenskyy meet",  # he met Erdogan, of Turkey
    ],
)
def test_a_meeting_the_sources_do_not_record_is_not_confirmed(answerer: Answerer, question: str) -> None:
    answer = reply(answerer, question)
    assert not answer.answer.startswith("Yes."), answer.answer


@pytest.mark.parametrize(
    "question",
    [
        "Putin and Zelenskyy will meet face to face in Istanbul, right?",
        "so are putin and zelensky meeting in turkey?",
    ],
)
def test_a_meeting_ahead_of_someone_not_attending_is_answered_with_their_absence(
    answerer: Answerer, question: str
) -> None:
    answer = reply(answerer, question)
    assert answer.fact == "absentees", answer.answer
    assert answer.answer.startswith("Vladimir Putin and Volodymyr Zelenskyy are not attending the talks.")
    assert not answer.answer.startswith(("Yes.", "No.")), answer.answer  # whether they will ever meet, it does not say


@pytest.mark.parametrize(
    "question",
    [
        "has putin ever met zelenskyy?",  # another time than the talks'
        "will putin and zelensky meet after the talks?",
        "Путин встречался с Эрдоганом?",  # the gloss reads "met" as "meet": nothing says it is ahead
    ],
)
def test_a_meeting_at_another_time_is_not_answered_with_who_attends(answerer: Answerer, question: str) -> None:
    assert reply(answerer, question).fact is None


@pytest.mark.parametrize(
    "question",
    [
        "which top russian officials are not attending?",  # "top" describes them; it leads nothing
        "Хто з провідних російських дипломатів відсутній у Стамбулі?",  # "провідних": top, not leading them
    ],
)
def test_top_officials_absent_are_the_absentees_not_the_delegation_leader(answerer: Answerer, question: str) -> None:
    assert reply(answerer, question).fact == "absentees"


@pytest.mark.parametrize(
    "question", ["how many extra people is Russia sending?", "how many others is Ukraine sending?"]
)
def test_how_many_others_a_side_sends_counts_its_delegation_besides_its_leader(
    answerer: Answerer, question: str
) -> None:
    answer = reply(answerer, question)
    assert answer.answered and "the source names 3 people" in answer.answer, answer.answer


def test_what_someone_said_about_a_person_their_statement_never_names_is_declined(answerer: Answerer) -> None:
    assert reply(answerer, "What did Tammy Bruce say about Lavrov?").fact is None
    assert reply(answerer, "What did Tammy Bruce say about Anton?").fact == "us_role"


def test_what_one_side_says_is_not_answered_with_the_other_sides_own_position(answerer: Answerer) -> None:
    assert reply(answerer, "What does Kyiv say about Moscow's root causes?").fact is None
    assert reply(answerer, "What does Kyiv say about a ceasefire?").fact == "ukraine_position"


def test_a_fact_of_how_things_stand_says_nothing_of_before(answerer: Answerer) -> None:
    assert reply(answerer, "Was Poklad an envoy before?").fact is None
    assert reply(answerer, "Is Poklad in the delegation?").fact is not None


def test_working_in_a_ministry_is_not_holding_its_top_office(answerer: Answerer) -> None:
    assert reply(answerer, "Is Fomin from the defence ministry?").answer.startswith("Yes.")  # its deputy minister
    assert reply(answerer, "Is Fomin the defence minister?").answer.startswith("No.")
    assert reply(answerer, "Is Umerov from the foreign ministry?").answer.startswith("No.")


def test_a_claim_about_two_people_is_checked_for_each(answerer: Answerer) -> None:
    both = reply(answerer, "Are Galuzin and Kyslytsya both deputy foreign ministers?")
    assert both.answer.startswith("Yes.") and "Galuzin" in both.answer and "Kyslytsya" in both.answer
    assert len(both.citations) == 2
    assert reply(answerer, "Are Medinsky and Poklad on Russia's side?").answer.startswith("No. Oleksandr Poklad")
    assert reply(answerer, "Is Poklad or Medinsky on Russia's side?").answer.startswith("Yes. Vladimir Medinsky")


@pytest.mark.parametrize("question", ["is fomin a general?", "Kostyukov is a colonel, right?"])
def test_a_military_rank_is_neither_confirmed_nor_denied_by_an_office(answerer: Answerer, question: str) -> None:
    """A deputy defence minister may well be a general: his office says nothing of his rank."""
    assert not reply(answerer, question).answer.startswith(("Yes.", "No."))


@pytest.mark.parametrize("question", ["medinsky is also putin's aide, isn't he?", "is lavrov putin's aide?"])
def test_a_title_many_hold_is_not_denied_because_someone_else_holds_it(answerer: Answerer, question: str) -> None:
    """Ushakov is a Kremlin aide; a president has many, so that says nothing of Medinsky or Lavrov."""
    assert not reply(answerer, question).answer.startswith(("Yes.", "No."))


def test_a_title_the_person_holds_is_still_confirmed(answerer: Answerer) -> None:
    assert reply(answerer, "is ushakov putin's aide?").answer.startswith("Yes. Yuri Ushakov")


def test_who_someone_said_they_must_meet_is_answered_by_their_words_that_name_whom(answerer: Answerer) -> None:
    match = answerer.matcher.match("who did trump say he needs to meet first?")
    assert match.fact == "trump_expectations" and "Putin" in (match.statement or ""), match


def test_whom_someone_said_nothing_about_is_not_read_from_their_words(answerer: Answerer) -> None:
    assert answerer.matcher.match("Who did Trump say he would appoint as envoy?").fact is None


def test_which_holder_of_an_office_a_side_named_is_that_holder(answerer: Answerer) -> None:
    match = answerer.matcher.match("which deputy defence minister did Moscow name?")
    assert match.fact == "person_fomin", match


@pytest.mark.parametrize(
    "question", ["what does Putin personally think of the talks?", "what does Lavrov think about them?"]
)
def test_what_someone_the_sources_never_quote_thinks_is_declined(answerer: Answerer, question: str) -> None:
    assert answerer.matcher.match(question).fact is None, question


def test_how_many_more_a_side_announced_counts_its_delegation(answerer: Answerer) -> None:
    assert answerer.ask("how many further negotiators has moscow announced?").fact == "russia_delegation"
    assert answerer.ask("what else did moscow announce?").fact is None


def test_anyone_from_a_ministry_is_whoever_works_there(answerer: Answerer) -> None:
    """Someone from the defence ministry is its deputy minister too; the minister himself is not in the sources."""
    assert answerer.ask("has russia brought someone from its defence ministry?").fact == "person_fomin"
    assert answerer.ask("is russia's defence minister attending?").fact is None


def test_a_side_named_as_the_scene_is_not_the_side_asked_about(answerer: Answerer) -> None:
    assert answerer.ask("right, they meet in turkey. and who leads the ukrainian team?").fact == "ukraine_lead"


def test_an_office_nobody_in_the_sources_holds_is_not_answered_with_another_officials_words(answerer: Answerer) -> None:
    """The sources never say who the US secretary of state is; the US president's expectations are no answer."""
    assert answerer.ask("what does the american secretary of state expect from istanbul?").fact is None
    assert answerer.ask("what does the american president expect from istanbul?").fact == "trump_expectations"


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        ("what is zelenskyy's delegation allowed to discuss?", "ukraine_position"),
        ("who is in putin's team?", "russia_delegation"),
    ],
)
def test_someones_team_is_their_sides_delegation(answerer: Answerer, question: str, fact: str) -> None:
    assert answerer.ask(question).fact == fact, question


def test_the_head_of_a_sides_delegation_before_a_verb_of_saying_is_its_leader(answerer: Answerer) -> None:
    question = "what did the head of the russian delegation say about compromises?"
    assert answerer.ask(question).fact == "medinsky_expectations"


def test_how_many_of_a_side_are_going_counts_its_delegation(answerer: Answerer) -> None:
    assert answerer.ask("how many russians will attend?").fact == "russia_delegation"
    assert answerer.ask("how many people will attend the talks?").fact is None  # no source counts everyone there
