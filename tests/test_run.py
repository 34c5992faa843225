"""The run layer as users meet it: one behaviour for a file, stdin, the Python API and the page's text.

Each test runs the tool as a user does: ``python -m followup_lint`` in a
folder of its own (with a configuration file where it matters), text piped to
stdin, or a Python snippet using the public API.
"""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 300
DOUBLED = "Dear Dana,\n\nThank you for the the time on Tuesday.\n\nBest,\nLee\n"  # FL004, a warning


def cli(*args: str, cwd: Path, input: str | bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "followup_lint", "--no-cache", *args], cwd=cwd, input=input,
                          capture_output=True, text=not isinstance(input, bytes), timeout=TIMEOUT)


def python(code: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=cwd, capture_output=True, text=True,
                          timeout=TIMEOUT)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# -- bug 2: stdin and the configuration's fail-on -------------------------------------------------


def test_stdin_honours_the_configurations_fail_on(tmp_path):
    write(tmp_path / ".followup-lint.yaml", "select: [FL004]\nfail-on: warning\n")
    write(tmp_path / "note.txt", DOUBLED)
    as_file = cli("note.txt", cwd=tmp_path)
    piped = cli("-", cwd=tmp_path, input=DOUBLED)
    named = cli("--stdin-filename", "note.txt", "-", cwd=tmp_path, input=DOUBLED)
    assert "FL004" in as_file.stdout and "FL004" in piped.stdout and "FL004" in named.stdout
    assert (as_file.returncode, piped.returncode, named.returncode) == (1, 1, 1)
    # and the other way round: the default fail-on (error) lets a warning through, on stdin too
    write(tmp_path / ".followup-lint.yaml", "select: [FL004]\n")
    assert cli("-", cwd=tmp_path, input=DOUBLED).returncode == 0


def test_each_draft_is_judged_by_its_own_fail_on(tmp_path):
    write(tmp_path / "strict" / ".followup-lint.yaml", "select: [FL004]\nfail-on: warning\n")
    write(tmp_path / "lenient" / ".followup-lint.yaml", "select: [FL004]\n")
    write(tmp_path / "lenient" / "a.txt", DOUBLED)
    assert cli("lenient", cwd=tmp_path).returncode == 0
    write(tmp_path / "strict" / "b.txt", DOUBLED)
    assert cli("lenient", "strict", cwd=tmp_path).returncode == 1


# -- bug 3: --fix and --diff within --max-file-size -----------------------------------------------


def test_fix_and_diff_honour_max_file_size(tmp_path):
    filler = "I have thought about the case study since Tuesday and about what I would change. " * 3500
    text = f"Dear Dana,\n\nThank you for the the time.\n\n{filler}\n\nBest,\nLee\n"
    draft = write(tmp_path / "long.txt", text)
    assert draft.stat().st_size > 256_000  # over the default limit
    refused = cli("long.txt", "--select", "FL004", "--diff", cwd=tmp_path)
    assert refused.returncode == 2
    assert "over the 256.0 kB limit" in refused.stderr and "--max-file-size" in refused.stderr
    diff = cli("long.txt", "--select", "FL004", "--diff", "--max-file-size", "1MB", cwd=tmp_path)
    assert diff.returncode == 1, diff.stderr
    assert "-Thank you for the the time.\n+Thank you for the time.\n" in diff.stdout
    assert "limit" not in diff.stderr
    fixed = cli("long.txt", "--select", "FL004", "--fix", "--max-file-size", "1MB", cwd=tmp_path)
    assert fixed.returncode == 0, fixed.stderr
    assert "fixed 1 problem in 1 draft" in fixed.stderr
    assert draft.read_text("utf-8").startswith("Dear Dana,\n\nThank you for the time.\n\n")


# -- bug 4: the Python API and include/exclude ------------------------------------------------------


def test_the_python_api_honours_include_and_exclude(tmp_path):
    write(tmp_path / "library" / ".followup-lint.yaml",
          "select: [FL004]\ninclude: ['**/*.txt']\nexclude: ['archive/**']\n")
    write(tmp_path / "library" / "new.txt", DOUBLED)
    write(tmp_path / "library" / "notes.md", DOUBLED)
    write(tmp_path / "library" / "archive" / "old.txt", DOUBLED)
    code = """
        import followup_lint
        from followup_lint.config import load_config
        found = followup_lint.lint_paths(["library"])
        print(sorted(r.path for r in found))
        given = followup_lint.lint_paths(["library"], config=load_config("library/.followup-lint.yaml"))
        print(sorted(r.path for r in given))
        named = followup_lint.lint_paths(["library/archive/old.txt"])
        print([(r.path, [f.code for f in r.findings]) for r in named])
    """
    run = python(code, tmp_path)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0] == lines[1] == "['library/new.txt']"
    assert lines[2] == "[('library/archive/old.txt', ['FL004'])]"  # a file named as it is is always linted
    cli_run = cli("library", "--no-show-source", cwd=tmp_path)
    assert [ln.split(":")[0] for ln in cli_run.stdout.splitlines()[:-1]] == ["library/new.txt"]


# -- bug 8: --statistics, and --diff counting what --fix would apply --------------------------------


