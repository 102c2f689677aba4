"""Knowledge operations without a bot: event-free code, statement support, packs, ingest, the question log."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from knowledge.answer import Answerer
from knowledge.answer import compose_answer
from knowledge.briefing import compose_briefing
from knowledge.history import history_follow_up
from knowledge.pack import PackError, bundled_pack_dir, read_pack
from knowledge.question_groups import group_questions
from knowledge.store.store import Store
from knowledge.store.unanswered import Unanswered, most_asked, record_unanswered
from knowledge.validate import check_pack
from tests.test_cli import Workspace, json_lines, out_text

ROOT = Path(__file__).resolve().parents[1]
HARBOUR = ROOT / "tests" / "data" / "packs" / "harbour-2031-06"
NOON = dt.datetime(2031, 6, 2, 12, tzinfo=dt.timezone.utc)


def python_sources() -> list[Path]:
    return [*ROOT.glob("bot/*.py"), *ROOT.glob("handlers/*.py"), *ROOT.glob("knowledge/*.py")]


def test_no_python_source_names_a_fact_of_the_bundled_pack() -> None:
    fact_ids = {fact.id for fact in read_pack(bundled_pack_dir()).facts}
    found = [
        (path.name, fact_id)
        for path in python_sources()
        for fact_id in fact_ids
        if re.search(rf"\b{re.escape(fact_id)}\b", path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_the_second_pack_is_valid_and_names_its_own_briefing_and_lead_facts() -> None:
    pack = read_pack(HARBOUR)
    assert check_pack(pack).problems == []
    assert pack.presentation.lead == {"aldoria": "aldoria_head", "benthia": "benthia_head"}
    assert [label for label, _ in pack.presentation.briefing] == ["Where", "Aldoria", "Benthia", "Goal"]


def test_briefing_or_lead_naming_an_unknown_fact_or_a_non_side_fails_the_check(tmp_path: Path) -> None:
    pack_dir = shutil.copytree(HARBOUR, tmp_path / "pack")
    meta = yaml.safe_load((pack_dir / "pack.yaml").read_text())
    meta["briefing"].append({"Weather": "no_such_fact"})
    meta["lead"]["varga"] = "aldoria_head"
    (pack_dir / "pack.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True))
    problems = [str(p) for p in check_pack(read_pack(pack_dir)).problems]
    assert "pack.yaml: briefing: unknown fact 'no_such_fact'" in problems
    assert "pack.yaml: lead: 'varga' is not a side entity" in problems


def test_a_quote_may_come_from_the_marked_headline_and_where_is_backed_by_it(answerer: object) -> None:
    reply = answerer.ask("Where are the talks?")  # type: ignore[attr-defined]
    assert reply.fact == "talks_location"
    assert reply.citations[0].quote == "Istanbul to host Ukraine-Russia peace talks"


def test_a_headline_quote_is_refused_when_the_source_marks_no_headline(tmp_path: Path) -> None:
    pack_dir = shutil.copytree(HARBOUR, tmp_path / "pack")
    sources = pack_dir / "sources.yaml"
    sources.write_text("\n".join(line for line in sources.read_text().splitlines() if "headline:" not in line))
    problems = [str(p) for p in check_pack(read_pack(pack_dir)).problems]
    assert any(p.startswith("facts.yaml: talks_place: quote 1 is not verbatim") for p in problems)


@pytest.mark.parametrize(
    "statement, kind, word",
    [
        ("Trade Minister Ilse Varga and Tomas Reyne lead Aldoria's delegation.", "person", "tomas reyne"),
        ("Trade Minister Ilse Varga leads Aldoria's delegation of 12.", "number", "12"),
        ("Trade Minister Ilse Varga leads Aldoria's delegation from Friday.", "date", "friday"),
        ("Trade Minister Ilse Varga leads Aldoria's delegation in Valmora.", "place", "valmora"),
    ],
)
def test_check_fails_a_statement_naming_what_no_quote_contains(
    tmp_path: Path, statement: str, kind: str, word: str
) -> None:
    pack_dir = shutil.copytree(HARBOUR, tmp_path / "pack")
    facts = pack_dir / "facts.yaml"
    facts.write_text(
        facts.read_text().replace(
            "statement: Trade Minister Ilse Varga leads Aldoria's delegation.", f"statement: {statement}"
        )
    )
    problems = [str(p) for p in check_pack(read_pack(pack_dir)).problems]
    assert problems == [
        f"facts.yaml: aldoria_head: the statement names the {kind} {word!r}, which none of its quotes contains"
    ]


def test_a_pack_failing_check_cannot_be_loaded(ws: Workspace, tmp_path: Path) -> None:
    pack_dir = shutil.copytree(HARBOUR, tmp_path / "pack")
    facts = pack_dir / "facts.yaml"
    facts.write_text(facts.read_text().replace("leads Benthia's delegation.", "leads Benthia's 40 delegates."))
    result = ws.run("load", str(pack_dir))
    assert result.returncode == 1 and b"'40'" in result.stderr
    assert json.loads(out_text(ws.run("packs", "--json"))) == []


def test_packs_lists_loaded_packs_and_unload_removes_one(ws: Workspace) -> None:
    # both packs' targets would take the encoder a minute to encode: this test is about the packs
    assert ws.run("load", TALKSBOT_ENCODER="off").returncode == 0
    assert ws.run("load", str(HARBOUR), TALKSBOT_ENCODER="off").returncode == 0
    listed = json.loads(out_text(ws.run("packs", "--json")))
    assert [(p["id"], p["version"], p["facts"]) for p in listed] == [
        ("harbour-2031-06", "1", 4),
        ("istanbul-2025-05", "2025-05-15.1", 42),
    ]
    assert all(len(p["fingerprint"]) == 64 and dt.datetime.fromisoformat(p["loaded_at"]) for p in listed)
    assert "harbour-2031-06  version 1" in out_text(ws.run("packs"))

    assert ws.run("unload", "harbour-2031-06").returncode == 0
    assert [p["id"] for p in json.loads(out_text(ws.run("packs", "--json")))] == ["istanbul-2025-05"]
    assert not json_lines(ws.run("ask", "--json", "Who leads Benthia's team?"))[0]["answered"]
    missing = ws.run("unload", "harbour-2031-06")
    assert missing.returncode == 1 and b"no pack 'harbour-2031-06' is loaded" in missing.stderr


def test_ingest_adds_a_normalised_hashed_source_and_lists_unquoted_sentences(ws: Workspace, tmp_path: Path) -> None:
    pack_dir = shutil.copytree(HARBOUR, tmp_path / "pack")
    article = tmp_path / "article.txt"
    article.write_text("Talks  resumed on Tuesday.\r\nThe harbour\r\nwill reopen.\r\n\r\nNo date was set.\r\n")
    args = (
        "ingest",
        str(article),
        "--title",
        "Talks resume",
        "--publisher",
        "Valmora Gazette",
        "--url",
        "https://gazette.example/resume",
        "--date",
        "2031-06-03",
        "--pack",
        str(pack_dir),
    )
    first = ws.run(*args)
    assert first.returncode == 0, first.stderr
    assert out_text(first).splitlines()[:2] == [
        f"added source valmora-gazette-2031-06-03 (sources/valmora-gazette-2031-06-03.txt, sha256 "
        f"{out_text(first).split('sha256 ')[1][:12]})",
        "3 sentences no fact quotes yet:",
    ]
    assert "- The harbour will reopen." in out_text(first)
    text = (pack_dir / "sources" / "valmora-gazette-2031-06-03.txt").read_text()
    assert text == "Talks resumed on Tuesday. The harbour will reopen.\nNo date was set.\n"
    entry = yaml.safe_load((pack_dir / "sources.yaml").read_text())["sources"][-1]
    assert entry["as_of"] == dt.date(2031, 6, 3) and entry["language"] == "en" and len(entry["sha256"]) == 64
    assert check_pack(read_pack(pack_dir)).problems == []

    again = ws.run(*args)
    assert "already holds this text" in out_text(again)
    assert len(yaml.safe_load((pack_dir / "sources.yaml").read_text())["sources"]) == 2


def test_ingest_refuses_a_folder_that_is_not_a_pack(ws: Workspace, tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Something happened.")
    result = ws.run(
        "ingest",
        str(article),
        "--title",
        "T",
        "--publisher",
        "P",
        "--url",
        "https://x.example",
        "--date",
        "2031-06-03",
        "--pack",
        str(tmp_path),
    )
    assert result.returncode == 1 and b"sources.yaml" in result.stderr and b"Traceback" not in result.stderr


def test_near_identical_questions_are_grouped_with_their_nearest_intent(answerer: object) -> None:
    rows = [
        Unanswered("Who mediates the talks?", 3, NOON),
        Unanswered("who mediates the talks", 2, NOON),
        Unanswered("Who mediate the talk?", 1, NOON + dt.timedelta(hours=1)),
        Unanswered("What is the capital of Peru?", 4, NOON),
    ]
    groups = group_questions(rows, answerer.matcher)  # type: ignore[attr-defined]
    assert [(g.question, g.count) for g in groups] == [
        ("Who mediates the talks?", 6),
        ("What is the capital of Peru?", 4),
    ]
    assert groups[0].last_asked == NOON + dt.timedelta(hours=1)
    assert groups[0].to_json()["variants"] == [
        "Who mediates the talks?",
        "who mediates the talks",
        "Who mediate the talk?",
    ]


async def test_the_log_filters_by_age_and_language(store: Store) -> None:
    await record_unanswered(store.sessions, "Who won the hockey?", NOON - dt.timedelta(days=10))
    await record_unanswered(store.sessions, "Хто виграв хокейний матч у Києві?", NOON)
    await record_unanswered(store.sessions, "Кто выиграл хоккей?", NOON)
    recent = await most_asked(store.sessions, since=NOON - dt.timedelta(days=1))
    assert sorted(row.language for row in recent) == ["ru", "uk"]
    assert [row.text for row in await most_asked(store.sessions, language="en")] == ["Who won the hockey?"]


def test_ask_log_feeds_unanswered_json_grouped_most_asked_first(ws: Workspace) -> None:
    asked = ws.run(
        "ask",
        "--log",
        "--json",
        "Who won the hockey?",
        "who won the hockey",
        "Who won the hockey",
        "What is the capital of Peru?",
        "Who leads Ukraine's team?",
    )
    assert asked.returncode == 0
    assert ws.run("ask", "What is the weather?").returncode == 0  # without --log: not logged
    groups = json.loads(out_text(ws.run("unanswered", "--json")))
    assert [(g["question"], g["count"]) for g in groups] == [
        ("Who won the hockey", 3),
        ("What is the capital of Peru?", 1),
    ]
    assert all(dt.datetime.fromisoformat(g["last_asked"]) and "nearest_intent" in g for g in groups)
    assert json.loads(out_text(ws.run("unanswered", "--json", "--lang", "uk"))) == []
    assert len(json.loads(out_text(ws.run("unanswered", "--json", "--since", "1")))) == 2
    assert "    3  Who won the hockey" in out_text(ws.run("unanswered"))


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return Workspace(tmp_path / "ws")


def test_reading_a_pack_rejects_a_malformed_briefing(tmp_path: Path) -> None:
    pack_dir = shutil.copytree(HARBOUR, tmp_path / "pack")
    (pack_dir / "pack.yaml").write_text(
        (pack_dir / "pack.yaml").read_text().replace("  - Where: talks_place", "  - talks_place")
    )
    with pytest.raises(PackError, match="pack.yaml: briefing: line 1 must be 'LABEL: FACT_ID'"):
        read_pack(pack_dir)


def superseding_version(tmp_path: Path) -> Path:
    """The harbour pack a few days later: a new source says someone else now leads Benthia's team."""
    pack_dir = shutil.copytree(HARBOUR, tmp_path / "harbour-later")
    (pack_dir / "sources" / "valmora-gazette-2031-06-05.txt").write_text(
        "Benthia replaced its chief negotiator: Deputy Premier Mara Holt now leads the Benthian team.\n"
    )
    with (pack_dir / "sources.yaml").open("a") as sources:
        sources.write(
            "  - id: valmora-gazette-2031-06-05\n    title: Benthia changes negotiator\n"
            "    publisher: Valmora Gazette\n    url: https://gazette.example/new-negotiator\n"
            "    as_of: 2031-06-05\n    language: en\n"
        )
    with (pack_dir / "entities.yaml").open("a") as entities:
        entities.write("  - id: holt\n    kind: person\n    name: Mara Holt\n    side: benthia\n    aliases: [Holt]\n")
    facts = pack_dir / "facts.yaml"
    facts.write_text(
        facts.read_text().replace("  - id: benthia_head\n", "  - id: benthia_head\n    as_of: 2031-06-02\n")
        + "  - id: benthia_head_now\n    supersedes: benthia_head\n    as_of: 2031-06-05\n"
        "    statement: Deputy Premier Mara Holt now leads Benthia's delegation.\n"
        "    entities: [benthia, holt]\n    quotes:\n      - source: valmora-gazette-2031-06-05\n"
        "        text: Deputy Premier Mara Holt now leads the Benthian team.\n"
    )
    return pack_dir


