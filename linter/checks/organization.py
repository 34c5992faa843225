"""organization: the draft names an organisation other than the one the context gives.

The pasted-from-the-last-letter mistake: "I would love to join Globex" in a
note to Acme.  The entity recognizer finds organisation names (ORG, and
FAC/PRODUCT, where the small model files unfamiliar companies); one that is
not the context's company (or one of its aliases) is reported.

It judges only what it can know.  These are never reported:

* what the context itself names: the role ("Programme Coordinator", which the
  small model often takes for an organisation), the interviewer, and the
  context's ``other-organizations`` (a past employer, a reference: the
  allow-list a configuration gives);
* the rule's own ``allow`` list (tools such as Excel, a certification body);
* an organisation named as the candidate's own past or present workplace:
  the object of a preposition or verb whose subject is "I" or "we" in the
  past tense or perfect ("At Riverside Food Bank I coordinated ...", "I
  worked with Red Cross", "I joined Initech in 2019"), after "my"
  ("my years at ...", "in my last role with ..."), or with a verb of working
  ("I work at ...");
* short all-capital acronyms (CPA, GAAP), which the small model often takes
  for organisations, and names of a way of working ("the Housing First approach").

Rules of this kind need a company in the context: tag them ``needs-company``
so the recognizer loads only then.
"""
from __future__ import annotations

import re

from ..document import Span
from ..model import Hit
from .base import Check

_SUFFIX = re.compile(r"\b(?:inc|ltd|llc|llp|plc|corp|corporation|company|co|group|gmbh|sa|ag|the)\b\.?", re.I)


# The small model often files an unfamiliar company under FAC or PRODUCT ("Globex Corporation").
_LABELS = {"ORG", "FAC", "PRODUCT"}


# A greeting's first word, which the recognizer sometimes takes into a name ("Dear Grace").
_SALUTATION = re.compile(r"^(?:dear|hi|hello|hey|hiya|greetings)\s+")


def _key(name: str) -> str:
    name = name.replace("’", "'")
    name = re.sub(r"'s\b", "", name)
    return _SALUTATION.sub("", " ".join(_SUFFIX.sub(" ", name.lower()).replace(",", " ").split()))


def _within(key: str, known: str) -> bool:
    """Is the name ``key`` one that ``known`` (the role, the interviewer, an allowed name) already gives?"""
    return key == known or known in key or set(key.split()) <= set(known.split())


# A name used for a way of working, not an organisation: "the Housing First approach", "Lean principles".
_METHOD_NOUNS = {"approach", "approaches", "model", "models", "method", "methods", "methodology", "principle",
                 "principles", "framework", "frameworks", "philosophy", "technique", "techniques", "practice",
                 "practices", "style", "standard", "standards", "certification", "qualification"}


def _names_a_method(doc, ent) -> bool:
    return ent.end < len(doc) and doc[ent.end].lower_ in _METHOD_NOUNS


_FIRST_PERSON = {"i", "we"}
# Verbs of working somewhere: in the present they still describe the candidate's own job ("I work at ...").
_WORK_VERBS = {"work", "volunteer", "intern", "serve", "teach", "train", "study", "consult", "freelance"}
# Past verbs that are about this application, not a past job: "I applied to Globex" is still a slip.
_APPLYING = {"apply", "interview", "write", "email", "send", "meet", "speak", "talk", "hear", "visit", "enjoy",
             "appreciate", "love", "like", "want", "hope", "wish", "thank", "learn", "read", "see", "admire"}
# After "my": these nouns are about this application ("my interview at Globex" is a slip), not a past job.
_APPLICATION_NOUNS = {"interview", "application", "conversation", "meeting", "call", "chance", "visit", "time",
                      "day", "panel", "assessment", "offer", "candidacy", "note", "letter", "email"}
_MY_TIME = {"years", "year", "months", "month", "tenure", "stint", "days"}  # "my years at X" is a past job


def _first_person_subject(verb) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in _FIRST_PERSON for c in verb.children)


def _past(verb) -> bool:
    """Past tense, or a perfect ("have worked"), or "used to"."""
    if verb.tag_ == "VBD":
        return True
    if verb.tag_ == "VBN" and any(c.dep_ == "aux" and c.lemma_ == "have" for c in verb.children):
        return True
    return any(c.dep_ == "aux" and c.lower_ == "used" for c in verb.children)


def _own_workplace(ent) -> bool:
    """Is the organisation named as the candidate's own past (or present) workplace?"""
    token = ent.root
    # climb out of the name and any noun it belongs to: "the food bank at Riverside", "X's warehouse"
    for _ in range(4):
        head = token.head
        if head is token:
            return False
        if token.dep_ == "pobj" or head.pos_ in ("VERB", "AUX"):
            break
        token = head
    head = token.head
    if token.dep_ == "pobj":  # "at Riverside Food Bank": look at what the preposition belongs to
        holder = head.head
        if holder is head:
            return False
        if holder.pos_ in ("NOUN", "PROPN"):  # "my years at X", "my last role with X"
            mine = any(c.dep_ == "poss" and c.lower_ in ("my", "our") for c in holder.children)
            if mine and (holder.lemma_ not in _APPLICATION_NOUNS or holder.lower_ in _MY_TIME):
                return True
            return False
        verb = holder
    elif head.pos_ in ("VERB", "AUX"):  # "I joined X", "I managed X's warehouse"
        verb = head
    else:
        return False
    while verb.dep_ == "conj" and not _first_person_subject(verb):
        verb = verb.head  # "I joined X and stayed ...": the first verb holds the subject
    if verb.pos_ not in ("VERB", "AUX") or not _first_person_subject(verb):
        return False
    if verb.lemma_ in _APPLYING:
        return False
    return _past(verb) or verb.lemma_ in _WORK_VERBS


class Organization(Check):
    kind = "organization"

    def __init__(self, rule):
        super().__init__(rule)
        self.allow = {_key(a) for a in rule.options.get("allow", ())}

    def extra_needs(self):
        # the parse and tags tell a past workplace ("At X I coordinated ...") from a slip
        return frozenset({"ents", "deps", "tags"})

    def run(self, analysis, items):
        ctx = analysis.context
        company = ctx.get("company")
        doc = analysis.doc
        if not company or doc is None or not doc.has_annotation("ENT_IOB"):
            return
        own = [_key(n) for n in (company, *(ctx.get("company_aliases") or ()))]
        known = [_key(n) for n in (ctx.get("role"), ctx.get("interviewer"), *(ctx.get("other_organizations") or ()))
                 if n]
        parsed = doc.has_annotation("DEP")
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
            if any(_within(key, k) for k in known if k):
                continue  # the role, the interviewer or an organisation the context allows
            if _names_a_method(doc, ent) or (parsed and _own_workplace(ent)):
                continue
            yield Hit(span.start, span.end, {"match": analysis.quote(span), "company": company})


CHECK = Organization
