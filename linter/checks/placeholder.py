"""placeholder: template slots left in a draft (``[Company Name]``, ``{{ first_name }}``).

Silent in template mode (``--templates`` / ``templates: true``), where slots
are expected.  When the context knows the value (the organisation, the
interviewer, the role, the interview date), the fix fills it in: a safe fix.
"""
from __future__ import annotations

import re

from ..model import Edit, Fix, Hit
from .base import Check

# slot name (lower case, letters only) -> context field
SLOTS = {
    "company": "company", "companyname": "company", "organization": "company", "organisation": "company",
    "organizationname": "company", "organisationname": "company", "employer": "company", "firm": "company",
    "interviewer": "interviewer", "interviewername": "interviewer", "hiringmanager": "interviewer",
    "hiringmanagername": "interviewer", "role": "role", "position": "role", "jobtitle": "role",
    "roletitle": "role", "positiontitle": "role", "job": "role", "interviewdate": "interview_date",
    "date": "interview_date",
}


def slot_field(name: str) -> str | None:
    return SLOTS.get(re.sub(r"[^a-z]", "", name.lower()))


class Placeholder(Check):
    kind = "placeholder"

    def run(self, analysis, items):
        ctx = analysis.context
        if ctx.get("templates"):
            return
        # a slot left in the subject line is as much a leftover as one in the body
        items = list(items) + analysis.items("subject")
        for p in analysis.draft.placeholders:
            if not any(item.contains(p.span) for item in items):
                continue
            field = slot_field(p.name)
            value = ctx.get(field) if field else None
            fix = None
            if value:
                fix = Fix((Edit(p.span.start, p.span.end, str(value)),), safe=True, title=f"Fill in “{value}”")
            yield Hit(p.span.start, p.span.end, {"match": analysis.quote(p.span), "name": p.name,
                                                  "value": value or ""}, fix)


CHECK = Placeholder
