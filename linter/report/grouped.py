"""Findings grouped under each draft's path, ``  line:col CODE message [rule-id]``, then the summary."""
from __future__ import annotations

from .text import source_excerpt, summary


def write(results, out, options) -> None:
    for r in results:
        if not r.findings:
            continue
        out.write(f"{r.path}:\n")
        width = max(len(f"{f.line}:{f.column}") for f in r.findings)
        for f in r.findings:
            out.write(f"  {f'{f.line}:{f.column}':<{width}} {f.code} {f.message} [{f.rule_id}]\n")
            if options.show_source and r.draft is not None and hasattr(r.draft, "line_span"):
                for ln in source_excerpt(r.draft, f, options.color):
                    out.write("  " + ln + "\n")
        out.write("\n")
    if not options.quiet:
        out.write(summary(results) + "\n")
