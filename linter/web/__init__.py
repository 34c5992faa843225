"""``followup-lint serve``: a page on this machine to paste a draft into and see every finding.

The server is :mod:`followup_lint.web.server` (the standard library's
``http.server``); the page is three files in ``static/``, shipped in the wheel.
"""
from __future__ import annotations

from .server import lint_document, make_server, serve

__all__ = ["lint_document", "make_server", "serve"]
