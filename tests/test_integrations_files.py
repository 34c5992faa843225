"""The integration files users copy (pre-commit hook, CI workflow, editor configs) parse and really work.

Each file is read as the tool that uses it would read it, and the command it
names is run: an example that names a missing option fails here first.
"""
from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SARIF_SCHEMA = ROOT / "tests" / "schemas" / "sarif-schema-2.1.0.json"  # vendored: see tests/schemas/README.md
TIMEOUT = 300


def _command_options(name: str) -> set[str]:
    from followup_lint.cli import main

    return {opt for p in main.commands[name].params for opt in (*p.opts, *p.secondary_opts)}


def _console_scripts() -> dict[str, str]:
    import tomllib

    return tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["scripts"]


def _run(args, cwd, **kw):
    return subprocess.run([sys.executable, "-m", "followup_lint", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=TIMEOUT, **kw)


# -- pre-commit ---------------------------------------------------------------------


def test_pre_commit_hook_definition():
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    assert [h["id"] for h in hooks] == ["followup-lint"]
    hook = hooks[0]
    assert hook["language"] == "python"
    assert hook["entry"] in _console_scripts()
    assert hook["require_serial"] is True
    files = re.compile(hook["files"])
    from followup_lint.sources import DRAFT_SUFFIXES

    for suffix in DRAFT_SUFFIXES:
        assert files.search(f"templates/recovery/note{suffix}"), suffix
    for other in ("setup.py", "pyproject.toml", "notes.txt.bak", ".followup-lint.yaml"):
        assert not files.search(other), other


def test_pre_commit_runs_the_entry_on_the_matching_files(tmp_path):
    """pre-commit calls `entry args... file...` with the staged files that match `files`."""
    hook = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))[0]
    good = tmp_path / "good.txt"
    good.write_text("Dear Dana,\n\nThank you for your time on Tuesday.\n\nBest,\nLee\n", "utf-8")
    bad = tmp_path / "bad.md"
    bad.write_text("Dear Dana,\n\nYou rushed me through the case study and kept cutting me off.\n\nBest,\nLee\n",
                   "utf-8")
    staged = [p.name for p in (good, bad) if re.search(hook["files"], p.name)]
    assert staged == ["good.txt", "bad.md"]
    run = _run([*hook.get("args", []), "--select", "FL301", *staged], tmp_path)
    assert run.returncode == 1, run.stderr
    assert run.stdout.startswith("bad.md:3:1: FL301 ")


# -- GitHub Actions -----------------------------------------------------------------


def _workflow() -> dict:
    return yaml.safe_load((EXAMPLES / "ci" / "followup-lint.yml").read_text("utf-8"))


def test_workflow_steps_and_permissions():
    wf = _workflow()
    assert wf["permissions"]["security-events"] == "write"
    assert wf[True] is not None or wf.get("on")  # YAML 1.1 reads the key `on` as True
    steps = wf["jobs"]["lint"]["steps"]
    uses = [s.get("uses", "").split("@")[0] for s in steps]
    assert uses[:2] == ["actions/checkout", "actions/setup-python"]
    upload = steps[-1]
    assert upload["uses"].startswith("github/codeql-action/upload-sarif@")
    assert upload["if"] == "always()"
    lint = next(s for s in steps if s.get("run", "").startswith("followup-lint "))
    args = shlex.split(lint["run"])
    assert args[args.index("--format") + 1] == "sarif"
    assert args[args.index("--output-file") + 1] == upload["with"]["sarif_file"]
    known = _command_options("check")
    assert [a for a in args[1:] if a.startswith("-") and a not in known] == []


def test_workflow_lint_step_writes_valid_sarif(tmp_path):
    """Run the workflow's lint command as it stands, on our template library."""
    import jsonschema

    wf = _workflow()
    lint = next(s for s in wf["jobs"]["lint"]["steps"] if s.get("run", "").startswith("followup-lint "))
    args = [a.replace("$TEMPLATES", str(EXAMPLES / "templates")) for a in shlex.split(lint["run"])]
    run = _run(args[1:], tmp_path)
    assert run.returncode in (0, 1), run.stderr
    sarif = json.loads((tmp_path / "followup-lint.sarif").read_text("utf-8"))
    jsonschema.validate(sarif, json.loads(SARIF_SCHEMA.read_text("utf-8")))
    assert sarif["runs"][0]["tool"]["driver"]["name"] == "followup-lint"


