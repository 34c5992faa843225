"""Before you send: a message from a mail client, linted on stdin and through the sendmail wrapper.

The wrapper (examples/pre-send/followup-lint-sendmail) runs under /bin/sh,
end to end: a real message file goes in on stdin, followup-lint lints it, and
a fake sendmail records the arguments and the bytes it was given.
"""
from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
WRAPPER = ROOT / "examples" / "pre-send" / "followup-lint-sendmail"
TIMEOUT = 180  # spaCy loads in each run; the machine may be busy

HEADERS = (
    "Date: Wed, 26 Nov 2026 10:12:03 +0000\n"
    "From: Lee Park <lee@example.org>\n"
    "To: Dana Ortiz <dana@example.com>\n"
    "Subject: Re: Interview on Tuesday\n"
    "Message-ID: <20261126101203.GA1234@example.org>\n"
    "In-Reply-To: <abc123@example.com>\n"
    "MIME-Version: 1.0\n"
    "Content-Type: text/plain; charset=utf-8\n"
    "Content-Disposition: inline\n"
    "Content-Transfer-Encoding: 8bit\n"
    "User-Agent: NeoMutt/20231103\n"
    "\n"
)
# Blame in the body (line 15), and more of it in the quoted reply and the signature,
# which are not the sender's words to the reader and must not be reported.
BAD = HEADERS + (
    "Dear Dana,\n"
    "\n"
    "Thank you for meeting me on Tuesday. Honestly, you were on your phone for half the\n"
    "interview and kept cutting me off.\n"
    "\n"
    "Best,\n"
    "Lee\n"
    "\n"
    "On Tue, Nov 25, 2026 at 09:00:00AM +0000, Dana Ortiz wrote:\n"
    "> Hi Lee, the panel confused me with three questions at once.\n"
    "> Thanks for coming in.\n"
    "\n"
    "-- \n"
    "Lee Park\n"
    "You rushed me? Never.\n"
)
GOOD = HEADERS + (
    "Dear Dana,\n"
    "\n"
    "Thank you for meeting me on Tuesday. I rushed my answers on the case study,\n"
    "and I can do better.\n"
    "\n"
    "Best,\n"
    "Lee\n"
    "\n"
    "On Tue, Nov 25, 2026 at 09:00:00AM +0000, Dana Ortiz wrote:\n"
    "> Hi Lee, you rushed me through the last question, sorry.\n"
    "\n"
    "-- \n"
    "Lee Park\n"
)


def _lint_stdin(message: str | bytes, *args: str, name: str | None = "outgoing.eml", cwd=None):
    data = message.encode("utf-8") if isinstance(message, str) else message
    cmd = [sys.executable, "-m", "followup_lint", "--select", "FL301", *args]
    if name:
        cmd += ["--stdin-filename", name]
    return subprocess.run([*cmd, "-"], input=data, capture_output=True, timeout=TIMEOUT, cwd=cwd)


# -- the message on stdin ---------------------------------------------------------


def test_a_message_on_stdin_reports_the_body_only(tmp_path):
    run = _lint_stdin(BAD, "--no-show-source", cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    lines = run.stdout.decode().splitlines()
    assert lines[0] == ("outgoing.eml:15:38: FL301 This sentence puts the blame on the interviewer: “Honestly, you "
                        "were on your phone for half the interview and kept cutting me off.”. Say what you would do "
                        "differently instead. [blames-interviewer]")
    assert [ln for ln in lines if ": FL" in ln] == lines[:1]  # not the quote, not the signature


def test_a_message_is_recognised_without_an_eml_name(tmp_path):
    """Piped in with no name (or an editor's temp name), the MIME headers tell it is a message."""
    run = _lint_stdin(GOOD, name=None, cwd=tmp_path)
    assert run.returncode == 0, run.stdout.decode() + run.stderr.decode()
    run = _lint_stdin(BAD, "--format", "json", name="mutt-host-1000-123", cwd=tmp_path)
    assert run.returncode == 1
    import json

    found = json.loads(run.stdout)["findings"]
    assert [(f["code"], f["line"], f["column"]) for f in found] == [("FL301", 15, 38)]


SUBJECT_RULE = """\
id: test-subject-blame
code: TST801
name: Blame in the subject line
severity: error
kind: existence
scope: subject
advice: no-blame
message: "“{match}” in the subject line."
description: A test rule that looks at the subject only.
phrases: [you rushed]
examples:
  fail: ["Subject: You rushed me\\n\\nDear Dana,\\n\\nThanks.\\n\\nBest,\\nLee"]
  pass: ["Subject: Thanks\\n\\nDear Dana,\\n\\nThanks.\\n\\nBest,\\nLee"]
"""


def test_the_subject_is_linted_but_other_headers_are_not(tmp_path):
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "subject.yaml").write_text(SUBJECT_RULE, "utf-8")
    msg = (HEADERS.replace("Subject: Re: Interview on Tuesday", "Subject: You rushed me on Tuesday")
           .replace("To: Dana Ortiz <dana@example.com>", "To: You Rushed Me <you-rushed-me@example.com>")
           + "Dear Dana,\n\nThank you for your time.\n\nBest,\nLee\n")
    cmd = [sys.executable, "-m", "followup_lint", "--rules-dir", "rules", "--select", "TST801",
           "--format", "json", "--stdin-filename", "outgoing.eml", "-"]
    run = subprocess.run(cmd, input=msg.encode(), capture_output=True, timeout=TIMEOUT, cwd=tmp_path)
    import json

    found = json.loads(run.stdout)["findings"]
    assert [(f["code"], f["line"], f["column"], f["end_column"]) for f in found] == [("TST801", 4, 10, 20)]


