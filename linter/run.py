"""A run, from start to finish: the one layer the command line, the Python API, the language server and the page call.

    paths, stdin, an editor's buffer or a page's text
      -> discovery (directories searched; include/exclude of each draft's configuration)
      -> each draft's configuration -> its Linter (one per configuration)
      -> the cache, then the misses in this process or in workers (``parallel``)
      -> FileResults, each with the ``fail-on`` of its own configuration
      -> the baseline -> the exit status (:class:`ExitStatus`, from the results)
    or, for ``--fix``/``--diff``:
      -> the fix loop (within the same size limit) -> FixOutcomes -> the exit status

A :class:`Session` holds what a run needs (configurations by folder, their
Linters, the cache) for as long as its caller lives: one command-line run,
or the language server's whole life (``reload()`` when a configuration file
changes).  Nothing here prints: callers print what they get back.
"""
from __future__ import annotations

import io
import json
import os
from collections import OrderedDict
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any, BinaryIO, Callable, Iterable, Iterator, Mapping, Sequence

from .baseline import Baseline, write_baseline
from .cache import Cache, open_cache, settings_key
from .config import Config, ConfigResolver, config_from_mapping, context_from_mapping, load_config, schema_errors
from .engine import FileResult, Linter
from .errors import ConfigError, InputError, LintError
from .fixes import FixOutcome, fix_bytes, fix_file
from .loader import load_rules
from .model import Finding, Rule, severity_rank
from .parallel import default_jobs, lint_files
from .report import ReportOptions, writer
from .sources import DEFAULT_MAX_BYTES, check_size, discover, draft_from_bytes, draft_from_text, read_stream
from .version import __version__

STDIN = "-"


class ExitStatus(IntEnum):
    """What a run tells its caller (the command line's exit code), computed from the results it returns."""

    SUCCESS = 0  # nothing at or above each draft's fail-on
    FAILURE = 1  # something is (with --diff: something would be fixed)
    ERROR = 2  # a usage, configuration, rule or input error

    @classmethod
    def of(cls, results: Iterable[FileResult]) -> "ExitStatus":
        """ERROR if any draft has an error; FAILURE if any finding is at or above its own draft's fail-on."""
        results = list(results)
        if any(r.errors for r in results):
            return cls.ERROR
        if any(severity_rank(f.severity) >= severity_rank(r.fail_on) for r in results for f in r.findings):
            return cls.FAILURE
        return cls.SUCCESS


@dataclass(frozen=True)
class RunOptions:
    """What a run is asked to do: the command line's options, or their equivalent from the API or a server."""

    config: str | os.PathLike | Config | None = None  # one configuration for every draft; None: the nearest file
    select: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    fail_on: str | None = None
    model: str | None = None
    templates: bool | None = None
    rules_dirs: tuple[str, ...] = ()
    max_bytes: int = DEFAULT_MAX_BYTES
    jobs: int | None = None  # None: every core for many files, one process for a few
    cache: bool = False
    cache_dir: str | None = None
    stdin_filename: str | None = None
    baseline: str | None = None  # report only findings this baseline file does not record
    write_baseline: str | None = None  # record every finding in this file instead

    def overrides(self) -> dict[str, Any]:
        return {"select": self.select, "extend_select": self.extend_select, "ignore": self.ignore,
                "fail_on": self.fail_on, "model": self.model, "templates": self.templates,
                "rules_dirs": self.rules_dirs}


@dataclass
class RunResult:
    """What a lint run found: one FileResult per input, in order, and what the baseline did."""

    results: list[FileResult]
    rules: list[Rule]  # every rule enabled for some draft (reports describe them)
    stale_baseline: int = 0  # entries of the baseline that matched nothing
    baseline_written: int | None = None  # with write_baseline: how many findings were recorded

    @property
    def exit_status(self) -> ExitStatus:
        if self.baseline_written is not None:  # accepting today's findings is a success, errors aside
            return ExitStatus.ERROR if any(r.errors for r in self.results) else ExitStatus.SUCCESS
        return ExitStatus.of(self.results)


@dataclass
class FixRun:
    """What ``--fix`` (or ``--diff``, which writes nothing) did to each draft."""

    diff: bool
    outcomes: list[FixOutcome] = field(default_factory=list)
    errors: list[LintError] = field(default_factory=list)
    remaining: list[FileResult] = field(default_factory=list)  # the drafts linted again after fixing
    stdin: FixOutcome | None = None  # the draft read from stdin: its fixed text goes to stdout

    @property
    def applied(self) -> int:
        return sum(len(o.applied) for o in self.outcomes)

    @property
    def changed(self) -> int:
        return sum(1 for o in self.outcomes if o.changed)

    @property
    def withheld(self) -> int:
        return sum(len(o.withheld) for o in self.outcomes)

    @property
    def exit_status(self) -> ExitStatus:
        if self.errors:
            return ExitStatus.ERROR
        if self.diff:
            return ExitStatus.FAILURE if self.changed else ExitStatus.SUCCESS
        return ExitStatus.of(self.remaining)


