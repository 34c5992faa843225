"""``--statistics``: how many findings each rule produced, most first (``count  CODE  rule-id  fixable``)."""
from __future__ import annotations

import json
from collections import Counter


def table(results) -> list[dict]:
    counts = Counter((f.code, f.rule_id) for r in results for f in r.findings)
    fixable = Counter((f.code, f.rule_id) for r in results for f in r.findings if f.fix is not None)
    return [{"code": code, "rule": rule, "count": n, "fixable": fixable[(code, rule)]}
            for (code, rule), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def write(results, out, options) -> None:
    rows = table(results)
    if options.statistics_format == "json":
        json.dump(rows, out, indent=2)
        out.write("\n")
        return
    if not rows:
        out.write("No problems found.\n")
        return
    width = max(len(str(r["count"])) for r in rows)
    rid = max(len(r["rule"]) for r in rows)
    for r in rows:
        fix = f"  ({r['fixable']} fixable)" if r["fixable"] else ""
        out.write(f"{r['count']:>{width}}  {r['code']}  {r['rule']:<{rid}}{fix}".rstrip() + "\n")
