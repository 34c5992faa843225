"""order: the moves of the email in the order the advice gives them."""
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
            seen = []  # (position, move name) of each move found, in the advice's order
            for name, spec in self.moves:
                found = spec.find(analysis, item)
                if found:
                    seen.append((found[0], name))
            for (prev_span, prev), (span, name) in zip(seen, seen[1:]):
                if span.start < prev_span.start:
                    yield Hit(span.start, span.end, {"match": analysis.quote(span), "move": name,
                                                     "before": prev})
                    break


CHECK = Order
