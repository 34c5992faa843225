"""Properties over arbitrary drafts (hypothesis): the parser and the linter never raise, every span lies
inside the text, line/column and offsets agree, and linting is deterministic.

Example counts are modest (the linting properties run spaCy); raise them locally with
HYPOTHESIS_PROFILE=thorough.
"""
from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from followup_lint.document import parse_draft
from followup_lint.errors import InputError
from followup_lint.sources import decode, draft_from_text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "fuzz"))
from invariants import draft_problems, finding_problems  # noqa: E402

settings.register_profile("thorough", max_examples=2000, deadline=None)
THOROUGH = os.environ.get("HYPOTHESIS_PROFILE") == "thorough"
PARSER = settings(max_examples=2000 if THOROUGH else 300, deadline=None)
LINTING = settings(max_examples=600 if THOROUGH else 60, deadline=None,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# -- strategies -----------------------------------------------------------------------------------

any_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=600)
BREAKS = st.sampled_from(["\n", "\r\n", "\r"])
WORDS = ["I", "you", "rushed", "me", "sorry", "really", "so", "the", "interview", "answer", "team", "values",
         "café", "naïve", "e\u0301", "😅", "👍🏽", "面接", "\t", "{{ company }}", "[Company Name]", "<Hiring Manager>",
         "%NAME%", "{role}", "**bold**", "<b>", "</p>", "&amp;", "&#10;", "don't", "it’s", "!!!", "?", ",", ".",
         "{% if x %}", "<!-- note -->", "http://x.y/z", "—", "\u200b", "\xa0"]
sentence = st.lists(st.sampled_from(WORDS), min_size=1, max_size=14).map(" ".join)
paragraph = st.lists(sentence, min_size=1, max_size=4).map(". ".join)


@st.composite
def email_shaped(draw):
    nl = draw(BREAKS)
    lines: list[str] = []
    if draw(st.booleans()):
        lines += draw(st.lists(st.sampled_from([
            "Subject: " + draw(sentence), "To: dana@example.com", "From: Lee <lee@example.com>",
            "Date: Tue, 3 Nov 2026 10:00:00 +0000", "MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: " + draw(st.sampled_from(["7bit", "8bit", "base64", "quoted-printable"])),
            "Content-Type: multipart/alternative; boundary=XX", " folded continuation"]), max_size=6))
        lines.append("")
    if draw(st.booleans()):
        lines[:0] = ["---", "role: " + draw(sentence), "---"]
    lines.append(draw(st.sampled_from(["Dear Dana,", "Hi Sam,", "Hello,", "To whom it may concern:", ""])))
    for _ in range(draw(st.integers(0, 4))):
        lines += ["", draw(paragraph)]
        if draw(st.integers(0, 5)) == 0:
            lines.append("--XX")
    lines += ["", draw(st.sampled_from(["Best,", "Thanks again,", "Kind regards", "Cheers!", ""])),
              draw(st.sampled_from(["Lee", "", "{{ sender }}"]))]
    if draw(st.booleans()):
        lines += ["-- ", "Lee Park | 555-0100"]
    if draw(st.booleans()):
        lines += ["", "On Tue, Dana wrote:", "> " + draw(sentence), ">> " + draw(sentence)]
    return nl.join(lines) + draw(st.sampled_from(["", nl, nl + nl, "   "]))


KINDS = st.sampled_from(["draft.txt", "draft.md", "draft.html", "message.eml"])


# -- the parser -----------------------------------------------------------------------------------

@PARSER
@given(text=any_text, markup=st.sampled_from(["text", "markdown", "html"]))
def test_parse_draft_never_raises_and_keeps_its_invariants(text, markup):
    draft = parse_draft(text, "d.txt", markup=markup)
    assert draft.source == text
    assert draft_problems(draft) == []


@PARSER
@given(text=st.one_of(email_shaped(), any_text), name=KINDS)
def test_every_draft_kind_parses_with_exact_offsets(text, name):
    try:
        draft = draft_from_text(text, name)
    except InputError as exc:  # e.g. a damaged base64 body: an error naming the file, never a crash
        assert exc.path == name
        return
    assert draft_problems(draft) == []
    decoded_body = any("positions refer to the decoded text" in n for n in draft.notes)
    if not decoded_body:  # only a transfer-encoded mail body is linted as other text than the file's, and says so
        assert draft.source == text


