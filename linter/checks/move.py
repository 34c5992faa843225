"""move: the sentence model's judgement of a move, as a rule.

    kind: move
    move: [blame-reader, hostility]   # one or more of the model's moves (tests/LABELLING.md)
    report: each                      # each: every body sentence that makes the move
                                      # missing: the body never makes it (reported where it belongs)
                                      # last: the last body sentence makes it (how the note ends)
    min-score: 0.6                    # optional; default: the model's own threshold for each move;
                                      # or per move: {blame-reader: 0.5, hostility: 0.6}
    target: blame-reader              # optional, with a group (blame, demand) as the move: only the
                                      # sentences whose strongest member move is this one
    anchors: {phrases: [...]}         # optional patterns that make the move whatever the score
    sure-score: 0.5                   # optional: a finding whose confidence is under it is reported as
                                      # info: shown with its score, but it never fails a run

A sentence makes the move when its score for any of the rule's moves reaches
the threshold, or an anchor matches inside it.  ``unless`` and ``when`` work
as for every rule.  A finding's ``confidence`` is the score behind it (1.0 for
an anchor; for a missing move, 1 minus the best sentence's score).  Each run
also leaves the evidence the checklist shows: the sentence that makes the move
(or comes closest) and its score.
"""
from __future__ import annotations

import bisect
from typing import NamedTuple

from ..errors import RuleError
from ..model import Hit
from .base import Check
from .required import place_missing


def shown_score(j) -> float:
    """The score a user is shown: two decimals, or up to four where two would put it on the wrong side of
    its threshold (0.6998 under 0.70 is shown as 0.6998, never as 0.70 and "missing")."""
    from ..moves import shown

    return float(shown(j.score, j.limit))


def sentence_scores(analysis):
    """The body's sentences and the model's scores for them (sentences x moves), once per draft."""
    key = ("move-scores",)
    if key not in analysis.cache:
        from ..moves import get_model

        model = get_model()
        spans = analysis.sentences()
        texts = [analysis.text[s.start:s.end] for s in spans]
        positions = [(i, len(spans)) for i in range(len(spans))]
        analysis.cache[key] = (model, spans, model.scores(texts, positions))
    return analysis.cache[key]


class Judged(NamedTuple):
    """One body sentence as the rule sees it: its best score among the rule's moves, against that move's threshold."""
    span: object
    score: float
    passes: bool
    move: str
    limit: float


