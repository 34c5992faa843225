"""Output formats: one module per format, each with ``write(results, out, options)``.

Reports only format what the engine found; they never lint or read drafts.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass

FORMATS = {
    "text": "text",
    "json": "json",
    "sarif": "sarif",
    "github": "github",
    "junit": "junit",
    "concise": "concise",
    "grouped": "grouped",
    "checklist": "checklist",
    "statistics": "statistics",
}
# Selected with --format; checklist and statistics have their own flags.
USER_FORMATS = ("text", "json", "sarif", "github", "junit", "concise", "grouped")


@dataclass
class ReportOptions:
    color: bool = False
    show_source: bool = True
    quiet: bool = False
    tool_version: str = ""
    rules: tuple = ()  # the enabled rules (metadata for SARIF, junit's test cases, the checklist)
    statistics_format: str = "text"  # with --statistics: "json" gives the table as JSON


def position(source: str, offset: int) -> tuple[int, int]:
    """1-based (line, column in characters) of an offset; a line break is \\r\\n, \\r or \\n."""
    before = source[:offset]
    line = before.count("\n") + before.count("\r") - before.count("\r\n") + 1
    last = max(before.rfind("\n"), before.rfind("\r"))
    return line, offset - last


def writer(fmt: str):
    """The ``write`` function of an output format."""
    return importlib.import_module(f"{__name__}.{FORMATS[fmt]}").write
