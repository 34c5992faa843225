"""order: the moves of the email in the order the advice gives them.

    moves:
      - name: acknowledgment of the gap
        move: disconnect            # judged by the move model (its own threshold), like the missing-move rules
      - name: request to talk again
        use: [asks-another-chance]  # or by patterns (any match-spec key); with both, the patterns count
                                    # only where the model finds the move nowhere (as a rule's anchors)

A move is out of order when it only ever appears before the move that should
precede it: its last occurrence comes before that move's first.  A request made
in passing early on ("... in a second conversation") and made again in its
place after the interest is not out of order; one made only up front is.
"""
from __future__ import annotations

from .base import Check
from .move import sentence_scores
from ..model import Hit


class Order(Check):
    kind = "order"

    def __init__(self, rule):
        super().__init__(rule)
        self.moves = []  # (name, model move or None, match spec or None), in the advice's order
        for i, m in enumerate(rule.options["moves"]):
            pattern = {k: v for k, v in m.items() if k not in ("name", "move")}
            spec = self.spec(pattern, field=f"moves[{i}].") if pattern else None
            self.moves.append((m["name"], m.get("move"), spec))

    def extra_needs(self):
        return frozenset({"sents"}) if any(move for _, move, _ in self.moves) else frozenset()

    def found(self, analysis, item, move, spec):
        """Where a step's move is made inside ``item``, in document order."""
        if move:
            model, spans, scores = sentence_scores(analysis)
            col, limit = model.column(move), float(model.thresholds.get(move, 0.5))
            judged = [s for i, s in enumerate(spans) if item.contains(s) and scores[i, col] >= limit]
            if judged or spec is None:
                return judged
        # patterns: the step's only judge, or (as a missing-move rule's anchors) where the model found the move nowhere
        return list(spec.find(analysis, item))

    def run(self, analysis, items):
        for item in items:
            seen = []  # (first span, last span, move name) of each move found, in the advice's order
            for name, move, spec in self.moves:
                found = self.found(analysis, item, move, spec)
                if found:
                    seen.append((found[0], found[-1], name))
            for (prev_first, _, prev), (span, last, name) in zip(seen, seen[1:]):
                if last.start < prev_first.start:
                    yield Hit(span.start, span.end, {"match": analysis.quote(span), "move": name,
                                                     "before": prev})
                    break


CHECK = Order