# -- the sendmail wrapper ---------------------------------------------------------


def _script(path: Path, text: str) -> Path:
    path.write_text(text, "utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path


@pytest.fixture
def mail(tmp_path):
    """Run the wrapper with a fake sendmail that records its argv and stdin."""
    record = tmp_path / "record"
    record.mkdir()
    fake = _script(tmp_path / "fake-sendmail",
                   f'#!/bin/sh\nprintf "%s\\n" "$@" > "{record}/argv"\ncat > "{record}/stdin"\n'
                   f'exit "${{FAKE_SENDMAIL_EXIT:-0}}"\n')
    shim = _script(tmp_path / "followup-lint", f'#!/bin/sh\nexec "{sys.executable}" -m followup_lint "$@"\n')

    class Mail:
        def send(self, message: bytes, args=("-oi", "-t"), **env):
            environ = {k: v for k, v in os.environ.items() if not k.startswith("FOLLOWUP_LINT")}
            environ.update({"FOLLOWUP_LINT_SENDMAIL": str(fake), "FOLLOWUP_LINT": str(shim),
                            "FOLLOWUP_LINT_ARGS": "--select FL301", "TMPDIR": str(tmp_path)}, **env)
            self.run = subprocess.run(["/bin/sh", str(WRAPPER), *args], input=message, capture_output=True,
                                      env=environ, cwd=tmp_path, timeout=TIMEOUT)
            return self.run

        @property
        def sent(self) -> bytes | None:
            f = record / "stdin"
            return f.read_bytes() if f.exists() else None

        @property
        def argv(self) -> list[str] | None:
            f = record / "argv"
            return f.read_text("utf-8").splitlines() if f.exists() else None

        def leftovers(self) -> list[str]:
            return sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("followup-lint."))

    return Mail()


def test_a_good_message_goes_through_byte_for_byte(mail):
    message = GOOD.encode("utf-8")
    run = mail.send(message, args=("-oi", "-f", "lee@example.org", "--", "dana@example.com"))
    assert run.returncode == 0, run.stderr.decode()
    assert mail.sent == message
    assert mail.argv == ["-oi", "-f", "lee@example.org", "--", "dana@example.com"]
    assert run.stderr == b""
    assert mail.leftovers() == []  # the temporary copy is removed


def test_a_message_with_errors_is_refused_with_the_findings(mail):
    run = mail.send(BAD.encode("utf-8"))
    assert run.returncode == 65
    assert mail.sent is None and mail.argv is None  # sendmail never ran
    err = run.stderr.decode()
    assert err.startswith("followup-lint: not sent. The message has problems worth fixing first:\n")
    assert "outgoing-message.eml:15:38: FL301 This sentence puts the blame on the interviewer: “Honestly, you were on" in err
    assert "'X-Followup-Lint: skip' or set FOLLOWUP_LINT_SKIP=1." in err
    assert mail.leftovers() == []


def test_the_full_rule_set_also_refuses_the_bad_message(mail):
    run = mail.send(BAD.encode("utf-8"), FOLLOWUP_LINT_ARGS="")
    assert run.returncode == 65
    assert mail.sent is None
    assert "FL301" in run.stderr.decode()


def test_the_environment_variable_overrides(mail):
    message = BAD.encode("utf-8")
    run = mail.send(message, FOLLOWUP_LINT_SKIP="1")
    assert run.returncode == 0
    assert mail.sent == message and mail.argv == ["-oi", "-t"]


def test_a_header_overrides_and_crlf_is_kept(mail):
    message = BAD.replace("User-Agent:", "X-Followup-Lint: skip\nUser-Agent:").replace("\n", "\r\n").encode()
    run = mail.send(message)
    assert run.returncode == 0, run.stderr.decode()
    assert mail.sent == message


def test_the_skip_header_must_be_in_the_headers(mail):
    message = BAD.replace("Lee\n\nOn Tue", "Lee\nX-Followup-Lint: skip\n\nOn Tue").encode()
    assert mail.send(message).returncode == 65
    assert mail.sent is None


def test_crlf_and_non_utf8_bytes_pass_through_unchanged(mail):
    message = (GOOD.replace("charset=utf-8", "charset=iso-8859-1")
               .replace("I can do better.", "I can do better. Caf\xe9 au lait is on me.")
               .replace("\n", "\r\n").encode("latin-1"))
    assert b"\r\n" in message and b"Caf\xe9" in message
    run = mail.send(message)
    assert run.returncode == 0, run.stderr.decode()
    assert mail.sent == message


def test_a_crlf_message_with_errors_is_refused_at_the_right_line(mail):
    run = mail.send(BAD.replace("\n", "\r\n").encode("utf-8"))
    assert run.returncode == 65
    assert "outgoing-message.eml:15:38: FL301" in run.stderr.decode()


def test_a_missing_linter_refuses_and_says_how_to_send_anyway(mail, tmp_path):
    run = mail.send(GOOD.encode(), FOLLOWUP_LINT=str(tmp_path / "no-such-followup-lint"))
    assert run.returncode == 70
    assert mail.sent is None
    err = run.stderr.decode()
    assert err.startswith("followup-lint: not sent: the linter could not check the message (exit 127):")
    assert "FOLLOWUP_LINT_SKIP=1" in err


def test_the_real_sendmail_exit_status_is_passed_on(mail):
    run = mail.send(GOOD.encode(), FAKE_SENDMAIL_EXIT="75")
    assert run.returncode == 75
    assert mail.sent == GOOD.encode()
