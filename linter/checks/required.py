"""required: a move the draft must make somewhere in the scope; reported as missing where it belongs."""
from __future__ import annotations

from ..document import Span
from ..model import Hit
from .base import Check

# Where a missing move is reported when its ``report_at`` part is absent.
_FALLBACK = ("closing", "last_paragraph", "body", "greeting", "document")


class Required(Check):
    kind = "required"

    def __init__(self, rule):
        super().__init__(rule)
        self.move = self.spec(rule.options["move"], field="move.")
        self.report_at = rule.options.get("report_at", rule.scope)

    def run(self, analysis, items):
        if not items:
            items = analysis.items("document")
            if not items:
                return
        for item in items:
            if self.move.find(analysis, item):
                return
        at = self.place(analysis)
        if at is not None:
            yield Hit(at.start, at.end, {"match": analysis.quote(at)})

    def place(self, analysis) -> Span | None:
        return place_missing(analysis, self.report_at)


def place_missing(analysis, report_at: str) -> Span | None:
    """Where a missing move is pointed at: the first sentence of ``report_at`` (else of the first part there is)."""
    for scope in (report_at, *_FALLBACK):
        found = analysis.items(scope)
        if found:
            item = found[-1] if scope in ("closing", "last_paragraph") else found[0]
            return analysis.first_sentence(item)
    return None


CHECK = Required
