"""organization: the draft names an organisation other than the one the context gives.

The pasted-from-the-last-letter mistake: "I would love to join Globex" in a
note to Acme.  The entity recognizer finds organisation names (ORG, and FAC/PRODUCT, where the small model files unfamiliar companies); one that
is not the context's company (or one of its aliases) is reported.  ``allow``
lists names that may appear (a former employer, a certification body); short
all-capital acronyms (CPA, GAAP) are skipped, as the small model often
mistakes them for organisations.  Rules of this kind need a company in the
context: tag them ``needs-company`` so the recognizer loads only then.
"""
from __future__ import annotations

import re

from ..document import Span
from ..model import Hit
from .base import Check

_SUFFIX = re.compile(r"\b(?:inc|ltd|llc|llp|plc|corp|corporation|company|co|group|gmbh|sa|ag|the)\b\.?", re.I)


# The small model often files an unfamiliar company under FAC or PRODUCT ("Globex Corporation").
_LABELS = {"ORG", "FAC", "PRODUCT"}


def _key(name: str) -> str:
    name = name.replace("’", "'")
    name = re.sub(r"'s\b", "", name)
    return " ".join(_SUFFIX.sub(" ", name.lower()).replace(",", " ").split())


# A name used for a way of working, not an organisation: "the Housing First approach", "Lean principles".
_METHOD_NOUNS = {"approach", "approaches", "model", "models", "method", "methods", "methodology", "principle",
                 "principles", "framework", "frameworks", "philosophy", "technique", "techniques", "practice",
                 "practices", "style", "standard", "standards", "certification", "qualification"}


def _names_a_method(doc, ent) -> bool:
    return ent.end < len(doc) and doc[ent.end].lower_ in _METHOD_NOUNS


class Organization(Check):
    kind = "organization"

    def __init__(self, rule):
        super().__init__(rule)
        self.allow = {_key(a) for a in rule.options.get("allow", ())}

    def extra_needs(self):
        return frozenset({"ents"})

    def run(self, analysis, items):
        ctx = analysis.context
        company = ctx.get("company")
        doc = analysis.doc
        if not company or doc is None or not doc.has_annotation("ENT_IOB"):
            return
        own = [_key(n) for n in (company, *(ctx.get("company_aliases") or ()))]
        for ent in doc.ents:
            if ent.label_ not in _LABELS:
                continue
            span = Span(ent.start_char, ent.end_char)
            if not any(item.contains(span) for item in items):
                continue
            text = ent.text.strip()
            key = _key(text)
            if not key or key in self.allow or re.fullmatch(r"[A-Z]{2,5}s?", text) or re.fullmatch(r"Xx*", text):
                continue
            if any(key == o or key in o.split() or o in key for o in own if o):
                continue
            if _names_a_method(doc, ent):
                continue
            yield Hit(span.start, span.end, {"match": analysis.quote(span), "company": company})


CHECK = Organization
