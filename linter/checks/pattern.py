"""pattern: spaCy Matcher token patterns (LOWER, LEMMA, POS, TAG, DEP, MORPH, ENT_TYPE, OP, ...)."""
from __future__ import annotations

from .existence import Existence


class Pattern(Existence):
    """Same behaviour as existence; the rule's ``patterns`` are spaCy Matcher patterns."""

    kind = "pattern"


CHECK = Pattern
