"""Answer quality targets on the pack's own question set (talksbot eval)."""

from __future__ import annotations

from knowledge.answer import Answerer
from knowledge.evaluation import default_eval_file, evaluate, read_questions


def test_question_set_is_large_and_covers_every_fact(answerer: Answerer) -> None:
    questions = read_questions(default_eval_file())
    assert len(questions) >= 150
    assert sum(not q.expected for q in questions) >= 40
    covered = {fact for q in questions for fact in q.expected}
    assert set(answerer.knowledge.facts) - covered <= {"attendees"}


def test_eval_targets_are_met(answerer: Answerer) -> None:
    report = evaluate(answerer, read_questions(default_eval_file()))
    assert report.in_scope_accuracy >= 0.95, report.summary()
    assert report.decline_accuracy >= 0.95, report.summary()
    assert report.wrong_rate <= 0.01, report.summary()
