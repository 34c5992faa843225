"""Shared fixtures: the built-in rules and one warm linter for the whole session."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="session")
def rules():
    from followup_lint.loader import load_rules

    return load_rules()


@pytest.fixture(scope="session")
def linter(rules):
    from followup_lint.engine import Linter

    return Linter(rules)


@pytest.fixture(scope="session")
def lint(linter):
    """Lint a string as a draft; returns the findings."""
    from followup_lint.sources import draft_from_text

    def _lint(text: str, path: str = "draft.txt"):
        return linter.lint_draft(draft_from_text(text, path)).findings

    return _lint


@pytest.fixture(autouse=True)
def _own_cache_dir(monkeypatch, tmp_path):
    """Each test starts with an empty results cache of its own (never the repository's folder)."""
    monkeypatch.setenv("FOLLOWUP_LINT_CACHE_DIR", str(tmp_path / "followup-lint-cache"))


@pytest.fixture(autouse=True)
def _no_color(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
