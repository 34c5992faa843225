"""Check kinds: the engine's whole vocabulary.  One module per kind, one registry entry each.

A rule file names its ``kind``; the kind's module reads the rule's own
fields, says what it needs from spaCy, and turns an :class:`Analysis` into
hits.  Modules are imported only when a rule of their kind is loaded.
"""
from __future__ import annotations

import importlib

from .base import Check

REGISTRY = {
    "existence": "existence",
    "substitution": "substitution",
    "occurrence": "occurrence",
    "metric": "metric",
    "pattern": "pattern",
    "dependency": "dependency",
    "required": "required",
    "sentiment": "sentiment",
    "order": "order",
    "placeholder": "placeholder",
    "repetition": "repetition",
    "greeting-name": "greeting_name",
    "organization": "organization",
    "company-values": "company_values",
    "suppression": "suppression",
    "move": "move",
}


def check_class(kind: str) -> type[Check]:
    """The Check class registered for ``kind`` (KeyError if there is none)."""
    module = importlib.import_module(f"{__name__}.{REGISTRY[kind]}")
    return module.CHECK


__all__ = ["Check", "REGISTRY", "check_class"]
