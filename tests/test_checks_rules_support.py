"""Small fixes in the core that the built-in rules rely on."""
from __future__ import annotations

import pytest

from followup_lint.document import parse_draft


def part(draft, span):
    return None if span is None else draft.source[span.start:span.end]


def test_a_bare_name_after_the_last_paragraph_is_the_sign_off():
    d = parse_draft("Hi Jordan,\n\nI can do better.\n\nSorry again for Tuesday.\n\nSam\n", "t.txt")
    assert part(d, d.closing) == "Sam"
    assert part(d, d.paragraphs[-1]) == "Sorry again for Tuesday."


def test_a_short_last_sentence_is_still_a_paragraph():
    d = parse_draft("Hi Jordan,\n\nI can do better.\n\nTalk soon.\n", "t.txt")
    assert d.closing is None
    assert part(d, d.paragraphs[-1]) == "Talk soon."


def test_order_ignores_a_move_made_again_in_its_place():
    from followup_lint.engine import Linter
    from followup_lint.loader import rule_from_data
    from followup_lint.sources import draft_from_text

    rule = rule_from_data({
        "id": "order-test", "code": "TT001", "name": "Order", "severity": "info", "kind": "order",
        "scope": "body", "advice": "positive-ending", "message": "{move} before {before}",
        "description": "Order test.", "examples": {"fail": ["x"], "pass": ["y"]},
        "moves": [{"name": "interest", "phrases": ["still interested"]},
                  {"name": "request", "phrases": ["talk again"]}]}, "order-test.yaml")

    def run(body):
        text = f"Hi Sam,\n\n{body}\n\nBest,\nJo\n"
        return [f.message for f in Linter([rule]).lint_draft(draft_from_text(text, "d.txt")).findings]

    # asked only up front: out of order, reported where the request first appears
    assert run("Could we talk again? I am still interested.") == ["request before interest"]
    # asked in passing first, then properly after the interest: in order
    assert run("I'd like to talk again. I am still interested. Could we talk again soon?") == []
    assert run("I am still interested. Could we talk again?") == []


def test_sentiment_move_counts_resignation_with_nothing_warm_after_it():
    from followup_lint.engine import Linter
    from followup_lint.loader import rule_from_data
    from followup_lint.sources import draft_from_text

    rule = rule_from_data({
        "id": "gloom-test", "code": "TT002", "name": "Gloom", "severity": "warning", "kind": "sentiment",
        "scope": "last_paragraph", "min": -0.4, "advice": "positive-ending", "message": "gloomy",
        "description": "Sentiment move test.", "examples": {"fail": ["x"], "pass": ["y"]},
        "move": {"phrases": ["too late"]}}, "gloom-test.yaml")

    def run(last):
        text = f"Hi Sam,\n\nI can do better.\n\n{last}\n\nBest,\nJo\n"
        return [f.message for f in Linter([rule]).lint_draft(draft_from_text(text, "d.txt")).findings]

    assert run("I suppose it is too late now.") == ["gloomy"]          # neutral words, resigned
    assert run("It may be too late, but I wish you a wonderful season.") == []  # warm after it
    assert run("I wish you a wonderful season.") == []
    assert run("This was awful and I am miserable about it.") == ["gloomy"]  # the score alone still counts


def test_a_name_for_a_way_of_working_is_not_another_organization():
    import followup_lint

    def orgs(body):
        text = f"---\ncompany: Acme Housing\n---\nDear Dana,\n\n{body}\n\nBest,\nLee\n"
        return [text[f.start:f.end] for f in followup_lint.lint_text(text, "d.md") if f.code == "FL002"]

    assert orgs("I have used the Housing First approach for six years.") == []
    assert orgs("I am still very interested in joining the finance team at Globex Corporation.") != []


def test_a_pattern_or_dependency_rule_may_take_its_patterns_from_a_shared_move(tmp_path):
    """FL202 reads the agentless-slip move that FL201 also counts as owning the gap."""
    from followup_lint.engine import Linter
    from followup_lint.errors import RuleError
    from followup_lint.loader import load_rules
    from followup_lint.sources import draft_from_text

    d = tmp_path / "my-rules"
    (d / "moves").mkdir(parents=True)
    (d / "moves" / "slip.yaml").write_text(
        "name: slip\ndescription: A slip.\npatterns:\n  - [{LOWER: mistakes}, {LOWER: were}, {LOWER: made}]\n")
    rule = ("id: {id}\ncode: {code}\nname: Slip\nseverity: warning\nkind: {kind}\nscope: sentence\n"
            "advice: own-the-disconnect\nmessage: '{{match}}'\ndescription: Test.\n{spec}\n"
            "examples: {{fail: [x], pass: [y]}}\n")
    (d / "a.yaml").write_text(rule.format(id="slip-a", code="TT301", kind="pattern", spec="use: [slip]"))
    (d / "b.yaml").write_text(rule.format(id="slip-b", code="TT302", kind="dependency", spec="use: [slip]"))
    rules = load_rules([d], builtin=False)
    text = "Hi Sam,\n\nMistakes were made on Tuesday.\n\nBest,\nJo\n"
    found = Linter(rules).lint_draft(draft_from_text(text, "d.txt")).findings
    assert sorted((f.code, f.message) for f in found) == [("TT301", "Mistakes were made"),
                                                          ("TT302", "Mistakes were made")]
    # still one of the two is needed
    (d / "b.yaml").write_text(rule.format(id="slip-b", code="TT302", kind="dependency", spec=""))
    with pytest.raises(RuleError):
        load_rules([d], builtin=False)
