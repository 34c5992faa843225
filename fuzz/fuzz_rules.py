"""Atheris target: bytes -> a rule file -> loader (safe YAML, schema) -> compiled rule -> spaCy matchers.

Anything but a RuleError naming the file is a crash (see invariants.rule_case):
a user's rule file, however broken, must get a message, never a traceback.
"""
from __future__ import annotations

import os
import sys
import tempfile

import atheris

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

with atheris.instrument_imports(include=["followup_lint"]):
    import followup_lint.engine  # noqa: F401
    import followup_lint.loader  # noqa: F401
    import followup_lint.matching  # noqa: F401

import spacy  # noqa: E402  (the matchers validate patterns against a vocab)

from invariants import rule_case  # noqa: E402

VOCAB = spacy.blank("en").vocab
TMP = tempfile.mkdtemp(prefix="fuzz-rules-", dir="/dev/shm" if os.path.isdir("/dev/shm") else None)
PATH = os.path.join(TMP, "rule.yaml")


def one_input(data: bytes) -> None:
    rule_case(data, PATH, VOCAB)


def main() -> None:
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
