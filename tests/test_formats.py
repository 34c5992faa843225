"""Output formats as tools and people read them: SARIF valid against the 2.1.0 schema, GitHub annotations, JUnit XML."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from followup_lint.cli import main
from followup_lint.report.github import escape_data, escape_property

ROOT = Path(__file__).resolve().parent.parent
SARIF_SCHEMA = ROOT / "tests" / "schemas" / "sarif-schema-2.1.0.json"  # vendored: see tests/schemas/README.md
FIXTURE_RULES = str(Path(__file__).parent / "fixtures" / "rules")
SEL = ["--rules-dir", FIXTURE_RULES, "--select", "TT101,FL001,FL004"]
# non-ASCII before the findings: columns are characters (code points), not bytes or UTF-16 units
TEXT = "Dear Zoë,\n\nI rushed 😬 the the answer at [Company].\n\nBest,\nLee\n"


def run(*args, input=None):
    return CliRunner().invoke(main, ["check", "--no-cache", "--color", "never", *args], input=input,
                              catch_exceptions=False)


@pytest.fixture
def draft(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    p = tmp_path / "notes" / "zoë, draft.txt"
    p.parent.mkdir()
    p.write_text(TEXT, encoding="utf-8")
    return Path("notes") / "zoë, draft.txt"


def test_sarif_is_valid_and_complete(draft):
    result = run(str(draft), *SEL, "--format", "sarif")
    assert result.exit_code == 1
    doc = json.loads(result.output)
    jsonschema.validate(doc, json.loads(SARIF_SCHEMA.read_text("utf-8")))
    run0 = doc["runs"][0]
    assert doc["version"] == "2.1.0" and run0["columnKind"] == "unicodeCodePoints"
    rules = {r["id"]: r for r in run0["tool"]["driver"]["rules"]}
    assert set(rules) == {"TT101", "FL001", "FL004"}
    fl004 = rules["FL004"]
    assert fl004["name"] == "doubled-word" and fl004["shortDescription"]["text"] == "Doubled word"
    assert fl004["defaultConfiguration"]["level"] == "warning" and fl004["fullDescription"]["text"]
    assert "followup-lint explain FL004" in fl004["help"]["text"]
    by_rule = {r["ruleId"]: r for r in run0["results"]}
    assert list(by_rule) == ["TT101", "FL004", "FL001"]
    loc = by_rule["FL004"]["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"] == {"uri": "notes/zo%C3%AB%2C%20draft.txt", "uriBaseId": "%SRCROOT%"}
    # "I rushed 😬 the the": the emoji is one column; SARIF end columns are exclusive
    assert loc["region"] == {"startLine": 3, "startColumn": 12, "endLine": 3, "endColumn": 19}
    fix = by_rule["FL004"]["fixes"][0]
    change = fix["artifactChanges"][0]["replacements"][0]
    assert change == {"deletedRegion": {"startLine": 3, "startColumn": 15, "endLine": 3, "endColumn": 19},
                      "insertedContent": {"text": ""}}
    assert by_rule["FL001"]["level"] == "error" and rules["FL001"]["defaultConfiguration"]["level"] == "error"
    assert run0["results"][0]["ruleIndex"] == list(rules).index("TT101")


def test_sarif_with_no_findings_and_with_an_unreadable_file_is_still_valid(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "ok.txt").write_text("Dear Ana,\n\nThank you.\n\nBest,\nLee\n", encoding="utf-8")
    result = run("ok.txt", "missing.txt", *SEL, "--format", "sarif")
    assert result.exit_code == 2
    doc = json.loads(result.stdout)
    jsonschema.validate(doc, json.loads(SARIF_SCHEMA.read_text("utf-8")))
    assert doc["runs"][0]["results"] == []
    inv = doc["runs"][0]["invocations"][0]
    assert inv["executionSuccessful"] is False
    assert "missing.txt: does not exist" in inv["toolExecutionNotifications"][0]["message"]["text"]


def test_github_annotations_are_exact_and_escaped(draft):
    result = run(str(draft), *SEL, "--format", "github")
    assert result.output.splitlines() == [
        "::error file=notes/zoë%2C draft.txt,line=3,col=3,endLine=3,endColumn=9,title=TT101::"
        "“rushed” sounds like blame [tt-no-rush]",
        "::warning file=notes/zoë%2C draft.txt,line=3,col=12,endLine=3,endColumn=19,title=FL004::"
        "“the the” repeats “the”. Delete the second one. [doubled-word]",
        "::error file=notes/zoë%2C draft.txt,line=3,col=30,endLine=3,endColumn=39,title=FL001::"
        "“[Company]” is a template placeholder. Fill it in before you send this. [leftover-placeholder]",
    ]
    assert escape_data("50%\r\nok") == "50%25%0D%0Aok"
    assert escape_property("a:b,c%") == "a%3Ab%2Cc%25"


def test_junit_has_a_suite_per_draft_and_a_case_per_rule(draft, tmp_path):
    out = tmp_path / "report.xml"
    result = run(str(draft), *SEL, "--format", "junit", "--output-file", str(out))
    assert result.exit_code == 1 and result.output == ""
    root = ET.parse(out).getroot()
    assert root.tag == "testsuites" and root.get("tests") == "3" and root.get("failures") == "3"
    suite = root.find("testsuite")
    assert suite.get("name") == str(draft)
    assert [c.get("name") for c in suite.findall("testcase")] == ["FL001 leftover-placeholder", "FL004 doubled-word",
                                                                  "TT101 tt-no-rush"]
    failure = suite.find("testcase[@name='FL004 doubled-word']/failure")
    assert failure.get("type") == "warning"
    assert failure.text == f"{draft}:3:12: FL004 “the the” repeats “the”. Delete the second one. [doubled-word]"


def test_concise_and_grouped(draft):
    concise = run(str(draft), *SEL, "--format", "concise").output
    assert concise.splitlines() == [
        f"{draft}:3:3: TT101 “rushed” sounds like blame",
        f"{draft}:3:12: FL004 “the the” repeats “the”. Delete the second one.",
        f"{draft}:3:30: FL001 “[Company]” is a template placeholder. Fill it in before you send this.",
        "Found 3 problems in 1 draft: 2 errors, 1 warning.",
    ]
    grouped = run(str(draft), *SEL, "--format", "grouped", "--no-show-source").output
    assert grouped == (
        f"{draft}:\n"
        "  3:3  TT101 “rushed” sounds like blame [tt-no-rush]\n"
        "  3:12 FL004 “the the” repeats “the”. Delete the second one. [doubled-word]\n"
        "  3:30 FL001 “[Company]” is a template placeholder. Fill it in before you send this. [leftover-placeholder]\n"
        "\n"
        "Found 3 problems in 1 draft: 2 errors, 1 warning.\n")


def test_statistics_counts_per_rule(tmp_path, draft):
    (tmp_path / "notes" / "two.txt").write_text("Dear Ana,\n\nI rushed, I rushed.\n\nBest,\nLee\n", encoding="utf-8")
    result = run("notes", *SEL, "--statistics")
    assert result.output == ("3  TT101  tt-no-rush\n"
                             "1  FL001  leftover-placeholder\n"
                             "1  FL004  doubled-word          (1 fixable)\n")
    assert result.exit_code == 1
    as_json = json.loads(run("notes", *SEL, "--statistics", "--format", "json").output)
    assert as_json[0] == {"code": "TT101", "rule": "tt-no-rush", "count": 3, "fixable": 0}


def test_templates_mode_silences_placeholders(draft):
    out = run(str(draft), *SEL, "--templates", "--format", "concise", "-q").output
    assert "FL001" not in out and "FL004" in out


def test_quiet_and_output_file_for_text(draft, tmp_path):
    out = tmp_path / "r.txt"
    result = run(str(draft), *SEL, "-q", "--no-show-source", "-o", str(out))
    assert result.output == ""
    assert out.read_text("utf-8").splitlines()[0] == f"{draft}:3:3: TT101 “rushed” sounds like blame [tt-no-rush]"
    assert "Found" not in out.read_text("utf-8")
