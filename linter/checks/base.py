"""The Check base class every kind module builds on."""
from __future__ import annotations

from typing import Any, ClassVar, Iterator

from ..document import Span
from ..matching import MatchSpec
from ..model import Hit, Rule


class Check:
    """Turns one rule and one draft's analysis into hits.

    Subclasses read their kind's fields in ``__init__`` (raising RuleError
    for bad values), declare ``needs`` (spaCy features) and implement ``run``.
    """

    kind: ClassVar[str] = ""

    def __init__(self, rule: Rule):
        self.rule = rule
        self.specs: list[MatchSpec] = []

    def spec(self, data: dict[str, Any] | None, field: str = "") -> MatchSpec:
        """Compile a match spec of this rule and remember it for ``prepare``."""
        spec = MatchSpec(data or {}, path=self.rule.path, rule=self.rule.id, field=field)
        self.specs.append(spec)
        return spec

    @property
    def needs(self) -> frozenset[str]:
        out: set[str] = set()
        for s in self.specs:
            out |= s.needs
        if self.rule.scope == "sentence":
            out.add("sents")
        return frozenset(out) | self.extra_needs()

    def extra_needs(self) -> frozenset[str]:
        return frozenset()

    def prepare(self, vocab) -> None:
        for s in self.specs:
            s.prepare(vocab)

    def run(self, analysis, items: list[Span]) -> Iterator[Hit]:
        raise NotImplementedError


def match_spec_of(rule: Rule) -> dict[str, Any]:
    """The match-spec keys a rule file sets at its top level."""
    return {k: rule.options[k] for k in MatchSpec.KEYS if k in rule.options}
