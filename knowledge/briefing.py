"""The compact briefing behind /brief and the daily briefings: the lines the pack's `briefing:` names
(e.g. where and when, who leads, what each side wants), sources at the end."""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass

from knowledge.answer import Citation, citations_for, format_date, source_link
from knowledge.history import newest
from knowledge.i18n import N_, tr
from knowledge.records import Knowledge

NEW_HEADING = N_("New since the last briefing:")


@dataclass(frozen=True)
class Briefing:
    heading: str
    new: tuple[str, ...]
    lines: tuple[tuple[str, str], ...]
    citations: tuple[Citation, ...]
    lang: str = "en"
    """The language of the briefing's own words and statements; labels come from the pack."""

    def _sources(self) -> list[tuple[str, str, str, dt.date]]:
        return sorted({(c.title, c.publisher, c.url, c.as_of) for c in self.citations})

    def plain_text(self) -> str:
        body = [self.heading]
        if self.new:
            body += [tr(self.lang, NEW_HEADING)] + [f"• {statement}" for statement in self.new]
        body += [f"{label}: {text}" for label, text in self.lines]
        source = tr(self.lang, "Source:")
        body += [f"{source} {t}, {p}, {format_date(d, self.lang)} — {u}" for t, p, u, d in self._sources()]
        return "\n".join(body)

    def html(self) -> str:
        def esc(text: str) -> str:
            return html.escape(text, quote=False)

        body = [f"<b>{esc(self.heading)}</b>"]
        if self.new:
            body += [f"<b>{tr(self.lang, NEW_HEADING)}</b>"] + [f"• {esc(statement)}" for statement in self.new]
        body += [f"<b>{esc(label)}:</b> {esc(text)}" for label, text in self.lines]
        source = tr(self.lang, "Source:")
        body += [
            f"{source} {source_link(u, t)}, {esc(p)}, {format_date(d, self.lang)}" for t, p, u, d in self._sources()
        ]
        return "\n".join(body)


def compose_briefing(
    knowledge: Knowledge, day: dt.date | None = None, new_since: dt.datetime | None = None, lang: str = "en"
) -> Briefing:
    """The briefing; for a daily briefing, `day` heads it and facts added after `new_since` lead it."""
    lines: list[tuple[str, str]] = []
    citations: list[Citation] = []
    for label, fact_key in knowledge.presentation.briefing:  # from pack.yaml; facts a pack lacks are skipped
        fact = knowledge.facts.get(newest(knowledge, fact_key))
        if fact is None:
            continue
        lines.append((label, fact.statement_in(lang)))
        citations.extend(citations_for(fact))
    new: list[str] = []
    if new_since is not None:
        for fact in sorted(knowledge.facts.values(), key=lambda f: f.added_at):
            if fact.added_at > new_since:
                older = knowledge.facts.get(fact.supersedes or "")
                before = tr(lang, "{statement} (before: {older})")
                new.append(
                    before.format(statement=fact.statement_in(lang), older=older.statement_in(lang))
                    if older
                    else fact.statement_in(lang)
                )
                citations.extend(citations_for(fact))
    as_of = format_date(knowledge.as_of, lang) if knowledge.as_of else tr(lang, "unknown")
    heading = (
        tr(lang, "Daily briefing, {day} (knowledge as of {date})").format(day=format_date(day, lang), date=as_of)
        if day
        else tr(lang, "Briefing (knowledge as of {date})").format(date=as_of)
    )
    return Briefing(heading, tuple(new), tuple(lines), tuple(citations), lang)
