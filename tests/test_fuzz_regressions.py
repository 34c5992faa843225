"""Every input the fuzzers (fuzz/run.py) ever crashed on, replayed; plus a readable test per bug found.

A new crash lands in fuzz/crashes/<target>-crash-<hash>: keep the file, fix the bug,
and it is tested here from then on.  Replaying needs no atheris.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "fuzz"))

from invariants import draft_problems, email_case, rule_case  # noqa: E402

CRASHES = sorted((ROOT / "fuzz" / "crashes").glob("*-*"))


def test_the_crash_corpus_is_there():
    assert any(p.name.startswith("email-") for p in CRASHES)


@pytest.mark.parametrize("crash", [p for p in CRASHES if p.name.startswith("email-")], ids=lambda p: p.name[:24])
def test_email_crash_is_fixed(crash):
    email_case(crash.read_bytes())


@pytest.fixture(scope="module")
def vocab():
    import spacy

    return spacy.blank("en").vocab


@pytest.mark.parametrize("crash", [p for p in CRASHES if p.name.startswith("rules-")], ids=lambda p: p.name[:24])
def test_rule_crash_is_fixed(crash, tmp_path, vocab):
    rule_case(crash.read_bytes(), str(tmp_path / "rule.yaml"), vocab)


# -- one readable test per bug the fuzzer found ---------------------------------------------------

def test_a_template_placeholder_never_swallows_a_line_break():
    """Found by the email target: '{{ x' + newline + '}}' was masked as one word across the line break."""
    from followup_lint.sources import draft_from_text

    source = "Dear Dana,\n\nThanks for {{ \n}} and {{ company }}.\n\nBest,\nLee\n"
    draft = draft_from_text(source, "draft.txt")
    assert draft_problems(draft) == []
    assert [p.name for p in draft.placeholders] == ["company"]
    assert draft.text.count("\n") == source.count("\n")


def test_an_unquoted_on_key_is_a_clear_rule_error(tmp_path):
    """Found by the rules target: YAML reads `on:` as True, and sorting field names crashed."""
    from followup_lint.errors import RuleError
    from followup_lint.loader import load_rules

    (tmp_path / "r.yaml").write_text(
        "id: my-rule\ncode: XX101\nname: A rule\nseverity: warning\nkind: existence\nscope: paragraph\n"
        "advice: brevity\nmessage: x\ndescription: d\nphrases: [x]\non: |\n  text\n"
        "examples: {fail: [a], pass: [b]}\n", "utf-8")
    with pytest.raises(RuleError) as exc:
        load_rules([tmp_path], builtin=False)
    assert str(exc.value) == (f"{tmp_path}/r.yaml:11: rule 'my-rule': the field name on was read as True, not as "
                              "text (YAML reads unquoted on, off, yes, no, true and false as true/false, and digits "
                              "as numbers); put it in quotes")


def test_markup_spans_are_found_without_rescanning():
    """Found while hardening: `<!--.*?-->` and friends rescanned to the end from every unclosed opener
    (200 kB of `<!--` took 72 s; `python fuzz/hostile.py` measures it).  The linear scan must find the
    same spans the regexes did."""
    from followup_lint.sources import draft_from_text

    html = ("<!doctype html><html><head><title>x</title></head><body><p>Dear Dana,</p>"
            "<p>I rushed <!-- a <p> inside a comment --> my answer.</p><style>p{}</style>"
            "<blockquote>quoted</blockquote><p>Best,<br>Lee</p></body></html>")
    d = draft_from_text(html, "d.html")
    assert draft_problems(d) == []
    assert [" ".join(d.text[p.start:p.end].split()) for p in d.paragraphs][0] == "I rushed my answer."
    for hidden in ("doctype", "title", "x</title>", "p{}", "quoted", "inside a comment"):
        assert hidden not in d.text
    # openers that are never closed are not comments: the text after them is still linted
    d = draft_from_text("Dear Dana,\n\nI rushed {% my <!-- answer.\n\nBest,\nLee\n", "d.txt")
    assert " ".join(d.text[d.paragraphs[0].start:d.paragraphs[0].end].split()) == "I rushed {% my <!-- answer."
    d = draft_from_text("Dear Dana,\n\nI {# x #} rushed {% y %} it <!-- z -->.\n\nBest,\nLee\n", "d.txt")
    assert " ".join(d.text[d.paragraphs[0].start:d.paragraphs[0].end].split()) == "I rushed it ."
