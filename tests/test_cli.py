"""The `talksbot` command as a user and outside scripts see it: real subprocesses, real SQLite files.

Each test runs `python -m bot.cli ...` in a scratch working directory with DATABASE_URL pointing to
a SQLite file under the test's tmp_path, HOME and XDG_DATA_HOME inside tmp_path and no Telegram token.
Subprocesses cost about a second and a half each, so related assertions are grouped per run.
"""

from __future__ import annotations

import hashlib
import json
import os
import queue
import shutil
import sqlite3
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from knowledge.pack import bundled_pack_dir

TIMEOUT = 120
"""Seconds any single command may take before the test fails instead of hanging."""

SOURCE_ID = "nzherald-2025-05-15"
SOURCE_URL = (
    "https://www.nzherald.co.nz/world/istanbul-to-host-ukraine-russia-peace-talks-"
    "presidents-zelenskyy-putin-absent/7SIJ52YRWRCFHKGULCIYXT4QAM/"
)
UKRAINE_QUESTION = "Who leads Ukraine's team?"
OUT_OF_SCOPE_QUESTION = "Who leads the Polish delegation?"

CONTRACT_FIELDS = {"question", "answered", "text", "confidence", "intent", "sources", "suggestions"}
SETTING_NAMES = {
    "TELEGRAM_BOT_TOKEN",
    "TELEGRAM_BASE_URL",
    "DATABASE_URL",
    "DATA_DIR",
    "ADMIN_USER_IDS",
    "LOG_LEVEL",
    "WEBHOOK_URL",
    "WEBHOOK_SECRET",
    "WEBHOOK_LISTEN",
    "WEBHOOK_PORT",
    "BRIEFING_TZ",
    "PYTHONIOENCODING",
    "LOG_FORMAT",
    "WEBHOOK_PATH",
    "METRICS_PORT",
}


# --- Helpers ------------------------------------------------------------------------------------------


def source_text() -> str:
    return (bundled_pack_dir() / "sources" / f"{SOURCE_ID}.txt").read_text(encoding="utf-8")


def sqlite_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


def make_env(home: Path, database_url: str | None, **extra: str) -> dict[str, str]:
    """The inherited environment minus every talksbot setting, with HOME and XDG_DATA_HOME in `home`."""
    env = {k: v for k, v in os.environ.items() if k.upper() not in SETTING_NAMES}
    env["HOME"] = str(home / "home")
    env["XDG_DATA_HOME"] = str(home / "xdg")
    if database_url is not None:
        env["DATABASE_URL"] = database_url
    env.update(extra)
    return env


@dataclass
class Workspace:
    """A scratch directory with its own database, home and working directory."""

    root: Path

    def __post_init__(self) -> None:
        (self.root / "cwd").mkdir(parents=True, exist_ok=True)

    @property
    def db_path(self) -> Path:
        return self.root / "t.db"

    @property
    def cwd(self) -> Path:
        return self.root / "cwd"

    def env(self, database_url: str | None = "default", **extra: str) -> dict[str, str]:
        url = sqlite_url(self.db_path) if database_url == "default" else database_url
        return make_env(self.root, url, **extra)

    def run(
        self, *args: str, stdin: bytes | None = None, database_url: str | None = "default", **extra_env: str
    ) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            [sys.executable, "-m", "bot.cli", *args],
            cwd=self.cwd,
            env=self.env(database_url, **extra_env),
            input=stdin if stdin is not None else b"",
            capture_output=True,
            timeout=TIMEOUT,
        )

    def pack_copy(self, name: str = "pack") -> Path:
        target = self.root / name
        shutil.copytree(bundled_pack_dir(), target)
        return target


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return Workspace(tmp_path)


def out_text(result: subprocess.CompletedProcess[bytes]) -> str:
    return result.stdout.decode("utf-8")


def err_text(result: subprocess.CompletedProcess[bytes]) -> str:
    return result.stderr.decode("utf-8", "replace")


