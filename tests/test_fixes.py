"""--fix, --unsafe-fixes and --diff: what ends up in the file, and that a failed write leaves it untouched."""
from __future__ import annotations

import os
import stat

import pytest
from click.testing import CliRunner

import followup_lint.atomic as atomic
from followup_lint.cli import main

SEL = ["--select", "FL001,FL003,FL004"]
CONTEXT = "context:\n  company: {name: Acme Analytics}\n  interviewer: Dana Reyes\n"


def run(*args, input=None):
    return CliRunner().invoke(main, ["check", "--no-cache", "--color", "never", *args], input=input,
                              catch_exceptions=False)


@pytest.fixture
def library(tmp_path):
    (tmp_path / ".followup-lint.yaml").write_text(CONTEXT, encoding="utf-8")
    return tmp_path


def test_fix_applies_safe_fixes_and_is_idempotent(library):
    p = library / "note.txt"
    p.write_bytes("Dear Sam,\r\n\r\nThank you for the the time.\r\nI still want to join [Company Name].\r\n\r\n"
                  "Best,\r\nLee\r\n".encode("utf-8"))
    os.chmod(p, 0o640)
    result = run(str(p), *SEL, "--fix")
    assert result.exit_code == 0
    assert "followup-lint: fixed 3 problems in 1 draft." in result.output
    assert p.read_bytes() == ("Dear Dana,\r\n\r\nThank you for the time.\r\nI still want to join Acme Analytics.\r\n"
                              "\r\nBest,\r\nLee\r\n").encode("utf-8")  # CRLF kept
    assert stat.S_IMODE(os.stat(p).st_mode) == 0o640
    before = p.read_bytes()
    again = run(str(p), *SEL, "--fix")
    assert again.exit_code == 0 and "fixed 0 problems in 0 drafts" in again.output
    assert p.read_bytes() == before
    assert [f.name for f in library.iterdir() if "tmp" in f.name] == []


def test_diff_shows_without_writing_and_exits_1(library):
    p = library / "note.txt"
    text = "Dear Dana,\n\nThank you for the the time.\n\nBest,\nLee\n"
    p.write_text(text, encoding="utf-8")
    result = run(str(p), *SEL, "--diff")
    assert result.exit_code == 1
    assert result.stdout == (f"--- {p}\n+++ {p}\n@@ -1,6 +1,6 @@\n Dear Dana,\n \n"
                             "-Thank you for the the time.\n+Thank you for the time.\n \n Best,\n Lee\n")
    assert p.read_text(encoding="utf-8") == text
    clean = library / "clean.txt"
    clean.write_text("Dear Dana,\n\nThank you.\n\nBest,\nLee\n", encoding="utf-8")
    assert run(str(clean), *SEL, "--diff").exit_code == 0


def test_never_fixes_inside_quoted_reply_or_signature(library):
    p = library / "reply.txt"
    text = ("Dear Dana,\n\nThank you for the time.\n\nBest,\nLee\n-- \nLee the the Analyst\n\n"
            "On Tue, Dana wrote:\n> We will will be in touch.\n")
    p.write_text(text, encoding="utf-8")
    run(str(p), *SEL, "--fix")
    assert p.read_text(encoding="utf-8") == text


def test_a_failed_rename_leaves_the_original_intact(library, monkeypatch):
    p = library / "note.txt"
    text = "Dear Dana,\n\nThank you for the the time.\n\nBest,\nLee\n"
    p.write_text(text, encoding="utf-8")

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "replace", broken_replace)
    result = run(str(p), *SEL, "--fix")
    assert result.exit_code == 2
    assert f"followup-lint: error: {p}: was not changed: could not write it (No space left on device)" in result.output
    assert p.read_text(encoding="utf-8") == text
    assert sorted(f.name for f in library.iterdir()) == [".followup-lint.yaml", "note.txt"]


def test_encoding_is_kept_and_an_unencodable_fix_is_refused(library):
    p = library / "latin.txt"
    p.write_bytes("Dear Dana,\n\nCaf\xe9 talk: thank you for the the time.\n\nBest,\nLee\n".encode("cp1252"))
    assert run(str(p), *SEL, "--fix").exit_code == 0
    assert p.read_bytes() == "Dear Dana,\n\nCaf\xe9 talk: thank you for the time.\n\nBest,\nLee\n".encode("cp1252")


def test_unsafe_fixes_need_the_flag(tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "soften.yaml").write_text(
        "id: tt-soften\ncode: TT201\nname: Soften\nseverity: warning\nkind: substitution\nscope: body\n"
        "advice: no-blame\nmessage: 'Say “{replacement}” instead of “{match}”'\ndescription: test\n"
        "swap: {'you confused me': 'I was unclear'}\n"
        "examples: {fail: ['Dear A,\\n\\nYou confused me.\\n\\nBest,\\nB'], pass: ['Dear A,\\n\\nOk.\\n\\nBest,\\nB']}\n",
        encoding="utf-8")
    p = tmp_path / "n.txt"
    p.write_text("Dear Ana,\n\nYou confused me in the the panel.\n\nBest,\nLee\n", encoding="utf-8")
    sel = ["--rules-dir", str(rules), "--select", "TT201,FL004"]
    result = run(str(p), *sel, "--fix")
    assert "1 suggested rewording not applied (add --unsafe-fixes)" in result.output
    assert p.read_text(encoding="utf-8") == "Dear Ana,\n\nYou confused me in the panel.\n\nBest,\nLee\n"
    run(str(p), *sel, "--fix", "--unsafe-fixes")
    assert p.read_text(encoding="utf-8") == "Dear Ana,\n\nI was unclear in the panel.\n\nBest,\nLee\n"


def test_fix_on_stdin_prints_the_fixed_draft(library, monkeypatch):
    monkeypatch.chdir(library)
    result = run("-", *SEL, "--fix", "--stdin-filename", "note.txt",
                 input="Dear Dana,\n\nThank you for the the time.\n\nBest,\nLee\n")
    assert result.stdout == "Dear Dana,\n\nThank you for the time.\n\nBest,\nLee\n"


@pytest.mark.parametrize("codec,bom", [("utf-32-be", b"\x00\x00\xfe\xff"), ("utf-32-le", b"\xff\xfe\x00\x00"),
                                       ("utf-16-be", b"\xfe\xff")])
def test_fix_keeps_a_utf16_or_utf32_files_byte_order(tmp_path, codec, bom):
    p = tmp_path / "wide.txt"
    p.write_bytes(bom + "Dear Ana,\r\n\r\nI can do do better.\r\n\r\nBest,\r\nLee\r\n".encode(codec))
    result = CliRunner().invoke(main, [str(p), "--fix", "--select", "FL004", "--no-cache"])
    assert result.exit_code == 0, result.output
    data = p.read_bytes()
    assert data.startswith(bom)
    assert data[len(bom):].decode(codec) == "Dear Ana,\r\n\r\nI can do better.\r\n\r\nBest,\r\nLee\r\n"
