"""sentiment: the tone of each scope item (VADER compound score, -1..1) kept within a min and/or max.

VADER (see ``tone.py``) weighs negation, intensifiers, capitals and
exclamation marks, which is how a tense email goes wrong.

A lexicon cannot hear resignation said in neutral words ("I'm not expecting
much", "it's probably too late"), so a rule may also give a ``move``: an item
that makes the move, with nothing warm after it, is out of bounds too.  "Warm"
is VADER's own threshold for a positive text (compound >= 0.05).
"""
from __future__ import annotations

from ..model import Hit
from ..tone import compound
from .base import Check

class Sentiment(Check):
    kind = "sentiment"

    def __init__(self, rule):
        super().__init__(rule)
        self.min = rule.options.get("min")
        self.max = rule.options.get("max")
        self.move = self.spec(rule.options["move"], field="move.") if rule.options.get("move") else None

    def run(self, analysis, items):
        for item in items:
            score = round(compound(" ".join(analysis.slice(item).split())), 2)
            if (self.min is not None and score < self.min) or (self.max is not None and score > self.max) \
                    or self._resigned(analysis, item):
                at = item if self.rule.scope == "sentence" else analysis.first_line(item)
                yield Hit(at.start, at.end, {"match": analysis.quote(at), "value": score,
                                              "min": self.min, "max": self.max})

    def _resigned(self, analysis, item) -> bool:
        """The item makes the rule's move and ends without anything warm after it."""
        if self.move is None:
            return False
        found = self.move.find(analysis, item)
        if not found:
            return False
        after = " ".join(analysis.text[found[-1].end:item.end].split())
        return compound(after) < WARM if after.strip(" .,;:!?") else True


WARM = 0.05  # VADER's published cut-off for a positive text


CHECK = Sentiment
