"""repetition: the same word twice in a row ("the the"), with a safe fix that deletes the second one.

``allow`` lists words that may legitimately repeat ("that that", "had had").
Repeats across a blank line (a new paragraph) and repeats that touch a
placeholder are not reported.
"""
from __future__ import annotations

import regex

from ..model import Edit, Fix, Hit
from .base import Check

_DOUBLE = regex.compile(r"(?<![\w'’])([^\W\d_]+(?:['’][^\W\d_]+)?)((?:[ \t]+|[ \t]*\r?\n[ \t]*))(\1)(?![\w'’])",
                        regex.I)


class Repetition(Check):
    kind = "repetition"

    def __init__(self, rule):
        super().__init__(rule)
        self.allow = {w.lower() for w in rule.options.get("allow", ())}

    def run(self, analysis, items):
        text = analysis.text
        draft = analysis.draft
        for item in items:
            for m in _DOUBLE.finditer(text, item.start, item.end, overlapped=False):
                word = m.group(1)
                if word.lower() in self.allow or word[:1] == "X" and word[1:] == "x" * (len(word) - 1):
                    continue
                from ..document import Span

                span = Span(m.start(), m.end())
                if draft.placeholder_at(span) is not None:
                    continue
                fix = Fix((Edit(m.start(2), m.end(3), ""),), safe=self.rule.fix == "safe",
                          title=f"Delete the second “{m.group(3)}”")
                yield Hit(span.start, span.end, {"match": analysis.quote(span), "word": word}, fix)


CHECK = Repetition
