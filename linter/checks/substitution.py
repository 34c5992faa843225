"""substitution: a phrase with a better wording, carried as a fix."""
from __future__ import annotations

from ..model import Edit, Fix, Hit
from .base import Check


def _match_case(original: str, replacement: str) -> str:
    if original[:1].isupper() and replacement[:1].islower():
        return replacement[:1].upper() + replacement[1:]
    return replacement


def _key(text: str) -> str:
    """How a phrase and the text it matched compare: any case, any white space, either apostrophe."""
    return " ".join(text.lower().replace("’", "'").split())


class Substitution(Check):
    kind = "substitution"

    def __init__(self, rule):
        super().__init__(rule)
        swap = rule.options["swap"]
        # One pass over the text for all phrases; the longest phrase wins where several overlap.
        self.match = self.spec({"phrases": list(swap)}, field="swap.")
        self.replacements = {_key(phrase): repl for phrase, repl in swap.items()}
        self.safe = rule.fix == "safe"

    def run(self, analysis, items):
        source = analysis.draft.source
        for item in items:
            for s in self.match.find(analysis, item):
                repl = self.replacements[_key(source[s.start:s.end])]  # a match is always one whole phrase
                new = _match_case(source[s.start:s.end], repl)
                fix = Fix((Edit(s.start, s.end, new),), safe=self.safe, title=f"Replace with “{new}”")
                yield Hit(s.start, s.end, {"match": analysis.quote(s), "replacement": new}, fix)


CHECK = Substitution
