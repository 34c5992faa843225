"""Atheris target: bytes -> decode -> the email parser (.txt/.md/.html/.eml paths) -> Draft invariants.

The first byte picks the file kind, the rest is the file (see invariants.email_case).
Run through ``python fuzz/run.py``.
"""
from __future__ import annotations

import os
import sys

import atheris

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

with atheris.instrument_imports(include=["followup_lint"]):
    import followup_lint.document  # noqa: F401
    import followup_lint.eml  # noqa: F401
    import followup_lint.sources  # noqa: F401

from invariants import email_case  # noqa: E402


def main() -> None:
    atheris.Setup(sys.argv, email_case)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
