"""followup-lint: a linter for the follow-up email after a job interview that went badly.

Public API::

    from followup_lint import lint_text, lint_paths, Finding
    for f in lint_text(open("draft.txt").read(), "draft.txt"):
        print(f.line, f.column, f.code, f.message)

Each of these runs as the command line does (see :mod:`followup_lint.run`):
``lint_text`` as ``followup-lint --stdin-filename PATH -``, ``lint_paths`` as
``followup-lint PATH...`` (directories searched, include/exclude applied),
and ``lint_text_document`` returns the ``--format json`` document for a text.
"""
from __future__ import annotations

from .model import Edit, Finding, Fix, Rule
from .run import lint_paths, lint_text, lint_text_document
from .version import __version__

__all__ = ["__version__", "lint_text", "lint_paths", "lint_text_document", "Finding", "Fix", "Edit", "Rule"]
