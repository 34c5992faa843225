"""Small fixes in the core that the built-in rules rely on."""
from __future__ import annotations

from followup_lint.document import parse_draft


def part(draft, span):
    return None if span is None else draft.source[span.start:span.end]


def test_a_bare_name_after_the_last_paragraph_is_the_sign_off():
    d = parse_draft("Hi Jordan,\n\nI can do better.\n\nSorry again for Tuesday.\n\nSam\n", "t.txt")
    assert part(d, d.closing) == "Sam"
    assert part(d, d.paragraphs[-1]) == "Sorry again for Tuesday."


def test_a_short_last_sentence_is_still_a_paragraph():
    d = parse_draft("Hi Jordan,\n\nI can do better.\n\nTalk soon.\n", "t.txt")
    assert d.closing is None
    assert part(d, d.paragraphs[-1]) == "Talk soon."
