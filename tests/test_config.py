"""Configuration as a user meets it: files found by walking up, presets, context, and exit 2 on bad settings."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from followup_lint.cli import main
from followup_lint.config import Config, ConfigResolver, config_from_mapping, load_config
from followup_lint.errors import ConfigError

FIXTURE_RULES = str(Path(__file__).parent / "fixtures" / "rules")
DOUBLED = "Dear Dana,\n\nThank you for the the time on Tuesday.\n\nBest,\nLee\n"


def invoke(*args, input=None):
    return CliRunner().invoke(main, ["--no-cache", *args] if args and args[0] != "check" else list(args),
                              input=input, catch_exceptions=False)


def lint(*args, input=None):
    return CliRunner().invoke(main, ["check", "--no-cache", "--color", "never", *args], input=input,
                              catch_exceptions=False)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_config_is_found_by_walking_up_from_the_draft(tmp_path):
    write(tmp_path / ".followup-lint.yaml", "select: [FL004]\nseverity: {FL004: error}\n")
    draft = write(tmp_path / "a" / "b" / "note.txt", DOUBLED)
    result = lint(str(draft), "--no-show-source")
    assert result.output == (f"{draft}:3:15: FL004 “the the” repeats “the”. Delete the second one. [doubled-word]\n"
                             "Found 1 problem in 1 draft: 1 error.\n")
    assert result.exit_code == 1  # severity raised to error, so the default fail-on trips


def test_pyproject_table_and_forced_config(tmp_path):
    write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n\n[tool.followup-lint]\nselect = ["FL004"]\n'
                                       'fail-on = "warning"\n')
    draft = write(tmp_path / "note.txt", DOUBLED)
    assert lint(str(draft), "-q", "--no-show-source").exit_code == 1
    other = write(tmp_path / "elsewhere" / "quiet.yaml", "select: [FL004]\nseverity: {FL004: info}\n")
    result = lint(str(draft), "--config", str(other), "-q", "--no-show-source")
    assert result.exit_code == 0
    assert "FL004" in result.output


def test_nearest_config_wins_per_directory(tmp_path):
    write(tmp_path / ".followup-lint.yaml", "select: [FL004]\n")
    write(tmp_path / "lenient" / ".followup-lint.yml", "select: [FL004]\nignore: [doubled-word]\n")
    strict = write(tmp_path / "one.txt", DOUBLED)
    lenient = write(tmp_path / "lenient" / "two.txt", DOUBLED)
    result = lint(str(tmp_path), "--no-show-source")
    assert result.output == (f"{strict}:3:15: FL004 “the the” repeats “the”. Delete the second one. [doubled-word]\n"
                             "Found 1 problem in 2 drafts: 1 warning.\n")
    assert str(lenient) not in result.output


@pytest.mark.parametrize("yaml_text, expected", [
    ("selct: [FL3]\n", "key 'selct': unknown key; expected one of: context, exclude"),
    ("fail-on: sometimes\n", "key 'fail-on': expected one of error, warning, info, got 'sometimes'"),
    ("context:\n  company:\n    name: Acme\n    values: sustainability\n",
     "key 'context.company.values': expected a list of strings, got str 'sustainability'"),
    ("templates: maybe\n", "key 'templates': expected true or false, got str 'maybe'"),
    ("options:\n  body-too-long:\n    max: lots\n", "key 'options.body-too-long.max': expected a number, got str 'lots'"),
    ("options:\n  blames-interviewer:\n    max: 3\n",
     "key 'options.blames-interviewer.max': blames-interviewer (move) has no option 'max'"),
    ("options:\n  blames-interviewer:\n    min-score: 1.5\n",
     "key 'options.blames-interviewer.min-score'"),
    ("select: [FL999]\n", "key 'select': no rule matches 'FL999'"),
    ("preset: cheerful\n", "key 'preset': no preset 'cheerful'; expected one of default, thank-you"),
])
def test_bad_settings_exit_2_naming_file_key_and_expectation(tmp_path, yaml_text, expected):
    cfg = write(tmp_path / ".followup-lint.yaml", yaml_text)
    draft = write(tmp_path / "note.txt", DOUBLED)
    result = lint(str(draft))
    assert result.exit_code == 2
    assert f"followup-lint: error: {cfg}" in result.output
    assert expected in result.output


def test_error_names_the_line_of_the_bad_key(tmp_path):
    cfg = write(tmp_path / ".followup-lint.yaml", "select: [FL004]\n\nfail-on: loud\n")
    with pytest.raises(ConfigError) as info:
        load_config(cfg)
    assert str(info.value).startswith(f"{cfg}:3: key 'fail-on'")


def test_config_is_immutable_hashable_and_fingerprinted():
    a = config_from_mapping({"select": ["FL4"], "context": {"company": {"name": "Acme", "values": ["x"]}}})
    b = config_from_mapping({"select": ["FL4"], "context": {"company": {"name": "Acme", "values": ["x"]}}})
    c = config_from_mapping({"select": ["FL4"], "context": {"company": {"name": "Initech"}}})
    assert a == b and hash(a) == hash(b) and a.fingerprint() == b.fingerprint()
    assert a.fingerprint() != c.fingerprint()
    json.dumps(a.to_dict())  # serialisable
    with pytest.raises(Exception):
        a.select = ("FL1",)  # type: ignore[misc]


def test_severity_and_options_change_the_rules():
    cfg = config_from_mapping({"severity": {"body-too-long": "error", "FL3": "info"},
                               "options": {"FL101": {"max": 250}}})
    rules = {r.id: r for r in cfg.rules()}
    assert rules["body-too-long"].severity == "error"
    assert rules["body-too-long"].options["max"] == 250
    assert all(r.severity == "info" for r in rules.values() if r.code.startswith("FL3"))
    off = config_from_mapping({"severity": {"FL004": "off"}})
    assert "doubled-word" not in {r.id for r in off.rules()}


def test_thank_you_preset_drops_the_recovery_requirements():
    default = {r.id for r in Config().rules()}
    thanks = {r.id for r in config_from_mapping({"preset": "thank-you"}).rules()}
    assert {"missing-disconnect", "missing-can-do-better"} <= default
    assert not {"missing-disconnect", "missing-can-do-better", "missing-another-chance",
                "pretending-it-went-well"} & thanks
    assert "blames-interviewer" in thanks


def test_user_defined_preset(tmp_path):
    cfg = write(tmp_path / ".followup-lint.yaml",
                "preset: short-only\npresets:\n  short-only:\n    select: [FL1]\n    severity: {FL101: error}\n")
    config = load_config(cfg)
    rules = config.rules()
    assert rules and all(r.code.startswith("FL1") for r in rules)
    assert next(r for r in rules if r.code == "FL101").severity == "error"


def test_per_file_ignores_and_exclude(tmp_path):
    write(tmp_path / ".followup-lint.yaml",
          "select: [FL004]\nper-file-ignores:\n  'legacy/*.txt': [FL004]\nexclude: ['archive/**']\n")
    kept = write(tmp_path / "legacy" / "old.txt", DOUBLED)
    write(tmp_path / "archive" / "x" / "gone.txt", DOUBLED)
    live = write(tmp_path / "new.txt", DOUBLED)
    result = lint(str(tmp_path), "--no-show-source")
    assert result.output.splitlines() == [
        f"{live}:3:15: FL004 “the the” repeats “the”. Delete the second one. [doubled-word]",
        "Found 1 problem in 2 drafts: 1 warning.",
    ]
    assert str(kept) not in result.output


def test_front_matter_gives_the_context(tmp_path):
    draft = write(tmp_path / "note.md", "---\ninterviewer: Dana Reyes\ncompany: Acme\n---\n"
                                        "Dear Sam,\n\nThank you for your time.\n\nBest,\nLee\n")
    result = lint(str(draft), "--select", "FL003", "--no-show-source")
    assert result.output.splitlines()[0] == (
        f"{draft}:5:6: FL003 The greeting addresses “Sam”, but the interviewer was Dana Reyes. [wrong-interviewer-name]")


def test_bad_front_matter_is_an_error_naming_the_draft(tmp_path):
    draft = write(tmp_path / "note.md", "---\ninterviewer: [unclosed\n---\nDear Dana,\n\nThanks.\n\nBest,\nLee\n")
    result = lint(str(draft), "--select", "FL003")
    assert result.exit_code == 2
    assert f"followup-lint: error: {draft}" in result.output and "front matter is not valid YAML" in result.output


def test_resolver_without_any_file_uses_defaults(tmp_path):
    draft = write(tmp_path / "n.txt", DOUBLED)
    assert ConfigResolver().for_path(str(draft)).path in (None, str(Path(draft).parent))