class Move(Check):
    kind = "move"

    def __init__(self, rule):
        super().__init__(rule)
        from ..moves import OUTPUTS as MOVES
        from ..moves import rule_moves, stray_threshold

        self.moves = rule_moves(rule.options)
        unknown = [m for m in self.moves if m not in MOVES]
        if unknown:
            raise RuleError(rule.path, f"unknown move {unknown[0]!r} (the model's moves: {', '.join(MOVES)})",
                            rule=rule.id, field="move")
        self.target = rule.options.get("target")
        if self.target is not None:
            from ..moves import GROUPS

            members = [m for g in self.moves for m in GROUPS.get(g, ())]
            if self.target not in members:
                raise RuleError(rule.path, f"target {self.target!r} is not a member of {', '.join(self.moves)} "
                                           f"(members: {', '.join(members) or 'none'})", rule=rule.id, field="target")
            self.members = [m for g in self.moves for m in GROUPS.get(g, ()) if self.target in GROUPS.get(g, ())]
        self.report = rule.options["report"]
        stray = stray_threshold(rule.options)
        if stray is not None:
            raise RuleError(rule.path, f"min-score names {stray!r}, which is not one of the rule's moves "
                                       f"({', '.join(self.moves)})", rule=rule.id, field="min-score")
        self.sure_score = rule.options.get("sure-score")
        self.anchors = self.spec(rule.options["anchors"], field="anchors.") if rule.options.get("anchors") else None
        self.report_at = rule.options.get("report_at", "body")

    def extra_needs(self):
        return frozenset({"sents"})

    def thresholds(self, model) -> dict[str, float]:
        from ..moves import threshold

        return {m: threshold(self.rule.options, m, model)[0] for m in self.moves}

    def judge(self, analysis, items):
        """A ``Judged`` for each body sentence inside the rule's scope, in order."""
        model, spans, scores = sentence_scores(analysis)
        limits = self.thresholds(model)
        cols = {m: model.column(m) for m in self.moves}
        out = []
        starts = [it.start for it in items]
        for i, span in enumerate(spans):
            if items:  # items are in document order and do not overlap: the one that could hold it is found by bisection
                k = bisect.bisect_right(starts, span.start) - 1
                if k < 0 or not items[k].contains(span):
                    continue
            best_move = max(self.moves, key=lambda m: float(scores[i, cols[m]]) - limits[m])
            score, limit = float(scores[i, cols[best_move]]), limits[best_move]
            passes = score >= limit
            if self.target is not None:
                strongest = max(self.members, key=lambda m: float(scores[i, self.member_column(model, m)]))
                passes = passes and strongest == self.target
                best_move = self.target
            out.append(Judged(span, score, passes, best_move, limit))
        return out

    def member_column(self, model, member):
        """The column that says which member of the group a sentence is (``group>member``), else the member's own."""
        for g in self.moves:
            if f"{g}>{member}" in model.moves:
                return model.column(f"{g}>{member}")
        return model.column(member)

    def run(self, analysis, items):
        judged = self.judge(analysis, items)
        # anchors are looked for only where they can change the outcome: every sentence for "each",
        # the last one for "last", and for "missing" only when the model found the move nowhere
        if self.report == "last":
            candidates = judged[-1:]
        elif self.report == "missing" and any(j.passes for j in judged):
            candidates = []
        else:
            candidates = judged
        anchored = {}
        if self.anchors is not None:
            for j in candidates:
                found = self.anchors.find(analysis, j.span)
                if found:
                    anchored[j.span] = found[0]

        def anchor(j):  # an anchor inside the sentence makes the move whatever the score
            return j._replace(score=1.0, passes=True) if j.span in anchored else j

        if self.report == "each":
            for j in map(anchor, judged):
                if j.passes:
                    yield self.hit(analysis, anchored.get(j.span, j.span), j)
        elif self.report == "last":
            if judged:
                j = anchor(judged[-1])
                if j.passes:
                    yield self.hit(analysis, j.span, j)
        else:  # missing
            present = [j for j in map(anchor, judged) if j.passes]
            best = max(present or judged, key=lambda j: j.score, default=None)
            self.evidence(analysis, "present" if present else "missing", best)
            if present:
                return
            at = self.place(analysis)
            if at is not None:
                confidence = 1.0 - (best.score if best else 0.0)
                values = {"match": analysis.quote(at), "closest": analysis.quote(best.span) if best else "",
                          "score": shown_score(best) if best else 0.0}
                yield Hit(at.start, at.end, values, confidence=round(confidence, 2), severity=self.loudness(confidence))

    def hit(self, analysis, at, j):
        """A finding at ``at`` (the sentence, or an anchor's words inside it) for the judged sentence ``j``."""
        values = {"match": analysis.quote(at), "sentence": analysis.quote(j.span),
                  "score": shown_score(j), "move": j.move}
        return Hit(at.start, at.end, values, confidence=round(j.score, 2), severity=self.loudness(j.score))

    def loudness(self, confidence):
        """``info`` for a judgement less sure than the rule's ``sure-score`` (None: the rule's own severity)."""
        return "info" if self.sure_score is not None and confidence < float(self.sure_score) else None

    def evidence(self, analysis, status, best) -> None:
        entry = {"rule": self.rule.id, "code": self.rule.code, "advice": self.rule.advice,
                 "move": self.moves[0], "status": status}
        if best is not None:
            entry.update(start=best.span.start, end=best.span.end, score=shown_score(best))
        analysis.evidence.append(entry)

    def place(self, analysis):
        return place_missing(analysis, self.report_at)


CHECK = Move