@PARSER
@given(data=st.binary(max_size=600))
def test_decoding_arbitrary_bytes_gives_text_or_an_input_error(data):
    try:
        decoded = decode(data, "d.txt")
    except InputError as exc:
        assert exc.path == "d.txt" and exc.message
        return
    assert isinstance(decoded.text, str)
    assert "\x00" not in decoded.text
    if decoded.encoding not in ("utf-8", "utf-8-sig"):
        # a BOM says what it is; anything else guessed is said aloud
        assert decoded.note or decoded.encoding.startswith(("utf-16", "utf-32"))


@PARSER
@given(text=email_shaped())
def test_positions_agree_with_offsets_everywhere(text):
    draft = parse_draft(text, "d.txt")
    for offset in range(len(text) + 1):
        line, col = draft.position(offset)
        start = draft.line_span(line).start
        assert start + col - 1 == offset


# -- the linter -----------------------------------------------------------------------------------

def _lint(linter, text, name):
    try:
        draft = draft_from_text(text, name)
    except InputError:
        return None, None
    result = linter.lint_draft(draft)
    return draft, result


@LINTING
@given(text=email_shaped(), name=KINDS)
def test_linting_email_shaped_drafts_never_raises_and_findings_point_inside(linter, text, name):
    draft, result = _lint(linter, text, name)
    if draft is None:
        return
    assert finding_problems(draft, result.findings) == []
    # a reported problem (e.g. front matter that is not valid context) names the draft; it is never a crash
    assert all(e.path == name for e in result.errors)


@LINTING
@given(text=any_text)
def test_linting_arbitrary_unicode_never_raises(linter, text):
    draft, result = _lint(linter, text, "draft.txt")
    assert finding_problems(draft, result.findings) == []
    assert [str(e) for e in result.errors] == []


@LINTING
@given(text=email_shaped())
def test_linting_is_deterministic(linter, text):
    _, first = _lint(linter, text, "draft.txt")
    _, second = _lint(linter, text, "draft.txt")
    if first is None:  # not a readable draft (e.g. a base64 body that decodes to nothing): an error, both times
        assert second is None
        return
    assert [f.to_dict() for f in first.findings] == [f.to_dict() for f in second.findings]
    assert first.findings == sorted(first.findings, key=lambda f: f.sort_key())


# -- the rule loader ----------------------------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def _blank_vocab():
    import spacy

    return spacy.blank("en").vocab


BASE_RULE = {"id": "my-rule", "code": "XX101", "name": "A rule", "severity": "warning", "kind": "existence",
             "scope": "paragraph", "advice": "no-blame", "message": "{match}", "description": "d",
             "phrases": ["sorry"], "examples": {"fail": ["a"], "pass": ["b"]}}
scalars = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.floats(-2, 2, allow_nan=False),
                    st.sampled_from(["", "x", "(", "[a-", "(a+)+$", "LOWER", "IN", "OP", "?", "nsubj", ">", "a"]))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3),
    st.dictionaries(st.sampled_from(["LOWER", "LEMMA", "POS", "DEP", "OP", "IN", "NOT_IN", "RIGHT_ID", "LEFT_ID",
                                     "REL_OP", "RIGHT_ATTRS", "phrases", "regex", "lemmas", "patterns", "has"]),
                    inner, max_size=3)), max_leaves=12)
FIELDS = ["kind", "scope", "severity", "phrases", "regex", "lemmas", "patterns", "dependency", "unless", "when",
          "min", "max", "metric", "swap", "move", "moves", "report_at", "fix", "examples", "id", "code", "allow"]


@PARSER
@given(changes=st.dictionaries(st.sampled_from(FIELDS), values, max_size=4),
       drop=st.lists(st.sampled_from(sorted(BASE_RULE)), max_size=2))
def test_any_rule_mapping_loads_or_gets_a_rule_error_naming_the_file(changes, drop):
    from followup_lint.engine import RuleRunner
    from followup_lint.errors import RuleError
    from followup_lint.loader import rule_from_data

    data = {k: v for k, v in {**BASE_RULE, **changes}.items() if k not in drop}
    try:
        RuleRunner(rule_from_data(data, "my-rule.yaml")).prepare(_blank_vocab())
    except RuleError as exc:
        assert exc.path == "my-rule.yaml" and exc.message
