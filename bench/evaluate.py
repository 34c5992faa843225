"""Measure the rules on the labeled corpus: per rule TP/FP/FN, precision, recall, F1.

    python -m bench.evaluate tests/corpus                  # table on stdout + bench/EVALUATION.md
    python -m bench.evaluate tests/corpus --json           # the same figures as JSON on stdout
    python -m bench.evaluate tests/corpus --select FL3 --output /tmp/eval.md

Every draft in the corpus has a sidecar ``<stem>.yaml``::

    note: breaks blame and entitlement
    expect:
      blames-interviewer: ["you kept interrupting me"]   # quotes the finding must overlap
      missing-well-wishing: true                          # must fire (anywhere)

A rule a draft does not list must not fire on it; ``expect: {}`` labels a
draft clean.  Scoring, per rule and draft:

* a quote is a TP when at least one finding overlaps it (several findings on
  one quote count once), else a FN;
* a ``true`` label is a TP when the rule fires at all, else a FN;
* a finding that overlaps no quote of a quoted label, and every finding of a
  rule the draft does not list, is a FP.

The drafts are linted with the library (one warm :class:`Linter`, default
configuration), exactly as ``followup-lint`` reads them.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

import yaml

DEFAULT_CORPUS = "tests/corpus"
DEFAULT_OUTPUT = "bench/EVALUATION.md"

# The fixed catalog of built-in rule ids: a label may name one of these even
# while its rule file is not written yet (it is then not scored); any other
# id must belong to a loaded rule, so a typo in a label is an error.
CATALOG = (
    "body-too-long", "too-many-sentences", "long-sentence", "long-explanation",
    "missing-disconnect", "evasive-passive", "missing-can-do-better", "pretending-it-went-well",
    "blames-interviewer", "blames-questions-or-process", "excuses-circumstances",
    "missing-interest", "missing-core-values", "generic-praise", "over-the-top-flattery",
    "too-many-exclamations", "missing-another-chance", "entitled-demand", "deadline-pressure",
    "missing-well-wishing", "negative-ending", "moves-out-of-order",
    "self-insult", "piled-up-apologies", "grovelling", "dwelling-on-it",
)


class LabelError(Exception):
    """A sidecar label file that cannot be used: names the file and what is wrong."""

    def __init__(self, path: str | os.PathLike, message: str):
        self.path = str(path)
        self.message = message
        super().__init__(f"{self.path}: {message}")


@dataclass
class Case:
    """One draft of the corpus and what the rules should say about it."""

    draft_path: str
    label_path: str
    note: str
    expect: dict[str, Any]  # rule id -> True | list of quotes

    @property
    def clean(self) -> bool:
        return not self.expect


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    drafts: int = 0  # drafts on which the rule should fire
    expected: int = 0  # what it should find there: labeled quotes plus `true` labels (= TP + FN)

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None or p + r == 0:
            return None if p is None or r is None else 0.0
        return 2 * p * r / (p + r)


@dataclass
class Miss:
    """One false positive or false negative, for the lists under the table."""

    draft: str
    rule: str
    code: str
    text: str
    line: int | None = None
    column: int | None = None


@dataclass
class Evaluation:
    corpus: str
    drafts: int
    rules: list[Any]  # followup_lint Rule objects, in code order
    tallies: dict[str, Tally]
    clean_drafts: int = 0
    clean_false_alarms: int = 0
    false_positives: list[Miss] = field(default_factory=list)
    false_negatives: list[Miss] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def totals(self) -> Tally:
        t = Tally()
        for x in self.tallies.values():
            t.tp += x.tp
            t.fp += x.fp
            t.fn += x.fn
            t.drafts += x.drafts
            t.expected += x.expected
        return t

    @property
    def alarms_per_draft(self) -> float | None:
        return self.clean_false_alarms / self.clean_drafts if self.clean_drafts else None


# -- reading the corpus ----------------------------------------------------------


def load_cases(corpus: str | os.PathLike, known_rules: Sequence[str]) -> list[Case]:
    """Every draft in ``corpus`` with its validated sidecar labels (drafts in path order)."""
    from followup_lint.sources import discover

    root = Path(corpus)
    if not root.is_dir():
        raise LabelError(root, "is not a directory of labeled drafts")
    files, errors = discover([str(root)])
    if errors:
        raise LabelError(errors[0].path, errors[0].message)
    drafts = {Path(f).with_suffix(""): f for f in files}
    cases = []
    for stem, draft_path in sorted(drafts.items()):
        label = stem.with_suffix(".yaml")
        if not label.is_file():
            raise LabelError(draft_path, f"has no label file (expected {label.name} beside it)")
        cases.append(_read_case(draft_path, label, set(known_rules)))
    for label in sorted(root.rglob("*.yaml")):
        if label.with_suffix("") not in drafts:
            raise LabelError(label, "labels no draft (no file with the same name beside it)")
    return cases


def _read_case(draft_path: str, label: Path, known: set[str]) -> Case:
    from followup_lint.sources import read_draft

    try:
        data = yaml.safe_load(label.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise LabelError(label, f"cannot be read as YAML: {exc}") from None
    if not isinstance(data, dict) or "expect" not in data:
        raise LabelError(label, "needs an `expect:` mapping (use `expect: {}` for a clean draft)")
    expect = data["expect"] or {}
    if not isinstance(expect, dict):
        raise LabelError(label, "`expect` must map rule ids to true or a list of quotes")
    source = read_draft(draft_path)[0].source
    out: dict[str, Any] = {}
    for rule_id, value in expect.items():
        if rule_id not in known:
            raise LabelError(label, f"expect.{rule_id}: no rule has this id")
        if value is True:
            out[rule_id] = True
            continue
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not value or not all(isinstance(q, str) and q for q in value):
            raise LabelError(label, f"expect.{rule_id}: give true or a list of quotes from the draft")
        for q in value:
            if q not in source:
                raise LabelError(label, f"expect.{rule_id}: the quote “{q}” is not in {Path(draft_path).name}")
        out[rule_id] = list(value)
    return Case(draft_path, str(label), str(data.get("note") or ""), out)


def _occurrences(source: str, quote: str) -> list[tuple[int, int]]:
    spans, i = [], source.find(quote)
    while i != -1:
        spans.append((i, i + len(quote)))
        i = source.find(quote, i + 1)
    return spans


# -- scoring ---------------------------------------------------------------------------


def evaluate(corpus: str | os.PathLike, *, rules_dirs: Sequence[str] = (), select: Sequence[str] = (),
             linter=None) -> Evaluation:
    """Lint every draft of ``corpus`` and score each selected rule against the labels."""
    from followup_lint.engine import Linter, select_rules
    from followup_lint.loader import load_rules
    from followup_lint.sources import read_draft

    builtin = load_rules()
    rules = load_rules(rules_dirs, builtin=False) if rules_dirs else builtin
    if select:
        rules = select_rules(rules, select)
    known = set(CATALOG) | {r.id for r in builtin} | {r.id for r in rules}
    cases = load_cases(corpus, sorted(known))
    linter = linter or Linter(rules)
    ids = {r.id for r in rules}

    ev = Evaluation(str(corpus), len(cases), rules, {r.id: Tally() for r in rules})
    by_path = {c.draft_path: c for c in cases}
    for result in linter.lint_drafts(read_draft(c.draft_path)[0] for c in cases):
        case = by_path[result.path]
        for err in result.errors:
            ev.errors.append(f"{case.draft_path}: {err}")
        source = result.draft.source
        findings = [f for f in result.findings if f.rule_id in ids]
        if case.clean:
            ev.clean_drafts += 1
            ev.clean_false_alarms += len({(f.rule_id, f.start, f.end) for f in findings})
        for rule in rules:
            _score(ev, case, rule, [f for f in findings if f.rule_id == rule.id], source)
    return ev


def _score(ev: Evaluation, case: Case, rule, findings, source: str) -> None:
    tally = ev.tallies[rule.id]
    label = case.expect.get(rule.id)
    name = case.draft_path

    def fp(f):
        tally.fp += 1
        ev.false_positives.append(Miss(name, rule.id, rule.code, _quote(source, f.start, f.end), f.line, f.column))

    def fn(text):
        tally.fn += 1
        ev.false_negatives.append(Miss(name, rule.id, rule.code, text))

    unique = sorted({(f.start, f.end): f for f in findings}.values(), key=lambda f: (f.start, f.end))
    if label is None:
        for f in unique:
            fp(f)
        return
    tally.drafts += 1
    tally.expected += 1 if label is True else len(label)
    if label is True:
        if unique:
            tally.tp += 1
        else:
            fn("(should fire somewhere in the draft)")
        return
    regions = [(q, _occurrences(source, q)) for q in label]
    for quote, spans in regions:
        if any(f.start < e and s < f.end for f in unique for s, e in spans):
            tally.tp += 1
        else:
            fn(f"“{quote}”")
    for f in unique:
        if not any(f.start < e and s < f.end for _, spans in regions for s, e in spans):
            fp(f)


def _quote(source: str, start: int, end: int, limit: int = 90) -> str:
    text = " ".join(source[start:end].split())
    text = text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
    return f"“{text}”"


# -- reports ------------------------------------------------------------------------------


def _fmt(x: float | None) -> str:
    return "—" if x is None else f"{x:.2f}"


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


def to_json(ev: Evaluation) -> dict[str, Any]:
    def row(t: Tally) -> dict[str, Any]:
        return {"drafts": t.drafts, "expected": t.expected, "tp": t.tp, "fp": t.fp, "fn": t.fn, "precision": _round(t.precision),
                "recall": _round(t.recall), "f1": _round(t.f1)}

    def miss(m: Miss) -> dict[str, Any]:
        d = {"draft": m.draft, "rule": m.rule, "code": m.code, "text": m.text}
        if m.line is not None:
            d.update(line=m.line, column=m.column)
        return d

    per20 = None if ev.alarms_per_draft is None else ev.alarms_per_draft * 20
    return {
        "corpus": ev.corpus,
        "drafts": ev.drafts,
        "rules": [{"code": r.code, "rule": r.id, **row(ev.tallies[r.id])} for r in ev.rules],
        "totals": {k: v for k, v in row(ev.totals).items() if k != "drafts"},
        "clean": {"drafts": ev.clean_drafts, "false_alarms": ev.clean_false_alarms,
                  "per_draft": _round(ev.alarms_per_draft), "per_20_drafts": _round(per20)},
        "false_positives": [miss(m) for m in ev.false_positives],
        "false_negatives": [miss(m) for m in ev.false_negatives],
        "errors": list(ev.errors),
    }


# How the corpus is labeled (printed above the table, so a rule author reads it with the figures).
LABELING = [
    "How the drafts are labeled: a move made in the wrong way is reported by the rule for that way, not as "
    "missing (an evasive \"there was a miscommunication\" counts as acknowledging the gap; an entitled or "
    "begging request still asks for another chance). A sign-off alone (\"Best,\", \"All the best,\") is not "
    "well-wishing; a sentence or line wishing them well is. Ordinary thank-you notes lack the recovery moves, "
    "so the required rules are labeled to fire on them. Templates are linted as drafts, so their placeholders "
    "are labeled as leftovers (FL001). The metric rules (FL101-FL104) are labeled by counting with the "
    "catalog's limits (200 words, 14 sentences, 35 words, 90 words).",
]

COLUMNS = ("code", "rule", "drafts", "expected", "TP", "FP", "FN", "precision", "recall", "F1")


def to_markdown(ev: Evaluation, command: str = "") -> str:
    out = ["# Rule accuracy on the labeled corpus", ""]
    if command:
        out += ["Produced by:", "", "```", command, "```", ""]
    out += [f"{ev.drafts} drafts in `{ev.corpus}`, {ev.clean_drafts} of them labeled clean; "
            f"{len(ev.rules)} rules. A finding is a true positive only when it overlaps the labeled "
            "quote (or, for a rule labeled `true`, when it fires at all); a finding that overlaps no labeled "
            "quote, or fires where the rule is not labeled, is a false positive. *drafts*: drafts on which "
            "the rule should fire; *expected*: labeled quotes and `true` labels there (TP + FN); "
            "— means undefined (nothing fired, or nothing to find).", ""]
    out += LABELING + [""]
    out.append("| " + " | ".join(COLUMNS) + " |")
    out.append("| --- | --- | " + " | ".join("---:" for _ in COLUMNS[2:]) + " |")

    def cells(t: Tally) -> list[str]:
        return [str(t.drafts), str(t.expected), str(t.tp), str(t.fp), str(t.fn), _fmt(t.precision), _fmt(t.recall), _fmt(t.f1)]

    for r in ev.rules:
        out.append("| " + " | ".join([r.code, r.id, *cells(ev.tallies[r.id])]) + " |")
    # drafts per rule do not add up to anything meaningful: the totals row leaves that cell empty
    out.append("| " + " | ".join(["**all**", "", "", *cells(ev.totals)[1:]]) + " |")
    out.append("")
    per = ev.alarms_per_draft
    out.append("## Drafts labeled clean")
    out.append("")
    if per is None:
        out.append("No draft is labeled clean.")
    else:
        out.append(f"{ev.clean_false_alarms} false alarms on {ev.clean_drafts} clean drafts: "
                   f"{per:.2f} per draft, {per * 20:.1f} per 20 drafts (target: at most 1 per 20).")
    out.append("")
    for title, items in (("False positives", ev.false_positives), ("False negatives", ev.false_negatives)):
        out.append(f"## {title} ({len(items)})")
        out.append("")
        if not items:
            out.append("None.")
            out.append("")
            continue
        for code in sorted({m.code for m in items}):
            group = [m for m in items if m.code == code]
            out.append(f"### {code} {group[0].rule} ({len(group)})")
            out.append("")
            for m in group:
                where = f"{m.draft}:{m.line}:{m.column}" if m.line is not None else m.draft
                out.append(f"- `{where}` {m.text}")
            out.append("")
    if ev.errors:
        out.append("## Errors while linting")
        out.append("")
        out += [f"- {e}" for e in ev.errors]
        out.append("")
    return "\n".join(out).rstrip() + "\n"


# -- command line ---------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.evaluate",
        description="Score the built-in rules on a labeled corpus of drafts (precision, recall, F1).")
    parser.add_argument("corpus", nargs="?", default=DEFAULT_CORPUS,
                        help=f"directory of drafts with .yaml labels beside them (default: {DEFAULT_CORPUS})")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON instead of the table")
    parser.add_argument("--output", default=DEFAULT_OUTPUT, metavar="PATH",
                        help=f"markdown file to write the table to (default: {DEFAULT_OUTPUT}); '-' writes none")
    parser.add_argument("--rules-dir", action="append", default=[], metavar="DIR",
                        help="evaluate the rules in DIR instead of the built-in ones (repeatable)")
    parser.add_argument("--select", action="append", default=[], metavar="CODES",
                        help="only these rules: codes, code prefixes or ids, comma-separated (e.g. FL3,FL502)")
    args = parser.parse_args(argv)
    select = [s for chunk in args.select for s in chunk.split(",") if s.strip()]

    from followup_lint.errors import LintError

    try:
        ev = evaluate(args.corpus, rules_dirs=args.rules_dir, select=select)
    except (LabelError, LintError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not ev.rules:
        print(f"error: no rule matches --select {','.join(select)}", file=sys.stderr)
        return 2
    parts = [args.corpus] + [f"--rules-dir {d}" for d in args.rules_dir]
    if select:
        parts.append(f"--select {','.join(select)}")
    command = "python -m bench.evaluate " + " ".join(parts)
    markdown = to_markdown(ev, command)
    if args.output != "-":
        Path(args.output).parent.mkdir(parents=True, exist_ok=True)
        Path(args.output).write_text(markdown, encoding="utf-8")
    if args.json:
        json.dump(to_json(ev), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(markdown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
