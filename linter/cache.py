"""The results cache: a folder like Ruff's, one entry per draft.

An entry's key hashes everything that decides a draft's findings: the draft's
path and bytes, and the *settings*: the rules in force (their full content),
the effective configuration, the spaCy model (name and version), the spaCy
version and this tool's version and code.  Change any of them and the entries
it affects simply stop matching; nothing is ever "invalidated" in place.

Entries are small JSON files written atomically (a temporary file, then
``os.replace``), so two runs sharing the folder never see half an entry; an
entry that cannot be read or parsed counts as a miss.  Reading the cache
needs neither spaCy nor the rule engine.

The folder also keeps validated rule files (keyed by their bytes), so a run
that lints one new draft does not pay for YAML parsing and JSON Schema
validation of every rule again.
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
from dataclasses import fields
from pathlib import Path
from typing import Any, Iterable

from .atomic import write_atomic
from .model import Edit, Finding, Fix, Rule
from .nlp import model_fingerprint
from .version import __version__

CACHE_DIR_NAME = ".followup_lint_cache"
CACHE_DIR_ENV = "FOLLOWUP_LINT_CACHE_DIR"
FORMAT = 1  # bump when the entry layout changes


def default_cache_dir(root: str | os.PathLike | None = None) -> Path:
    """``$FOLLOWUP_LINT_CACHE_DIR``, else ``.followup_lint_cache`` in ``root`` (the config's folder) or here."""
    env = os.environ.get(CACHE_DIR_ENV)
    if env:
        return Path(env)
    return Path(root or ".") / CACHE_DIR_NAME


def _sha(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for p in parts:
        b = p.encode("utf-8", "surrogatepass") if isinstance(p, str) else p
        h.update(len(b).to_bytes(8, "little"))
        h.update(b)
    return h.hexdigest()


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """This tool's version plus the size and mtime of its modules: an edited check invalidates results."""
    pkg = Path(__file__).resolve().parent
    parts = [__version__]
    for root, dirs, names in os.walk(pkg):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for n in sorted(names):
            if n.endswith((".py", ".json")):
                st = os.stat(os.path.join(root, n))
                parts.append(f"{os.path.relpath(os.path.join(root, n), pkg)}:{st.st_size}:{st.st_mtime_ns}")
    return _sha(*parts)


def rules_fingerprint(rules: Iterable[Rule]) -> str:
    """The full content of the rules in force (after selection and configuration), in code order."""
    return _sha(*(repr(r) for r in sorted(rules, key=lambda r: (r.code, r.id))))


def settings_key(linter, extra: str = "") -> str:
    """The part of every entry's key shared by one Linter: rules, configuration, model, tool."""
    config = getattr(linter, "config", None)
    config_key = config.fingerprint() if config is not None and hasattr(config, "fingerprint") else ""
    return _sha(f"format={FORMAT}", code_fingerprint(), rules_fingerprint(linter.rules),
                model_fingerprint(linter.model), config_key, extra)


# -- serialising results ------------------------------------------------------

def finding_to_data(f: Finding) -> dict[str, Any]:
    data = {fl.name: getattr(f, fl.name) for fl in fields(Finding)}
    if f.fix is not None:
        data["fix"] = {"safe": f.fix.safe, "title": f.fix.title,
                       "edits": [[e.start, e.end, e.text] for e in f.fix.edits]}
    return data


def finding_from_data(data: dict[str, Any]) -> Finding:
    data = dict(data)
    fix = data.get("fix")
    if fix is not None:
        data["fix"] = Fix(edits=tuple(Edit(s, e, t) for s, e, t in fix["edits"]), safe=fix["safe"], title=fix["title"])
    return Finding(**data)


def result_to_data(findings: list[Finding], notes: list[str], evidence: list[dict] = ()) -> dict[str, Any]:
    return {"findings": [finding_to_data(f) for f in findings], "notes": list(notes), "evidence": list(evidence)}


def result_from_data(data: dict[str, Any]) -> tuple[list[Finding], list[str], list[dict]]:
    return ([finding_from_data(d) for d in data["findings"]], [str(n) for n in data["notes"]],
            [dict(e) for e in data.get("evidence", [])])


# -- the folder ---------------------------------------------------------------

class Cache:
    """One cache folder.  ``get``/``put`` by key; every failure to read or write is a miss, never an error."""

    def __init__(self, directory: str | os.PathLike):
        self.dir = Path(directory)
        self._ready = False

    @staticmethod
    def entry_key(settings: str, path: str, digest: bytes) -> str:
        """The key of one draft's entry: the run's settings, the draft's path and its bytes' digest."""
        return _sha(settings, os.path.abspath(path), digest)

    def _path(self, kind: str, key: str) -> Path:
        return self.dir / kind / key[:2] / f"{key[2:]}.json"

    def get(self, key: str, kind: str = "results") -> Any | None:
        try:
            with open(self._path(kind, key), "rb") as fh:
                payload = json.loads(fh.read())
            if payload.get("format") != FORMAT:
                return None
            return payload["data"]
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

    def put(self, key: str, data: Any, kind: str = "results") -> None:
        target = self._path(kind, key)
        try:
            self._prepare()
            target.parent.mkdir(parents=True, exist_ok=True)
            blob = json.dumps({"format": FORMAT, "data": data}, ensure_ascii=False, separators=(",", ":"))
            write_atomic(target, blob.encode("utf-8"), durable=False)
        except (OSError, TypeError, ValueError):
            pass  # a read-only or full disk only costs speed

    def _prepare(self) -> None:
        """Create the folder with a ``.gitignore`` (like Ruff's) and a CACHEDIR.TAG."""
        if self._ready:
            return
        self.dir.mkdir(parents=True, exist_ok=True)
        for name, text in ((".gitignore", "# Created by followup-lint automatically.\n*\n"),
                           ("CACHEDIR.TAG", "Signature: 8a477f597d28d172789f06886806bc55\n"
                                            "# This file is a cache directory tag created by followup-lint.\n")):
            p = self.dir / name
            if not p.exists():
                try:
                    p.write_text(text, encoding="utf-8")
                except OSError:
                    pass
        self._ready = True

    # -- validated rule files ---------------------------------------------------

    def rule_key(self, path: Path, data: bytes) -> str:
        return _sha("rule", code_fingerprint(), str(path), data)


def rule_to_cache(rule: Rule) -> dict[str, Any]:
    return {fl.name: getattr(rule, fl.name) for fl in fields(Rule)}


def rule_from_cache(data: dict[str, Any]) -> Rule:
    data = dict(data)
    data["tags"] = tuple(data.get("tags") or ())
    return Rule(**data)


def rule_round_trips(rule: Rule) -> dict[str, Any] | None:
    """The rule as JSON data, or None when JSON would change it (e.g. non-string keys)."""
    try:
        data = json.loads(json.dumps(rule_to_cache(rule)))
    except (TypeError, ValueError):
        return None
    return data if rule_from_cache(data) == rule else None


def open_cache(enabled: bool = True, directory: str | os.PathLike | None = None,
               root: str | os.PathLike | None = None) -> Cache | None:
    """The cache a run uses: None with ``--no-cache``, else ``--cache-dir`` or the default folder."""
    if not enabled:
        return None
    return Cache(directory if directory else default_cache_dir(root))
