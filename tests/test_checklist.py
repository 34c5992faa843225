"""--checklist: each of the article's moves marked present, missing, violated or not checked, plus the figures."""
from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from followup_lint.cli import main

FIXTURE_RULES = str(Path(__file__).parent / "fixtures" / "rules")
INTEREST = """id: tt-interest
code: TT301
name: Missing interest
severity: error
kind: required
scope: body
advice: interest
move: {phrases: [still interested, remain interested]}
message: never restates interest
description: test
examples: {fail: ["Dear A,\\n\\nOk.\\n\\nBest,\\nB"], pass: ["Dear A,\\n\\nI am still interested.\\n\\nBest,\\nB"]}
"""


def run(*args):
    return CliRunner().invoke(main, ["check", "--no-cache", "--color", "never", *args], catch_exceptions=False)


def test_checklist_marks_each_move(tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "interest.yaml").write_text(INTEREST, encoding="utf-8")
    a = tmp_path / "a.txt"
    a.write_text("Dear Ana,\n\nI am sorry. You rushed me, and I am sorry again. Could we talk?\n\nBest,\nLee\n",
                 encoding="utf-8")
    b = tmp_path / "b.txt"
    b.write_text("Dear Ana,\n\nI am still interested in the role.\n\nBest,\nLee\n", encoding="utf-8")
    result = run(str(a), str(b), "--rules-dir", FIXTURE_RULES, "--rules-dir", str(rules),
                 "--select", "TT101,TT301", "--checklist")
    assert result.exit_code == 1
    assert result.output == (
        f"{a}\n"
        "  [-] owned the disconnect             not checked\n"
        "  [!] no blame                         violated  TT101\n"
        "  [-] can do better                    not checked\n"
        "  [ ] interest                         missing   TT301\n"
        "  [-] values                           not checked\n"
        "  [-] another chance, no entitlement   not checked\n"
        "  [-] well-wishing                     not checked\n"
        "  [-] brevity                          not checked\n"
        "  [-] made peace (no self-punishment)  not checked\n"
        "  words 18 · sentences 3 · apologies 2 · I/you 3/1 · questions 1\n"
        "\n"
        f"{b}\n"
        "  [-] owned the disconnect             not checked\n"
        "  [x] no blame                         present\n"
        "  [-] can do better                    not checked\n"
        "  [x] interest                         present\n"
        "  [-] values                           not checked\n"
        "  [-] another chance, no entitlement   not checked\n"
        "  [-] well-wishing                     not checked\n"
        "  [-] brevity                          not checked\n"
        "  [-] made peace (no self-punishment)  not checked\n"
        "  words 11 · sentences 1 · apologies 0 · I/you 1/0 · questions 0\n"
    )


def test_checklist_counts_repeats_and_lists_hygiene_problems(tmp_path):
    a = tmp_path / "a.txt"
    a.write_text("Dear Ana,\n\nI rushed it and rushed it the the whole time.\n\nBest,\nLee\n", encoding="utf-8")
    out = run(str(a), "--rules-dir", FIXTURE_RULES, "--select", "TT101,FL004", "--checklist").output
    assert "  [!] no blame                         violated  TT101 x2\n" in out
    assert "  other problems: FL004\n" in out


def test_checklist_counts_each_line_of_a_phone_note_as_a_sentence(tmp_path):
    # typed one thought a line, no full stops: six sentences, as the linter splits them, not one
    a = tmp_path / "a.txt"
    a.write_text("fluffed the stock count question today, my bad\n"
                 "i can do it properly now. promise\n"
                 "still keen on the weekend shifts\n"
                 "any chance of a second chat?\n"
                 "good luck with the busy season\n"
                 "- jo\n", encoding="utf-8")
    # a paragraph wrapped to a width stays one flow: two sentences, not three lines
    b = tmp_path / "b.txt"
    b.write_text("Dear Ana,\n\nI am sorry that my answer about the weekend rota missed what\n"
                 "you needed from it. I would like to try again with a much\nclearer plan.\n\n"
                 "Best,\nLee\n", encoding="utf-8")
    out = run(str(a), str(b), "--rules-dir", FIXTURE_RULES, "--select", "TT101", "--checklist").output
    assert "  words 34 · sentences 6 · apologies 0 · I/you 2/0 · questions 1\n" in out, out
    assert "  words 31 · sentences 2 · apologies 1 · I/you 3/1 · questions 0\n" in out, out
