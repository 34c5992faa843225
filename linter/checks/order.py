"""order: the moves of the email in the order the advice gives them.

A move is out of order when it only ever appears before the move that should
precede it: its last occurrence comes before that move's first.  A request made
in passing early on ("... in a second conversation") and made again in its
place after the interest is not out of order; one made only up front is.
"""
from __future__ import annotations

from .base import Check
from ..model import Hit


class Order(Check):
    kind = "order"

    def __init__(self, rule):
        super().__init__(rule)
        self.moves = [(m["name"], self.spec({k: v for k, v in m.items() if k != "name"},
                                            field=f"moves[{i}]."))
                      for i, m in enumerate(rule.options["moves"])]

    def run(self, analysis, items):
        for item in items:
            seen = []  # (first span, last span, move name) of each move found, in the advice's order
            for name, spec in self.moves:
                found = spec.find(analysis, item)
                if found:
                    seen.append((found[0], found[-1], name))
            for (prev_first, _, prev), (span, last, name) in zip(seen, seen[1:]):
                if last.start < prev_first.start:
                    yield Hit(span.start, span.end, {"match": analysis.quote(span), "move": name,
                                                     "before": prev})
                    break


CHECK = Order
