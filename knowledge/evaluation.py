"""Measuring answer quality on a question set: in-scope accuracy, declines, wrong answers."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from knowledge.answer import Answerer
from knowledge.language import detect_language
from knowledge.pack import Problem, PackError, bundled_pack_dir
from knowledge.question import answer_type

TARGET_IN_SCOPE = 0.95
TARGET_DECLINE = 0.97
TARGET_WRONG = 0.01


@dataclass(frozen=True)
class EvalQuestion:
    question: str
    expected: frozenset[str]
    """Acceptable fact ids; empty means the bot must decline."""


@dataclass(frozen=True)
class Outcome:
    item: EvalQuestion
    fact: str | None
    confidence: float
    answer_type: str = "other"
    entities: tuple[str, ...] = ()
    """The entities the analyzer found in the question, for reading failures."""
    language: str = "en"
    """The question's language as detected (English when it gives no signal)."""

    @property
    def in_scope(self) -> bool:
        return bool(self.item.expected)

    @property
    def correct(self) -> bool:
        return self.fact in self.item.expected if self.in_scope else self.fact is None

    @property
    def wrong(self) -> bool:
        """Answered with a fact that does not answer the question: the worst outcome."""
        return self.fact is not None and self.fact not in self.item.expected


@dataclass
class EvalReport:
    outcomes: list[Outcome] = field(default_factory=list)

    def _rate(self, hits: int, total: int) -> float:
        return hits / total if total else 1.0

    @property
    def in_scope_accuracy(self) -> float:
        scoped = [o for o in self.outcomes if o.in_scope]
        return self._rate(sum(o.correct for o in scoped), len(scoped))

    @property
    def decline_accuracy(self) -> float:
        unscoped = [o for o in self.outcomes if not o.in_scope]
        return self._rate(sum(o.correct for o in unscoped), len(unscoped))

    @property
    def wrong_rate(self) -> float:
        return self._rate(sum(o.wrong for o in self.outcomes), len(self.outcomes))

    @property
    def meets_targets(self) -> bool:
        return (
            self.in_scope_accuracy >= TARGET_IN_SCOPE
            and self.decline_accuracy >= TARGET_DECLINE
            and self.wrong_rate <= TARGET_WRONG
        )

    def languages(self) -> list[str]:
        return list(dict.fromkeys(o.language for o in self.outcomes))

    def for_language(self, language: str) -> EvalReport:
        return EvalReport([o for o in self.outcomes if o.language == language])

    def language_lines(self) -> list[str]:
        """One line per language of the set's questions (a set is usually in one language)."""
        lines = []
        for language in self.languages():
            part = self.for_language(language)
            lines.append(
                f"  {language}: {len(part.outcomes)} questions, in scope {part.in_scope_accuracy:.1%}, "
                f"declined {part.decline_accuracy:.1%}, wrong {part.wrong_rate:.1%}"
            )
        return lines

    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.correct]

    def summary(self, with_failures: bool = True) -> str:
        scoped = sum(o.in_scope for o in self.outcomes)
        lines = [
            f"questions: {len(self.outcomes)} ({scoped} in scope, {len(self.outcomes) - scoped} out of scope)",
            f"in-scope answered correctly: {self.in_scope_accuracy:.1%} (target >= {TARGET_IN_SCOPE:.0%})",
            f"out-of-scope declined:       {self.decline_accuracy:.1%} (target >= {TARGET_DECLINE:.0%})",
            f"wrong answers:               {self.wrong_rate:.1%} (target <= {TARGET_WRONG:.0%})",
            "per language:",
            *self.language_lines(),
        ]
        failures = self.failures() if with_failures else []
        if failures:
            lines.append(f"failures ({len(failures)}):")
            for o in failures:
                kind = "WRONG" if o.wrong else ("MISSED" if o.in_scope else "ANSWERED")
                expected = ", ".join(sorted(o.item.expected)) or "decline"
                lines.append(
                    f"  {kind:8} {o.item.question!r}: got {o.fact or 'decline'} "
                    f"({o.confidence:.0f}), expected {expected} "
                    f"[{o.answer_type}; {', '.join(o.entities) or 'no entities'}]"
                )
        lines.append("targets: " + ("met" if self.meets_targets else "NOT met"))
        return "\n".join(lines)


def default_eval_file() -> Path:
    return bundled_pack_dir() / "eval.yaml"


def read_questions(path: Path) -> list[EvalQuestion]:
    name = str(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise PackError([Problem(name, "", f"cannot read question file: {exc.strerror}")]) from None
    except yaml.YAMLError as exc:
        raise PackError([Problem(name, "", f"malformed YAML: {str(exc).splitlines()[0]}")]) from None
    if not isinstance(data, dict) or not isinstance(data.get("questions"), list):
        raise PackError([Problem(name, "", "expected a top-level 'questions:' list")])
    questions: list[EvalQuestion] = []
    for index, item in enumerate(data["questions"], start=1):
        expect = item.get("expect") if isinstance(item, dict) else None
        if not isinstance(item, dict) or not isinstance(item.get("q"), str):
            raise PackError([Problem(name, f"item {index}", "needs 'q: QUESTION' and 'expect: FACT_ID | [..] | null'")])
        expected = [expect] if isinstance(expect, str) else list(expect or [])
        questions.append(EvalQuestion(item["q"], frozenset(expected)))
    return questions


def evaluate(answerer: Answerer, questions: list[EvalQuestion]) -> EvalReport:
    report = EvalReport()
    for item in questions:
        match = answerer.match(item.question)
        mentions = answerer.matcher.analyzer.analyse(item.question).mentions
        report.outcomes.append(
            Outcome(
                item,
                match.fact,
                match.confidence,
                answer_type(item.question),
                tuple(dict.fromkeys(m.entity for m in mentions)),
                detect_language(item.question) or "en",
            )
        )
    return report


def pooled(reports: list[EvalReport]) -> EvalReport:
    """All the sets' questions as one: the figure that gates, since small sets swing."""
    return EvalReport([outcome for report in reports for outcome in report.outcomes])


def question_files(paths: list[Path]) -> list[Path]:
    """Files as given; a folder stands for the question sets (*.yaml) in it, sorted."""
    files: list[Path] = []
    for path in paths:
        files.extend(sorted(path.glob("*.yaml")) if path.is_dir() else [path])
    return files
