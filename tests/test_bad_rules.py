"""Bad rules: every broken rule file gets one error naming the file, the line, the rule and the field.

Rule files are data: YAML is read safely, patterns are validated when spaCy
prepares them (and that error is as clear as a schema error), and a hostile
regex cannot hang a run.
"""
from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from followup_lint.engine import Linter
from followup_lint.errors import RuleError
from followup_lint.loader import load_rules, rule_schema
from followup_lint.sources import draft_from_text

HEAD = """\
id: my-rule
code: XX101
name: My rule
severity: warning
kind: {kind}
scope: {scope}
advice: no-blame
message: "“{{match}}” reads badly."
description: A rule written for this test.
"""
EXAMPLES = "examples: {fail: [a], pass: [b]}\n"


def rule_text(body: str, kind: str = "existence", scope: str = "paragraph") -> str:
    return HEAD.format(kind=kind, scope=scope) + textwrap.dedent(body) + EXAMPLES


def load_one(tmp_path, text: str, name: str = "rule.yaml"):
    (tmp_path / name).write_text(text, "utf-8")
    return load_rules([tmp_path], builtin=False)


def error_of(tmp_path, text: str) -> str:
    with pytest.raises(RuleError) as exc:
        rules = load_one(tmp_path, text)
        Linter(rules).pipeline  # spaCy patterns are validated when the pipeline is prepared
    return str(exc.value).replace(str(tmp_path) + "/", "")


CASES = [
    ("unknown kind", rule_text("phrases: [x]\n", kind="vibes"),
     "rule.yaml:5: rule 'my-rule', field 'kind': 'vibes' is not one of "),
    ("missing field", rule_text("phrases: [x]\n").replace("message: \"“{match}” reads badly.\"\n", ""),
     "rule.yaml:1: rule 'my-rule': 'message' is required"),
    ("wrong type", rule_text("phrases: sorry\n"),
     "rule.yaml:10: rule 'my-rule', field 'phrases': 'sorry' is not of type 'array'"),
    ("unknown field", rule_text("phrases: [x]\nphrase: [y]\n"),
     "rule.yaml:11: rule 'my-rule', field 'phrase': unknown field (rule fields are: "),
    ("invalid regex", rule_text("regex: ['(unclosed']\n"),
     "rule.yaml:10: rule 'my-rule', field 'regex[0]': invalid regular expression '(unclosed': missing ) at position 9"),
    ("invalid regex in unless", rule_text("phrases: [x]\nunless: {regex: ['[z-a]']}\n"),
     "rule.yaml:11: rule 'my-rule', field 'unless.regex[0]': invalid regular expression '[z-a]': "
     "bad character range at position 4"),
    ("unknown token attribute", rule_text("patterns:\n  - [{LOWER: i}]\n  - [{LOWRE: sorry}]\n", kind="pattern"),
     "rule.yaml:12: rule 'my-rule', field 'patterns[1]': malformed spaCy pattern: token 0, LOWRE: "
     "extra inputs are not permitted"),
    ("bad operator", rule_text("patterns: [[{LOWER: sorry, OP: '@'}]]\n", kind="pattern"),
     "rule.yaml:10: rule 'my-rule', field 'patterns[0]': malformed spaCy pattern: token 0, OP: input should be "
     "'+', '*', '?' or '!'"),
    ("IN needs a list", rule_text("patterns: [[{LOWER: {IN: 3}}]]\n", kind="pattern"),
     "rule.yaml:10: rule 'my-rule', field 'patterns[0]': malformed spaCy pattern: token 0, LOWER -> IN: "
     "input should be a valid list"),
    ("pattern in when.has", rule_text("phrases: [x]\nwhen:\n  has:\n    patterns: [[{POS: {NOT_IN: NOUN}}]]\n"),
     "rule.yaml:13: rule 'my-rule', field 'when.has.patterns[0]': malformed spaCy pattern: token 0, POS -> NOT_IN: "
     "input should be a valid list"),
    ("dependency: undeclared node", rule_text(
        "dependency:\n  - - {RIGHT_ID: v, RIGHT_ATTRS: {LEMMA: rush}}\n"
        "    - {LEFT_ID: zz, REL_OP: '>', RIGHT_ID: s, RIGHT_ATTRS: {DEP: nsubj}}\n", kind="dependency"),
     "rule.yaml:11: rule 'my-rule', field 'dependency[0]': malformed dependency pattern: [E101] RIGHT_ID should "
     "be a new node and LEFT_ID should already have have been declared in previous edges."),
    ("dependency: unknown operator", rule_text(
        "dependency:\n  - - {RIGHT_ID: v, RIGHT_ATTRS: {LEMMA: rush}}\n"
        "    - {LEFT_ID: v, REL_OP: '~~', RIGHT_ID: s, RIGHT_ATTRS: {DEP: nsubj}}\n", kind="dependency"),
     "rule.yaml:11: rule 'my-rule', field 'dependency[0]': malformed dependency pattern: [E1007] Unsupported "
     "DependencyMatcher operator '~~'."),
    ("sentiment threshold out of range", rule_text("min: -3\n", kind="sentiment", scope="sentence"),
     "rule.yaml:10: rule 'my-rule', field 'min': -3 is less than the minimum of -1"),
    ("metric below zero", rule_text("metric: words\nmax: -5\n", kind="metric", scope="body"),
     "rule.yaml:11: rule 'my-rule', field 'max': -5 is less than the minimum of 0"),
    ("min above max", rule_text("min: 0.5\nmax: -0.5\n", kind="sentiment", scope="sentence"),
     "rule.yaml:10: rule 'my-rule', field 'min': min (0.5) is greater than max (-0.5), so every draft would fail"),
    ("not a mapping", "- a\n- b\n", "rule.yaml:1: must be a YAML mapping of rule fields"),
    ("empty file", "", "rule.yaml:1: must be a YAML mapping of rule fields"),
    ("broken YAML", "id: [unclosed\n", "rule.yaml:2: is not valid YAML: did not find expected ',' or ']'"),
    ("tab indentation", "id: x\n\tcode: y\n", "rule.yaml:2: is not valid YAML: found a tab character that violates "
                                             "indentation"),
]


