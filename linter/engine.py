"""The engine: every enabled rule runs its check over its scope -> findings.

    draft -> (spaCy, only the components the rules need) -> Analysis
          -> for each rule: when? -> check.run(items) -> unless? -> Finding

No printing, no reading and no writing of files here: a run (``run.py``)
reads drafts, picks each one's configuration and hands them over.  spaCy is
loaded on first need and then stays warm.
"""
from __future__ import annotations

import itertools
import string
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator, Sequence

from . import suppress
from .checks import check_class
from .config import Config, front_matter_context
from .document import Draft
from .errors import LintError, RuleError
from .loader import load_rules
from .matching import MatchSpec
from .model import Finding, Hit, Rule, severity_rank
from .nlp import get_pipeline
from .scopes import Analysis
from .selectors import select_rules, selects

__all__ = ["FileResult", "Linter", "RuleRunner", "render", "select_rules"]


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


@dataclass
class FileResult:
    """What linting one draft produced."""

    path: str
    draft: Draft | None = None
    findings: list[Finding] = field(default_factory=list)
    errors: list[LintError] = field(default_factory=list)
    fail_on: str = "error"  # the lowest severity that fails the run, from this draft's configuration
    evidence: list[dict] = field(default_factory=list)  # the move model's evidence (see checks/move.py)


class Linter:
    """Runs a set of rules over drafts.  Build once, lint many: spaCy loads on first need."""

    def __init__(self, rules: Sequence[Rule], *, model: str | None = None, config: Config | None = None):
        self.config = config or Config()
        self.context = self.config.context
        self.rules = list(rules)
        self.model = model or self.config.model
        self.runners = [RuleRunner(r) for r in self.rules]
        needs: set[str] = set()
        company_needs: set[str] = set()
        for r in self.runners:
            # a rule tagged needs-company (e.g. the entity recognizer's) costs nothing until a context names one
            (company_needs if "needs-company" in r.rule.tags else needs).update(r.needs)
        self.features = frozenset(needs | (company_needs if self.context.company else set()))
        self.company_features = frozenset(needs | company_needs)
        self._pipeline = None
        self._contexts: dict[int, Any] = {}

    @property
    def pipeline(self):
        """The spaCy pipeline, loaded (once) with only the components the rules need."""
        if self._pipeline is None and self.features:
            pipeline = get_pipeline(self.model, self.features)
            for r in self.runners:  # a malformed pattern raises here, and the next call raises again
                r.prepare(pipeline.vocab)
            self._pipeline = pipeline
        return self._pipeline

    def context_for(self, draft: Draft):
        """The configuration's context, with the draft's front matter on top."""
        ctx = self.context
        if draft.front_matter is not None:
            try:
                extra = front_matter_context(draft)
            except LintError as exc:
                self._contexts[id(draft)] = exc
                return ctx
            if extra is not None:
                ctx = ctx.merged(extra)
        return ctx

    def annotate(self, drafts: Iterable[Draft]) -> Iterator[Analysis]:
        with_context = ((d, self.context_for(d)) for d in drafts)
        # drafts whose context names a company need more of spaCy (the entity recognizer): group the stream
        for features, group in itertools.groupby(
                with_context, key=lambda dc: self.company_features if dc[1].company else self.features):
            group = list(group) if features != self.features else group
            contexts: dict[int, Any] = {}

            def just_drafts(pairs=group, contexts=contexts):
                for d, c in pairs:
                    contexts[id(d)] = c
                    yield d

            if not features:
                for d in just_drafts():
                    yield Analysis(d, None, contexts.pop(id(d)))
                continue
            pipeline = self.pipeline if features == self.features else self._pipeline_for(features)
            for draft, doc in pipeline.annotate(just_drafts()):
                yield Analysis(draft, doc, contexts.pop(id(draft)))

    def _pipeline_for(self, features):
        pipeline = get_pipeline(self.model, features)
        for r in self.runners:
            r.prepare(pipeline.vocab)  # matchers compare string hashes: any vocab of the same model works
        return pipeline

    def findings(self, analysis: Analysis) -> FileResult:
        """Run every rule over one analysed draft."""
        draft = analysis.draft
        result = FileResult(draft.path, draft, fail_on=self.config.fail_on)
        context_error = self._contexts.pop(id(draft), None)
        if context_error is not None:
            result.errors.append(context_error)
        ignored = self.config.ignored_for(draft.path) if self.config.per_file_ignores else ()
        unused_rule = None
        for runner in self.runners:
            rule = runner.rule
            if rule.id == suppress.UNUSED_RULE_ID:
                unused_rule = rule
                continue
            if ignored and any(selects(s, rule.code, rule.id) for s in ignored):
                continue
            if "needs-company" in rule.tags and not analysis.context.get("company"):
                continue
            try:
                hits = list(runner.run(analysis))
            except RuleError as exc:  # e.g. a regex over its time budget: that rule only
                result.errors.append(exc)
                continue
            for hit in hits:
                result.findings.append(self.finding(draft, rule, hit))
        # inline suppressions depend only on the draft's text: applied here, so cached results include them
        kept, problems = suppress.apply(draft, result.findings, self.rules, report_unused=unused_rule is not None,
                                        known=self.is_installed)
        result.findings = kept
        for span, problem in problems:
            result.findings.append(self.finding(draft, unused_rule, Hit(span.start, span.end, {"problem": problem})))
        result.findings.sort(key=Finding.sort_key)
        result.evidence = [self.placed(draft, e) for e in analysis.evidence]
        return result

    @staticmethod
    def placed(draft: Draft, evidence: dict) -> dict:
        """Evidence with its sentence quoted and positioned, as reports show it."""
        out = dict(evidence)
        if "start" in out:
            out["line"], out["column"] = draft.position(out["start"])
            out["sentence"] = " ".join(draft.source[out["start"]:out["end"]].split())
        return out

    def is_installed(self, selector: str) -> bool:
        """Does ``selector`` name any installed rule, enabled or not (built-in or from the rule directories)?"""
        if not hasattr(self, "_installed"):
            try:
                self._installed = [(r.code, r.id) for r in load_rules(self.config.rules_dirs)]
            except LintError:
                self._installed = [(r.code, r.id) for r in self.rules]
        return any(selects(selector, code, rid) for code, rid in self._installed)

    @staticmethod
    def finding(draft: Draft, rule: Rule, hit: Hit) -> Finding:
        line, col = draft.position(hit.start)
        end_line, end_col = draft.position(hit.end)
        values = dict(hit.values)
        values.setdefault("match", "")
        severity = rule.severity
        if hit.severity is not None and severity_rank(hit.severity) < severity_rank(severity):
            severity = hit.severity  # an unsure judgement is only ever quieter than the rule
        return Finding(path=draft.path, rule_id=rule.id, code=rule.code, severity=severity,
                       advice=rule.advice, message=render(rule.message, values), start=hit.start,
                       end=hit.end, line=line, column=col, end_line=end_line, end_column=end_col,
                       fix=hit.fix, confidence=hit.confidence)

    def lint_drafts(self, drafts: Iterable[Draft]) -> Iterator[FileResult]:
        """Lint drafts in order, streaming."""
        for analysis in self.annotate(drafts):
            yield self.findings(analysis)

    def lint_draft(self, draft: Draft) -> FileResult:
        return next(self.lint_drafts([draft]))
