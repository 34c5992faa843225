"""The results cache: a re-run reports exactly the same, reads the cache instead of linting,
never imports spaCy when every draft is a hit, and stops matching when the draft, a rule,
an option or the model changes."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from followup_lint import engine
from followup_lint.cli import main

FIXTURE_RULES = Path(__file__).parent / "fixtures" / "rules"

DRAFTS = {
    "a.txt": "Dear Ana,\n\nI know you rushed me.\nThat is all I wanted to say to you today, thank you so much.\n\nBest,\nLee\n",
    "b.txt": "Dear Ben,\n\nThank you for your time.\n\nBest,\nLee\n",
    "c.txt": "Hi Cy,\n\nYou rushed me and then you rushed the panel too, which was not fair at all.\n\nRegards,\nLee\n",
}


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def library(tmp_path):
    d = tmp_path / "drafts"
    d.mkdir()
    for name, text in DRAFTS.items():
        (d / name).write_text(text, encoding="utf-8")
    return d


@pytest.fixture
def rules_dir(tmp_path):
    d = tmp_path / "rules"
    shutil.copytree(FIXTURE_RULES, d)
    return d


@pytest.fixture
def cache_dir(tmp_path):
    return tmp_path / "cache"


@pytest.fixture
def linted(monkeypatch):
    """The paths the engine actually lints (a cache hit never reaches it)."""
    seen: list[str] = []
    real = engine.Linter.lint_drafts

    def spy(self, drafts):
        def recorded():
            for d in drafts:
                seen.append(os.path.basename(d.path))
                yield d
        return real(self, recorded())

    monkeypatch.setattr(engine.Linter, "lint_drafts", spy)
    return seen


def run(library, rules_dir, cache_dir, *extra):
    return invoke(library, "--rules-dir", rules_dir, "--select", "TT", "--cache-dir", cache_dir, "--jobs", "1", *extra)


def test_a_rerun_comes_from_the_cache_and_reports_the_same(library, rules_dir, cache_dir, linted):
    first = run(library, rules_dir, cache_dir)
    assert linted == ["a.txt", "b.txt", "c.txt"]
    assert "TT101" in first.output and first.exit_code == 1
    linted.clear()
    second = run(library, rules_dir, cache_dir)
    assert linted == []
    assert second.output == first.output and second.exit_code == first.exit_code
    assert (cache_dir / ".gitignore").read_text().endswith("*\n")


def test_a_changed_draft_is_linted_again_and_only_it(library, rules_dir, cache_dir, linted):
    run(library, rules_dir, cache_dir)
    linted.clear()
    (library / "b.txt").write_text("Dear Ben,\n\nYou rushed me.\n\nBest,\nLee\n", encoding="utf-8")
    out = run(library, rules_dir, cache_dir)
    assert linted == ["b.txt"]
    assert f"{library / 'b.txt'}:3:5: TT101 “rushed” sounds like blame [tt-no-rush]" in out.output


def test_a_changed_rule_invalidates_every_draft(library, rules_dir, cache_dir, linted):
    run(library, rules_dir, cache_dir)
    linted.clear()
    rule = rules_dir / "tt-no-rush.yaml"
    rule.write_text(rule.read_text("utf-8").replace("sounds like blame", "reads as blame"), encoding="utf-8")
    out = run(library, rules_dir, cache_dir)
    assert linted == ["a.txt", "b.txt", "c.txt"]
    assert "“rushed” reads as blame" in out.output and "sounds like blame" not in out.output


def test_a_changed_option_or_configuration_misses_and_switching_back_hits(library, rules_dir, cache_dir, linted):
    everything = run(library, rules_dir, cache_dir)
    linted.clear()
    only_length = run(library, rules_dir, cache_dir, "--ignore", "TT101")
    assert linted == ["a.txt", "b.txt", "c.txt"]
    assert "TT101" not in only_length.output and "TT102" in only_length.output
    linted.clear()
    (library / ".followup-lint.yaml").write_text("ignore: [TT102]\n", encoding="utf-8")
    from_config = run(library, rules_dir, cache_dir)
    assert linted == ["a.txt", "b.txt", "c.txt"]
    assert "TT102" not in from_config.output and "TT101" in from_config.output
    linted.clear()
    (library / ".followup-lint.yaml").unlink()
    assert run(library, rules_dir, cache_dir).output == everything.output
    assert linted == []


def test_the_model_and_the_tool_are_part_of_the_key(tmp_path, rules_dir):
    from followup_lint import cache as cache_mod
    from followup_lint.loader import load_rules

    model = tmp_path / "my_model"
    model.mkdir()
    (model / "meta.json").write_text(json.dumps({"lang": "en", "name": "mine", "version": "1.0.0"}))
    rules = load_rules([rules_dir])
    v1 = cache_mod.settings_key(engine.Linter(rules, model=str(model)))
    assert v1 == cache_mod.settings_key(engine.Linter(rules, model=str(model)))
    (model / "meta.json").write_text(json.dumps({"lang": "en", "name": "mine", "version": "1.1.0"}))
    assert cache_mod.settings_key(engine.Linter(rules, model=str(model))) != v1
    assert cache_mod.settings_key(engine.Linter(rules)) != v1


def test_damaged_entries_are_linted_again(library, rules_dir, cache_dir, linted):
    first = run(library, rules_dir, cache_dir)
    entries = list((cache_dir / "results").rglob("*.json"))
    assert len(entries) == 3
    for i, e in enumerate(entries):
        e.write_bytes([b"", b"{not json", b'{"format": 1, "data": {"findings": [{"path": 3}]}}'][i])
    linted.clear()
    again = run(library, rules_dir, cache_dir)
    assert sorted(linted) == ["a.txt", "b.txt", "c.txt"]
    assert again.output == first.output


def test_no_cache_neither_reads_nor_writes(library, rules_dir, cache_dir, linted):
    invoke(library, "--rules-dir", rules_dir, "--select", "TT", "--no-cache", "--cache-dir", cache_dir)
    invoke(library, "--rules-dir", rules_dir, "--select", "TT", "--no-cache", "--cache-dir", cache_dir)
    assert linted == ["a.txt", "b.txt", "c.txt"] * 2
    assert not cache_dir.exists()


def _cli_in_subprocess(cwd, *args) -> subprocess.CompletedProcess:
    """Run the CLI in a fresh interpreter and print to stderr which heavy modules it imported."""
    code = ("import sys\nfrom followup_lint.cli import main\n"
            "try:\n    main(sys.argv[1:])\nexcept SystemExit as e:\n    code = e.code\n"
            "print('IMPORTED', 'spacy' in sys.modules, 'jsonschema' in sys.modules, file=sys.stderr)\n"
            "sys.exit(code)\n")
    env = {k: v for k, v in os.environ.items() if k != "FOLLOWUP_LINT_CACHE_DIR"}
    return subprocess.run([sys.executable, "-c", code, *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def test_a_full_cache_hit_never_imports_spacy(tmp_path, library, rules_dir):
    args = (library, "--rules-dir", rules_dir, "--select", "TT", "--format", "json")
    cold = _cli_in_subprocess(tmp_path, *args)
    assert "IMPORTED True" in cold.stderr, cold.stderr
    assert (tmp_path / ".followup_lint_cache" / "results").is_dir()  # the default folder, here
    warm = _cli_in_subprocess(tmp_path, *args)
    assert "IMPORTED False False" in warm.stderr, warm.stderr  # neither spaCy nor the rule-schema validator
    assert warm.stdout == cold.stdout and warm.returncode == cold.returncode == 1
    assert json.loads(warm.stdout)["summary"]["files"] == 3


def test_two_runs_sharing_a_cache_folder_do_not_corrupt_it(tmp_path, rules_dir):
    lib = tmp_path / "lib"
    lib.mkdir()
    for i in range(24):
        (lib / f"d{i:02d}.txt").write_text(f"Dear A{i},\n\nYou rushed me{' a lot' * (i % 4)}.\n\nBest,\nB\n")
    args = [sys.executable, "-m", "followup_lint", str(lib), "--rules-dir", str(rules_dir), "--select", "TT",
            "--format", "json", "--cache-dir", str(tmp_path / "shared")]
    env = {k: v for k, v in os.environ.items() if k != "FOLLOWUP_LINT_CACHE_DIR"}
    reference = subprocess.run(args[:-2] + ["--no-cache"], capture_output=True, text=True, env=env, timeout=300)
    runs = [subprocess.Popen(args + ["--jobs", str(j)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env=env) for j in (1, 2)]
    outputs = [p.communicate(timeout=300) for p in runs]
    for (out, err), p in zip(outputs, runs):
        assert p.returncode == 1, err
        assert out == reference.stdout
    entries = list((tmp_path / "shared" / "results").rglob("*"))
    assert [e for e in entries if e.name.startswith(".tmp-")] == []
    assert len([e for e in entries if e.suffix == ".json"]) == 24
    third = subprocess.run(args, capture_output=True, text=True, env=env, timeout=300)
    assert third.stdout == reference.stdout
