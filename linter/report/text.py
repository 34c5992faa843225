"""The human format: ``path:line:col: CODE message [rule-id]``, the line, a caret underline, a summary."""
from __future__ import annotations

import unicodedata
from collections import Counter

from ..model import SEVERITIES

_COLORS = {"error": "31", "warning": "33", "info": "36"}


def _style(text: str, code: str, on: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if on else text


def display_width(text: str) -> int:
    """Terminal columns: wide East Asian characters take two, combining marks none, tabs expand."""
    width = 0
    for ch in text:
        if ch == "\t":
            width += 4 - width % 4
        elif unicodedata.combining(ch):
            continue
        elif unicodedata.east_asian_width(ch) in ("W", "F"):
            width += 2
        else:
            width += 1
    return width


def _expand(line: str) -> str:
    """Tabs to spaces; other control characters (a stray escape code) shown as one harmless "?"."""
    out = ""
    for ch in line:
        if ch == "\t":
            out += " " * (4 - display_width(out) % 4)
        elif unicodedata.category(ch) == "Cc":
            out += "?"
        else:
            out += ch
    return out


def source_excerpt(draft, f, color: bool) -> list[str]:
    """The finding's first line with the span underlined by carets."""
    span = draft.line_span(f.line)
    line = draft.source[span.start:span.end]
    start_col = f.column - 1
    end_col = f.end_column - 1 if f.end_line == f.line else len(line)
    end_col = max(end_col, start_col + 1)
    pad = display_width(line[:start_col])
    width = max(1, display_width(line[start_col:end_col]))
    gutter = str(f.line)
    marker = _style("^" * width, _COLORS[f.severity], color)
    return [f"  {gutter} | {_expand(line)}", f"  {' ' * len(gutter)} | {' ' * pad}{marker}"]


def summary(results) -> str:
    counts = Counter(f.severity for r in results for f in r.findings)
    drafts = sum(1 for r in results if r.draft is not None)
    unread = sum(1 for r in results if r.draft is None and r.errors)
    total = sum(counts.values())
    noun = "draft" if drafts == 1 else "drafts"
    if not total:
        text = f"No problems found in {drafts} {noun}"
    else:
        parts = [f"{counts[s]} {s}{'' if counts[s] == 1 or s == 'info' else 's'}"
                 for s in reversed(SEVERITIES) if counts[s]]
        text = f"Found {total} problem{'s' if total != 1 else ''} in {drafts} {noun}: {', '.join(parts)}"
    if unread:
        text += f"; {unread} file{' was' if unread == 1 else 's were'} not linted (see the errors)"
    return text + "."


def write(results, out, options) -> None:
    color = options.color
    for r in results:
        for f in r.findings:
            loc = _style(f"{f.path}:{f.line}:{f.column}:", "1", color)
            code = _style(f.code, _COLORS[f.severity] + ";1", color)
            out.write(f"{loc} {code} {f.message} [{f.rule_id}]\n")
            if options.show_source and r.draft is not None:
                for ln in source_excerpt(r.draft, f, color):
                    out.write(ln + "\n")
    if not options.quiet:
        out.write(summary(results) + "\n")