# -- editors ------------------------------------------------------------------------


def test_editor_configs_start_the_language_server():
    vscode = json.loads((EXAMPLES / "editors" / "vscode" / "settings.json").read_text("utf-8"))
    assert [vscode["glspc.server.command"], *vscode["glspc.server.commandArguments"]] == ["followup-lint", "lsp"]
    assert set(vscode["glspc.server.languageId"]) == {"plaintext", "markdown", "html"}

    lua = (EXAMPLES / "editors" / "nvim" / "followup-lint.lua").read_text("utf-8")
    assert re.search(r'cmd = \{ "followup-lint", "lsp" \}', lua)
    assert 'filetypes = { "mail", "text", "markdown", "html" }' in lua

    vim = (EXAMPLES / "editors" / "vim" / "followup-lint.vim").read_text("utf-8")
    assert "'lsp': 'stdio'" in vim and "'command': '%e lsp'" in vim
    assert "'followup-lint'" in vim

    for script in ("followup-lint",):
        assert script in _console_scripts()
    assert "lsp" in __import__("followup_lint.cli", fromlist=["main"]).main.commands


VIM_ALE = Path("/usr/share/vim-ale")


@pytest.mark.skipif(not (shutil.which("vim") and VIM_ALE.is_dir()),
                    reason="needs vim and ALE installed (Debian: apt-get install vim vim-ale)")
def test_vim_ale_config_shows_the_diagnostics(tmp_path):
    """Headless Vim loads ALE and our config, opens a draft, and ALE lists the server's finding.

    The stand-in executable passes on the arguments ALE gives it (`lsp`, from `'%e lsp'`).
    """
    server = tmp_path / "followup-lint-server"
    server.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m followup_lint "$@" --select FL301 2>>{tmp_path / "server.log"}\n', "utf-8")
    server.chmod(0o755)
    draft = tmp_path / "draft.txt"
    draft.write_text("Dear Dana,\n\nYou rushed me through the case study and kept cutting me off.\n\n"
                     "Best,\nLee\n", "utf-8")
    out = tmp_path / "loclist.json"
    script = tmp_path / "test.vim"
    script.write_text(f"""set nocompatible
filetype plugin on
set rtp^={VIM_ALE}
runtime plugin/ale.vim
let g:followup_lint_executable = '{server}'
source {EXAMPLES / "editors" / "vim" / "followup-lint.vim"}
edit {draft}
ALELint
let s:n = 0
while empty(ale#engine#GetLoclist(bufnr(''))) && s:n < 240
  sleep! 500m
  let s:n += 1
endwhile
call writefile([json_encode(ale#engine#GetLoclist(bufnr('')))], '{out}')
qa!
""", "utf-8")
    subprocess.run(["vim", "-N", "-u", str(script), "-i", "NONE", "--not-a-term"], cwd=tmp_path,
                   stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   timeout=TIMEOUT)
    found = json.loads(out.read_text("utf-8"))
    assert [(f["linter_name"], f["code"], f["lnum"], f["col"], f["type"]) for f in found] == [
        ("followup_lint", "FL301", 3, 1, "E")]
    assert found[0]["text"].startswith("This sentence puts the blame on the interviewer: “You rushed")


def test_the_sendmail_wrapper_is_a_posix_script():
    wrapper = EXAMPLES / "pre-send" / "followup-lint-sendmail"
    assert wrapper.read_text("utf-8").startswith("#!/bin/sh\n")
    assert os.access(wrapper, os.X_OK)
    run = subprocess.run(["sh", "-n", str(wrapper)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    known = _command_options("check")
    text = wrapper.read_text("utf-8")
    used = set(re.findall(r"\s(--[a-z-]+)", text.split('"$lint"', 1)[1].split("\n\n", 1)[0]))
    assert used and used <= known, used - known


def test_the_readme_python_api_example_runs():
    """The README's Python API block, run as a user would paste it, from the project folder."""
    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme.split("## Python API", 1)[1].split("\n## ", 1)[0]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=TIMEOUT)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert any(" FL301 error This sentence puts the blame on the interviewer: “Honestly, you rushed" in ln
               for ln in lines), lines
    assert any(ln.startswith("examples/drafts/bad-recovery.txt ['") for ln in lines), lines
