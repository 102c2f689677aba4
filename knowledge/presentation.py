"""What a pack says about presenting itself: the about text, the briefing, the /lead and /delegations facts.

These live in `pack.yaml`, not in code, so a pack about another event needs no code change:

```yaml
about: Answers questions about ..., always with the source and the exact quote.
briefing:                 # one line per fact: label -> fact id
  - Where: FACT_ID
lead:                     # side entity -> fact: the sides /lead accepts
  SIDE_ID: FACT_ID
delegations:              # side entity -> fact, for /delegations
  SIDE_ID: FACT_ID
```
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Presentation:
    about: str = ""
    briefing: tuple[tuple[str, str], ...] = ()
    """(label, fact id) per briefing line, in order."""
    lead: dict[str, str] = field(default_factory=dict)
    """Side entity id -> the fact saying who leads that side."""
    delegations: dict[str, str] = field(default_factory=dict)
    """Side entity id -> the fact saying who is in that side's delegation."""

    def to_json(self) -> dict[str, Any]:
        return {
            "about": self.about,
            "briefing": [list(line) for line in self.briefing],
            "lead": dict(self.lead),
            "delegations": dict(self.delegations),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> Presentation:
        data = data or {}
        return cls(
            about=data.get("about", ""),
            briefing=tuple((str(a), str(b)) for a, b in data.get("briefing", [])),
            lead=dict(data.get("lead", {})),
            delegations=dict(data.get("delegations", {})),
        )

    def over(self, earlier: Presentation) -> Presentation:
        """This pack's presentation, falling back to an earlier pack's for whatever this one leaves out."""
        return Presentation(
            about=self.about or earlier.about,
            briefing=self.briefing or earlier.briefing,
            lead=self.lead or earlier.lead,
            delegations=self.delegations or earlier.delegations,
        )

    def fact_ids_by_key(self) -> list[tuple[str, str]]:
        """(pack.yaml key, fact id) for every fact this presentation names, for the pack check."""
        return (
            [("briefing", fact) for _, fact in self.briefing]
            + [("lead", f) for f in self.lead.values()]
            + [("delegations", f) for f in self.delegations.values()]
        )


def read_presentation(meta: dict[str, Any]) -> tuple[Presentation, list[tuple[str, str]]]:
    """Parse the presentation keys of pack.yaml, with (key, message) for each malformed one."""
    problems: list[tuple[str, str]] = []

    def bad(key: str, message: str) -> None:
        problems.append((key, message))

    about = meta.get("about", "")
    if not isinstance(about, str):
        bad("about", "must be text")
        about = ""
    briefing: list[tuple[str, str]] = []
    for index, line in enumerate(meta.get("briefing") or [], start=1):
        if isinstance(line, dict) and len(line) == 1 and all(isinstance(v, str) for v in line.values()):
            label, fact = next(iter(line.items()))
            briefing.append((str(label), fact))
        else:
            bad("briefing", f"line {index} must be 'LABEL: FACT_ID'")
    mappings: dict[str, dict[str, str]] = {}
    for key in ("lead", "delegations"):
        value = meta.get(key) or {}
        if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
            bad(key, "must map side entity ids to fact ids")
            value = {}
        mappings[key] = dict(value)
    return Presentation(about.strip(), tuple(briefing), mappings["lead"], mappings["delegations"]), problems
