"""greeting-name: the greeting addresses someone other than the interviewer the context names.

"Dear Sam," when the context says the interviewer is Dana Reyes.  Titles
(Ms., Dr.) and generic salutations ("Hiring Manager", "team") are left alone;
a name matches when any of its words is one of the interviewer's names.  The
fix puts in the interviewer's surname after a title, else the first name.
"""
from __future__ import annotations

import re

from ..document import Span
from ..model import Edit, Fix, Hit
from .base import Check

_SALUTATION = re.compile(r"(?:dear|hi|hello|hey|hiya|greetings|good\s+(?:morning|afternoon|evening|day))\b", re.I)
_TITLE = re.compile(r"(?:mr|mrs|ms|miss|mx|dr|prof|professor|sir|madam)\.?$", re.I)
_GENERIC = {"hiring", "manager", "managers", "team", "committee", "panel", "all", "everyone", "there", "sir",
            "madam", "whom", "it", "may", "concern", "recruiter", "recruiting", "talent", "search", "folks",
            "and", "the", "colleagues", "friends", "interviewers", "again"}
_WORD = re.compile(r"[^\W\d_][\w'’.-]*")


def _norm(word: str) -> str:
    return word.strip(".,;:!'’").lower()


class GreetingName(Check):
    kind = "greeting-name"

    def run(self, analysis, items):
        interviewer = analysis.context.get("interviewer")
        if not interviewer:
            return
        names = {_norm(w) for w in interviewer.split() if not _TITLE.match(w)}
        text = analysis.text
        for item in items:
            m = _SALUTATION.match(text, item.start, item.end)
            if not m:
                continue
            words = [w for w in _WORD.finditer(text, m.end(), item.end)]
            titled = bool(words) and bool(_TITLE.match(words[0].group()))
            person = [w for w in words if not _TITLE.match(w.group()) and _norm(w.group()) not in _GENERIC
                      and w.group()[:1].isupper() and not re.fullmatch(r"Xx*", w.group())]
            if not person or any(_norm(w.group()) in names for w in person):
                continue
            span = Span(person[0].start(), person[-1].start() + len(person[-1].group().rstrip(".,;:!")))
            parts = [w for w in interviewer.split() if not _TITLE.match(w)]
            replacement = parts[-1] if titled else parts[0]
            if len(person) > 1 and not titled:
                replacement = " ".join(parts)
            fix = Fix((Edit(span.start, span.end, replacement),), safe=self.rule.fix == "safe",
                      title=f"Address {replacement}")
            yield Hit(span.start, span.end, {"match": analysis.quote(span), "interviewer": interviewer,
                                              "replacement": replacement}, fix)


CHECK = GreetingName
