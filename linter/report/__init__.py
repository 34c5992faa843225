"""Output formats: one module per format, each with ``write(results, out, options)``.

Reports only format what the engine found; they never lint or read drafts.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass

FORMATS = {
    "text": "text",
    "json": "json",
}


@dataclass
class ReportOptions:
    color: bool = False
    show_source: bool = True
    quiet: bool = False
    tool_version: str = ""


def writer(fmt: str):
    """The ``write`` function of an output format."""
    return importlib.import_module(f"{__name__}.{FORMATS[fmt]}").write
