"""JSON: one document, ``{"version": 1, "tool": ..., "summary": ..., "findings": [...], "errors": [...], "checklist": [...]}``.

The shape of a finding is :meth:`Finding.to_dict`; it is documented in the
README and only grows (new keys), never changes, within version 1.
"""
from __future__ import annotations

import json
from collections import Counter


def document(results, options) -> dict:
    from .checklist import document as checklist

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
        "checklist": list(checklist(results, options.rules)),
    }


class _Streamed(list):
    """A list ``json.dump`` writes item by item: each finding's dict is made as it is written.

    Building every dict first would make the report's memory grow with the
    library; this way it holds one finding at a time, and the text is the same.
    """

    def __init__(self, make, count: int):
        super().__init__()
        self._make, self._count = make, count

    def __iter__(self):
        return self._make()

    def __len__(self) -> int:
        return self._count


def write(results, out, options) -> None:
    from .checklist import document as checklist

    counts = Counter(f.severity for r in results for f in r.findings)
    total = sum(counts.values())
    doc = {
        "version": 1,
        "tool": {"name": "followup-lint", "version": options.tool_version},
        "summary": {"files": len(results), "findings": total,
                    "errors": counts["error"], "warnings": counts["warning"], "infos": counts["info"]},
        "findings": _Streamed(lambda: (f.to_dict() for r in results for f in r.findings), total),
        "errors": [{"path": e.path, "line": e.line, "message": e.message, "type": type(e).__name__}
                   for r in results for e in r.errors],
        "checklist": _Streamed(lambda: checklist(results, options.rules), sum(1 for r in results if not r.errors)),
    }
    json.dump(doc, out, indent=2, ensure_ascii=False)
    out.write("\n")
