"""Suppression comments, unused-suppression reports (FL009), per-file ignores and baselines, as a user sees them."""
from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from followup_lint.cli import main

FIXTURE_RULES = str(Path(__file__).parent / "fixtures" / "rules")
# TT101 (fixture rule) flags "rushed"; FL004 flags doubled words; FL009 reports unused suppressions
SEL = ["--rules-dir", FIXTURE_RULES, "--select", "TT101,FL004,FL009"]


def lint(*args):
    return CliRunner().invoke(main, ["check", "--no-cache", "--color", "never", "--no-show-source", *args],
                              catch_exceptions=False)


def draft(tmp_path, text, name="note.md"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_disable_next_line_silences_only_that_line(tmp_path):
    p = draft(tmp_path, "Dear Ana,\n\n<!-- followup-lint: disable-next-line=TT101 reason=\"their words\" -->\n"
                        "You said I rushed the case.\nLater I rushed again.\n\nBest,\nLee\n")
    result = lint(str(p), *SEL)
    assert result.output == (f"{p}:5:9: TT101 “rushed” sounds like blame [tt-no-rush]\n"
                             "Found 1 problem in 1 draft: 1 error.\n")


def test_disable_and_enable_bracket_a_region(tmp_path):
    p = draft(tmp_path, "Dear Ana,\n\n<!-- followup-lint: disable=TT101 -->\nI rushed.\nI rushed.\n"
                        "<!-- followup-lint: enable=TT101 -->\nI rushed.\n\nBest,\nLee\n")
    result = lint(str(p), *SEL)
    assert result.output.splitlines() == [f"{p}:7:3: TT101 “rushed” sounds like blame [tt-no-rush]",
                                          "Found 1 problem in 1 draft: 1 error."]


def test_jinja_comment_and_whole_file_switch(tmp_path):
    p = draft(tmp_path, "{# followup-lint: disable-file -- a template for the recruiting team #}\n"
                        "Dear {{ name }},\n\nI rushed the the answer.\n\nBest,\nLee\n", name="t.j2")
    assert lint(str(p), *SEL).output == "No problems found in 1 draft.\n"
    q = draft(tmp_path, "{# followup-lint: disable-file=FL004 #}\nDear Ana,\n\nI rushed the the answer.\n\nBest,\nLee\n",
              name="u.j2")
    assert lint(str(q), *SEL).output.splitlines()[0] == f"{q}:4:3: TT101 “rushed” sounds like blame [tt-no-rush]"


def test_unused_suppression_is_reported(tmp_path):
    p = draft(tmp_path, "Dear Ana,\n\n<!-- followup-lint: disable-next-line=TT101 -- she said so -->\n"
                        "Thank you for your time.\n\nBest,\nLee\n")
    result = lint(str(p), *SEL)
    assert result.output == (
        f"{p}:3:1: FL009 This followup-lint comment no longer suppresses anything (disable-next-line=TT101). "
        "Remove it or update the rule codes. [unused-suppression]\n"
        "Found 1 problem in 1 draft: 1 warning.\n")
    assert result.exit_code == 0  # a warning: the default fail-on is error


def test_unknown_code_and_unreadable_comment_are_reported(tmp_path):
    p = draft(tmp_path, "Dear Ana,\n\n<!-- followup-lint: disable=FL999 -->\n<!-- followup-lint: please be quiet -->\n"
                        "Thank you.\n\nBest,\nLee\n")
    lines = lint(str(p), *SEL).output.splitlines()
    assert lines[0] == (f"{p}:3:1: FL009 This followup-lint comment names FL999, which no installed rule matches. "
                        "Remove it or update the rule codes. [unused-suppression]")
    assert lines[1].startswith(f"{p}:4:1: FL009 This followup-lint comment cannot be read: write disable=")


def test_ignoring_fl009_keeps_suppressions_working(tmp_path):
    p = draft(tmp_path, "Dear Ana,\n\n<!-- followup-lint: disable=TT101 -->\nI rushed.\n\nBest,\nLee\n")
    result = lint(str(p), "--rules-dir", FIXTURE_RULES, "--select", "TT101,FL004")
    assert result.output == "No problems found in 1 draft.\n"


def test_baseline_fails_only_on_new_findings_and_survives_edits_elsewhere(tmp_path):
    p = draft(tmp_path, "Dear Ana,\n\nI rushed it.\n\nBest,\nLee\n", name="plain.txt")
    base = tmp_path / "baseline.json"
    result = lint(str(p), *SEL, "--write-baseline", str(base))
    assert result.exit_code == 0
    data = json.loads(base.read_text())
    assert data["findings"] == [{"path": "plain.txt", "code": "TT101", "rule": "tt-no-rush", "text": "rushed",
                                 "count": 1}]
    # edits elsewhere move the finding to another line: still accepted
    p.write_text("Dear Ana,\n\nThank you for Tuesday.\nA new line.\nI rushed it.\n\nBest,\nLee\n", encoding="utf-8")
    result = lint(str(p), *SEL, "--baseline", str(base))
    assert (result.exit_code, result.output) == (0, "No problems found in 1 draft.\n")
    # a second "rushed" is new
    p.write_text("Dear Ana,\n\nI rushed it.\nThen I rushed again.\n\nBest,\nLee\n", encoding="utf-8")
    result = lint(str(p), *SEL, "--baseline", str(base))
    assert result.exit_code == 1
    assert result.output.splitlines() == [f"{p}:4:8: TT101 “rushed” sounds like blame [tt-no-rush]",
                                          "Found 1 problem in 1 draft: 1 error."]


def test_stale_baseline_entries_are_noted_and_a_missing_baseline_is_exit_2(tmp_path):
    p = draft(tmp_path, "Dear Ana,\n\nI rushed it.\n\nBest,\nLee\n", name="plain.txt")
    base = tmp_path / "b.json"
    lint(str(p), *SEL, "--write-baseline", str(base))
    p.write_text("Dear Ana,\n\nThank you.\n\nBest,\nLee\n", encoding="utf-8")
    result = lint(str(p), *SEL, "--baseline", str(base))
    assert result.exit_code == 0
    assert "1 baseline entry in" in result.output and "no longer match anything" in result.output
    missing = lint(str(p), *SEL, "--baseline", str(tmp_path / "nope.json"))
    assert missing.exit_code == 2
    assert "nope.json: does not exist (create it with --write-baseline)" in missing.output
