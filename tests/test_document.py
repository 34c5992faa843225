"""The email parser: parts, placeholders and exact offsets (CRLF, tabs, non-ASCII)."""
from __future__ import annotations

import pytest

from followup_lint.document import Span, parse_draft
from followup_lint.sources import draft_from_text


def part(draft, span):
    return None if span is None else draft.source[span.start:span.end]


LETTER = (
    "Subject: Following up on Tuesday\n"
    "To: dana@example.org\n"
    "\n"
    "Dear Ms. Patel,\n"
    "\n"
    "Thank you for Tuesday. My answers about audits missed what you needed.\n"
    "\n"
    "I remain keen on the role and would value another conversation.\n"
    "\n"
    "Best regards,\n"
    "Sam Lee\n"
    "-- \n"
    "Sam Lee | 555-0100\n"
    "\n"
    "On Wed, 4 Mar 2026, Dana Patel wrote:\n"
    "> Thanks for coming in.\n"
)


def test_parts_of_a_plain_letter():
    d = parse_draft(LETTER, "letter.txt")
    assert part(d, d.subject) == "Following up on Tuesday"
    assert part(d, d.greeting) == "Dear Ms. Patel,"
    assert [part(d, p) for p in d.paragraphs] == [
        "Thank you for Tuesday. My answers about audits missed what you needed.",
        "I remain keen on the role and would value another conversation.",
    ]
    assert part(d, d.closing) == "Best regards,\nSam Lee"
    assert part(d, d.signature) == "-- \nSam Lee | 555-0100"
    assert [part(d, q) for q in d.quoted] == ["On Wed, 4 Mar 2026, Dana Patel wrote:", "> Thanks for coming in."]
    assert set(d.headers) == {"subject", "to"}


def test_lint_view_keeps_length_and_blanks_what_is_not_linted():
    d = parse_draft(LETTER, "letter.txt")
    assert len(d.text) == len(d.source)
    # line breaks survive, so every line and column is the same in both
    assert [i for i, c in enumerate(d.text) if c == "\n"] == [i for i, c in enumerate(d.source) if c == "\n"]
    for hidden in ("dana@example.org", "555-0100", "Thanks for coming in", "wrote:"):
        assert hidden not in d.text
    assert "Dear Ms. Patel," in d.text and "Following up on Tuesday" in d.text


def test_offsets_are_exact_on_crlf_tabs_and_non_ascii():
    src = "Hi Zoë,\r\n\r\nI answered\tbadly — my fault. Café ☕ talk again?\r\n\r\nThanks,\r\nAna\r\n"
    d = parse_draft(src, "crlf.txt")
    assert len(d.text) == len(src)
    assert part(d, d.greeting) == "Hi Zoë,"
    assert part(d, d.paragraphs[0]) == "I answered\tbadly — my fault. Café ☕ talk again?"
    assert part(d, d.closing) == "Thanks,\r\nAna"
    at = src.index("talk")
    line, col = d.position(at)
    assert (line, col) == (3, 37)  # the tab, the em dash, the accent and the emoji each count as one character
    assert d.position(src.index("Ana")) == (6, 1)
    assert d.line_span(3) == Span(src.index("I answered"), src.index("?") + 1)


def test_lone_carriage_returns_are_line_breaks():
    src = "Dear Sam,\r\rI can do better.\r\rBest,\rLee"
    d = parse_draft(src, "cr.txt")
    assert part(d, d.greeting) == "Dear Sam,"
    assert part(d, d.paragraphs[0]) == "I can do better."
    assert d.position(src.index("Lee")) == (6, 1)


@pytest.mark.parametrize("slot,name", [
    ("{{ company }}", "company"), ("{company}", "company"), ("[Company Name]", "Company Name"),
    ("<Hiring Manager>", "Hiring Manager"), ("%NAME%", "NAME"), ("{{first_name}}", "first_name"),
])
def test_placeholders_are_masked_as_one_word_of_the_same_length(slot, name):
    src = f"Dear Sam,\n\nI would love to work at {slot} again.\n\nBest,\nLee\n"
    d = parse_draft(src, "t.txt")
    assert [p.name for p in d.placeholders] == [name]
    span = d.placeholders[0].span
    masked = d.text[span.start:span.end]
    assert len(masked) == len(slot) and masked.isalpha() and masked[0] == "X"


def test_markdown_links_and_lowercase_html_are_not_placeholders():
    src = "Hi Sam,\n\nSee [My Portfolio](https://example.org) and <br> here.\n\nBest,\nLee"
    d = parse_draft(src, "t.md", markup="markdown")
    assert d.placeholders == []


def test_template_comments_are_blanked_not_linted():
    src = "Hi Sam,\n\n{# followup-lint: disable=FL301 #}I can do better.<!-- note -->\n\nBest,\nLee"
    d = parse_draft(src, "t.md", markup="markdown")
    assert "disable" not in d.text and "note" not in d.text
    assert part(d, d.paragraphs[0]) == "I can do better."


def test_greeting_is_its_own_part_even_without_a_blank_line():
    d = parse_draft("Dear Ms. Smith,\nThank you for your time today.\n\nBest,\nLee", "t.txt")
    assert part(d, d.greeting) == "Dear Ms. Smith,"
    assert part(d, d.paragraphs[0]) == "Thank you for your time today."


