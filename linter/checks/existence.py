"""existence: words, phrases, regexes or lemmas that should not appear in the scope."""
from __future__ import annotations

from ..model import Hit
from .base import Check, match_spec_of


class Existence(Check):
    kind = "existence"

    def __init__(self, rule):
        super().__init__(rule)
        self.match = self.spec(match_spec_of(rule))

    def run(self, analysis, items):
        for item in items:
            for s in self.match.find(analysis, item):
                yield Hit(s.start, s.end, {"match": analysis.quote(s)})


CHECK = Existence
