"""No evaluation question is copied into the pack: a score on copied questions measures recall, not
understanding. A short question ("who is umerov") may coincide by chance; a longer one may not."""

from __future__ import annotations

import re
from pathlib import Path

from knowledge.evaluation import default_eval_file, question_files, read_questions
from knowledge.pack import bundled_pack_dir, read_pack
from knowledge.text import tokenize

DATA = Path(__file__).parent / "data"
MIN_WORDS = 5
"""Questions this long or longer do not coincide with a phrasing by chance."""
MAX_SHARE = 0.01


def pack_phrasings() -> set[tuple[str, ...]]:
    return {tuple(tokenize(p)) for intent in read_pack(bundled_pack_dir()).intents for p in intent.phrasings}


def copied(path: Path, phrasings: set[tuple[str, ...]]) -> tuple[list[str], int]:
    """The set's questions (of MIN_WORDS or more) that stand word for word among the phrasings, and its size."""
    questions = [tuple(tokenize(q.question)) for q in read_questions(path)]
    return [" ".join(q) for q in questions if len(q) >= MIN_WORDS and q in phrasings], len(questions)


SEALED_COINCIDENCES = re.compile(r"^# questions that matched a phrasing word for word when sealed: (\d+)", re.MULTILINE)


def recorded_coincidences(path: Path) -> int:
    """How many of a once-sealed set's questions a blind writer happened to phrase as the pack did."""
    recorded = SEALED_COINCIDENCES.search(path.read_text(encoding="utf-8"))
    return int(recorded.group(1)) if recorded else 0


def test_no_evaluation_set_is_copied_into_the_intent_phrasings() -> None:
    """A development set that was sealed once keeps the coincidences its header recorded then."""
    phrasings = pack_phrasings()
    for path in [default_eval_file(), *question_files([DATA / "dev"])]:
        found, size = copied(path, phrasings)
        assert len(found) <= max(MAX_SHARE * size, recorded_coincidences(path)), (path.name, found)


def test_the_pack_gains_no_phrasing_of_a_sealed_question() -> None:
    """A blind writer may happen on a phrasing the pack already had; its header records how many when
    the set was sealed. Any more since would be a sealed question copied into the pack."""
    phrasings = pack_phrasings()
    for path in question_files([DATA / "sealed"]):
        assert SEALED_COINCIDENCES.search(path.read_text(encoding="utf-8")), f"{path.name} records no coincidences"
        found, _ = copied(path, phrasings)
        assert len(found) <= recorded_coincidences(path), (path.name, found)


def test_the_overlap_check_sees_a_copy_whatever_its_case_and_punctuation(tmp_path: Path) -> None:
    phrasings = pack_phrasings()
    phrasing = next(" ".join(p) for p in sorted(phrasings) if len(p) >= MIN_WORDS)
    questions = tmp_path / "set.yaml"
    questions.write_text(
        f'questions:\n  - q: "{phrasing.upper()}?!"\n    expect: null\n'
        f'  - q: "something nobody phrased this way at all"\n    expect: null\n'
    )
    assert copied(questions, phrasings) == ([phrasing], 2)
