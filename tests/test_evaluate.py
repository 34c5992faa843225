"""The corpus evaluation (python -m bench.evaluate) on a small slice of the corpus.

The figures themselves are a benchmark, not a unit test: these tests check
that the table and the JSON are well formed and that bad labels are clear
errors naming the file.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT

CORPUS = ROOT / "tests" / "corpus"
SLICE = ["good-01-audit-senior.txt", "thanks-02-gushing.txt", "break-blame-interviewer-01.txt",
         "multi-08-excuse-apology.eml", "good-12-markdown.md"]


def run_eval(*args, cwd=ROOT):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "bench.evaluate", *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def corpus_slice(tmp_path_factory):
    d = tmp_path_factory.mktemp("corpus")
    for name in SLICE:
        shutil.copy(CORPUS / name, d / name)
        stem = os.path.splitext(name)[0]
        shutil.copy(CORPUS / f"{stem}.yaml", d / f"{stem}.yaml")
    return d


@pytest.fixture(scope="module")
def rule_ids():
    from followup_lint.loader import load_rules

    return [r.id for r in load_rules()]


@pytest.fixture(scope="module")
def table(corpus_slice, tmp_path_factory):
    out = tmp_path_factory.mktemp("out") / "EVALUATION.md"
    proc = run_eval(corpus_slice, "--output", out)
    return proc, out


@pytest.fixture(scope="module")
def as_json(corpus_slice):
    return run_eval(corpus_slice, "--json", "--output", "-")


def test_every_corpus_draft_has_valid_labels(rule_ids):
    """The whole corpus loads: every draft has a sidecar and every quote is in its draft."""
    sys.path.insert(0, str(ROOT))
    from bench.evaluate import CATALOG, load_cases

    cases = load_cases(CORPUS, (*CATALOG, *rule_ids))
    assert len(cases) >= 110
    assert sum(c.clean for c in cases) >= 10


def test_markdown_table_has_one_row_per_rule(table, rule_ids):
    proc, out = table
    assert proc.returncode == 0, proc.stderr
    text = out.read_text("utf-8")
    assert text == proc.stdout  # the file holds exactly what was printed
    assert "5 drafts in" in text
    header = "| code | rule | drafts | expected | TP | FP | FN | precision | recall | F1 |"
    lines = text.splitlines()
    start = lines.index(header)
    assert set(lines[start + 1].strip("|").replace(" ", "").split("|")) <= {"---", "---:"}
    rows = []
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        rows.append([c.strip() for c in line.strip().strip("|").split("|")])
    assert [r[1] for r in rows[:-1]] == rule_ids
    assert rows[-1][0] == "**all**"
    assert rows[-1][2] == ""  # drafts per rule do not add up
    for r in rows:
        expected, tp, fp, fn = map(int, r[3:7])
        assert tp + fn == expected and min(expected, tp, fp, fn) >= 0
        if r is not rows[-1]:
            assert 0 <= int(r[2]) <= 5
        for cell in r[7:]:
            assert cell == "—" or 0.0 <= float(cell) <= 1.0
    assert re.search(r"false alarms on \d+ clean drafts: \d+\.\d\d per draft, \d+\.\d per 20 drafts", text)
    assert "## False positives (" in text and "## False negatives (" in text


def test_json_has_the_same_figures(as_json, table, rule_ids):
    assert as_json.returncode == 0, as_json.stderr
    data = json.loads(as_json.stdout)
    assert data["drafts"] == 5
    assert [r["rule"] for r in data["rules"]] == rule_ids
    for r in data["rules"] + [data["totals"]]:
        assert r["tp"] + r["fn"] == r["expected"]
        for k in ("precision", "recall", "f1"):
            assert r[k] is None or 0.0 <= r[k] <= 1.0
    totals = data["totals"]
    assert totals["fp"] == len(data["false_positives"]) and totals["fn"] == len(data["false_negatives"])
    for miss in data["false_positives"] + data["false_negatives"]:
        assert set(miss) >= {"draft", "rule", "code", "text"}
    clean = data["clean"]
    assert clean["drafts"] == 2  # good-01 and good-12 are labeled clean
    assert clean["per_20_drafts"] == pytest.approx(clean["false_alarms"] / clean["drafts"] * 20, abs=1e-3)
    # the table printed without --json shows the same totals
    proc, _ = table
    last = [ln for ln in proc.stdout.splitlines() if ln.startswith("| **all**")][0]
    cells = [c.strip() for c in last.strip("|").split("|")]
    assert list(map(int, cells[3:7])) == [totals["expected"], totals["tp"], totals["fp"], totals["fn"]]


def test_select_limits_the_rows(corpus_slice):
    proc = run_eval(corpus_slice, "--json", "--output", "-", "--select", "FL3")
    assert proc.returncode == 0, proc.stderr
    codes = [r["code"] for r in json.loads(proc.stdout)["rules"]]
    assert codes and all(c.startswith("FL3") for c in codes)


def test_a_quote_not_in_the_draft_is_an_error_naming_the_file(tmp_path):
    shutil.copy(CORPUS / "good-02-terse.txt", tmp_path / "good-02-terse.txt")
    (tmp_path / "good-02-terse.yaml").write_text(
        'note: mislabeled\nexpect:\n  blames-interviewer: ["you rushed me"]\n', "utf-8")
    proc = run_eval(tmp_path, "--output", "-")
    assert proc.returncode == 2
    assert proc.stdout == ""
    label = str(tmp_path / "good-02-terse.yaml")
    assert proc.stderr.strip() == (f"error: {label}: expect.blames-interviewer: the quote “you rushed me” "
                                   "is not in good-02-terse.txt")


def test_a_draft_without_labels_and_an_unknown_rule_are_errors(tmp_path):
    shutil.copy(CORPUS / "good-02-terse.txt", tmp_path / "good-02-terse.txt")
    proc = run_eval(tmp_path, "--output", "-")
    assert proc.returncode == 2
    assert f"error: {tmp_path / 'good-02-terse.txt'}: has no label file (expected good-02-terse.yaml" in proc.stderr

    (tmp_path / "good-02-terse.yaml").write_text("expect:\n  blames-interviwer: true\n", "utf-8")
    proc = run_eval(tmp_path, "--output", "-")
    assert proc.returncode == 2
    assert "good-02-terse.yaml: expect.blames-interviwer: no rule has this id" in proc.stderr


@pytest.mark.parametrize("corpus", sorted(p.name for p in ROOT.joinpath("tests").glob("corpus*") if p.is_dir()))
def test_every_corpus_is_labeled_consistently(corpus):
    """Every draft of every labeled set has a label file whose quotes are in the draft and whose rules exist."""
    sys.path.insert(0, str(ROOT))
    from bench.evaluate import load_cases
    from followup_lint.loader import load_rules

    cases = load_cases(ROOT / "tests" / corpus, [r.id for r in load_rules()])
    assert len(cases) >= 40
