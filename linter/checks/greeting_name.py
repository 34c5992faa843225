"""greeting-name: the greeting addresses someone other than the interviewer the context names.

"Dear Sam," when the context says the interviewer is Dana Reyes.  Generic
salutations ("Hiring Manager", "team") are left alone; a name matches when
any of its words is one of the interviewer's names (a title is not judged:
the check cannot know it).

The fix never invents a title and never keeps one the context does not give:

* "Hi Sam," -> "Hi Dana,", "Dear Priya Shah," -> "Dear Dana Reyes,": the
  same kind of address, a safe fix;
* "Dear Ms. Ortiz," with the interviewer given as "Dr. Dana Reyes" ->
  "Dear Dr. Reyes,": the context's own title, a safe fix;
* "Dear Mr. Patel," with the interviewer given as "Grace Okafor" -> "Dear
  Grace Okafor,": the title goes, since nothing says it is right, and that
  changes the tone of the greeting, so it is only a suggestion (unsafe).
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
        if not names:
            return  # only a title: nobody to compare the greeting with
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
            end = person[-1].start() + len(person[-1].group().rstrip(".,;:!"))
            parts = [w for w in interviewer.split() if not _TITLE.match(w)]
            titles = [w for w in interviewer.split() if _TITLE.match(w)]
            doubt = False
            if titled:  # "Dear Ms. Ortiz": the title goes with the name it stood before
                span = Span(words[0].start(), end)
                if titles:  # the context gives a title: "Dr. Reyes"
                    replacement = f"{titles[0]} {parts[-1]}"
                else:  # no title is known: the full name, which changes the greeting's tone
                    replacement, doubt = " ".join(parts), True
            else:
                span = Span(person[0].start(), end)
                replacement = " ".join(parts) if len(person) > 1 else parts[0]
            fix = Fix((Edit(span.start, span.end, replacement),), safe=self.rule.fix == "safe" and not doubt,
                      title=f"Address {replacement}")
            yield Hit(span.start, span.end, {"match": analysis.quote(span), "interviewer": interviewer,
                                              "replacement": replacement}, fix)


CHECK = GreetingName