def json_lines(result: subprocess.CompletedProcess[bytes]) -> list[dict[str, Any]]:
    """stdout split on newlines only (as `--json` promises), each line parsed as one JSON object."""
    text = out_text(result)
    assert text.endswith("\n"), f"output must end with a newline: {text[-200:]!r}"
    lines = text[:-1].split("\n")
    objects = []
    for line in lines:
        obj = json.loads(line)
        assert isinstance(obj, dict), line
        objects.append(obj)
    return objects


def assert_contract_types(obj: dict[str, Any]) -> None:
    """Every contract field is present with exactly the promised type."""
    assert CONTRACT_FIELDS <= obj.keys(), f"missing fields: {CONTRACT_FIELDS - obj.keys()}"
    assert isinstance(obj["question"], str)
    assert type(obj["answered"]) is bool
    assert isinstance(obj["text"], str) and obj["text"].strip()
    assert isinstance(obj["confidence"], (int, float)) and not isinstance(obj["confidence"], bool)
    assert 0 <= obj["confidence"] <= 100
    assert obj["intent"] is None or isinstance(obj["intent"], str)
    assert isinstance(obj["sources"], list)
    for source in obj["sources"]:
        assert isinstance(source, dict)
        for key in ("title", "url", "quote"):
            assert isinstance(source.get(key), str) and source[key], f"source field {key!r}: {source}"
    assert isinstance(obj["suggestions"], list)
    assert all(isinstance(s, str) and s for s in obj["suggestions"])


def assert_sourced_answer(obj: dict[str, Any]) -> None:
    """An answer carries at least one source, and every quote is verbatim in the source text."""
    assert obj["answered"] is True, obj
    assert obj["sources"], obj
    text = source_text()
    for source in obj["sources"]:
        assert source["quote"] in text, f"quote is not verbatim in the source: {source['quote']!r}"


def assert_one_line_error(result: subprocess.CompletedProcess[bytes], *must_mention: str) -> str:
    """Non-zero exit, no traceback anywhere, one line on stderr naming the problem (besides `warning:` lines)."""
    stdout, stderr = out_text(result), err_text(result)
    assert result.returncode != 0, f"expected failure, got exit 0; stdout={stdout!r}"
    assert "Traceback" not in stderr and "Traceback" not in stdout, stderr
    lines = [line for line in stderr.splitlines() if line.strip() and not line.startswith("warning: ")]
    assert len(lines) == 1, f"expected exactly one error line on stderr, got {len(lines)}:\n{stderr}"
    for word in must_mention:
        assert word in lines[0], f"{word!r} not named in the error line: {lines[0]!r}"
    return lines[0]


