"""suppression: reports suppression comments that no longer suppress anything (see ``suppress.py``).

Whether a suppression was used is only known after every other rule has
run, so the engine's per-draft step does the work; this kind finds nothing
on its own.  A rule of this kind gives the report its code, severity and
message (``{problem}`` says what is wrong with the comment).
"""
from __future__ import annotations

from .base import Check


class Suppression(Check):
    kind = "suppression"

    def run(self, analysis, items):
        return iter(())


CHECK = Suppression
