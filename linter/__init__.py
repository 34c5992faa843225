"""followup-lint: a linter for the follow-up email after a job interview that went badly.

Public API::

    from followup_lint import lint_text, lint_paths, Finding
    for f in lint_text(open("draft.txt").read(), "draft.txt"):
        print(f.line, f.column, f.code, f.message)
"""
from __future__ import annotations

__version__ = "0.1.0"

from .model import Finding, Fix, Edit, Rule  # noqa: E402


def lint_text(text, path="<text>", **kwargs):
    """Lint one draft given as a string; returns a list of :class:`Finding`."""
    from .engine import lint_text as _lint_text

    return _lint_text(text, path, **kwargs)


def lint_paths(paths, **kwargs):
    """Lint files and directories; returns one FileResult (path, findings, errors) per file."""
    from .engine import lint_paths as _lint_paths

    return _lint_paths(list(paths), **kwargs)


__all__ = ["__version__", "lint_text", "lint_paths", "Finding", "Fix", "Edit", "Rule"]
