"""The engine: every enabled rule runs its check over its scope -> findings.

    draft -> (spaCy, only the components the rules need) -> Analysis
          -> for each rule: when? -> check.run(items) -> unless? -> Finding

No printing and no file writing here; reading files is delegated to
``sources``.  spaCy is loaded on first need and then stays warm.
"""
from __future__ import annotations

import string
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator, Sequence

from .checks import check_class
from .document import Draft
from .errors import InputError, LintError, RuleError
from .matching import MatchSpec
from .model import Finding, Hit, Rule
from .scopes import Analysis


class _Values(dict):
    """Message values; an unknown ``{name}`` stays as it is instead of failing."""

    def __missing__(self, key):
        return "{" + key + "}"


def render(template: str, values: dict[str, Any]) -> str:
    try:
        return string.Formatter().vformat(template, (), _Values(values))
    except (ValueError, IndexError, AttributeError):
        return template


class RuleRunner:
    """One rule compiled: its check plus the rule-level ``when`` and ``unless`` conditions."""

    def __init__(self, rule: Rule):
        self.rule = rule
        try:
            self.check = check_class(rule.kind)(rule)
        except KeyError as exc:
            raise RuleError(rule.path, f"missing value {exc}", rule=rule.id, field=str(exc).strip("'")) from None
        when = rule.when or {}
        self.has = MatchSpec(when["has"], path=rule.path, rule=rule.id, field="when.has.") if when.get("has") else None
        self.lacks = MatchSpec(when["lacks"], path=rule.path, rule=rule.id, field="when.lacks.") if when.get("lacks") else None
        self.unless = MatchSpec(rule.unless, path=rule.path, rule=rule.id, field="unless.") if rule.unless else None

    def specs(self) -> list[MatchSpec]:
        return [s for s in (self.has, self.lacks, self.unless) if s is not None]

    @property
    def needs(self) -> frozenset[str]:
        out = set(self.check.needs)
        for s in self.specs():
            out |= s.needs
        if self.unless is not None:
            out.add("sents")
        return frozenset(out)

    def prepare(self, vocab) -> None:
        self.check.prepare(vocab)
        for s in self.specs():
            s.prepare(vocab)

    def run(self, analysis: Analysis) -> Iterator[Hit]:
        if self.has is not None or self.lacks is not None:
            doc_items = analysis.items("document")
            present = lambda spec: any(spec.find(analysis, it) for it in doc_items)  # noqa: E731
            if self.has is not None and not present(self.has):
                return
            if self.lacks is not None and present(self.lacks):
                return
        items = analysis.items(self.rule.scope)
        for hit in self.check.run(analysis, items):
            if self.unless is not None:
                window = analysis.sentence_of(hit.start)
                if window is not None and self.unless.find(analysis, window):
                    continue
            yield hit


def select_rules(rules: Sequence[Rule], select: Iterable[str] = (), ignore: Iterable[str] = ()) -> list[Rule]:
    """Filter rules by code, code prefix (``FL3``) or id; ``ALL`` selects everything."""
    select = [s.strip() for s in select if s.strip()]
    ignore = [s.strip() for s in ignore if s.strip()]

    def matches(rule: Rule, sel: str) -> bool:
        return sel == "ALL" or rule.id == sel or rule.code.startswith(sel.upper())

    out = []
    for r in rules:
        if select and not any(matches(r, s) for s in select):
            continue
        if any(matches(r, s) for s in ignore):
            continue
        out.append(r)
    return out


def unknown_selectors(rules: Sequence[Rule], selectors: Iterable[str]) -> list[str]:
    """Selectors that match no rule at all (probably a typo)."""
    return [s for s in selectors if s.strip() and s.strip() != "ALL" and not select_rules(rules, [s])]


@dataclass
class FileResult:
    """What linting one draft produced."""

    path: str
    draft: Draft | None = None
    findings: list[Finding] = field(default_factory=list)
    errors: list[LintError] = field(default_factory=list)