class Session:
    """The configurations, Linters and cache of a run; one Linter per effective configuration."""

    def __init__(self, options: RunOptions | None = None):
        self.options = options or RunOptions()
        config = self.options.config
        root = os.path.dirname(os.fspath(config)) if isinstance(config, (str, os.PathLike)) else None
        self.cache: Cache | None = open_cache(True, self.options.cache_dir, root=root) if self.options.cache else None
        self.reload()

    def reload(self) -> None:
        """Forget every configuration and rule read so far (a file changed): the next draft reads them again."""
        self.resolver = ConfigResolver(self.options.config)
        self._linters: dict[tuple, Linter] = {}

    # -- configuration ------------------------------------------------------------

    def config_for(self, path: str) -> Config:
        """The effective configuration of a draft at ``path``: its file (or --config) with the options on top."""
        return self.resolver.for_path(path).override(**self.options.overrides())

    def linter_for(self, path: str) -> Linter:
        """The Linter for a draft at ``path`` (built once per configuration)."""
        config = self.config_for(path)
        key = (config.fingerprint(), config.root)
        if key not in self._linters:
            rules = load_rules(config.rules_dirs, **({"cache": self.cache} if self.cache is not None else {}))
            self._linters[key] = Linter(config.rules(rules), config=config)
        return self._linters[key]

    def rules(self) -> list[Rule]:
        """Every rule enabled for some draft linted so far, by code."""
        seen: dict[str, Rule] = {}
        for linter in self._linters.values():
            for r in linter.rules:
                seen.setdefault(r.code, r)
        return sorted(seen.values(), key=lambda r: r.code)

    # -- inputs -------------------------------------------------------------------

    def discover(self, paths: Sequence[str]) -> tuple[list[str], list[InputError]]:
        """Files to lint and inputs that cannot be found.

        Directories are searched; the drafts found in them are kept only when
        their configuration's ``include``/``exclude`` want them.  A file named
        as it is (or ``-``) is always linted.
        """
        files, missing = discover(list(paths))
        named = set(paths)
        return [f for f in files if f == STDIN or f in named or self.config_for(f).wants(f)], missing

    def stdin_name(self) -> str:
        return self.options.stdin_filename or "<stdin>"

    def read_stdin(self, stream: BinaryIO) -> tuple[str, bytes]:
        """The name and bytes of a draft on stdin, within the size limit."""
        name = self.stdin_name()
        return name, read_stream(stream, name, max_bytes=self.options.max_bytes)

    # -- linting ------------------------------------------------------------------

    def lint_text(self, text: str, path: str, kind: str | None = None) -> FileResult:
        """Lint a draft given as text (an editor's buffer, a page's text) as the draft at ``path``.

        The configuration is the one for ``path``; the size limit applies
        to its UTF-8 bytes, as it does to a file or to stdin.
        """
        linter = self.linter_for(path)
        try:
            check_size(text.encode("utf-8", "surrogatepass"), path, self.options.max_bytes)
            draft = draft_from_text(text, path, kind)
        except InputError as exc:
            return FileResult(path, errors=[exc], fail_on=linter.config.fail_on)
        return linter.lint_draft(draft)

    def lint_bytes(self, data: bytes, path: str) -> FileResult:
        """Lint a draft given as bytes (stdin): decoded as a file would be, notes included."""
        linter = self.linter_for(path)
        try:
            draft, _ = draft_from_bytes(data, path)
        except InputError as exc:
            return FileResult(path, errors=[exc], fail_on=linter.config.fail_on)
        return linter.lint_draft(draft)

    def lint_files(self, files: Sequence[str], *, jobs: int | None = None) -> Iterator[FileResult]:
        """Lint files, each with its own configuration's Linter; results come in the order given."""
        jobs = jobs or self.options.jobs or (default_jobs() if len(files) > 1 else 1)
        groups: dict[int, list[str]] = {}
        linters: dict[int, Linter] = {}
        for f in files:
            linter = self.linter_for(f)
            groups.setdefault(id(linter), []).append(f)
            linters[id(linter)] = linter

        def run(linter: Linter, group: list[str]) -> Iterator[FileResult]:
            return lint_files(linter, group, max_bytes=self.options.max_bytes, jobs=jobs, cache=self.cache,
                              settings=settings_key(linter) if self.cache is not None else "")

        if len(groups) <= 1:  # the common case streams, without holding results
            for key, group in groups.items():
                yield from run(linters[key], group)
            return
        order = {f: i for i, f in enumerate(files)}
        done = [r for key, group in groups.items() for r in run(linters[key], group)]
        yield from sorted(done, key=lambda r: order.get(r.path, -1))

    def check(self, paths: Sequence[str], *, stdin: BinaryIO | None = None,
              progress: Callable[[Iterator[FileResult], int], Iterable[FileResult]] | None = None) -> RunResult:
        """Lint ``paths`` (``-`` is ``stdin``): what ``followup-lint check`` does, printing aside.

        Inputs that cannot be found or read become results with an error;
        a configuration, rule or model that cannot be loaded raises LintError.
        """
        files, missing = self.discover(paths)
        results = [FileResult(e.path, errors=[e]) for e in missing]
        if STDIN in files:
            name = self.stdin_name()
            try:
                name, data = self.read_stdin(stdin)
            except InputError as exc:
                results.append(FileResult(name, errors=[exc], fail_on=self.linter_for(name).config.fail_on))
            else:
                results.append(self.lint_bytes(data, name))
        disk = [f for f in files if f != STDIN]
        stream = self.lint_files(disk)
        results.extend(progress(stream, len(disk)) if progress else stream)
        run = RunResult(results, self.rules())
        if self.options.write_baseline:
            run.baseline_written = write_baseline(results, self.options.write_baseline)
        elif self.options.baseline:
            run.stale_baseline = Baseline.load(self.options.baseline).filter(results)
        return run

    # -- fixing -------------------------------------------------------------------

    def fix(self, paths: Sequence[str], *, unsafe: bool = False, diff: bool = False,
            stdin: BinaryIO | None = None) -> FixRun:
        """Apply the safe fixes (and with ``unsafe`` the suggestions) in place; with ``diff``, only work them out.

        ``diff`` shows exactly what the same ``fix`` would write.  Files are
        read within the size limit, as for linting; each fixed draft is linted
        again for the exit status.  A draft on stdin is fixed in memory: its
        outcome's ``fixed`` text is for the caller to print.
        """
        files, missing = self.discover(paths)
        out = FixRun(diff=diff, errors=list(missing))
        for path in files:
            try:
                if path == STDIN:
                    name, data = self.read_stdin(stdin)
                    outcome, _ = fix_bytes(self.linter_for(name), data, name, unsafe=unsafe)
                    out.outcomes.append(outcome)
                    out.stdin = outcome
                    if not diff:
                        out.remaining.append(self.lint_text(outcome.fixed, name))
                    continue
                linter = self.linter_for(path)
                outcome = fix_file(linter, path, unsafe=unsafe, write=not diff, max_bytes=self.options.max_bytes)
            except LintError as exc:
                out.errors.append(exc)
                continue
            out.outcomes.append(outcome)
            if not diff:
                out.remaining.extend(self.lint_files([path], jobs=1))
        return out


