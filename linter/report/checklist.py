"""``--checklist``: per draft, the article's moves at a glance, then the draft's figures.

    drafts/after-the-panel.txt
      [x] owned the disconnect          present
      [ ] can do better                 missing   FL203
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


def moves(findings, rules) -> list[dict]:
    """Each move's status and the codes behind it."""
    kind_of = {r.code: r.kind for r in rules}
    checked = {r.advice for r in rules}
    out = []
    for label, advice in MOVES:
        found = [f for f in findings if f.advice in advice]
        if any(kind_of.get(f.code) == "required" for f in found):
            status = "missing"
        elif found:
            status = "violated"
        elif not checked & set(advice):
            status = "not checked"
        else:
            status = "present"
        out.append({"move": label, "status": status, "codes": dict(Counter(f.code for f in found))})
    return out


def figures(draft) -> dict:
    """Words, sentences, apologies, I/you and questions in what the recipient reads (greeting to closing)."""
    if draft is None:
        return {}
    if not getattr(draft, "paragraphs", None) and getattr(draft, "source", None):
        from ..sources import draft_from_text

        draft = draft_from_text(draft.source, draft.path)
    span = draft.content
    if span is None:
        return {"words": 0, "sentences": 0, "apologies": 0, "i": 0, "you": 0, "questions": 0}
    text = draft.text[span.start:span.end]
    body = "\n\n".join(draft.text[p.start:p.end] for p in draft.paragraphs)
    return {
        "words": len(_WORD.findall(text)),
        "sentences": len(_SENTENCE_END.findall(body)) or (1 if body.strip() else 0),
        "apologies": len(_APOLOGY.findall(text)),
        "i": len(_FIRST.findall(text)),
        "you": len(_SECOND.findall(text)),
        "questions": text.count("?"),
    }


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
        for m in moves(r.findings, rules):
            codes = "  ".join(f"{c}" + (f" x{k}" if k > 1 else "") for c, k in sorted(m["codes"].items()))
            line = f"  {MARKS[m['status']]} {m['move']:<{width}}  {m['status']:<9} {codes}"
            out.write(line.rstrip() + "\n")
        other = [f for f in r.findings if not any(f.advice in a for _, a in MOVES)]
        if other:
            out.write(f"  other problems: {', '.join(sorted({f.code for f in other}))}\n")
        fig = figures(r.draft)
        if fig:
            out.write(f"  words {fig['words']} · sentences {fig['sentences']} · apologies {fig['apologies']}"
                      f" · I/you {fig['i']}/{fig['you']} · questions {fig['questions']}\n")
