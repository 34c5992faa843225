"""Errors a user can act on: each names the file and what is wrong with it."""
from __future__ import annotations


class LintError(Exception):
    """Base class: an error reported to the user, exit code 2."""

    def __init__(self, path: str | None, message: str, *, line: int | None = None):
        self.path = path
        self.message = message
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.path or ""
        if where and self.line:
            where = f"{where}:{self.line}"
        return f"{where}: {self.message}" if where else self.message


class InputError(LintError):
    """A draft that cannot be read or decoded."""


class RuleError(LintError):
    """A rule file that is not valid: names the file, the rule and the field."""

    def __init__(self, path: str | None, message: str, *, rule: str | None = None,
                 field: str | None = None, line: int | None = None):
        self.rule = rule
        self.field = field
        parts = []
        if rule:
            parts.append(f"rule {rule!r}")
        if field:
            parts.append(f"field {field!r}")
        prefix = ", ".join(parts)
        super().__init__(path, f"{prefix}: {message}" if prefix else message, line=line)


class ConfigError(LintError):
    """A configuration file or option that is not valid."""


class ModelError(LintError):
    """No usable spaCy pipeline."""
