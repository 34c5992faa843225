"""``--checklist``: per draft, the article's moves at a glance, then the draft's figures.

    drafts/after-the-panel.txt
      [x] owned the disconnect          present   3:1 “I know my answer on the budget missed what you…” (0.91)
      [ ] can do better                 missing   FL203  closest: 5:1 “I learned a lot.” (0.08)
      [!] no blame                      violated  FL301 x2
      words 143 · sentences 9 · apologies 2 · I/you 14/5 · questions 0

A move's status comes from the findings of the rules that enforce its
advice (never from linting again): a finding of a ``required`` rule means
the move is missing, any other finding that it is violated, none that it is
present; a move no enabled rule checks is "not checked".  The figures are
plain counts over the lint view (quoted text, signature and markup excluded).
"""
from __future__ import annotations

import re
from collections import Counter

from ..moves import shown

MOVES = (
    ("owned the disconnect", ("own-the-disconnect", "no-pretending")),
    ("no blame", ("no-blame",)),
    ("can do better", ("can-do-better",)),
    ("interest", ("interest", "sincerity")),
    ("values", ("core-values",)),
    ("another chance, no entitlement", ("another-chance", "no-entitlement")),
    ("well-wishing", ("well-wishing", "positive-ending")),
    ("brevity", ("brevity",)),
    ("made peace (no self-punishment)", ("no-self-punishment",)),
)
MARKS = {"present": "[x]", "missing": "[ ]", "violated": "[!]", "not checked": "[-]"}

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)")
_APOLOGY = re.compile(r"\b(?:sorry|apologi[sz]\w*|apology)\b", re.I)
_FIRST = re.compile(r"\b(?:i|me|my|mine|myself)\b", re.I)
_SECOND = re.compile(r"\b(?:you|your|yours|yourself|yourselves)\b", re.I)


def moves(findings, rules, evidence=()) -> list[dict]:
    """Each move's status, the codes behind it and its evidence: one source, the run's findings and evidence.

    A finding of a rule that reports a move as missing (``required``, or ``move``
    with ``report: missing``) makes the move missing; any other finding makes it
    violated; none makes it present.  ``evidence`` is what the move model saw
    (``FileResult.evidence``): for a present move, the sentence that makes it
    and its score; for a missing one, the closest sentence and its score.
    """
    missing_rule = {r.code for r in rules
                    if r.kind == "required" or (r.kind == "move" and r.options.get("report") == "missing")}
    checked = {r.advice for r in rules}
    out = []
    for label, advice in MOVES:
        found = [f for f in findings if f.advice in advice]
        if any(f.code in missing_rule for f in found):
            status = "missing"
        elif found:
            status = "violated"
        elif not checked & set(advice):
            status = "not checked"
        else:
            status = "present"
        out.append({"move": label, "status": status, "codes": dict(Counter(f.code for f in found)),
                    "evidence": _evidence(status, advice, found, evidence)})
    return out


def _evidence(status, advice, found, evidence) -> dict | None:
    if status == "violated":
        f = found[0]
        return {"code": f.code, "line": f.line, "column": f.column, "confidence": f.confidence}
    seen = [e for e in evidence if e.get("advice") in advice and "sentence" in e]
    if status == "present":
        seen = [e for e in seen if e["status"] == "present"]
    if not seen:
        return None
    e = max(seen, key=lambda e: e.get("score", 0.0))
    key = "sentence" if status == "present" else "closest"
    return {key: e["sentence"], "line": e["line"], "column": e["column"], "score": e.get("score")}


def document(results, rules):
    """The checklist section of the JSON document, one entry per linted draft (made as it is written)."""
    for r in results:
        if not r.errors:
            yield {"path": r.path, "moves": moves(r.findings, rules, getattr(r, "evidence", ())),
                   "figures": figures(r.draft)}


def figures(draft) -> dict:
    """Words, sentences, apologies, I/you and questions in what the recipient reads (greeting to closing)."""
    if draft is None or not hasattr(draft, "paragraphs") and not hasattr(draft, "source"):
        return {}
    if not getattr(draft, "paragraphs", None) and getattr(draft, "source", None):
        from ..sources import draft_from_text

        draft = draft_from_text(draft.source, draft.path)
    span = draft.content
    if span is None:
        return {"words": 0, "sentences": 0, "apologies": 0, "i": 0, "you": 0, "questions": 0}
    text = draft.text[span.start:span.end]
    return {
        "words": len(_WORD.findall(text)),
        "sentences": _sentences(draft),
        "apologies": len(_APOLOGY.findall(text)),
        "i": len(_FIRST.findall(text)),
        "you": len(_SECOND.findall(text)),
        "questions": text.count("?"),
    }


def _sentences(draft) -> int:
    """Sentences of the body, split where the linter splits them: at the draft's own boundaries (paragraphs,
    and the lines of a note typed one thought a line), then at a full stop, "!" or "?" (no spaCy needed)."""
    starts = sorted({s.start for s in draft.segments()})
    count = 0
    for p in draft.paragraphs:
        cuts = [p.start] + [s for s in starts if p.start < s < p.end]
        for a, b in zip(cuts, cuts[1:] + [p.end]):
            count += sum(1 for piece in _SENTENCE_END.split(draft.text[a:b]) if _WORD.search(piece))
    return count


def write(results, out, options) -> None:
    rules = list(options.rules)
    width = max(len(label) for label, _ in MOVES)
    for n, r in enumerate(results):
        if n:
            out.write("\n")
        out.write(f"{r.path}\n")
        if r.errors:
            for e in r.errors:
                out.write(f"  could not be checked: {e}\n")
            continue
        for m in moves(r.findings, rules, getattr(r, "evidence", ())):
            codes = "  ".join(f"{c}" + (f" x{k}" if k > 1 else "") for c, k in sorted(m["codes"].items()))
            line = f"  {MARKS[m['status']]} {m['move']:<{width}}  {m['status']:<9} {codes}"
            ev = m["evidence"] or {}
            if m["status"] == "present" and ev.get("sentence"):
                line = f"{line.rstrip()}  {ev['line']}:{ev['column']} “{_short(ev['sentence'])}” ({shown(ev['score'])})"
            elif m["status"] == "missing" and ev.get("closest"):
                line = f"{line.rstrip()}  closest: {ev['line']}:{ev['column']} “{_short(ev['closest'])}” ({shown(ev['score'])})"
            out.write(line.rstrip() + "\n")
        other = [f for f in r.findings if not any(f.advice in a for _, a in MOVES)]
        if other:
            out.write(f"  other problems: {', '.join(sorted({f.code for f in other}))}\n")
        fig = figures(r.draft)
        if fig:
            out.write(f"  words {fig['words']} · sentences {fig['sentences']} · apologies {fig['apologies']}"
                      f" · I/you {fig['i']}/{fig['you']} · questions {fig['questions']}\n")


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
