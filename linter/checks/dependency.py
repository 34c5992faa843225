"""dependency: spaCy DependencyMatcher patterns over the parse ("you" as the subject of a blame verb)."""
from __future__ import annotations

from .existence import Existence


class Dependency(Existence):
    """Same behaviour as existence; the rule's ``dependency`` holds DependencyMatcher patterns."""

    kind = "dependency"


CHECK = Dependency
