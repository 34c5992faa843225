"""One meaning for a rule selector everywhere: ALL, a code, a prefix, a rule id (Ruff's semantics).

The command line, the configuration (select, ignore, extend-select,
per-file-ignores, severity and options keys), presets and suppression
comments all go through ``followup_lint.selectors``; an error names where the
bad selector was written.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from followup_lint import selectors
from followup_lint.model import Rule

TIMEOUT = 300
# FL004 doubled-word (a warning, with a safe fix) and FL009 unused-suppression
DOUBLED = "Dear Dana,\n\nThank you for the the time on Tuesday.\n\nBest,\nLee\n"


def cli(*args: str, cwd: Path, input: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "followup_lint", "--no-cache", "--no-show-source", *args], cwd=cwd,
                          input=input, capture_output=True, text=True, timeout=TIMEOUT)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def codes(run: subprocess.CompletedProcess) -> list[str]:
    return [ln.split(": ", 1)[1].split()[0] for ln in run.stdout.splitlines() if ln.startswith("note.")]


def rule(code: str, rid: str) -> Rule:
    return Rule(rid, code, rid, "warning", "existence", "sentence", "hygiene", "m", "d", {})


RULES = [rule("FL301", "blames-interviewer"), rule("FL302", "blames-questions-or-process"),
         rule("FL004", "doubled-word"), rule("TT101", "tt-no-rush")]


@pytest.mark.parametrize("selector, expected", [
    ("ALL", ["FL301", "FL302", "FL004", "TT101"]), ("all", ["FL301", "FL302", "FL004", "TT101"]),
    ("FL3", ["FL301", "FL302"]), ("fl3", ["FL301", "FL302"]), ("FL", ["FL301", "FL302", "FL004"]),
    ("FL301", ["FL301"]), ("blames-interviewer", ["FL301"]), ("FL30", ["FL301", "FL302"]),
    ("FL3x", []), ("blames", []), ("", []),
])
def test_what_a_selector_names(selector, expected):
    assert [r.code for r in RULES if selectors.selects(selector, r.code, r.id)] == expected


def test_the_most_specific_selector_wins_and_an_ignore_wins_a_tie():
    resolve = lambda select, ignore: [r.code for r in selectors.select_rules(RULES, select, ignore)]  # noqa: E731
    assert resolve(["FL3"], ["FL301"]) == ["FL302"]
    assert resolve(["FL301"], ["FL3"]) == ["FL301"]
    assert resolve(["ALL"], ["FL"]) == ["TT101"]
    assert resolve(["FL3"], ["FL3"]) == []
    assert resolve([], ["blames-interviewer"]) == ["FL302", "FL004", "TT101"]
    assert selectors.most_specific({"ALL": "error", "FL3": "info", "FL301": "warning"}, RULES[0]) == "warning"
    assert selectors.most_specific({"ALL": "error", "FL3": "info"}, RULES[1]) == "info"
    assert selectors.most_specific({"ALL": "error"}, RULES[3]) == "error"


# -- bug 5, as a user meets it ------------------------------------------------------------------------


def test_select_all_on_the_command_line_is_every_rule(tmp_path):
    write(tmp_path / "note.txt", DOUBLED)
    upper = cli("note.txt", "--select", "ALL", "--format", "concise", cwd=tmp_path)
    lower = cli("note.txt", "--select", "all", "--format", "concise", cwd=tmp_path)
    assert upper.returncode == lower.returncode == 1
    assert upper.stdout == lower.stdout and "FL004" in upper.stdout and "FL201" in upper.stdout


def test_a_bad_selector_on_the_command_line_is_blamed_on_the_command_line(tmp_path):
    cfg = write(tmp_path / ".followup-lint.yaml", "select: [FL0]\n")
    write(tmp_path / "note.txt", DOUBLED)
    run = cli("note.txt", "--select", "FL999", cwd=tmp_path)
    assert run.returncode == 2
    assert run.stderr.startswith("followup-lint: error: option --select: no rule matches 'FL999'")
    assert str(cfg.name) not in run.stderr
    run = cli("note.txt", "--ignore", "nonsense", cwd=tmp_path)
    assert run.returncode == 2 and "option --ignore: no rule matches 'nonsense'" in run.stderr


@pytest.mark.parametrize("yaml_text, key, line", [
    ("fail-on: error\nselect: [FL0, FL999]\n", "select", 2),
    ("ignore: [FL004]\n\nextend-select: [nonsense]\n", "extend-select", 3),
    ("severity:\n  FL999: error\n", "severity", 2),
    ("per-file-ignores:\n  'old/*': [FL9]\n", "per-file-ignores", 2),
])
def test_a_bad_selector_in_the_configuration_names_the_file_line_and_key(tmp_path, yaml_text, key, line):
    cfg = write(tmp_path / ".followup-lint.yaml", yaml_text)
    write(tmp_path / "note.txt", DOUBLED)
    run = cli("note.txt", cwd=tmp_path)
    assert run.returncode == 2
    assert f"followup-lint: error: {cfg}:{line}: key '{key}': no rule matches" in run.stderr


def test_severity_all_changes_every_rule_and_a_more_specific_key_wins(tmp_path):
    write(tmp_path / ".followup-lint.yaml", "select: [FL004, FL405]\nseverity: {ALL: error}\n")
    write(tmp_path / "note.txt", DOUBLED)
    run = cli("note.txt", "--format", "json", cwd=tmp_path)
    assert run.returncode == 1  # the warning became an error, and fail-on is error
    import json

    assert [f["severity"] for f in json.loads(run.stdout)["findings"]] == ["error"]
    write(tmp_path / ".followup-lint.yaml", "select: [FL004]\nseverity: {ALL: error, FL0: info}\n")
    run = cli("note.txt", "--format", "json", cwd=tmp_path)
    assert [f["severity"] for f in json.loads(run.stdout)["findings"]] == ["info"] and run.returncode == 0


def test_select_and_ignore_in_the_configuration_follow_specificity(tmp_path):
    write(tmp_path / ".followup-lint.yaml", "select: [FL004]\nignore: [FL0]\n")
    write(tmp_path / "note.txt", DOUBLED)
    assert codes(cli("note.txt", cwd=tmp_path)) == ["FL004"]  # the code is more specific than the prefix
    write(tmp_path / ".followup-lint.yaml", "select: [FL0]\nignore: [doubled-word]\n")
    assert codes(cli("note.txt", cwd=tmp_path)) == []
    write(tmp_path / ".followup-lint.yaml", "select: [FL0]\nper-file-ignores:\n  'note.*': [all]\n")
    assert codes(cli("note.txt", cwd=tmp_path)) == []


@pytest.mark.parametrize("selector", ["all", "ALL", "fl0", "FL004", "doubled-word"])
def test_a_suppression_comment_reads_selectors_the_same_way(tmp_path, selector):
    text = f"Dear Dana,\n\n<!-- followup-lint: disable-next-line={selector} -->\nThank you for the the time.\n\nBest,\nLee\n"
    write(tmp_path / "note.md", text)
    run = cli("note.md", "--select", "FL0", cwd=tmp_path)
    assert codes(run) == [] and run.returncode == 0, run.stdout