def tree_digest(directory: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in directory.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(directory)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def break_one_quote(pack: Path) -> str:
    """Make one fact's quote non-verbatim (a quote no other fact shares); returns that fact's id."""
    facts_file = pack / "facts.yaml"
    raw = facts_file.read_text(encoding="utf-8")
    facts = yaml.safe_load(raw)["facts"]
    for fact in facts:
        quote = fact["quotes"][0]["text"].strip()
        if raw.count(quote) == 1:
            facts_file.write_text(raw.replace(quote, "Words the reporter never wrote: " + quote), encoding="utf-8")
            return fact["id"]
    raise AssertionError("every quote in the bundled pack is shared; cannot break just one")


# --- 1. Asking in plain text ------------------------------------------------------------------------


def test_plain_ask_prints_statement_source_line_and_verbatim_quote(ws: Workspace) -> None:
    result = ws.run("ask", UKRAINE_QUESTION)

    assert result.returncode == 0, err_text(result)
    assert "Traceback" not in err_text(result)
    text = out_text(result)
    lines = text.splitlines()
    assert "Umerov" in lines[0], text
    source_lines = [line for line in lines if line.startswith("Source: ")]
    assert source_lines, f"no 'Source:' line in:\n{text}"
    assert "NZ Herald" in source_lines[0] and SOURCE_URL in source_lines[0], source_lines[0]
    assert " — " + SOURCE_URL in source_lines[0], "the source line ends with ' — <url>'"
    quotes = [line[1:-1] for line in lines if line.startswith("\u201c") and line.endswith("\u201d")]
    assert quotes, f"no quoted line in:\n{text}"
    for quote in quotes:
        assert quote in source_text(), f"quote is not verbatim in the source: {quote!r}"


# --- 2. Asking with --json on the command line ------------------------------------------------------


def test_json_argv_questions_give_one_contract_object_per_question(ws: Workspace) -> None:
    result = ws.run("ask", "--json", UKRAINE_QUESTION, OUT_OF_SCOPE_QUESTION)

    assert result.returncode == 0, err_text(result)
    answered, declined = json_lines(result)
    for obj in (answered, declined):
        assert_contract_types(obj)

    assert answered["question"] == UKRAINE_QUESTION
    assert_sourced_answer(answered)
    assert "Umerov" in answered["text"]
    assert any(s["url"] == SOURCE_URL for s in answered["sources"])

    assert declined["question"] == OUT_OF_SCOPE_QUESTION
    assert declined["answered"] is False
    assert declined["intent"] is None
    assert declined["sources"] == []
    assert 1 <= len(declined["suggestions"]) <= 3, declined["suggestions"]


# --- 3. Asking with --json from standard input ------------------------------------------------------

HOSTILE_LINES: list[tuple[bytes, str]] = [
    # (bytes written as one input line, the `question` expected back)
    (b"", ""),
    (b"q" * 10_000, "q" * 10_000),
    (b"who \x00leads \x1b[31mukraine\x07 now", "who \x00leads \x1b[31mukraine\x07 now"),
    (b"<b>who</b> *leads* [x](http://e)", "<b>who</b> *leads* [x](http://e)"),
    (
        "🇺🇦🤝🇷🇺 кто возглавляет делегацию? من يقود الوفد؟ \u202eevil\u202c \u2028 \u0085".encode(),
        "🇺🇦🤝🇷🇺 кто возглавляет делегацию? من يقود الوفد؟ \u202eevil\u202c \u2028 \u0085",
    ),
    (b"\xff\xfe who leads", "\ufffd\ufffd who leads"),
    (b"   \t  ", "   \t  "),
    (b"Who leads Russia's delegation?\r", "Who leads Russia's delegation?"),
    (UKRAINE_QUESTION.encode(), UKRAINE_QUESTION),
]


@pytest.fixture(scope="module")
def stdin_batch(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    """One `ask --json` run fed every hostile line on standard input (shared by the tests below)."""
    ws = Workspace(tmp_path_factory.mktemp("batch"))
    payload = b"".join(line + b"\n" for line, _ in HOSTILE_LINES)
    result = ws.run("ask", "--json", stdin=payload)
    assert result.returncode == 0, err_text(result)
    assert "Traceback" not in err_text(result), err_text(result)
    return json_lines(result)


def test_json_batch_from_stdin_yields_one_line_per_input_line(stdin_batch: list[dict[str, Any]]) -> None:
    assert len(stdin_batch) == len(HOSTILE_LINES)


def test_json_batch_keeps_input_order_and_echoes_each_question(stdin_batch: list[dict[str, Any]]) -> None:
    for (raw, expected), obj in zip(HOSTILE_LINES, stdin_batch):
        assert obj["question"] == expected, f"input {raw[:60]!r} came back as {obj['question'][:60]!r}"


def test_json_batch_lines_all_follow_the_contract(stdin_batch: list[dict[str, Any]]) -> None:
    for obj in stdin_batch:
        assert_contract_types(obj)
        if obj["answered"]:
            assert_sourced_answer(obj)
        else:
            assert obj["sources"] == [] and obj["intent"] is None


def test_json_batch_answers_real_questions_and_declines_noise(stdin_batch: list[dict[str, Any]]) -> None:
    by_question = {obj["question"]: obj for obj in stdin_batch}
    assert "Umerov" in by_question[UKRAINE_QUESTION]["text"]
    assert_sourced_answer(by_question[UKRAINE_QUESTION])
    assert "Medinsky" in by_question["Who leads Russia's delegation?"]["text"]
    for noise in ("", "   \t  ", "q" * 10_000):
        assert by_question[noise]["answered"] is False, f"noise {noise[:20]!r} was answered"


def test_json_batch_does_not_answer_a_sideless_question_with_an_unrelated_fact(
    stdin_batch: list[dict[str, Any]],
) -> None:
    """'?? who leads' names no side: decline (ask which side) or name the delegation leaders."""
    reply = next(obj for obj in stdin_batch if obj["question"] == "\ufffd\ufffd who leads")
    assert not reply["answered"] or ("Umerov" in reply["text"] and "Medinsky" in reply["text"]), (
        f"answered with intent {reply['intent']!r}: {reply['text'].splitlines()[0]!r}"
    )


def test_json_batch_writes_utf8_json_even_when_the_locale_encoding_is_not_utf8(ws: Workspace) -> None:
    payload = "🇺🇦 кто возглавляет делегацию?\n".encode() + UKRAINE_QUESTION.encode() + b"\n"
    result = ws.run("ask", "--json", stdin=payload, PYTHONIOENCODING="latin-1")

    assert "Traceback" not in err_text(result), err_text(result)
    assert result.returncode == 0, err_text(result)
    first, second = json_lines(result)
    assert first["question"] == "🇺🇦 кто возглавляет делегацию?"
    assert second["answered"] is True


def _line_reader(stream: Any, lines: queue.Queue[bytes]) -> None:
    for line in iter(stream.readline, b""):
        lines.put(line)
    lines.put(b"")


def test_json_batch_from_stdin_is_flushed_line_by_line(ws: Workspace) -> None:
    """A caller can write one question, read its answer, then write the next (no buffering deadlock)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "ask", "--json"],
        cwd=ws.cwd,
        env=ws.env(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    lines: queue.Queue[bytes] = queue.Queue()
    threading.Thread(target=_line_reader, args=(process.stdout, lines), daemon=True).start()
    try:
        assert process.stdin is not None
        for question, answered in ((UKRAINE_QUESTION, True), (OUT_OF_SCOPE_QUESTION, False), ("", False)):
            process.stdin.write(question.encode() + b"\n")
            process.stdin.flush()
            try:
                line = lines.get(timeout=TIMEOUT)
            except queue.Empty:
                pytest.fail(f"no output line for {question!r} while standard input stays open")
            assert line.endswith(b"\n"), line
            obj = json.loads(line)
            assert obj["question"] == question and obj["answered"] is answered
        process.stdin.close()
        assert process.wait(timeout=TIMEOUT) == 0
        assert lines.get(timeout=TIMEOUT) == b"", "nothing more after the last answer"
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        assert process.stderr is not None
        stderr = process.stderr.read().decode("utf-8", "replace")
        process.stdout.close()  # type: ignore[union-attr]
        process.stderr.close()
    assert "Traceback" not in stderr, stderr


# --- 4. A fresh database just works -----------------------------------------------------------------


def test_first_question_creates_the_database_and_a_second_process_reuses_it(ws: Workspace) -> None:
    db = ws.root / "not" / "yet" / "there" / "fresh.db"
    url = sqlite_url(db)
    assert not db.parent.exists()

    first = ws.run("ask", "--json", UKRAINE_QUESTION, database_url=url)
    assert first.returncode == 0, err_text(first)
    assert_sourced_answer(json_lines(first)[0])
    assert db.is_file(), "the first question creates the database file (and its folders)"

    second = ws.run("ask", "--json", "Who leads Russia's delegation?", database_url=url)
    assert second.returncode == 0, err_text(second)
    assert_sourced_answer(json_lines(second)[0])

    with sqlite3.connect(db) as connection:
        packs = connection.execute("SELECT COUNT(*) FROM packs").fetchone()[0]
    assert packs == 1, "the second process reused the database instead of loading the pack again"


def test_without_database_url_the_database_lives_in_the_xdg_data_directory(ws: Workspace) -> None:
    result = ws.run("ask", UKRAINE_QUESTION, database_url=None)

    assert result.returncode == 0, err_text(result)
    assert "Umerov" in out_text(result)
    assert (ws.root / "xdg" / "talksbot" / "talksbot.db").is_file()
    assert not ws.db_path.exists()


# --- 5. Errors: one line on stderr, non-zero exit, never a traceback -------------------------------


@pytest.mark.parametrize(
    "url, named",
    [
        ("not a url", "DATABASE_URL"),
        ("postgresql://x@127.0.0.1:1/db", "cannot open database postgresql+asyncpg://x@127.0.0.1:1/db"),
    ],
    ids=["not-a-url", "postgres-url-mapped-to-asyncpg-but-unreachable"],
)
def test_bad_database_url_gives_one_line_error(ws: Workspace, url: str, named: str) -> None:
    result = ws.run("ask", UKRAINE_QUESTION, database_url=url)

    assert_one_line_error(result, named)
    assert out_text(result) == ""


@pytest.mark.parametrize("how", ["database-url", "data-dir"])
def test_unwritable_data_directory_gives_one_line_error(ws: Workspace, how: str) -> None:
    blocker = ws.root / "afile"
    blocker.write_text("a regular file where a folder should be\n")
    if how == "database-url":
        result = ws.run("ask", UKRAINE_QUESTION, database_url=sqlite_url(blocker / "sub" / "t.db"))
    else:
        result = ws.run("ask", UKRAINE_QUESTION, database_url=None, DATA_DIR=str(blocker / "sub"))

    line = assert_one_line_error(result)
    assert str(blocker) in line, f"the error names the directory: {line!r}"
    assert out_text(result) == ""


def test_check_on_missing_folder_gives_one_line_error(ws: Workspace) -> None:
    missing = ws.root / "no-such-pack"
    result = ws.run("check", str(missing))

    assert_one_line_error(result, str(missing))


def test_check_on_non_verbatim_quote_names_facts_yaml_and_the_fact(ws: Workspace) -> None:
    pack = ws.pack_copy()
    fact_id = break_one_quote(pack)
    before = tree_digest(pack)

    result = ws.run("check", str(pack))

    assert_one_line_error(result, "facts.yaml", fact_id)
    assert tree_digest(pack) == before, "check must not touch the pack"
    assert not ws.db_path.exists() and not (ws.root / "xdg").exists(), "check must write nothing"


def test_check_on_malformed_yaml_names_the_file(ws: Workspace) -> None:
    pack = ws.pack_copy()
    (pack / "intents.yaml").write_text("intents:\n  - id: [unclosed\n    phrasings: {\n", encoding="utf-8")

    result = ws.run("check", str(pack))

    assert_one_line_error(result, "intents.yaml")


def test_check_on_a_valid_pack_exits_zero_and_writes_nothing(ws: Workspace) -> None:
    pack = ws.pack_copy()
    before = tree_digest(pack)

    result = ws.run("check", str(pack))

    assert result.returncode == 0, err_text(result)
    assert "valid" in out_text(result)
    assert tree_digest(pack) == before
    assert not ws.db_path.exists() and not (ws.root / "xdg").exists()
    assert sorted(p.name for p in ws.root.iterdir()) == ["cwd", "pack"]
    assert list(ws.cwd.iterdir()) == []


# --- 6. Loading is idempotent and all or nothing ----------------------------------------------------


def test_load_twice_reports_unchanged_the_second_time(ws: Workspace) -> None:
    first = ws.run("load")
    assert first.returncode == 0, err_text(first)
    assert "istanbul-2025-05" in out_text(first)

    second = ws.run("load")
    assert second.returncode == 0, err_text(second)
    assert "unchanged" in out_text(second), out_text(second)
    with sqlite3.connect(ws.db_path) as connection:
        assert connection.execute("SELECT COUNT(*) FROM packs").fetchone()[0] == 1


def test_failed_load_of_a_broken_pack_leaves_the_earlier_load_answering(ws: Workspace) -> None:
    assert ws.run("load").returncode == 0
    pack = ws.pack_copy("broken")
    facts_file = pack / "facts.yaml"
    raw = facts_file.read_text(encoding="utf-8")
    statement = "Defence Minister Rustem Umerov leads Ukraine's delegation."
    assert raw.count(statement) == 1
    facts_file.write_text(raw.replace(statement, "THIS STATEMENT MUST NEVER BE LOADED."), encoding="utf-8")
    fact_id = break_one_quote(pack)

    failed = ws.run("load", str(pack))
    assert failed.returncode != 0
    assert "Traceback" not in err_text(failed) + out_text(failed), err_text(failed)
    assert "facts.yaml" in err_text(failed) and fact_id in err_text(failed), err_text(failed)

    after = ws.run("ask", "--json", UKRAINE_QUESTION)
    assert after.returncode == 0, err_text(after)
    reply = json_lines(after)[0]
    assert_sourced_answer(reply)
    assert reply["text"].startswith(statement)
    assert "NEVER" not in reply["text"]


# --- 7. Help ----------------------------------------------------------------------------------------


def test_help_lists_the_subcommands(ws: Workspace) -> None:
    result = ws.run("--help")

    assert result.returncode == 0, err_text(result)
    text = out_text(result)
    for command in ("ask", "check", "load", "eval", "run"):
        assert command in text, f"{command!r} missing from --help"


def test_ask_help_mentions_json(ws: Workspace) -> None:
    result = ws.run("ask", "--help")

    assert result.returncode == 0, err_text(result)
    assert "--json" in out_text(result)
    assert "QUESTION" in out_text(result)


# --- 8. Operator conveniences -----------------------------------------------------------------------


def test_version_prints_the_installed_version(ws: Workspace) -> None:
    from importlib.metadata import version

    result = ws.run("--version")

    assert result.returncode == 0, err_text(result)
    assert out_text(result) == f"talksbot {version('talksbot')}\n"


def test_plain_ask_reads_questions_from_a_pipe_without_json(ws: Workspace) -> None:
    result = ws.run("ask", stdin=b"who leads ukraine\nwhere are the talks\n")

    assert result.returncode == 0, err_text(result)
    replies = [block for block in out_text(result).split("\n\n") if block.strip()]
    assert len(replies) == 2
    assert "Umerov" in replies[0] and "Istanbul" in replies[1]


def _alembic(ws: Workspace, *args: str, **env: str) -> subprocess.CompletedProcess[bytes]:
    ini = Path(__file__).parents[1] / "alembic.ini"
    return subprocess.run(
        [sys.executable, "-m", "alembic", "-c", str(ini), *args],
        cwd=ws.cwd,
        env=ws.env(database_url=None, **env),
        capture_output=True,
        timeout=TIMEOUT,
    )


def test_alembic_by_hand_uses_the_bots_default_database(ws: Workspace) -> None:
    upgraded = _alembic(ws, "upgrade", "head")
    current = _alembic(ws, "current")

    assert upgraded.returncode == 0 and current.returncode == 0, err_text(upgraded) + err_text(current)
    assert (ws.root / "xdg" / "talksbot" / "talksbot.db").is_file()
    assert "(head)" in out_text(current)
    assert ws.run("ask", UKRAINE_QUESTION, database_url=None).returncode == 0  # the bot finds that database


def test_alembic_by_hand_on_an_unusable_database_is_one_clear_line(ws: Workspace) -> None:
    blocker = ws.root / "afile"
    blocker.write_text("a regular file where a folder should be\n")
    result = _alembic(ws, "current", DATA_DIR=str(blocker / "sub"))

    line = assert_one_line_error(result, str(blocker))
    assert line.startswith("alembic: error:")


def test_eval_says_when_the_bundled_pack_has_changed_since_it_was_loaded(ws: Workspace, vector_cache: Path) -> None:
    """A maintainer who edits the pack and runs `talksbot eval` must not take the old pack's figures for
    the new one's: the database answers from what was loaded."""
    questions = ws.root / "one.yaml"
    questions.write_text('questions:\n  - q: "Who leads Ukraine\'s delegation?"\n    expect: [ukraine_lead]\n')
    cache = {"VECTOR_CACHE_DIR": str(vector_cache)}  # the session's vectors: loading encodes nothing anew
    assert "has changed since it was loaded" not in err_text(ws.run("eval", str(questions), **cache))  # as is
    with sqlite3.connect(ws.db_path) as db:  # as if the pack's files were edited after it was loaded
        db.execute("UPDATE packs SET fingerprint = 'loaded before the edit'")
    assert "has changed since it was loaded" in err_text(ws.run("eval", str(questions), **cache))
