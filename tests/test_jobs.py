"""--jobs: the same findings in the same order whatever the number of processes; progress bar etiquette."""
from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from followup_lint import progress as progress_mod
from followup_lint.cli import main

FIXTURE_RULES = str(Path(__file__).parent / "fixtures" / "rules")

SENTENCES = [
    "You rushed me through the case study.",
    "I know I can give you a clearer picture of how I work, and I would welcome a short call next week.",
    "Thank you for your time.",
    "I rushed my answer about the budget, and that one is on me.",
    "I am still keen on the role.",
]


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def library(tmp_path):
    """40 drafts (enough for two workers), names out of creation order, one unreadable file in the middle."""
    d = tmp_path / "library"
    (d / "team-b").mkdir(parents=True)
    for i in range(40):
        body = " ".join(SENTENCES[(i + k) % len(SENTENCES)] for k in range(1 + i % 4))
        where = d / "team-b" if i % 3 == 0 else d
        (where / f"draft-{(i * 7) % 40:02d}.txt").write_text(f"Dear Sam,\n\n{body}\n\nBest,\nLee\n", encoding="utf-8")
    (d / "draft-20b.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00binary")
    return d


def lint(library, *extra):
    return invoke(library, "--rules-dir", FIXTURE_RULES, "--select", "TT", "--no-cache", *extra)


def test_one_and_two_jobs_give_identical_text_reports(library):
    one = lint(library, "--jobs", "1")
    two = lint(library, "--jobs", "2")
    assert one.exit_code == two.exit_code == 2  # the PNG is an input error
    assert two.output == one.output
    assert one.output.count("TT101") >= 20


def test_one_and_two_jobs_give_identical_json_in_file_order(library):
    one = json.loads(lint(library, "--jobs", "1", "--format", "json", "-q").stdout)
    two = json.loads(lint(library, "--jobs", "2", "--format", "json", "-q").stdout)
    assert two == one
    paths = [f["path"] for f in one["findings"]]
    order = list(dict.fromkeys(paths))
    expected = sorted(str(p) for p in library.glob("*.txt")) + sorted(str(p) for p in (library / "team-b").glob("*.txt"))
    assert order == [p for p in expected if p in order]  # the order files were found in, never arrival order
    assert [e["path"] for e in one["errors"]] == [str(library / "draft-20b.txt")]


def test_two_jobs_with_a_warm_cache_for_some_files(library, tmp_path):
    cache = tmp_path / "cache"
    first = lint(library, "--jobs", "1")
    some = sorted(library.glob("*.txt"))[:10]
    invoke(*some, "--rules-dir", FIXTURE_RULES, "--select", "TT", "--cache-dir", cache, "--jobs", "1")
    mixed = invoke(library, "--rules-dir", FIXTURE_RULES, "--select", "TT", "--cache-dir", cache, "--jobs", "2")
    assert mixed.output == first.output


def test_a_broken_rule_is_reported_once_from_the_workers(library, tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "bad.yaml").write_text(
        "id: tt-bad\ncode: TT190\nname: Bad pattern\nseverity: error\nkind: pattern\nscope: body\n"
        "advice: no-blame\nmessage: bad\ndescription: A malformed spaCy pattern.\n"
        "patterns:\n  - [{LOWER: {NOT_A_KEY: [x]}}]\n"
        "examples:\n  fail: ['Dear A,\\n\\nx\\n\\nBest,\\nB']\n  pass: ['Dear A,\\n\\ny\\n\\nBest,\\nB']\n",
        encoding="utf-8")
    for jobs in ("1", "2"):
        res = invoke(library, "--rules-dir", rules, "--select", "TT190", "--no-cache", "--jobs", jobs)
        assert res.exit_code == 2
        assert "bad.yaml" in res.output and "malformed spaCy pattern" in res.output
        assert res.output.count("malformed spaCy pattern") == 1


class _Terminal(io.StringIO):
    def isatty(self):
        return True


def test_the_progress_bar_only_on_a_terminal_never_in_ci_or_machine_formats(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("TERM", raising=False)
    tty = _Terminal()
    assert progress_mod.wanted("text", 500, tty)
    assert not progress_mod.wanted("json", 500, tty)
    assert not progress_mod.wanted("text", 5, tty)
    assert not progress_mod.wanted("text", 500, io.StringIO())
    monkeypatch.setenv("CI", "true")
    assert not progress_mod.wanted("text", 500, tty)


def test_the_progress_bar_draws_and_then_clears_itself(monkeypatch):
    monkeypatch.setattr(progress_mod, "DELAY", 0.0)
    tty = _Terminal()
    assert list(progress_mod.progress(range(3), 3, enabled=True, stream=tty)) == [0, 1, 2]
    shown = tty.getvalue()
    assert "\r[##########" in shown and "1/3 drafts" in shown
    assert shown.endswith("\r")  # the line is wiped before the report is printed


def test_no_progress_bar_when_output_is_captured(library):
    res = lint(library, "--jobs", "1")
    assert "drafts\r" not in res.output and "[#" not in res.output
