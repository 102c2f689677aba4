"""The sealed gate: blind sets, never tuned on, each held to its own first measurement.

A sealed set's header records the figures it got the first time it was measured. Any later change
that answers fewer of its in-scope questions, declines fewer of its out-of-scope ones, or answers
more of them wrongly fails here. The issue's absolute targets are printed beside, not asserted:
they are what the engine is working towards, and the note says how far it is."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from knowledge.answer import Answerer
from knowledge.evaluation import EvalReport, evaluate, pooled, read_questions

SEALED = Path(__file__).parent / "data" / "sealed"
FIRST = re.compile(
    r"^# first measurement: in-scope (?P<scope>[\d.]+)%, declined (?P<declined>[\d.]+)%, "
    r"wrong (?P<wrong>[\d.]+)%",
    re.MULTILINE,
)
ROUNDING = 0.05
"""Headers give one decimal: half a step either way is the same figure."""


def sealed_sets() -> list[Path]:
    return sorted(SEALED.glob("*.yaml"))


def first_measurement(path: Path) -> dict[str, float]:
    found = FIRST.search(path.read_text(encoding="utf-8"))
    assert found, f"{path.name} has no first measurement in its header"
    return {key: float(value) for key, value in found.groupdict().items()}


def test_the_sealed_sets_are_large_enough() -> None:
    english = [q for path in sealed_sets() if path.name.startswith("en_") for q in read_questions(path)]
    assert len(english) >= 300 and sum(not q.expected for q in english) >= 100
    for language in ("uk", "ru"):
        questions = [q for path in sealed_sets() if path.name.startswith(f"{language}_") for q in read_questions(path)]
        assert len(questions) >= 60 and sum(not q.expected for q in questions) >= len(questions) / 4


@pytest.fixture(scope="module")
def reports(answerer: Answerer) -> dict[Path, EvalReport]:
    """Each sealed set measured once for this module (the pooled figure reuses them)."""
    return {path: evaluate(answerer, read_questions(path)) for path in sealed_sets()}


@pytest.mark.parametrize("path", sealed_sets(), ids=lambda p: p.stem)
def test_no_sealed_set_falls_below_its_first_measurement(reports: dict[Path, EvalReport], path: Path) -> None:
    # Figures only: a failing gate that printed the failed questions would unseal the set to whoever
    # reads the log (it happened once). Plain floats, so pytest's report shows no question either.
    report = reports[path]
    figures = report.summary(with_failures=False)
    first = first_measurement(path)
    scope, declined, wrong = 100 * report.in_scope_accuracy, 100 * report.decline_accuracy, 100 * report.wrong_rate
    del report
    assert scope >= first["scope"] - ROUNDING, figures
    assert declined >= first["declined"] - ROUNDING, figures
    assert wrong <= first["wrong"] + ROUNDING, figures


def test_pooled_figures_are_reported(reports: dict[Path, EvalReport], capsys: pytest.CaptureFixture[str]) -> None:
    total = pooled(list(reports.values()))
    with capsys.disabled():
        print(f"\nsealed sets pooled: {total.summary(with_failures=False)}")
    assert len(total.outcomes) == sum(len(r.outcomes) for r in reports.values())
