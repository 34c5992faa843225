"""occurrence: how many times something appears in each scope item, with a min and/or max."""
from __future__ import annotations

from ..model import Hit
from .base import Check, match_spec_of


class Occurrence(Check):
    kind = "occurrence"

    def __init__(self, rule):
        super().__init__(rule)
        self.match = self.spec(match_spec_of(rule))
        self.min = rule.options.get("min")
        self.max = rule.options.get("max")

    def run(self, analysis, items):
        for item in items:
            found = self.match.find(analysis, item)
            n = len(found)
            if self.max is not None and n > self.max:
                first_extra = found[self.max]
                yield Hit(first_extra.start, first_extra.end,
                          {"match": analysis.quote(first_extra), "count": n, "nth": self.max + 1,
                           "max": self.max, "min": self.min})
            elif self.min is not None and n < self.min:
                at = analysis.first_line(item)
                yield Hit(at.start, at.end, {"match": analysis.quote(at), "count": n,
                                             "max": self.max, "min": self.min})


CHECK = Occurrence
