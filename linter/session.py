"""A lint session: one Linter per effective configuration, and many files linted through them.

Drafts under different configuration files (or with different command-line
overrides) need different rule sets; this is the one place that resolves a
draft's configuration to its Linter and streams results back in the order
the files were given.  The CLI and the language server both use it.
"""
from __future__ import annotations

from typing import Iterator, Sequence


class LinterSet:
    """One Linter per effective configuration (the file above each draft, plus the overrides)."""

    def __init__(self, config_path, cache, **overrides):
        from .config import ConfigResolver

        self.resolver = ConfigResolver(config_path)
        self.cache = cache
        self.overrides = overrides
        self._by_fingerprint: dict = {}
        self._by_path: dict = {}

    def __call__(self, path: str):
        """The Linter for a draft at ``path`` (built once per configuration)."""
        from .engine import Linter
        from .loader import load_rules

        config = self.resolver.for_path(path).override(**self.overrides)
        key = (config.fingerprint(), config.root)
        if key not in self._by_fingerprint:
            rules = load_rules(config.rules_dirs, **({"cache": self.cache} if self.cache is not None else {}))
            self._by_fingerprint[key] = Linter(config.rules(rules), config=config)
        self._by_path[path] = self._by_fingerprint[key]
        return self._by_path[path]

    def fail_on(self, path: str) -> str:
        linter = self._by_path.get(path)
        return linter.config.fail_on if linter is not None else (self.overrides.get("fail_on") or "error")

    def all_rules(self):
        seen = {}
        for linter in self._by_fingerprint.values():
            for r in linter.rules:
                seen.setdefault(r.code, r)
        return sorted(seen.values(), key=lambda r: r.code)

    def results(self, files: Sequence[str], *, max_bytes: int, jobs: int, cache) -> Iterator:
        """Lint ``files`` (each with its own configuration's Linter); results come in the given order."""
        from .cache import settings_key
        from .engine import iter_results

        groups: dict[int, list[str]] = {}
        linters = {}
        for f in files:
            lin = self(f)
            groups.setdefault(id(lin), []).append(f)
            linters[id(lin)] = lin

        def run(lin, group):
            return iter_results(lin, group, max_bytes=max_bytes, jobs=jobs, cache=cache,
                                settings=settings_key(lin) if cache is not None else "")

        if len(groups) <= 1:  # the common case streams, without holding results
            for key, group in groups.items():
                yield from run(linters[key], group)
            return
        order = {f: i for i, f in enumerate(files)}
        done = [r for key, group in groups.items() for r in run(linters[key], group)]
        yield from sorted(done, key=lambda r: order.get(r.path, -1))
