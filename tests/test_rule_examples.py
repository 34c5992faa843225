"""Every built-in rule runs over its own examples, like sqlfluff's and LanguageTool's rule tests."""
from __future__ import annotations

import pytest

from followup_lint.loader import load_rules
from followup_lint.model import ADVICE
from followup_lint.selftest import MIN_EXAMPLES, run_examples, too_few_examples

RULES = load_rules()


def test_there_are_builtin_rules():
    assert len(RULES) >= 20


def test_every_rule_has_enough_examples():
    assert too_few_examples(RULES) == []


@pytest.mark.parametrize("rule", RULES, ids=lambda r: f"{r.code}-{r.id}")
def test_rule_examples(rule, linter):
    failures = [str(f) for f in run_examples(linter, [rule])]
    assert failures == []


@pytest.mark.parametrize("rule", RULES, ids=lambda r: f"{r.code}-{r.id}")
def test_builtin_rule_uses_the_advice_vocabulary(rule):
    assert rule.advice in ADVICE
    assert len(rule.examples["fail"]) >= MIN_EXAMPLES and len(rule.examples["pass"]) >= MIN_EXAMPLES


def test_every_piece_of_advice_has_a_rule():
    covered = {r.advice for r in RULES}
    assert set(ADVICE) - covered == set()
