"""company-values: when the context lists the values an organisation states publicly, the draft names one.

The article asks for the organisation's own core values, not values in
general; a note that praises "integrity" to a firm whose stated values are
"plain-language reporting" and "community investment" reads as pasted from
another letter.  A stated value counts as named when all its content words
appear in one sentence of the body, compared by lemma or shared stem
("transparent" names "transparency").
"""
from __future__ import annotations

import re

from .base import Check
from ..model import Hit

_STOP = {"a", "an", "and", "the", "of", "to", "for", "in", "on", "with", "our", "your", "their", "its", "we",
         "by", "at", "as", "is", "are", "be", "every", "all"}
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text) if w.lower() not in _STOP]


def _same(a: str, b: str) -> bool:
    """One word names another: equal, one a prefix of the other, or sharing a stem (transparent/transparency)."""
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    if len(short) >= 4 and long_.startswith(short):  # fair / fairly, driver / drivers
        return True
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n >= 5 and n >= len(short) - 4


class CompanyValues(Check):
    kind = "company-values"

    def extra_needs(self):
        return frozenset({"tags", "sents"})

    def run(self, analysis, items):
        values = [v for v in (analysis.context.get("values") or ()) if _words(v)]
        if not values or not items:
            return
        sentences = [s for s in analysis.sentences() if any(i.contains(s) for i in items)] or list(items)
        for sent in sentences:
            forms = set(_words(analysis.slice(sent)))
            forms |= {t.lemma_.lower() for t in analysis.tokens(sent)}
            for value in values:
                if all(any(_same(w, f) for f in forms) for w in _words(value)):
                    return
        at = analysis.first_sentence(analysis.draft.paragraphs[-1]) if analysis.draft.paragraphs else items[0]
        company = analysis.context.get("company") or "the organisation"
        yield Hit(at.start, at.end, {"match": analysis.quote(at), "company": company,
                                      "values": ", ".join(f"“{v}”" for v in values)})


CHECK = CompanyValues
