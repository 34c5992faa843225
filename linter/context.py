"""What the linter knows about the situation: the organisation, its values, the role, the interviewer.

A context comes from the ``context`` block of a configuration, and a draft
may add to it (or override it) with a YAML front-matter block at its very
top.  The parser already blanks front matter out of the lint view; this
module only reads it.  Rules see the result as ``analysis.context``.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, replace
from typing import Any

from .errors import ConfigError

# Front matter may hold other keys (a title, tags); only these are read.
_KEYS = ("company", "role", "interviewer", "interview-date")


@dataclass(frozen=True)
class Context:
    """Immutable facts about the interview a draft follows up on; empty fields are unknown."""

    company: str | None = None
    company_aliases: tuple[str, ...] = ()
    values: tuple[str, ...] = ()
    role: str | None = None
    interviewer: str | None = None
    interview_date: str | None = None
    templates: bool = False  # template mode: placeholders are expected, not errors

    def merged(self, other: "Context") -> "Context":
        """``other``'s known fields win over this context's."""
        changes = {k: v for k, v in other.to_dict().items() if v not in (None, (), False)}
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        return {"company": self.company, "company_aliases": self.company_aliases, "values": self.values,
                "role": self.role, "interviewer": self.interviewer, "interview_date": self.interview_date,
                "templates": self.templates}

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


def context_from_mapping(data: dict[str, Any], path: str | None) -> Context:
    """A validated ``context`` mapping (config schema) -> Context."""
    company = data.get("company") or {}
    date = data.get("interview-date")
    return Context(company=company.get("name"), company_aliases=tuple(company.get("aliases") or ()),
                   values=tuple(company.get("values") or ()), role=data.get("role"),
                   interviewer=data.get("interviewer"), interview_date=None if date is None else str(date))


def front_matter_context(draft) -> Context | None:
    """The context a draft's YAML front matter gives, or None; bad front matter is a ConfigError naming the draft."""
    if draft.front_matter is None:
        return None
    import yaml

    raw = draft.source[draft.front_matter.start:draft.front_matter.end].strip()
    body = raw.strip("-").strip()
    try:
        data = yaml.safe_load(body) if body else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ConfigError(draft.path, f"the front matter is not valid YAML: {getattr(exc, 'problem', exc)}",
                          line=mark.line + 2 if mark else 1) from None
    if data is None:
        return None
    if not isinstance(data, dict):
        raise ConfigError(draft.path, "the front matter must be a YAML mapping (company:, role:, interviewer:)", line=1)
    wanted = {k: data[k] for k in _KEYS if k in data}
    if isinstance(wanted.get("company"), str):  # `company: Acme` is a fine shorthand
        wanted["company"] = {"name": wanted["company"]}
    if isinstance(wanted.get("interview-date"), (datetime.date, datetime.datetime)):
        wanted["interview-date"] = wanted["interview-date"].isoformat()
    from .config import schema_errors

    problem = schema_errors(wanted, "#/$defs/context")
    if problem:
        key, expected = problem
        raise ConfigError(draft.path, f"front matter key {key!r}: {expected}", line=1)
    return context_from_mapping(wanted, draft.path)


__all__ = ["Context", "context_from_mapping", "front_matter_context"]
