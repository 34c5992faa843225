"""The context checks judge only what they can know (FL002 wrong-organization, FL003 wrong-interviewer-name).

Run as a user runs them: a configuration with a ``context`` block next to the
draft, ``python -m followup_lint`` in that folder.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

TIMEOUT = 300
CONTEXT = ("select: [FL002, FL003]\ncontext:\n  company: {{name: Harbour Trust}}\n  role: Programme Coordinator\n"
           "  interviewer: {interviewer}\n")
NOTE = """{greeting}

Thank you for talking with me about the Programme Coordinator role at Harbour Trust. At Riverside Food Bank I \
coordinated forty volunteers a week, and I should have said so when you asked about scheduling.

{extra}I would welcome another conversation.

Best wishes,
Sam
"""


def lint(tmp_path: Path, *, greeting="Dear Grace,", extra="", interviewer="Grace Okafor", more="", args=()):
    (tmp_path / ".followup-lint.yaml").write_text(CONTEXT.format(interviewer=interviewer) + more, "utf-8")
    text = NOTE.format(greeting=greeting, extra=extra)
    (tmp_path / "note.txt").write_text(text, "utf-8")
    run = subprocess.run([sys.executable, "-m", "followup_lint", "--no-cache", "--format", "json", "note.txt", *args],
                         cwd=tmp_path, capture_output=True, text=True, timeout=TIMEOUT)
    assert run.returncode in (0, 1), run.stderr
    return text, json.loads(run.stdout)["findings"]


def quoted(text, findings, code):
    return [text[f["offset"]:f["end_offset"]] for f in findings if f["code"] == code]


def test_the_role_and_a_past_employer_are_not_another_organization(tmp_path):
    text, found = lint(tmp_path)
    assert quoted(text, found, "FL002") == []
    # a real slip in the same note is still caught
    text, found = lint(tmp_path, extra="I am still very interested in joining the finance team at Globex Corporation. ")
    assert quoted(text, found, "FL002") == ["Globex Corporation"]


def test_other_organizations_in_the_context_is_the_allow_list(tmp_path):
    extra = "Priya Shah at Initech Ltd suggested I write to you. "  # a reference: not the candidate's workplace
    text, found = lint(tmp_path, extra=extra)
    assert quoted(text, found, "FL002") == ["Initech Ltd"]
    text, found = lint(tmp_path, extra=extra, more="  other-organizations: [Initech]\n")
    assert quoted(text, found, "FL002") == []


def test_a_greeting_fix_never_keeps_a_title_the_context_does_not_give(tmp_path):
    text, found = lint(tmp_path, greeting="Dear Mr. Patel,")
    (f,) = [f for f in found if f["code"] == "FL003"]
    assert text[f["offset"]:f["end_offset"]] == "Mr. Patel"
    assert f["message"] == "The greeting addresses “Mr. Patel”, but the interviewer was Grace Okafor."
    # in doubt (the tone changes): a suggestion, never a safe fix, and never "Mr. Okafor"
    assert f["fix"]["safe"] is False
    assert [e["text"] for e in f["fix"]["edits"]] == ["Grace Okafor"]
    fix = subprocess.run([sys.executable, "-m", "followup_lint", "--no-cache", "--fix", "note.txt"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=TIMEOUT)
    assert (tmp_path / "note.txt").read_text("utf-8").startswith("Dear Mr. Patel,\n")  # --fix leaves it alone
    assert "1 suggested rewording not applied (add --unsafe-fixes)" in fix.stderr
    subprocess.run([sys.executable, "-m", "followup_lint", "--no-cache", "--fix", "--unsafe-fixes", "note.txt"],
                   cwd=tmp_path, capture_output=True, text=True, timeout=TIMEOUT)
    assert (tmp_path / "note.txt").read_text("utf-8").startswith("Dear Grace Okafor,\n")


def test_a_title_the_context_gives_is_used_and_a_first_name_swap_is_safe(tmp_path):
    text, found = lint(tmp_path, greeting="Dear Mr. Patel,", interviewer="Dr. Grace Okafor")
    (f,) = [f for f in found if f["code"] == "FL003"]
    assert f["fix"]["safe"] is True and [e["text"] for e in f["fix"]["edits"]] == ["Dr. Okafor"]
    text, found = lint(tmp_path, greeting="Hi Sam,")
    (f,) = [f for f in found if f["code"] == "FL003"]
    assert text[f["offset"]:f["end_offset"]] == "Sam"
    assert f["fix"]["safe"] is True and [e["text"] for e in f["fix"]["edits"]] == ["Grace"]
    _, found = lint(tmp_path, greeting="Dear Ms. Okafor,")  # the surname matches: the title is not judged
    assert [f for f in found if f["code"] == "FL003"] == []
