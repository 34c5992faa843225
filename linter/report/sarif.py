"""SARIF 2.1.0: one run, rule metadata in ``tool.driver.rules``, fixes as SARIF ``fixes``.

Columns are counted in Unicode code points (``run.columnKind``), as the
linter counts them; end columns are exclusive, as SARIF wants.  Paths are
relative URIs (``uriBaseId`` ``%SRCROOT%`` = the working directory) when the
draft lies below it, ``file://`` URIs otherwise.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import quote

from . import position

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def artifact(path: str) -> dict:
    if path.startswith("<"):  # <stdin>, <text>
        return {"uri": quote(path.strip("<>"))}
    p = Path(path)
    rel = os.path.relpath(p.resolve(), Path.cwd().resolve()) if p.is_absolute() else os.path.normpath(path)
    if rel.startswith(".."):
        return {"uri": p.resolve().as_uri()}
    return {"uri": quote(Path(rel).as_posix()), "uriBaseId": "%SRCROOT%"}


def rule_descriptor(rule) -> dict:
    examples = rule.examples.get("fail", [])[:1]
    help_md = rule.description
    if examples:
        help_md += "\n\nTriggers on:\n\n" + "\n".join("    " + ln for ln in examples[0].strip().splitlines())
    return {
        "id": rule.code,
        "name": rule.id,
        "shortDescription": {"text": rule.name},
        "fullDescription": {"text": rule.description},
        "help": {"text": f"{rule.description}\n\nSee `followup-lint explain {rule.code}`.", "markdown": help_md},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"advice": rule.advice, "kind": rule.kind, "tags": [rule.advice, *rule.tags]},
    }


def _region(source: str | None, start: int, end: int, finding=None) -> dict:
    if finding is not None and source is None:
        return {"startLine": finding.line, "startColumn": finding.column,
                "endLine": finding.end_line, "endColumn": finding.end_column}
    sl, sc = position(source, start)
    el, ec = position(source, end)
    return {"startLine": sl, "startColumn": sc, "endLine": el, "endColumn": ec}


def document(results, options) -> dict:
    rules = list(options.rules)
    index = {r.code: i for i, r in enumerate(rules)}
    out_results = []
    notifications = []
    for r in results:
        source = getattr(r.draft, "source", None)
        loc = artifact(r.path)
        for f in r.findings:
            res = {
                "ruleId": f.code,
                "level": LEVELS[f.severity],
                "message": {"text": f.message},
                "locations": [{"physicalLocation": {"artifactLocation": dict(loc),
                                                    "region": _region(source, f.start, f.end, f)}}],
                "partialFingerprints": {"followupLint/v1": f"{f.code}:{(source or '')[f.start:f.end].strip()}"},
            }
            if f.code in index:
                res["ruleIndex"] = index[f.code]
            if f.confidence is not None:
                # SARIF's rank is 0-100 ("how relevant or important"); the model's score is also kept as is
                res["rank"] = round(100.0 * f.confidence, 1)
                res["properties"] = {"confidence": f.confidence}
            if f.fix is not None and source is not None:
                res["fixes"] = [{
                    "description": {"text": (f.fix.title or "Apply the fix")
                                    + ("" if f.fix.safe else " (a suggestion: review it)")},
                    "artifactChanges": [{
                        "artifactLocation": dict(loc),
                        "replacements": [{"deletedRegion": _region(source, e.start, e.end),
                                          "insertedContent": {"text": e.text}} for e in f.fix.edits],
                    }],
                }]
            out_results.append(res)
        for e in r.errors:
            notifications.append({"level": "error", "message": {"text": str(e)},
                                  "locations": [{"physicalLocation": {"artifactLocation": artifact(e.path or r.path)}}]})
    run = {
        "tool": {"driver": {"name": "followup-lint", "version": options.tool_version or "0",
                            "informationUri": "https://pypi.org/project/followup-lint/",
                            "rules": [rule_descriptor(r) for r in rules]}},
        "originalUriBaseIds": {"%SRCROOT%": {"uri": Path.cwd().resolve().as_uri() + "/"}},
        "columnKind": "unicodeCodePoints",
        "results": out_results,
        "invocations": [{"executionSuccessful": not notifications,
                         "toolExecutionNotifications": notifications}],
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def write(results, out, options) -> None:
    json.dump(document(results, options), out, indent=2, ensure_ascii=False)
    out.write("\n")