# -- reports ----------------------------------------------------------------------------


def report_options(rules: Sequence[Rule], fmt: str = "text", *, color: bool = False, show_source: bool = True,
                   quiet: bool = False) -> ReportOptions:
    """The options every report of a run gets (the command line and :func:`lint_text_document` alike)."""
    return ReportOptions(color=color, show_source=show_source, quiet=quiet, tool_version=__version__,
                         rules=tuple(rules), statistics_format=fmt)


def write_report(report: str, run: RunResult, out, options: ReportOptions) -> None:
    """Write ``run``'s results in a report format (``text``, ``json``, ..., ``statistics``, ``checklist``)."""
    writer(report)(run.results, out, options)


# -- the Python API ---------------------------------------------------------------------


def _config(config: str | os.PathLike | Config | None) -> Config | None:
    if config is None or isinstance(config, Config):
        return config
    return load_config(config)


def lint_text(text: str, path: str = "<text>", *, rules: Sequence[Rule] | None = None, model: str | None = None,
              linter: Linter | None = None, config: str | os.PathLike | Config | None = None) -> list[Finding]:
    """Lint a draft given as a string, as ``followup-lint --stdin-filename PATH -`` would; returns its findings.

    The kind of draft comes from ``path``'s suffix.  ``config`` is a Config or a
    configuration file; without it the nearest configuration file above
    ``path`` applies (the defaults when there is none).  ``rules`` (with
    ``model``) or a ready ``linter`` bypass the configuration's rule selection.
    """
    if linter is not None or rules is not None:
        linter = linter or Linter(rules, model=model, config=_config(config))
        return linter.lint_draft(draft_from_text(text, path)).findings
    result = Session(RunOptions(config=_config(config), model=model)).lint_text(text, path)
    if result.errors:
        raise result.errors[0]
    return result.findings


