"""JSON: one document, ``{"version": 1, "tool": ..., "summary": ..., "findings": [...], "errors": [...]}``.

The shape of a finding is :meth:`Finding.to_dict`; it is documented in the
README and only grows (new keys), never changes, within version 1.
"""
from __future__ import annotations

import json
from collections import Counter


def document(results, options) -> dict:
    findings = [f.to_dict() for r in results for f in r.findings]
    counts = Counter(f["severity"] for f in findings)
    return {
        "version": 1,
        "tool": {"name": "followup-lint", "version": options.tool_version},
        "summary": {
            "files": len(results),
            "findings": len(findings),
            "errors": counts["error"], "warnings": counts["warning"], "infos": counts["info"],
        },
        "findings": findings,
        "errors": [{"path": e.path, "line": e.line, "message": e.message, "type": type(e).__name__}
                   for r in results for e in r.errors],
    }


def write(results, out, options) -> None:
    json.dump(document(results, options), out, indent=2, ensure_ascii=False)
    out.write("\n")
