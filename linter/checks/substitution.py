"""substitution: a phrase with a better wording, carried as a fix."""
from __future__ import annotations

from ..model import Edit, Fix, Hit
from .base import Check


def _match_case(original: str, replacement: str) -> str:
    if original[:1].isupper() and replacement[:1].islower():
        return replacement[:1].upper() + replacement[1:]
    return replacement


class Substitution(Check):
    kind = "substitution"

    def __init__(self, rule):
        super().__init__(rule)
        swap = rule.options["swap"]
        self.pairs = [(self.spec({"phrases": [phrase]}, field=f"swap.{phrase}."), repl)
                      for phrase, repl in swap.items()]
        self.safe = rule.fix == "safe"

    def run(self, analysis, items):
        source = analysis.draft.source
        for item in items:
            for spec, repl in self.pairs:
                for s in spec.find(analysis, item):
                    new = _match_case(source[s.start:s.end], repl)
                    fix = Fix((Edit(s.start, s.end, new),), safe=self.safe,
                              title=f"Replace with “{new}”")
                    yield Hit(s.start, s.end, {"match": analysis.quote(s), "replacement": new}, fix)


CHECK = Substitution
