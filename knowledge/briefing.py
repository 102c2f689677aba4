"""The compact briefing behind /brief: where and when, who leads, what each side wants, expectations."""

from __future__ import annotations

from dataclasses import dataclass

from knowledge.answer import Citation, citations_for, format_date
from knowledge.store import Knowledge

BRIEF_FACTS: tuple[tuple[str, str], ...] = (
    ("Where", "talks_location"),
    ("When", "talks_timing"),
    ("Ukraine", "ukraine_lead"),
    ("Russia", "russia_lead"),
    ("United States", "us_role"),
    ("Ukraine wants", "ukraine_position"),
    ("Russia wants", "russia_position"),
    ("Trump", "trump_expectations"),
    ("Zelenskyy", "zelenskyy_expectations"),
    ("Moscow's negotiator", "medinsky_expectations"),
)
"""Label and fact per line; facts a pack lacks are skipped, so other packs get a shorter brief."""


@dataclass(frozen=True)
class Briefing:
    lines: tuple[tuple[str, str], ...]
    citations: tuple[Citation, ...]
    as_of: str

    def plain_text(self) -> str:
        body = [f"Briefing (knowledge as of {self.as_of})"]
        body += [f"{label}: {text}" for label, text in self.lines]
        sources = {(c.title, c.publisher, c.url, c.as_of) for c in self.citations}
        body += [f"Source: {t}, {p}, {format_date(d)} — {u}" for t, p, u, d in sorted(sources)]
        return "\n".join(body)

    def html(self) -> str:
        import html

        body = [f"<b>Briefing</b> (knowledge as of {html.escape(self.as_of, quote=False)})"]
        body += [f"<b>{html.escape(label, quote=False)}:</b> {html.escape(text, quote=False)}" for label, text in self.lines]
        sources = {(c.title, c.publisher, c.url, c.as_of) for c in self.citations}
        body += [f"Source: <a href=\"{html.escape(u, quote=True)}\">{html.escape(t, quote=False)}</a>, {html.escape(p, quote=False)}, "
                 f"{format_date(d)}" for t, p, u, d in sorted(sources)]
        return "\n".join(body)


def compose_briefing(knowledge: Knowledge) -> Briefing:
    lines: list[tuple[str, str]] = []
    citations: list[Citation] = []
    for label, fact_key in BRIEF_FACTS:
        fact = knowledge.facts.get(fact_key)
        if fact is None:
            continue
        lines.append((label, fact.statement))
        citations.extend(citations_for(fact))
    as_of = format_date(knowledge.as_of) if knowledge.as_of else "unknown"
    return Briefing(tuple(lines), tuple(citations), as_of)
