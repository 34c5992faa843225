"""One line per finding, ``path:line:col: CODE message`` (no source excerpt, no rule id), then the summary."""
from __future__ import annotations

from .text import summary


def write(results, out, options) -> None:
    for r in results:
        for f in r.findings:
            out.write(f"{f.path}:{f.line}:{f.column}: {f.code} {f.message}\n")
    if not options.quiet:
        out.write(summary(results) + "\n")