@pytest.mark.parametrize("text, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_a_bad_rule_file_gets_one_clear_error(tmp_path, text, expected):
    assert error_of(tmp_path, text).startswith(expected)


def test_a_rule_file_that_is_not_utf8(tmp_path):
    (tmp_path / "rule.yaml").write_bytes(rule_text("phrases: [x]\n").encode("utf-16"))
    with pytest.raises(RuleError) as exc:
        load_rules([tmp_path], builtin=False)
    assert str(exc.value) == f"{tmp_path}/rule.yaml: is not UTF-8 text (byte 0xff at position 0); save rule files as UTF-8"


def test_duplicate_id_and_code_name_both_files(tmp_path):
    (tmp_path / "a.yaml").write_text(rule_text("phrases: [x]\n"), "utf-8")
    (tmp_path / "b.yaml").write_text(rule_text("phrases: [x]\n").replace("XX101", "XX102"), "utf-8")
    with pytest.raises(RuleError) as exc:
        load_rules([tmp_path], builtin=False)
    assert str(exc.value) == f"{tmp_path}/b.yaml:1: rule 'my-rule', field 'id': duplicate rule id (also in {tmp_path}/a.yaml)"
    (tmp_path / "b.yaml").write_text(rule_text("phrases: [x]\n").replace("my-rule", "other-rule"), "utf-8")
    with pytest.raises(RuleError) as exc:
        load_rules([tmp_path], builtin=False)
    assert str(exc.value) == (f"{tmp_path}/b.yaml:2: rule 'other-rule', field 'code': duplicate code XX101 "
                              f"(also used by my-rule in {tmp_path}/a.yaml)")


def test_a_user_rule_cannot_reuse_a_builtin_code(tmp_path, rules):
    taken = rules[0]
    (tmp_path / "mine.yaml").write_text(rule_text("phrases: [x]\n").replace("XX101", taken.code), "utf-8")
    with pytest.raises(RuleError) as exc:
        load_rules([tmp_path])
    assert f"field 'code': duplicate code {taken.code} (also used by {taken.id} in " in str(exc.value)


@pytest.mark.parametrize("text", [
    "!!python/object/apply:os.system ['echo pwned > {marker}']\n",
    rule_text("phrases: [x]\n").replace("name: My rule", "name: !!python/object/apply:os.system ['echo pwned > {marker}']"),
    rule_text("phrases: [x]\n").replace("name: My rule", "name: !!python/name:os.system"),
])
def test_yaml_tags_that_build_objects_are_refused_and_never_run(tmp_path, text):
    marker = tmp_path / "pwned"
    (tmp_path / "rule.yaml").write_text(text.replace("{marker}", str(marker)), "utf-8")
    with pytest.raises(RuleError) as exc:
        load_rules([tmp_path], builtin=False)
    assert "which rule files may not use (rules are plain data; tags that build objects are refused)" in str(exc.value)
    assert "uses the YAML tag !!python/" in str(exc.value)
    assert not marker.exists()


def test_a_malformed_pattern_fails_again_on_the_next_use_not_silently(tmp_path):
    linter = Linter(load_one(tmp_path, rule_text("patterns: [[{LOWRE: sorry}]]\n", kind="pattern")))
    for _ in range(2):
        with pytest.raises(RuleError):
            linter.pipeline


# -- the schema ---------------------------------------------------------------------------------------

def test_the_schema_is_shipped_and_is_a_valid_json_schema():
    import jsonschema

    jsonschema.Draft202012Validator.check_schema(rule_schema())
    assert rule_schema()["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_every_builtin_rule_file_validates_against_the_schema():
    import jsonschema
    import yaml

    from followup_lint.loader import builtin_rules_dir

    validator = jsonschema.Draft202012Validator(rule_schema())
    files = sorted(builtin_rules_dir().glob("*.yaml"))
    assert files
    for f in files:
        data = yaml.safe_load(f.read_text("utf-8"))
        assert [e.message for e in validator.iter_errors(data)] == [], f.name


# -- hostile regexes ----------------------------------------------------------------------------------

HOSTILE = rule_text("regex: ['\\bsorry\\b', '(a+)+$']\n")
PHRASE = rule_text("phrases: [you rushed]\n").replace("my-rule", "you-rushed").replace("XX101", "XX102")
DRAFT = "Dear Dana,\n\n" + "a" * 5000 + "!\n\nI think you rushed me.\n\nBest,\nLee\n"


def test_a_catastrophic_regex_is_stopped_and_reported_and_other_rules_still_run(tmp_path):
    (tmp_path / "hostile.yaml").write_text(HOSTILE, "utf-8")
    (tmp_path / "phrase.yaml").write_text(PHRASE, "utf-8")
    linter = Linter(load_rules([tmp_path], builtin=False))
    result = linter.lint_draft(draft_from_text(DRAFT, "draft.txt"))
    assert [f.rule_id for f in result.findings] == ["you-rushed"]
    assert [str(e).replace(str(tmp_path) + "/", "") for e in result.errors] == [
        "hostile.yaml:10: rule 'my-rule', field 'regex[1]': its regular expressions took longer than 0.5s on "
        "draft.txt and were stopped, so this rule was skipped for that draft (simplify nested repeats such as (a+)+)"]


def test_a_catastrophic_regex_on_the_command_line_exits_2_with_the_other_findings(tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "hostile.yaml").write_text(HOSTILE, "utf-8")
    (rules / "phrase.yaml").write_text(PHRASE, "utf-8")
    (tmp_path / "slow.txt").write_text(DRAFT, "utf-8")
    (tmp_path / "fine.txt").write_text("Dear Dana,\n\nI think you rushed me.\n\nBest,\nLee\n", "utf-8")
    proc = subprocess.run([sys.executable, "-m", "followup_lint", "--rules-dir", "rules", "--select", "XX1",
                           "--no-show-source", "fine.txt", "slow.txt"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 2
    assert proc.stdout.splitlines() == [
        "fine.txt:3:9: XX102 “you rushed” reads badly. [you-rushed]",
        "slow.txt:5:9: XX102 “you rushed” reads badly. [you-rushed]",
        "Found 2 problems in 2 drafts: 2 warnings.",
    ]
    assert proc.stderr.replace(f"{tmp_path}/", "").splitlines() == [
        "followup-lint: error: rules/hostile.yaml:10: rule 'my-rule', field 'regex[1]': its regular expressions took "
        "longer than 0.5s on slow.txt and were stopped, so this rule was skipped for that draft (simplify nested "
        "repeats such as (a+)+)"]


def test_a_malformed_pattern_on_the_command_line_exits_2_without_a_traceback(tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "bad.yaml").write_text(rule_text("patterns: [[{LOWRE: sorry}]]\n", kind="pattern"), "utf-8")
    (tmp_path / "d.txt").write_text("Dear Dana,\n\nSorry.\n", "utf-8")
    proc = subprocess.run([sys.executable, "-m", "followup_lint", "--rules-dir", "rules", "--select", "XX1", "d.txt"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.replace(f"{tmp_path}/", "") == ("followup-lint: error: rules/bad.yaml:10: rule 'my-rule', field 'patterns[0]': malformed "
                           "spaCy pattern: token 0, LOWRE: extra inputs are not permitted\n")


def test_the_readme_schema_recipe_works(tmp_path):
    """The README's one-liner finds the schema, and a rule with the editor's modeline still loads."""
    import json

    out = subprocess.run([sys.executable, "-c", "import followup_lint, pathlib; print(pathlib.Path("
                          "followup_lint.__file__).parent / 'schema' / 'rule.schema.json')"],
                         capture_output=True, text=True, check=True).stdout.strip()
    assert json.loads(open(out, encoding="utf-8").read()) == rule_schema()
    rules = load_one(tmp_path, "# yaml-language-server: $schema=./rule.schema.json\n" + rule_text("phrases: [x]\n"))
    assert [r.id for r in rules] == ["my-rule"]
