"""The data the engine passes around: Rule, Finding, Fix, Edit, Severity."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SEVERITIES = ("info", "warning", "error")

ADVICE = (
    "brevity", "own-the-disconnect", "no-pretending", "can-do-better", "no-blame",
    "interest", "core-values", "another-chance", "no-entitlement", "sincerity",
    "well-wishing", "positive-ending", "no-self-punishment", "hygiene",
)


def severity_rank(severity: str) -> int:
    return SEVERITIES.index(severity)


@dataclass(frozen=True)
class Edit:
    """Replace source ``[start, end)`` with ``text``."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Fix:
    """A change that resolves a finding. ``safe`` fixes are mechanical; others are suggestions."""

    edits: tuple[Edit, ...]
    safe: bool = False
    title: str = ""


@dataclass
class Rule:
    """One YAML rule file, validated.  ``options`` holds the kind's own fields."""

    id: str
    code: str
    name: str
    severity: str
    kind: str
    scope: str
    advice: str
    message: str
    description: str
    examples: dict[str, list[str]]
    options: dict[str, Any] = field(default_factory=dict)
    path: str = ""
    fix: str = "unsafe"
    unless: dict[str, Any] | None = None
    when: dict[str, Any] | None = None
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Hit:
    """What a check reports: a span and the values its message may quote."""

    start: int
    end: int
    values: dict[str, Any] = field(default_factory=dict)
    fix: Fix | None = None
    confidence: float | None = None  # a model's score behind the hit (0-1); None for a pattern's
    severity: str | None = None  # lower than the rule's for an unsure judgement (a move rule's sure-score)


@dataclass(frozen=True)
class Finding:
    """One problem in one draft, ready to report."""

    path: str
    rule_id: str
    code: str
    severity: str
    advice: str
    message: str
    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int
    fix: Fix | None = None
    confidence: float | None = None

    def sort_key(self) -> tuple:
        return (self.path, self.start, self.end, self.code)

    def to_dict(self) -> dict[str, Any]:
        """The stable JSON shape of a finding (documented in the README)."""
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "offset": self.start,
            "end_offset": self.end,
            "code": self.code,
            "rule": self.rule_id,
            "advice": self.advice,
            "severity": self.severity,
            "message": self.message,
            "confidence": self.confidence,
            "fix": None if self.fix is None else {
                "safe": self.fix.safe,
                "title": self.fix.title,
                "edits": [{"offset": e.start, "end_offset": e.end, "text": e.text} for e in self.fix.edits],
            },
        }