def lint_paths(paths: Sequence[str], *, rules: Sequence[Rule] | None = None, model: str | None = None,
               linter: Linter | None = None, config: str | os.PathLike | Config | None = None) -> list[FileResult]:
    """Lint files and directories as ``followup-lint PATH...`` would; one FileResult per file.

    Directories are searched, and the configuration's ``include`` and
    ``exclude`` decide which drafts found there are linted.  Inputs that
    cannot be found or read become FileResults with errors.
    """
    paths = [p for p in paths if p != STDIN]
    if linter is None and rules is None:
        return Session(RunOptions(config=_config(config), model=model)).check(paths).results
    linter = linter or Linter(rules, model=model, config=_config(config))
    files, missing = discover(paths)
    named = set(paths)
    files = [f for f in files if f in named or linter.config.wants(f)]
    return [FileResult(e.path, errors=[e]) for e in missing] + list(
        lint_files(linter, files, max_bytes=DEFAULT_MAX_BYTES))


_DOCUMENT_SESSIONS: "OrderedDict[str, Session]" = OrderedDict()  # settings -> Session, the most recent few
_MAX_DOCUMENT_SESSIONS = 16


def document_config(context: Mapping[str, Any] | None = None, preset: str | None = None,
                    config: str | os.PathLike | Config | Mapping[str, Any] | None = None) -> Config:
    """The configuration :func:`lint_text_document` uses: ``config`` with ``preset`` and ``context`` on top.

    ``config`` is a Config, a configuration file, a mapping of settings (as in
    a configuration file) or None (the defaults: no file is looked for).
    ``context`` is a ``context`` block as in a configuration file; its known
    fields win over the configuration's.  A bad value is a ConfigError.
    """
    if isinstance(config, Config):
        if preset is not None and preset != config.preset:
            if config.path is None:
                raise ConfigError(None, "a preset can be changed only on a configuration read from a file "
                                        "or given as a mapping")
            config = load_config(config.path, preset=preset)
    elif config is None or isinstance(config, Mapping):
        data = dict(config or {})
        if preset is not None:
            data["preset"] = preset
        config = config_from_mapping(data, origin="the settings given")
    else:
        config = load_config(config, preset=preset)
    if context:
        problem = schema_errors(dict(context), "#/$defs/context")
        if problem:
            key, expected = problem
            raise ConfigError(None, f"context key {key!r}: {expected}")
        config = config.with_context(context_from_mapping(dict(context)))
    return config


def lint_text_document(text: str, filename: str, context: Mapping[str, Any] | None = None,
                       preset: str | None = None, config: str | os.PathLike | Config | Mapping[str, Any] | None = None
                       ) -> dict:
    """Lint one draft given as text: exactly the document ``followup-lint --format json`` prints for it.

    The same document as ``followup-lint --format json --stdin-filename
    FILENAME -`` with that configuration (see :func:`document_config`; with
    none, the defaults, since a page has no folder to search).  Sessions are
    kept for the most recent settings, so spaCy and the rules load once.
    Not thread-safe: call it from one thread at a time.
    """
    cfg = document_config(context, preset, config)
    key = json.dumps([cfg.fingerprint(), cfg.root], sort_keys=True)
    session = _DOCUMENT_SESSIONS.get(key)
    if session is None:
        session = _DOCUMENT_SESSIONS[key] = Session(RunOptions(config=cfg))
        while len(_DOCUMENT_SESSIONS) > _MAX_DOCUMENT_SESSIONS:
            _DOCUMENT_SESSIONS.popitem(last=False)
    _DOCUMENT_SESSIONS.move_to_end(key)
    try:  # as the text would be piped in on stdin
        data = read_stream(io.BytesIO(text.encode("utf-8", "surrogatepass")), filename,
                           max_bytes=session.options.max_bytes)
    except InputError as exc:
        result = FileResult(filename, errors=[exc], fail_on=session.linter_for(filename).config.fail_on)
    else:
        result = session.lint_bytes(data, filename)
    run = RunResult([result], session.rules())
    out = io.StringIO()
    write_report("json", run, out, report_options(run.rules, "json"))
    return json.loads(out.getvalue())


__all__ = ["ExitStatus", "FixRun", "RunOptions", "RunResult", "Session", "document_config", "lint_paths",
           "lint_text", "lint_text_document", "report_options", "write_report"]
