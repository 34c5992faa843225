"""Baselines: record today's findings, then fail only on new ones.

A baseline entry is keyed by the draft's path (relative to the baseline
file), the rule code and the quoted text of the finding, never by line
numbers, so it survives edits elsewhere in the draft.  For plain-text drafts,
which have no comment syntax, the baseline is also how a single finding is
accepted.  Entries carry a count: two identical findings need two.
"""
from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .errors import ConfigError

VERSION = 1


def quoted(finding, source: str | None) -> str:
    """The finding's text, white space collapsed: the part of the key that survives edits elsewhere."""
    if source is None:
        return finding.message
    return " ".join(source[finding.start:finding.end].split())


def _rel(path: str, base: Path) -> str:
    if path.startswith("<"):
        return path
    return Path(os.path.relpath(os.path.abspath(path), base)).as_posix()


def key(finding, source: str | None, base: Path) -> tuple[str, str, str]:
    return (_rel(finding.path, base), finding.code, quoted(finding, source))


def write_baseline(results, path: str) -> int:
    """Write every current finding to ``path`` (JSON); returns how many were recorded."""
    base = Path(os.path.abspath(path)).parent
    counts: Counter = Counter()
    rules: dict[str, str] = {}
    for r in results:
        source = getattr(r.draft, "source", None)
        for f in r.findings:
            counts[key(f, source, base)] += 1
            rules[f.code] = f.rule_id
    entries = [{"path": p, "code": c, "rule": rules[c], "text": t, "count": n}
               for (p, c, t), n in sorted(counts.items())]
    data = {"version": VERSION, "tool": "followup-lint", "findings": entries}
    tmp = f"{path}.tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=2, ensure_ascii=False)
        fh.write("\n")
    os.replace(tmp, path)
    return sum(counts.values())


@dataclass
class Baseline:
    path: str
    entries: Counter

    @classmethod
    def load(cls, path: str) -> "Baseline":
        try:
            with open(path, encoding="utf-8") as fh:
                data = json.load(fh)
        except FileNotFoundError:
            raise ConfigError(path, "does not exist (create it with --write-baseline)") from None
        except (OSError, ValueError) as exc:
            raise ConfigError(path, f"is not a followup-lint baseline (JSON): {exc}") from None
        if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(data.get("findings"), list):
            raise ConfigError(path, f"is not a followup-lint baseline: expected a JSON object with version {VERSION} "
                                    "and a findings list")
        entries: Counter = Counter()
        for i, e in enumerate(data["findings"]):
            if not isinstance(e, dict) or not all(isinstance(e.get(k), str) for k in ("path", "code", "text")):
                raise ConfigError(path, f"key 'findings[{i}]': expected path, code and text strings")
            entries[(e["path"], e["code"], e["text"])] += int(e.get("count", 1))
        return cls(path, entries)

    def filter(self, results) -> int:
        """Drop findings the baseline records (in place); returns how many baseline entries matched nothing."""
        base = Path(os.path.abspath(self.path)).parent
        left = Counter(self.entries)
        for r in results:
            source = getattr(r.draft, "source", None)
            kept = []
            for f in r.findings:
                k = key(f, source, base)
                if left[k] > 0:
                    left[k] -= 1
                else:
                    kept.append(f)
            r.findings = kept
        return sum(n for n in left.values() if n > 0)


__all__ = ["Baseline", "write_baseline", "quoted"]
