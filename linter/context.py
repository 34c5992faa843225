"""What the linter knows about the situation: the organisation, its values, the role, the interviewer.

A context comes from the ``context`` block of a configuration, and a draft
may add to it (or override it) with a YAML front-matter block at its very
top.  The parser already blanks front matter out of the lint view; this
module only reads it.  Rules see the result as ``analysis.context``.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

# Front matter may hold other keys (a title, tags); only these are read.
FRONT_MATTER_KEYS = ("company", "role", "interviewer", "interview-date", "other-organizations")


@dataclass(frozen=True)
class Context:
    """Immutable facts about the interview a draft follows up on; empty fields are unknown."""

    company: str | None = None
    company_aliases: tuple[str, ...] = ()
    values: tuple[str, ...] = ()
    role: str | None = None
    interviewer: str | None = None
    interview_date: str | None = None
    # organisations the note may name besides the company: a past employer, a reference, a partner
    other_organizations: tuple[str, ...] = ()
    templates: bool = False  # template mode: placeholders are expected, not errors

    def merged(self, other: "Context") -> "Context":
        """``other``'s known fields win over this context's."""
        changes = {k: v for k, v in other.to_dict().items() if v not in (None, (), False)}
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        return {"company": self.company, "company_aliases": self.company_aliases, "values": self.values,
                "role": self.role, "interviewer": self.interviewer, "interview_date": self.interview_date,
                "other_organizations": self.other_organizations, "templates": self.templates}

    def get(self, key: str, default=None):
        """Dict-style access for checks (``analysis.context.get("company")``)."""
        value = getattr(self, key, None)
        return default if value in (None, ()) else value

    def __bool__(self) -> bool:
        return any(v not in (None, (), False) for v in self.to_dict().values())

    @property
    def names(self) -> tuple[str, ...]:
        """The organisation's name and aliases."""
        return tuple(n for n in (self.company, *self.company_aliases) if n)


def context_from_mapping(data: dict[str, Any], path: str | None = None) -> Context:
    """A validated ``context`` mapping (config schema) -> Context."""
    company = data.get("company") or {}
    date = data.get("interview-date")
    return Context(company=company.get("name"), company_aliases=tuple(company.get("aliases") or ()),
                   values=tuple(company.get("values") or ()), role=data.get("role"),
                   interviewer=data.get("interviewer"), interview_date=None if date is None else str(date),
                   other_organizations=tuple(data.get("other-organizations") or ()))


__all__ = ["Context", "FRONT_MATTER_KEYS", "context_from_mapping"]
