"""The README's sample outputs are what the tool really prints.

Every code block of the README that starts with ``$ followup-lint ...`` is
run from the repository root, and its lines must be the output's lines (a
``...`` line stands for any number of lines left out).  The error samples
without a command are reproduced from the situation they describe.
"""
from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text("utf-8")
TIMEOUT = 300


def _blocks() -> list[str]:
    return re.findall(r"^```[a-z]*\n(.*?)^```", README, re.M | re.S)


COMMAND_BLOCKS = [b for b in _blocks() if b.startswith("$ followup-lint ")]


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_COLOR": "1", "CI": "1"}
    return subprocess.run([sys.executable, "-m", "followup_lint", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=TIMEOUT, stdin=subprocess.DEVNULL)


def matches(sample: list[str], output: list[str]) -> bool:
    """Do the sample's lines appear in the output, in order, with ``...`` standing for any lines?"""
    parts: list[list[str]] = [[]]
    for line in sample:
        if line.strip() == "...":
            parts.append([])
        else:
            parts[-1].append(line)
    if len(parts) == 1:
        return sample == output
    first, *middle, last = parts
    if output[:len(first)] != first or (last and output[len(output) - len(last):] != last):
        return False
    at, stop = len(first), len(output) - len(last)
    for part in middle:
        while at + len(part) <= stop and output[at:at + len(part)] != part:
            at += 1
        if at + len(part) > stop:
            return False
        at += len(part)
    return True


def test_the_readme_has_command_samples():
    assert len(COMMAND_BLOCKS) >= 2


@pytest.mark.parametrize("block", COMMAND_BLOCKS, ids=[b.splitlines()[0] for b in COMMAND_BLOCKS])
def test_a_command_sample_is_what_the_tool_prints(block):
    command, *sample = block.rstrip("\n").splitlines()
    args = shlex.split(command)[2:]  # after "$ followup-lint"
    run = _run(args, ROOT)
    assert run.returncode in (0, 1), run.stderr
    assert matches(sample, run.stdout.splitlines()), f"README:\n{chr(10).join(sample)}\n\nthe tool:\n{run.stdout}"


def _sample(start: str) -> str:
    found = [ln for b in _blocks() for ln in b.splitlines() if ln.startswith(start)]
    assert found, f"the README no longer shows a line starting {start!r}"
    return found[0]


def test_the_configuration_error_sample(tmp_path):
    sample = _sample("followup-lint: error: .followup-lint.yaml:3: key 'fail-on'")
    (tmp_path / ".followup-lint.yaml").write_text("preset: default\nselect: [FL3]\nfail-on: sometimes\n", "utf-8")
    (tmp_path / "draft.txt").write_text("Dear Dana,\n\nThank you.\n\nBest,\nLee\n", "utf-8")
    run = _run(["--no-cache", "draft.txt"], tmp_path)
    assert run.returncode == 2
    assert run.stderr.replace(f"{tmp_path}{os.sep}", "").splitlines() == [sample]


def test_the_selector_error_samples(tmp_path):
    option = _sample("followup-lint: error: option --select: no rule matches 'FL999'")
    key = _sample("followup-lint: error: .followup-lint.yaml:2: key 'select': no rule matches 'FL999'")
    (tmp_path / "draft.txt").write_text("Dear Dana,\n\nThank you.\n\nBest,\nLee\n", "utf-8")
    assert _run(["--no-cache", "--select", "FL999", "draft.txt"], tmp_path).stderr.splitlines() == [option]
    (tmp_path / ".followup-lint.yaml").write_text("preset: default\nselect: [FL999]\n", "utf-8")
    run = _run(["--no-cache", "draft.txt"], tmp_path)
    assert run.stderr.replace(f"{tmp_path}{os.sep}", "").splitlines() == [key]


def test_the_bad_rule_sample(tmp_path):
    sample = _sample("followup-lint: error: my-rules/no-sorry.yaml:10:")
    rules = tmp_path / "my-rules"
    rules.mkdir()
    (rules / "no-sorry.yaml").write_text(
        "id: no-sorry\ncode: XY201\nname: Says sorry\nseverity: warning\nkind: pattern\nscope: sentence\n"
        "advice: sincerity\nmessage: \"“{match}” is an apology\"\npatterns:\n  - [{LOWRE: sorry}]\n"
        "description: Say thank you instead.\nexamples:\n  fail: [\"Dear A,\\n\\nSorry.\\n\\nBest,\\nB\"]\n"
        "  pass: [\"Dear A,\\n\\nThanks.\\n\\nBest,\\nB\"]\n", "utf-8")
    (tmp_path / "draft.txt").write_text("Dear Dana,\n\nSorry for the delay.\n\nBest,\nLee\n", "utf-8")
    run = _run(["--no-cache", "--rules-dir", "my-rules", "draft.txt"], tmp_path)
    assert run.returncode == 2
    assert run.stderr.replace(f"{tmp_path}{os.sep}", "").splitlines() == [sample]


def test_the_module_map_names_every_module():
    """The Development section's table names every module and folder of the package, and nothing else."""
    section = README.split("The code is in `linter/`", 1)[1].split("\n\n", 2)[1]
    named = set(re.findall(r"`([\w/]+(?:\.py)?/?)`", "\n".join(ln.split(" | ")[0] for ln in section.splitlines())))
    package = ROOT / "linter"
    actual = {p.name for p in package.glob("*.py") if p.name != "__init__.py"}
    actual |= {f"{p.name}/" for p in package.iterdir() if p.is_dir() and not p.name.startswith("__")}
    assert actual - named == set(), "modules the README's module map does not name"
    assert named - actual == set(), "names in the module map that are not modules"


def test_the_check_kind_table_lists_every_kind_and_nothing_else():
    import re

    from followup_lint.checks import REGISTRY

    text = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    table = text[text.index("**Check kinds**"):text.index("**Shared moves.**")]
    kinds = set(re.findall(r"^\| `([a-z-]+)` \|", table, re.M))
    assert kinds == set(REGISTRY)
