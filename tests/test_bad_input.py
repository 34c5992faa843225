"""Bad input: every file that cannot be linted gets a clear error naming it, and everything else is still linted.

The CLI runs as a user runs it (a subprocess), with one phrase rule of our own
(no spaCy needed, so these tests are quick) selected with --select.
"""
from __future__ import annotations

import base64
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from followup_lint.errors import InputError
from followup_lint.sources import decode, discover, draft_from_text, parse_size, read_draft

RULE = """\
id: test-you-rushed
code: XX901
name: Blames the interviewer (test)
severity: error
kind: existence
scope: paragraph
advice: no-blame
message: "“{match}” blames them."
description: A phrase rule for these tests; it needs no spaCy.
phrases: [you rushed]
examples:
  fail: ["Dear Dana,\\n\\nYou rushed me.\\n\\nBest,\\nLee"]
  pass: ["Dear Dana,\\n\\nI rushed.\\n\\nBest,\\nLee"]
"""
GOOD = "Dear Dana,\n\nI think you rushed me through the case study.\n\nBest,\nLee\n"
FINDING = "good.txt:3:9: XX901 “you rushed” blames them. [test-you-rushed]"


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "you-rushed.yaml").write_text(RULE, "utf-8")
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "good.txt").write_text(GOOD, "utf-8")
    return tmp_path


def run(cwd, *args, stdin: bytes | None = None):
    proc = subprocess.run([sys.executable, "-m", "followup_lint", "--rules-dir", "rules", "--select", "XX9",
                           "--no-show-source", *args], cwd=cwd, input=stdin, capture_output=True)
    return proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")


def errors(stderr: str) -> list[str]:
    return [ln for ln in stderr.splitlines() if ln.startswith("followup-lint: ")]


# -- binary files, images, archives -------------------------------------------------------------

BINARIES = {
    "photo.txt": (b"\x89PNG\r\n\x1a\n" + bytes(40), "is a PNG image, not a text draft"),
    "scan.txt": (b"\xff\xd8\xff\xe0" + bytes(40), "is a JPEG image, not a text draft"),
    "cv.txt": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "is a PDF document, not a text draft"),
    "templates.md": (b"PK\x03\x04" + bytes(30), "is a ZIP archive (or a .docx/.odt file), not a text draft"),
    "old.txt": (b"\x1f\x8b\x08\x00" + bytes(20), "is a gzip archive, not a text draft"),
    "letter.txt": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(20), "is an old Microsoft Office file (.doc), not a text draft"),
    "notes.txt": (b"{\\rtf1\\ansi Dear Dana}", "is an RTF document, not plain text; save it as plain text (UTF-8) to lint it"),
    "data.txt": (b"abc\x00\x01\x02\x03" * 10, "looks like a binary file, not a text draft"),
}


def test_binary_files_in_a_template_folder_each_get_an_error_and_the_rest_is_linted(folder):
    for name, (data, _) in BINARIES.items():
        (folder / "drafts" / name).write_bytes(data)
    (folder / "drafts" / "headshot.png").write_bytes(b"\x89PNG\r\n\x1a\n")  # not a draft suffix: not looked at
    code, out, err = run(folder, "drafts")
    assert code == 2
    assert out.splitlines() == [FINDING.replace("good.txt", "drafts/good.txt"), "Found 1 problem in 1 draft: 1 error; 8 files were not linted (see the errors)."]
    assert sorted(errors(err)) == sorted(f"followup-lint: error: drafts/{n}: {msg}" for n, (_, msg) in BINARIES.items())


