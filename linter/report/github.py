"""GitHub Actions workflow commands: one ``::error``/``::warning``/``::notice`` annotation per finding.

    ::error file=drafts/a.md,line=3,col=1,endLine=3,endColumn=9,title=FL301::message [rule-id]

Escaping follows the Actions runner: in the message ``%``, ``\\r`` and
``\\n``; in property values also ``:`` and ``,``.
"""
from __future__ import annotations

LEVELS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def write(results, out, options) -> None:
    for r in results:
        for f in r.findings:
            props = [f"file={escape_property(f.path)}", f"line={f.line}", f"col={f.column}",
                     f"endLine={f.end_line}", f"endColumn={f.end_column}", f"title={escape_property(f.code)}"]
            out.write(f"::{LEVELS[f.severity]} {','.join(props)}::{escape_data(f'{f.message} [{f.rule_id}]')}\n")
        for e in r.errors:
            out.write(f"::error file={escape_property(e.path or r.path)},title=followup-lint::{escape_data(str(e))}\n")
