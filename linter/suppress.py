"""Inline suppressions: comments in the draft that silence rules, and the ones that no longer silence anything.

    <!-- followup-lint: disable=FL301 reason="quoting their feedback" -->
    <!-- followup-lint: enable=FL301 -->
    <!-- followup-lint: disable-next-line=FL702,FL703 -- both apologies are deliberate -->
    {# followup-lint: disable-file=FL101 #}          (Jinja-style templates)
    <!-- followup-lint: disable-file -->               (every rule, the whole file)

Rules are named as everywhere else (see :mod:`.selectors`): ``ALL``, a code
(FL301), a code prefix (FL3) or an id; no codes means all rules.  Suppressions depend only on the draft's text, so the engine applies
them in its per-draft step.  Comments are blanked from the lint view by the
parser, so they never reach the recipient's words being checked.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from .document import Draft, Span
from .model import Finding, Rule
from .selectors import ALL, selects

UNUSED_RULE_ID = "unused-suppression"

# The body is bounded so that many unclosed comments cannot make the search quadratic.
_COMMENT = re.compile(r"(?:<!--|\{#)\s*followup-lint\s*:(?P<body>(?:(?!-->|#\}).){0,500}?)(?:-->|#\})", re.S | re.I)
_DIRECTIVE = re.compile(
    r"""\s*(?P<action>disable-file|disable-next-line|disable|enable)
        (?:\s*=\s*(?P<codes>[A-Za-z0-9_,\s-]*?))?
        (?:\s+reason\s*=\s*(?:"(?P<r1>[^"]*)"|'(?P<r2>[^']*)')|\s+--\s*(?P<r3>.*?))?\s*\Z""",
    re.X | re.S | re.I,
)


@dataclass(frozen=True)
class Suppression:
    """One directive: what it does, to which rules (empty = all), where it takes effect, and why."""

    action: str
    selectors: tuple[str, ...]
    span: Span  # the comment itself
    region: Span  # the source offsets it covers
    reason: str = ""

    def covers(self, finding: Finding) -> bool:
        if not self.region.start <= finding.start < max(self.region.end, self.region.start + 1):
            return False
        return not self.selectors or any(selects(s, finding.code, finding.rule_id) for s in self.selectors)


def parse(draft: Draft) -> tuple[list[Suppression], list[tuple[Span, str]]]:
    """The draft's suppressions, and problems with comments that could not be read."""
    src = draft.source
    found: list[Suppression] = []
    problems: list[tuple[Span, str]] = []
    opened: list[Suppression] = []
    for m in _COMMENT.finditer(src):
        span = Span(m.start(), m.end())
        d = _DIRECTIVE.match(m.group("body").rstrip())
        if d is None:
            problems.append((span, "cannot be read: write disable=, enable=, disable-next-line= or disable-file, "
                                   "then the rule codes"))
            continue
        action = d.group("action").lower()
        selectors = tuple(c.strip() for c in re.split(r"[,\s]+", d.group("codes") or "") if c.strip())
        reason = next((r for r in (d.group("r1"), d.group("r2"), d.group("r3")) if r), "").strip()
        if action == "disable-file":
            found.append(Suppression(action, selectors, span, Span(0, len(src)), reason))
        elif action == "disable-next-line":
            found.append(Suppression(action, selectors, span, _next_line(draft, span.end), reason))
        elif action == "disable":
            opened.append(Suppression(action, selectors, span, Span(span.end, len(src)), reason))
        else:  # enable: closes the open disables it names
            still = []
            for o in opened:
                closing = not selectors or set(o.selectors) <= set(selectors) and o.selectors
                if closing:
                    found.append(Suppression(o.action, o.selectors, o.span, Span(o.region.start, span.start), o.reason))
                else:
                    still.append(o)
            opened = still
    found.extend(opened)
    return sorted(found, key=lambda s: s.span.start), problems


def _next_line(draft: Draft, offset: int) -> Span:
    """The first line after ``offset`` that has text in it (the line the directive stands above)."""
    src = draft.source
    line, _ = draft.position(offset)
    total = draft.position(len(src))[0]
    for n in range(line + 1, total + 1):
        s = draft.line_span(n)
        if src[s.start:s.end].strip():
            return s
    return Span(len(src), len(src))


def apply(draft: Draft, findings: Sequence[Finding], rules: Sequence[Rule],
          report_unused: bool = True, known=None) -> tuple[list[Finding], list[tuple[Span, str]]]:
    """Drop suppressed findings; return the rest and the problems to report as unused suppressions.

    ``known(selector)`` says whether a selector names an installed rule that is
    merely not enabled (then its suppression is left alone, not reported).
    """
    if "followup-lint" not in draft.source:
        return list(findings), []
    suppressions, problems = parse(draft)
    if not suppressions and not problems:
        return list(findings), []
    used: set[int] = set()
    kept: list[Finding] = []
    for f in findings:
        hit = [i for i, s in enumerate(suppressions) if s.covers(f)]
        if hit:
            used.update(hit)
        else:
            kept.append(f)
    if not report_unused:
        return kept, []
    for i, s in enumerate(suppressions):
        disabled = [sel for sel in s.selectors
                    if sel.upper() != ALL and not any(selects(sel, r.code, r.id) for r in rules)]
        unknown = [sel for sel in disabled if known is None or not known(sel)]
        if disabled and not unknown and len(disabled) == len(s.selectors):
            continue  # only names rules that are installed but not enabled here: nothing to say
        if unknown:
            problems.append((s.span, f"names {', '.join(unknown)}, which no installed rule matches"))
        elif i not in used:
            what = ", ".join(s.selectors) if s.selectors else "any rule"
            problems.append((s.span, f"no longer suppresses anything ({s.action}={what})" if s.selectors
                             else f"no longer suppresses anything ({s.action}, {what})"))
    problems.sort(key=lambda p: p[0].start)
    return kept, problems


__all__ = ["Suppression", "UNUSED_RULE_ID", "apply", "parse", "selects"]