async def test_a_superseding_fact_answers_with_its_date_and_the_older_one_is_history(
    store: Store, tmp_path: Path
) -> None:
    await store.load(HARBOUR)
    before_update = dt.datetime.now(dt.timezone.utc)
    await store.load(superseding_version(tmp_path))
    answerer = Answerer(await store.knowledge())

    now = answerer.ask("Who leads Benthia's team?")
    assert (now.fact, now.plain_text().splitlines()[0]) == (
        "benthia_head_now",
        "Deputy Premier Mara Holt now leads Benthia's delegation. (As of 5 June 2031.)",
    )
    earlier = answerer.ask("Who led Benthia's team before?")
    assert earlier.fact == "benthia_head" and earlier.plain_text().startswith(
        "Before: Port Commissioner Tomas Reyne leads Benthia's delegation. (As of 2 June 2031.)"
    )
    previous = answerer.matcher.match("Who leads Benthia's team?")
    follow = history_follow_up(answerer.knowledge, previous, "What did they say before?")
    assert follow is not None and compose_answer(follow, answerer.knowledge).fact == "benthia_head"
    assert (
        history_follow_up(
            answerer.knowledge, answerer.matcher.match("Where are the harbour talks?"), "What did they say before?"
        )
        is None
    )  # nothing came before that answer
    briefing = compose_briefing(answerer.knowledge, dt.date(2031, 6, 6), new_since=before_update)
    assert briefing.new == (
        "Deputy Premier Mara Holt now leads Benthia's delegation. "
        "(before: Port Commissioner Tomas Reyne leads Benthia's delegation.)",
    )
    assert ("Benthia", "Deputy Premier Mara Holt now leads Benthia's delegation.") in briefing.lines


def test_superseding_an_unknown_or_newer_fact_fails_the_check(tmp_path: Path) -> None:
    pack_dir = superseding_version(tmp_path)
    facts = pack_dir / "facts.yaml"
    facts.write_text(facts.read_text().replace("as_of: 2031-06-05", "as_of: 2031-06-01"))
    problems = [str(p) for p in check_pack(read_pack(pack_dir)).problems]
    assert "facts.yaml: benthia_head_now: supersedes benthia_head, which is newer (2031-06-02)" in problems
    facts.write_text(facts.read_text().replace("supersedes: benthia_head", "supersedes: nothing_like_it"))
    assert "facts.yaml: benthia_head_now: supersedes: unknown fact 'nothing_like_it'" in [
        str(p) for p in check_pack(read_pack(pack_dir)).problems
    ]