def test_statistics_is_text_or_json_and_says_so_otherwise(tmp_path):
    write(tmp_path / "note.txt", DOUBLED)
    as_json = cli("note.txt", "--select", "FL004", "--statistics", "--format", "json", cwd=tmp_path)
    assert json.loads(as_json.stdout) == [{"code": "FL004", "rule": "doubled-word", "count": 1, "fixable": 1}]
    as_text = cli("note.txt", "--select", "FL004", "--statistics", cwd=tmp_path)
    assert as_text.stdout == "1  FL004  doubled-word  (1 fixable)\n"
    for fmt in ("sarif", "github", "junit"):
        refused = cli("note.txt", "--select", "FL004", "--statistics", "--format", fmt, cwd=tmp_path)
        assert refused.returncode == 2 and refused.stdout == ""
        assert f"--format {fmt}" in refused.stderr and "--statistics" in refused.stderr


def test_diff_counts_only_what_fix_would_apply(tmp_path):
    text = "Dear Dana,\n\nSorry to bother you again about Tuesday.\n\nBest,\nLee\n"  # FL705: a suggestion only
    draft = write(tmp_path / "note.txt", text)
    diff = cli("note.txt", "--select", "FL705", "--diff", cwd=tmp_path)
    assert diff.stdout == ""
    assert diff.returncode == 0
    assert "would fix 0 problems in 0 drafts; 1 suggested rewording not applied (add --unsafe-fixes)" in diff.stderr
    fix = cli("note.txt", "--select", "FL705", "--fix", cwd=tmp_path)
    assert "fixed 0 problems in 0 drafts; 1 suggested rewording not applied" in fix.stderr
    assert draft.read_text("utf-8") == text
    unsafe = cli("note.txt", "--select", "FL705", "--diff", "--unsafe-fixes", cwd=tmp_path)
    assert unsafe.returncode == 1
    assert "-Sorry to bother you again about Tuesday." in unsafe.stdout
    assert "would fix 1 problem in 1 draft." in unsafe.stderr


# -- the page's function: the --format json document for a text -------------------------------------


def test_lint_text_document_is_the_json_the_command_line_prints(tmp_path):
    text = (ROOT / "examples" / "drafts" / "bad-recovery.txt").read_text("utf-8")
    config = write(tmp_path / "conf" / "settings.yaml",
                   "preset: thank-you\nfail-on: warning\ncontext:\n  company: {name: Acme Analytics}\n"
                   "  interviewer: Dana Reyes\n")
    write(tmp_path / "draft.txt", text)
    code = f"""
        import json, sys
        from followup_lint import lint_text_document
        text = open("draft.txt", encoding="utf-8").read()
        print(json.dumps([
            lint_text_document(text, "draft.txt"),
            lint_text_document(text, "draft.txt", config="conf/settings.yaml"),
            lint_text_document(text, "draft.txt", preset="thank-you", config={{"fail-on": "warning"}},
                               context={{"company": {{"name": "Acme Analytics"}}, "interviewer": "Dana Reyes"}}),
            lint_text_document("x" * 300_000, "big.txt"),
        ]))
    """
    run = python(code, tmp_path)
    assert run.returncode == 0, run.stderr
    plain, configured, given, too_big = json.loads(run.stdout)
    assert plain == json.loads(cli("--format", "json", "--stdin-filename", "draft.txt", "-", cwd=tmp_path,
                                   input=text).stdout)
    expected = json.loads(cli("--format", "json", "--config", str(config), "--stdin-filename", "draft.txt", "-",
                              cwd=tmp_path, input=text).stdout)
    assert configured == expected == given
    assert "FL003" in {f["code"] for f in given["findings"]} and "FL201" not in {f["code"] for f in given["findings"]}
    assert too_big["findings"] == [] and "--max-file-size" in too_big["errors"][0]["message"]


def test_the_exit_status_is_computed_from_the_results():
    from followup_lint.engine import FileResult
    from followup_lint.errors import InputError
    from followup_lint.model import Finding
    from followup_lint.run import ExitStatus

    def finding(severity):
        return Finding("d.txt", "r", "FL004", severity, "hygiene", "m", 0, 1, 1, 1, 1, 2)

    assert ExitStatus.of([]) == ExitStatus.SUCCESS == 0
    assert ExitStatus.of([FileResult("a", findings=[finding("warning")])]) == ExitStatus.SUCCESS
    assert ExitStatus.of([FileResult("a", findings=[finding("warning")], fail_on="warning")]) == ExitStatus.FAILURE
    assert ExitStatus.of([FileResult("a", findings=[finding("info")], fail_on="warning"),
                          FileResult("b", errors=[InputError("b", "does not exist")])]) == ExitStatus.ERROR == 2


@pytest.mark.parametrize("flag", ["--fix", "--diff"])
def test_fix_on_stdin_prints_the_fixed_draft_only_with_fix(tmp_path, flag):
    run = cli("--select", "FL004", flag, "--stdin-filename", "note.txt", "-", cwd=tmp_path, input=DOUBLED)
    if flag == "--fix":
        assert run.stdout == DOUBLED.replace("the the", "the") and run.returncode == 0
    else:
        assert run.stdout.startswith("--- a/note.txt\n+++ b/note.txt\n") and run.returncode == 1