def test_a_folder_of_only_images_says_it_has_no_drafts(folder):
    pics = folder / "pics"
    pics.mkdir()
    (pics / "a.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    code, out, err = run(folder, "pics", "drafts/good.txt")
    assert code == 2
    assert FINDING.replace("good.txt", "drafts/good.txt") in out
    assert errors(err) == ["followup-lint: error: pics: is a directory with no drafts (.txt, .md, .eml, .html); "
                           "it holds 1 other file such as a.png"]


# -- encodings ----------------------------------------------------------------------------------

TEXT = "Dear Dana,\n\nI’m sure you rushed me, café or not.\n\nBest,\nLee\n"


@pytest.mark.parametrize("data, encoding, note", [
    (TEXT.encode("utf-8"), "utf-8", None),
    (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "utf-8-sig", None),
    (TEXT.encode("utf-16"), "utf-16", None),
    (b"\xfe\xff" + TEXT.encode("utf-16-be"), "utf-16", None),
    (TEXT.encode("utf-16-le"), "utf-16-le", "has no byte-order mark; read as UTF-16-LE"),
    (TEXT.encode("utf-16-be"), "utf-16-be", "has no byte-order mark; read as UTF-16-BE"),
    (TEXT.encode("cp1252"), "cp1252",
     "is not UTF-8; read as Windows-1252 (Latin-1); check accented letters and curly quotes"),
], ids=["utf8", "utf8-bom", "utf16-bom-le", "utf16-bom-be", "utf16le-no-bom", "utf16be-no-bom", "cp1252"])
def test_encodings_are_detected_and_a_guess_is_said_aloud(data, encoding, note):
    decoded = decode(data, "d.txt")
    assert decoded.text == TEXT
    assert decoded.encoding == encoding
    assert decoded.note == note


def test_latin1_text_reads_right():
    text = "Dear Dana,\n\n¿Sí? Naïve, Müller, garçon.\n"
    assert decode(text.encode("latin-1"), "d.txt").text == text


@pytest.mark.parametrize("text, codec", [
    ("Уважаемая Дана, спасибо за собеседование.", "cp1251"),
    ("ダナ様、面接のお時間をいただきありがとうございました。", "shift_jis"),
])
def test_other_encodings_fail_clearly_instead_of_mojibake(text, codec):
    with pytest.raises(InputError) as exc:
        decode(text.encode(codec), "d.txt")
    assert str(exc.value) == ("d.txt: is not UTF-8, and read as Windows-1252 it would come out garbled; it may "
                              "use another encoding. Save it as plain text (UTF-8) to lint it")


def test_a_cp1252_draft_is_linted_with_a_note_and_right_columns(folder):
    (folder / "drafts" / "good.txt").write_bytes(("Dear Dana,\n\nCafé… I think you rushed me.\n").encode("cp1252"))
    code, out, err = run(folder, "drafts/good.txt")
    assert code == 1
    assert out.splitlines()[0] == "drafts/good.txt:3:15: XX901 “you rushed” blames them. [test-you-rushed]"
    assert errors(err) == ["followup-lint: note: drafts/good.txt: is not UTF-8; read as Windows-1252 (Latin-1); "
                           "check accented letters and curly quotes"]


def test_a_utf16_draft_without_bom_is_linted(folder):
    (folder / "drafts" / "good.txt").write_bytes(GOOD.encode("utf-16-le"))
    code, out, err = run(folder, "drafts/good.txt")
    assert code == 1
    assert out.splitlines()[0] == FINDING.replace("good.txt", "drafts/good.txt")


# -- sizes and shapes ---------------------------------------------------------------------------

def test_empty_whitespace_and_one_word_drafts_are_fine(folder):
    d = folder / "drafts"
    (d / "good.txt").unlink()
    (d / "empty.txt").write_bytes(b"")
    (d / "blank.txt").write_text(" \n\t\n\r\n", "utf-8")
    (d / "word.txt").write_text("Thanks", "utf-8")
    code, out, err = run(folder, "drafts")
    assert (code, out, err) == (0, "No problems found in 3 drafts.\n", "")


def test_a_5mb_file_is_refused_with_a_clear_message_and_the_rest_is_linted(folder):
    (folder / "drafts" / "huge.txt").write_bytes(b"word " * 1_000_000)
    code, out, err = run(folder, "drafts")
    assert code == 2
    assert FINDING.replace("good.txt", "drafts/good.txt") in out
    assert errors(err) == ["followup-lint: error: drafts/huge.txt: is 5.0 MB, over the 256.0 kB limit for a draft "
                           "(a follow-up email is a few kB); raise the limit with --max-file-size if it really "
                           "is a draft"]


def test_max_file_size_is_configurable(folder):
    code, out, err = run(folder, "--max-file-size", "20", "drafts/good.txt")
    assert code == 2
    assert errors(err) == ["followup-lint: error: drafts/good.txt: is 69 bytes, over the 20 bytes limit for a draft "
                           "(a follow-up email is a few kB); raise the limit with --max-file-size if it really "
                           "is a draft"]
    code, out, err = run(folder, "--max-file-size", "2k", "drafts/good.txt")
    assert code == 1


def test_a_bad_max_file_size_is_a_usage_error(folder):
    code, out, err = run(folder, "--max-file-size", "lots", "drafts/good.txt")
    assert code == 2
    assert "Invalid value for '--max-file-size': 'lots' is not a size (try 2000000, 500k or 5MB)" in err


def test_raising_the_limit_past_what_the_model_takes_is_still_a_clear_error(folder):
    (folder / "drafts" / "huge.txt").write_bytes(b"word " * 220_000)
    code, out, err = run(folder, "--max-file-size", "5MB", "drafts")
    assert code == 2
    assert FINDING.replace("good.txt", "drafts/good.txt") in out
    assert errors(err) == ["followup-lint: error: drafts/huge.txt: is 1,100,000 characters long; a draft can have "
                           "at most 1,000,000 (the language model's limit), whatever --max-file-size allows"]


def test_stdin_has_the_same_limit(folder):
    code, out, err = run(folder, "--max-file-size", "10", "--stdin-filename", "mail.txt", "-", stdin=GOOD.encode())
    assert code == 2
    assert errors(err) == ["followup-lint: error: mail.txt: is more than 10 bytes, over the 10 bytes limit for a "
                           "draft (a follow-up email is a few kB); raise the limit with --max-file-size if it "
                           "really is a draft"]


def test_binary_on_stdin_is_named(folder):
    code, out, err = run(folder, "--stdin-filename", "mail.txt", "-", stdin=b"\x89PNG\r\n\x1a\n")
    assert code == 2
    assert errors(err) == ["followup-lint: error: mail.txt: is a PNG image, not a text draft"]


def test_parse_size():
    assert [parse_size(v) for v in ("2000000", "500k", "5MB", "1.5 MiB", "2 kb")] == [2_000_000, 500_000, 5_000_000,
                                                                                    1_572_864, 2000]
    with pytest.raises(ValueError):
        parse_size("0")


@pytest.mark.parametrize("name, data, line, col, source_line, caret", [
    ("long.txt", "Dear Dana,\n\n" + "word " * 40_000 + "and you rushed me.\n", 3, 200_005, None, None),
    ("crlf.txt", "Dear Dana,\r\n\r\nWell, you rushed me.\r\n\r\nBest,\r\nLee\r\n", 3, 7,
     "  3 | Well, you rushed me.", "    |       ^^^^^^^^^^"),
    ("cr.txt", "Dear Dana,\r\rWell, you rushed me.\r\rBest,\rLee\r", 3, 7,
     "  3 | Well, you rushed me.", "    |       ^^^^^^^^^^"),
    ("tabs.txt", "Dear Dana,\n\n\tWell,\tyou rushed me.\n", 3, 8,
     "  3 |     Well,   you rushed me.", "    |             ^^^^^^^^^^"),
    ("emoji.txt", "Dear Dana,\n\nSorry 😅 e\u0301t\u00e9\tyou rushed me.\n", 3, 14,
     "  3 | Sorry 😅 e\u0301t\u00e9    you rushed me.", "    |                 ^^^^^^^^^^"),
    ("cjk.txt", "Dear Dana,\n\n面接 and you rushed me.\n", 3, 8,
     "  3 | 面接 and you rushed me.", "    |          ^^^^^^^^^^"),
], ids=["long-line", "crlf", "lone-cr", "tabs", "emoji-combining", "wide"])
def test_lines_and_columns_stay_right(folder, name, data, line, col, source_line, caret):
    (folder / "drafts" / name).write_bytes(data.encode("utf-8"))
    show = "--show-source" if source_line else "--no-show-source"
    code, out, err = run(folder, show, f"drafts/{name}")
    assert code == 1, err
    lines = out.splitlines()
    assert lines[0] == f"drafts/{name}:{line}:{col}: XX901 “you rushed” blames them. [test-you-rushed]"
    if source_line:
        assert lines[1:3] == [source_line, caret]


# -- what cannot be read ------------------------------------------------------------------------

def test_unreadable_paths_exit_2_after_linting_everything_else(folder):
    d = folder / "drafts"
    (d / "broken.txt").symlink_to("nowhere.txt")
    (d / "loop1.txt").symlink_to("loop2.txt")
    (d / "loop2.txt").symlink_to("loop1.txt")
    (d / "adir.txt").mkdir()
    (d / "adir.txt" / "inner.txt").write_text(GOOD, "utf-8")
    os.mkfifo(d / "pipe.txt")
    (folder / "empty").mkdir()
    code, out, err = run(folder, "drafts", "missing.txt", "empty", "drafts/broken.txt")
    assert code == 2
    assert out.splitlines() == [
        FINDING.replace("good.txt", "drafts/good.txt"),
        "drafts/adir.txt/inner.txt:3:9: XX901 “you rushed” blames them. [test-you-rushed]",
        "Found 2 problems in 2 drafts: 2 errors; 6 files were not linted (see the errors).",
    ]
    assert sorted(errors(err)) == sorted([
        "followup-lint: error: drafts/pipe.txt: is a named pipe, not a file; skipped",
        "followup-lint: error: missing.txt: does not exist",
        "followup-lint: error: empty: is a directory with no drafts (.txt, .md, .eml, .html)",
        "followup-lint: error: drafts/broken.txt: is a broken symbolic link (it points to nowhere.txt, "
        "which does not exist)",
        "followup-lint: error: drafts/loop1.txt: is a symbolic link that leads in a loop (it never reaches a file)",
        "followup-lint: error: drafts/loop2.txt: is a symbolic link that leads in a loop (it never reaches a file)",
    ])


def test_a_named_symlink_loop_is_reported(folder):
    (folder / "a.txt").symlink_to("b.txt")
    (folder / "b.txt").symlink_to("a.txt")
    files, errs = discover([str(folder / "a.txt")])
    assert files == [] and [e.message for e in errs] == [
        "is a symbolic link that leads in a loop (it never reaches a file)"]


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root can read any file")
def test_a_file_without_read_permission(folder):
    bad = folder / "drafts" / "locked.txt"
    bad.write_text(GOOD, "utf-8")
    bad.chmod(0)
    code, out, err = run(folder, "drafts")
    assert code == 2
    assert FINDING.replace("good.txt", "drafts/good.txt") in out
    assert errors(err) == ["followup-lint: error: drafts/locked.txt: cannot be read (permission denied)"]


def test_permission_denied_is_an_input_error_naming_the_file(tmp_path, monkeypatch):
    """The same path when the tests run as root: the failure is injected at open()."""
    import builtins

    path = tmp_path / "locked.txt"
    path.write_text(GOOD, "utf-8")
    real_open = builtins.open

    def deny(file, *args, **kwargs):
        if str(file) == str(path):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", deny)
    with pytest.raises(InputError) as exc:
        read_draft(str(path))
    assert str(exc.value) == f"{path}: cannot be read (permission denied)"


# -- malformed .eml -------------------------------------------------------------------------------

BODY = "Dear Dana,\n\nI think you rushed me through the case study.\n\nBest,\nLee\n"


def _eml(headers: str, body: str) -> str:
    return headers.strip("\n") + "\n\n" + body


def _parts(draft):
    return [draft.source[p.start:p.end] for p in draft.paragraphs]


def test_eml_without_headers_is_a_plain_draft():
    d = draft_from_text(BODY, "m.eml")
    assert _parts(d) == ["I think you rushed me through the case study."]
    assert d.notes == ["has no mail headers; linted as a plain draft"]


def test_eml_with_only_headers_has_an_empty_body():
    d = draft_from_text("From: a@b.c\nSubject: Hello\n", "m.eml")
    assert d.paragraphs == [] and d.notes == ["the message has an empty body"]
    assert d.source[d.subject.start:d.subject.end] == "Hello"


def test_eml_with_a_wrong_boundary_uses_the_one_in_the_body():
    text = _eml('From: a@b.c\nSubject: x\nMIME-Version: 1.0\nContent-Type: multipart/alternative; boundary="ZZ"',
                "--YY\nContent-Type: text/plain\n\n" + BODY + "--YY--\n")
    d = draft_from_text(text, "m.eml")
    assert _parts(d) == ["I think you rushed me through the case study."]
    assert d.notes == ["the MIME boundary in the header ('ZZ') does not match the body; used 'YY' from the body"]
    # still exact offsets into the file
    assert text[d.paragraphs[0].start:d.paragraphs[0].end] == "I think you rushed me through the case study."


def test_eml_without_a_boundary_lints_the_body_as_text():
    d = draft_from_text(_eml("From: a@b.c\nSubject: x\nMIME-Version: 1.0\nContent-Type: multipart/mixed", BODY), "m.eml")
    assert _parts(d) == ["I think you rushed me through the case study."]
    assert d.notes == ["the message says it has several parts but they cannot be told apart (its MIME boundary "
                       "is missing); the whole body is linted as plain text"]


def test_eml_base64_and_quoted_printable_bodies_are_decoded():
    b64 = _eml("From: a@b.c\nSubject: Thanks\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n"
               "Content-Transfer-Encoding: base64", base64.encodebytes(BODY.encode()).decode())
    d = draft_from_text(b64, "m.eml")
    assert _parts(d) == ["I think you rushed me through the case study."]
    assert d.notes == ["the body is base64-encoded: positions refer to the decoded text"]
    qp = _eml("From: a@b.c\nSubject: Thanks\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n"
              "Content-Transfer-Encoding: quoted-printable", "Dear Dana,=0A=0AI rushed the caf=C3=A9 =\nquestion.\n")
    d = draft_from_text(qp, "m.eml")
    assert _parts(d) == ["I rushed the café question."]


def test_eml_charset_that_lies_is_said_aloud():
    qp = _eml("From: a@b.c\nSubject: x\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n"
              "Content-Transfer-Encoding: quoted-printable", "Dear Dana,=0A=0AI rushed the caf=E9 question.\n")
    d = draft_from_text(qp, "m.eml")
    assert _parts(d) == ["I rushed the café question."]
    assert d.notes[-1] == ("the message says its charset is 'utf-8', but the body is not; read as Windows-1252: "
                           "check accented letters")
    b64 = _eml("From: a@b.c\nSubject: x\nMIME-Version: 1.0\nContent-Type: text/plain; charset=iso-8859-1\n"
               "Content-Transfer-Encoding: base64", base64.encodebytes("Dear Dana,\n\nCafé.\n".encode()).decode())
    d = draft_from_text(b64, "m.eml")
    assert _parts(d) == ["Café."]
    assert d.notes[-1] == "the message says its charset is 'iso-8859-1', but the body is UTF-8; read as UTF-8"


def test_eml_with_damaged_base64_is_an_error_naming_the_file():
    text = _eml("From: a@b.c\nSubject: x\nMIME-Version: 1.0\nContent-Type: text/plain\n"
                "Content-Transfer-Encoding: base64", "!!!not base64 at all???\n")
    with pytest.raises(InputError) as exc:
        draft_from_text(text, "m.eml")
    assert str(exc.value) == ("m.eml: has a damaged base64-encoded body that does not decode to readable text "
                              "(declared charset 'us-ascii'); save the draft as plain text to lint it")


def test_eml_encoded_subject_is_not_linted_as_gibberish():
    text = _eml("From: a@b.c\nSubject: =?utf-8?q?Caf=C3=A9_follow-up?=\nMIME-Version: 1.0\nContent-Type: text/plain",
                BODY)
    d = draft_from_text(text, "m.eml")
    assert d.subject is None
    assert d.notes == ["the subject is MIME-encoded (=?...?=) and is not linted"]
    assert "=?utf" not in d.text


def test_eml_with_only_an_attachment_says_so():
    text = _eml("From: a@b.c\nSubject: x\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=B",
                "--B\nContent-Type: application/pdf\nContent-Disposition: attachment; filename=cv.pdf\n"
                "Content-Transfer-Encoding: base64\n\nJVBERi0=\n--B--\n")
    d = draft_from_text(text, "m.eml")
    assert d.paragraphs == [] and d.notes == ["the message has no text part to lint"]


# -- never lose a draft: --fix keeps encoding, line endings and permissions, and an interrupted fix -------
# -- leaves the original intact (linter/fixes.py writes a temporary file, then renames it) -------------

FIXABLE = "Dear Dana,{nl}{nl}Thank you for the the time, café and all.{nl}{nl}Best,{nl}Lee{nl}"
FIX_ARGS = ["--no-cache", "--select", "doubled-word", "--fix"]


def _bytes(text: str, encoding: str) -> bytes:
    if encoding == "utf-16-bom-be":
        return b"\xfe\xff" + text.encode("utf-16-be")
    if encoding == "utf-16-bom-le":
        return b"\xff\xfe" + text.encode("utf-16-le")
    return text.encode(encoding)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16-bom-le", "utf-16-bom-be", "utf-16-le", "cp1252"])
@pytest.mark.parametrize("nl", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "cr"])
def test_fix_keeps_encoding_line_endings_and_permissions(tmp_path, encoding, nl):
    p = tmp_path / "note.txt"
    p.write_bytes(_bytes(FIXABLE.format(nl=nl), encoding))
    os.chmod(p, 0o640)
    proc = subprocess.run([sys.executable, "-m", "followup_lint", *FIX_ARGS, "note.txt"], cwd=tmp_path,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert p.read_bytes() == _bytes(FIXABLE.format(nl=nl).replace("the the", "the"), encoding)
    assert stat.S_IMODE(os.stat(p).st_mode) == 0o640
    assert sorted(f.name for f in tmp_path.iterdir()) == ["note.txt"]


def test_fix_through_a_symlink_writes_the_draft_and_keeps_the_link(tmp_path):
    real = tmp_path / "real.txt"
    real.write_text(FIXABLE.format(nl="\n"), "utf-8")
    (tmp_path / "link.txt").symlink_to("real.txt")
    proc = subprocess.run([sys.executable, "-m", "followup_lint", *FIX_ARGS, "link.txt"], cwd=tmp_path,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "link.txt").is_symlink()
    assert real.read_text("utf-8") == FIXABLE.format(nl="\n").replace("the the", "the")


def test_a_failure_between_write_and_rename_leaves_the_original_intact(tmp_path, monkeypatch):
    from click.testing import CliRunner

    import followup_lint.atomic as atomic
    from followup_lint.cli import main

    p = tmp_path / "note.txt"
    original = _bytes(FIXABLE.format(nl="\r\n"), "utf-16-bom-le")
    p.write_bytes(original)
    os.chmod(p, 0o600)

    def fail_after_write(fd):  # the temporary file is written; the rename has not happened
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(atomic.os, "fsync", fail_after_write)
    result = CliRunner().invoke(main, ["check", *FIX_ARGS, str(p)], catch_exceptions=False)
    assert result.exit_code == 2
    assert f"followup-lint: error: {p}: was not changed: could not write it (Input/output error)" in result.output
    assert p.read_bytes() == original
    assert stat.S_IMODE(os.stat(p).st_mode) == 0o600
    assert sorted(f.name for f in tmp_path.iterdir()) == ["note.txt"]  # the temporary file is cleaned up


KILLER = """
import os, signal, sys
import followup_lint.atomic as atomic
def killed(src, dst):
    os.kill(os.getpid(), signal.SIGKILL)   # the process dies after writing, before the rename
atomic.os.replace = killed
from followup_lint.cli import main
sys.argv = ["followup-lint", "check", *sys.argv[1:]]
main()
"""


def test_a_fix_killed_between_write_and_rename_leaves_the_original_intact(tmp_path):
    p = tmp_path / "note.txt"
    original = _bytes(FIXABLE.format(nl="\n"), "cp1252")
    p.write_bytes(original)
    proc = subprocess.run([sys.executable, "-c", KILLER, *FIX_ARGS, "note.txt"], cwd=tmp_path,
                          capture_output=True, text=True)
    assert proc.returncode == -9
    assert p.read_bytes() == original
    # What a kill leaves behind is one hidden temporary file, which a folder lint never reads as a draft.
    left = sorted(f.name for f in tmp_path.iterdir() if f.name != "note.txt")
    assert len(left) == 1 and left[0].startswith(".note.txt.") and left[0].endswith(".followup-lint.tmp")
    files, errs = discover([str(tmp_path)])
    assert files == [str(p)] and errs == []


def test_the_language_server_never_writes_a_file(tmp_path):
    """Open, edit, save and ask for quick fixes on a draft that exists on disk: the file, its folder and its
    time stamp stay exactly as they were, and the server never asks the editor to apply an edit by itself."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from test_lsp import FIRST, SAFE_RULE, _open, _start

    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "rule.yaml").write_text(SAFE_RULE, "utf-8")
    draft = tmp_path / "note.txt"
    original = "Dear Dana,\r\n\r\nI wanted to touch base about the role.\r\n\r\nBest,\r\nLee\r\n".encode("cp1252")
    draft.write_bytes(original)
    os.chmod(draft, 0o600)
    before = sorted(p.name for p in tmp_path.iterdir()), os.stat(draft).st_mtime_ns
    client, _ = _start(tmp_path, "--rules-dir", str(rules), "--select", "TST")
    try:
        client.root = tmp_path
        uri = _open(client, "note.txt", original.decode("cp1252"))
        diags = client.diagnostics(uri, timeout=FIRST)
        assert [d["code"] for d in diags] == ["TST901"]
        actions = client.request("textDocument/codeAction", {
            "textDocument": {"uri": uri}, "range": diags[0]["range"], "context": {"diagnostics": diags}})
        assert actions and all("edit" in a for a in actions)  # edits are offered to the editor, not made
        client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                                 "contentChanges": [{"text": "Dear Dana,\n\nCan we touch base?\n"}]})
        client.diagnostics(uri, version=2)
        client.notify("textDocument/didSave", {"textDocument": {"uri": uri}})
        client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
        client.request("shutdown", None)
    finally:
        client.close()
    assert draft.read_bytes() == original
    assert (sorted(p.name for p in tmp_path.iterdir()), os.stat(draft).st_mtime_ns) == before
    assert stat.S_IMODE(os.stat(draft).st_mode) == 0o600
    assert not [m for m in client.seen if m.get("method") == "workspace/applyEdit"]


def test_binary_with_zero_bytes_in_every_other_place_is_not_taken_for_utf16():
    with pytest.raises(InputError) as exc:
        decode(bytes([1, 0, 2, 0, 3, 0, 65, 0] * 10), "data.txt")
    assert str(exc.value) == "data.txt: looks like a binary file, not a text draft"


def test_yaml_tags_in_front_matter_or_configuration_never_run(folder):
    marker = folder / "pwned"
    tag = f'!!python/object/apply:os.system ["touch {marker}"]'
    (folder / "drafts" / "good.txt").write_text(f"---\ncompany: {tag}\n---\n" + GOOD, "utf-8")
    code, out, err = run(folder, "--no-cache", "drafts/good.txt")
    assert code == 2
    assert errors(err) == ["followup-lint: error: drafts/good.txt:2: the front matter is not valid YAML: could not "
                           "determine a constructor for the tag 'tag:yaml.org,2002:python/object/apply:os.system'"]
    (folder / "drafts" / "good.txt").write_text(GOOD, "utf-8")
    (folder / ".followup-lint.yaml").write_text(f"rules:\n  x: {tag}\n", "utf-8")
    code, out, err = run(folder, "--no-cache", "drafts/good.txt")
    assert code == 2
    assert any(e.endswith(".followup-lint.yaml:2: is not valid YAML: could not determine a constructor for the tag "
                          "'tag:yaml.org,2002:python/object/apply:os.system'") for e in errors(err))
    assert not marker.exists()
