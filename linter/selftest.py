"""Run rules over their own examples: a fail example must trigger the rule, a pass example must not.

Used by the test suite for the built-in rules and by ``followup-lint test-rules``
for a user's own rule directory.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Sequence

from .engine import Linter
from .model import Rule
from .sources import draft_from_text

MIN_EXAMPLES = 3


@dataclass(frozen=True)
class ExampleFailure:
    rule: Rule
    kind: str  # "fail" or "pass"
    index: int
    example: str
    found: tuple[str, ...]  # codes found in the example

    def __str__(self) -> str:
        first = (self.example.strip().splitlines() or [""])[0][:70]
        if self.kind == "fail":
            what = "should trigger it but did not"
        else:
            what = "should pass but triggered it"
        return f"{self.rule.path}: {self.rule.code} {self.rule.id}: {self.kind} example {self.index + 1} ({first!r}) {what}"


def run_examples(linter: Linter, rules: Sequence[Rule] | None = None) -> Iterator[ExampleFailure]:
    """Every example of every rule, linted with the whole rule set as a user would run it."""
    for rule in rules if rules is not None else linter.rules:
        for kind in ("fail", "pass"):
            for i, example in enumerate(rule.examples.get(kind, [])):
                draft = draft_from_text(example, f"{rule.id}.{kind}{i + 1}.txt")
                result = linter.lint_draft(draft)
                hit = any(f.rule_id == rule.id for f in result.findings)
                if hit != (kind == "fail"):
                    yield ExampleFailure(rule, kind, i, example, tuple(f.code for f in result.findings))


def too_few_examples(rules: Sequence[Rule], minimum: int = MIN_EXAMPLES) -> list[str]:
    return [f"{r.path}: {r.id} has {len(r.examples.get('fail', []))} fail and "
            f"{len(r.examples.get('pass', []))} pass examples; at least {minimum} of each are needed"
            for r in rules
            if len(r.examples.get("fail", [])) < minimum or len(r.examples.get("pass", [])) < minimum]