class Linter:
    """Runs a set of rules over drafts.  Build once, lint many: spaCy loads on first need."""

    def __init__(self, rules: Sequence[Rule], *, model: str | None = None):
        self.rules = list(rules)
        self.model = model
        self.runners = [RuleRunner(r) for r in self.rules]
        needs: set[str] = set()
        for r in self.runners:
            needs |= r.needs
        self.features = frozenset(needs)
        self._pipeline = None

    @property
    def pipeline(self):
        """The spaCy pipeline, loaded (once) with only the components the rules need."""
        if self._pipeline is None and self.features:
            from .nlp import get_pipeline

            self._pipeline = get_pipeline(self.model, self.features)
            for r in self.runners:
                r.prepare(self._pipeline.vocab)
        return self._pipeline

    def annotate(self, drafts: Iterable[Draft]) -> Iterator[Analysis]:
        if not self.features:
            for d in drafts:
                yield Analysis(d)
            return
        for draft, doc in self.pipeline.annotate(drafts):
            yield Analysis(draft, doc)

    def findings(self, analysis: Analysis) -> FileResult:
        """Run every rule over one analysed draft."""
        draft = analysis.draft
        result = FileResult(draft.path, draft)
        for runner in self.runners:
            rule = runner.rule
            try:
                hits = list(runner.run(analysis))
            except RuleError as exc:  # e.g. a regex over its time budget: that rule only
                result.errors.append(exc)
                continue
            for hit in hits:
                result.findings.append(self.finding(draft, rule, hit))
        result.findings.sort(key=Finding.sort_key)
        return result

    @staticmethod
    def finding(draft: Draft, rule: Rule, hit: Hit) -> Finding:
        line, col = draft.position(hit.start)
        end_line, end_col = draft.position(hit.end)
        values = dict(hit.values)
        values.setdefault("match", "")
        return Finding(path=draft.path, rule_id=rule.id, code=rule.code, severity=rule.severity,
                       advice=rule.advice, message=render(rule.message, values), start=hit.start,
                       end=hit.end, line=line, column=col, end_line=end_line, end_column=end_col,
                       fix=hit.fix)

    def lint_drafts(self, drafts: Iterable[Draft]) -> Iterator[FileResult]:
        """Lint drafts in order, streaming."""
        for analysis in self.annotate(drafts):
            yield self.findings(analysis)

    def lint_draft(self, draft: Draft) -> FileResult:
        return next(self.lint_drafts([draft]))


def lint_text(text: str, path: str = "<text>", *, rules: Sequence[Rule] | None = None,
              model: str | None = None, linter: Linter | None = None) -> list[Finding]:
    """Lint a draft given as a string; the kind is taken from ``path``'s suffix."""
    from .loader import load_rules
    from .sources import draft_from_text

    linter = linter or Linter(rules if rules is not None else load_rules(), model=model)
    return linter.lint_draft(draft_from_text(text, path)).findings


def iter_results(linter: Linter, files: Sequence[str], *, max_bytes: int | None = None) -> Iterator[FileResult]:
    """Read and lint ``files`` as a stream, yielding one FileResult per file in the given order.

    Memory holds one batch of drafts, never the whole library; a file that
    cannot be read yields a FileResult with the error, and the rest go on.
    """
    from .sources import DEFAULT_MAX_BYTES, read_draft

    index = {f: i for i, f in enumerate(files)}
    failed: list[FileResult] = []

    def drafts() -> Iterator[Draft]:
        for f in files:
            try:
                draft, _ = read_draft(f, max_bytes=max_bytes or DEFAULT_MAX_BYTES)
            except InputError as exc:
                failed.append(FileResult(f, errors=[exc]))
                continue
            yield draft

    for res in linter.lint_drafts(drafts()):
        while failed and index[failed[0].path] < index[res.path]:
            yield failed.pop(0)
        yield res
    yield from failed


def lint_paths(paths: Sequence[str], *, rules: Sequence[Rule] | None = None, model: str | None = None,
               linter: Linter | None = None) -> list[FileResult]:
    """Lint files and directories; inputs that cannot be read become FileResults with errors."""
    from .loader import load_rules
    from .sources import discover

    linter = linter or Linter(rules if rules is not None else load_rules(), model=model)
    files, errors = discover([p for p in paths if p != "-"])
    return [FileResult(e.path, errors=[e]) for e in errors] + list(iter_results(linter, files))