def test_no_greeting_no_closing():
    d = parse_draft("I can do better and would like to talk again.", "t.txt")
    assert d.greeting is None and d.closing is None
    assert part(d, d.paragraphs[0]) == "I can do better and would like to talk again."


def test_a_long_last_paragraph_starting_with_thanks_is_not_a_closing():
    src = "Hi Sam,\n\nI can do better.\n\nThank you.\nI hope we can talk again soon about the role and the team and what comes next."
    d = parse_draft(src, "t.txt")
    assert d.closing is None


def test_html_is_text_with_honest_offsets():
    src = "<html><body><p>Dear Ana,</p><p>I can do better &amp; I will.</p><p>Best,<br>Lee</p></body></html>"
    d = draft_from_text(src, "t.html")
    assert len(d.text) == len(src)
    assert part(d, d.greeting) == "Dear Ana,"
    assert part(d, d.paragraphs[0]) == "I can do better &amp; I will."
    assert "&" in d.text and "amp;" not in d.text
    assert "<p>" not in d.text


def test_eml_plain_body_keeps_file_offsets():
    src = ("From: Sam <sam@example.org>\nTo: Dana <dana@example.org>\nSubject: Next steps\n"
           "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n"
           "Dear Dana,\n\nI can do better.\n\nBest,\nSam\n")
    d = draft_from_text(src, "m.eml")
    assert part(d, d.subject) == "Next steps"
    assert part(d, d.greeting) == "Dear Dana,"
    assert part(d, d.paragraphs[0]) == "I can do better."
    assert "sam@example.org" not in d.text
    assert d.notes == []


def test_eml_base64_body_is_decoded_with_a_note():
    import base64

    body = base64.b64encode("Dear Dana,\n\nI can do better.\n\nBest,\nSam\n".encode()).decode()
    src = ("From: sam@example.org\nSubject: Hello\nMIME-Version: 1.0\n"
           "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n" + body + "\n")
    d = draft_from_text(src, "m.eml")
    assert part(d, d.paragraphs[0]) == "I can do better."
    assert any("base64" in n for n in d.notes)


def test_eml_multipart_prefers_plain_text():
    src = ("From: sam@example.org\nSubject: Hi\nMIME-Version: 1.0\n"
           "Content-Type: multipart/alternative; boundary=\"XX\"\n\n"
           "--XX\nContent-Type: text/html\n\n<p>Dear Dana,</p><p>HTML body.</p>\n"
           "--XX\nContent-Type: text/plain\n\nDear Dana,\n\nPlain body.\n\nBest,\nSam\n--XX--\n")
    d = draft_from_text(src, "m.eml")
    assert [part(d, p) for p in d.paragraphs] == ["Plain body."]
    assert "HTML body" not in d.text


def test_segments_start_sentences():
    d = parse_draft(LETTER, "letter.txt")
    starts = [d.source[s.start:s.start + 4] for s in d.segments()]
    assert starts == ["Foll", "Dear", "Than", "I re", "Best", "Sam "]


def test_lowercase_bracket_slots_are_placeholders_but_links_are_not():
    src = "Hi Sam,\n\nAbout [topic] and [your name]. See [docs](https://x.org) and [ref]: https://y.org\n\nBest,\nLee"
    d = parse_draft(src, "t.md", markup="markdown")
    assert [p.name for p in d.placeholders] == ["topic", "your name"]


@pytest.mark.parametrize("signoff", ["xo,", "Love,", "Speak soon,", "Cheers!", "With best wishes,", "thx", "ty!",
                                     "Merci,", "diolch"])
def test_informal_sign_offs_are_closings(signoff):
    d = parse_draft(f"Hi Sam,\n\nI can do better.\n\n{signoff}\nLee\n", "t.txt")
    assert part(d, d.closing) == f"{signoff}\nLee"


def test_a_phone_note_signed_in_lower_case_under_its_thanks_is_not_the_body():
    d = parse_draft("hey priya\nmy answer on the rota was a mess, thats on me\nwould u be up for another chat\n\n"
                    "thx\nsam\n", "t.txt")
    assert part(d, d.closing) == "thx\nsam"
    assert part(d, d.paragraphs[-1]).endswith("would u be up for another chat")


@pytest.mark.parametrize("name", ["- bryce", "-jo", "— Ana M.", "~ kim"])
def test_a_phone_note_signed_with_a_dash_under_its_last_line_is_not_the_body(name):
    d = parse_draft(f"blanked on the fridge temps q, my bad\nthx and safe roads to ur crew\n{name}\n", "t.txt")
    assert part(d, d.closing) == name
    assert part(d, d.paragraphs[-1]).endswith("thx and safe roads to ur crew")


def test_a_list_ending_the_note_is_not_a_signature():
    d = parse_draft("Dear Ana,\n\nSince Tuesday I have been working on:\n- mock calls\n- stock counts\n", "t.txt")
    assert d.closing is None
    assert part(d, d.paragraphs[-1]).endswith("- stock counts")
