"""Linting many files: the cache first, then the misses in one process or in worker processes.

    files -> read bytes -> cache hit?  yes: findings from the cache (no spaCy at all)
                                       no:  lint here (jobs=1) or in workers (jobs>1) -> cache
          -> FileResults, always in the order of ``files``

Workers are forked before this process has loaded spaCy (unless it already
has, then they inherit it); each loads the pipeline once and lints chunks of
files, streaming results back in order.  Memory holds a few chunks, not the
library: a result keeps its findings and a :class:`SourceRef` (path and notes;
the source is read again if a report wants its lines), never the draft's text,
its parsed parts or the spaCy Doc.
"""
from __future__ import annotations

import hashlib
import math
import multiprocessing
import os
from typing import Any, Iterator, Sequence

from .cache import Cache, result_from_data, result_to_data
from .document import Draft
from .engine import FileResult, Linter
from .errors import InputError, LintError
from .sources import decode, draft_from_bytes, read_bytes

MIN_FILES_PER_JOB = 16  # fewer misses than this per worker: starting a worker costs more than it saves
MAX_CHUNK = 16


def default_jobs() -> int:
    """The number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


class SourceRef:
    """A linted draft as a report sees it: the path and notes, with the source read again on demand.

    Holding every draft's text until the report is written would make memory
    grow with the library; the file was hashed when it was read, so reading it
    again for the underlined lines of a text report is cheap.  The last draft
    read is kept, since a report asks for the same draft's lines in a row.
    """

    __slots__ = ("path", "notes", "_digest")
    paragraphs = ()  # the parts are not kept; reports that need them parse ``source`` again

    def __init__(self, path: str, notes: list[str], digest: bytes):
        self.path = path
        self.notes = list(notes)
        self._digest = digest

    def _draft(self) -> Draft:
        return _reread(self.path, self._digest)

    @property
    def source(self) -> str:
        return self._draft().source

    text = source

    def line_span(self, line: int):
        return self._draft().line_span(line)

    def position(self, offset: int) -> tuple[int, int]:
        return self._draft().position(offset)

    def lines(self, span):
        return self._draft().lines(span)


_LAST: dict[str, Any] = {}


def _reread(path: str, digest: bytes) -> Draft:
    key = (path, digest)
    if _LAST.get("key") != key:
        try:
            with open(path, "rb") as fh:
                text = decode(fh.read(), path).text
        except (OSError, LintError):
            text = ""  # gone or changed beyond reading since it was linted: no excerpt rather than a crash
        _LAST.clear()
        _LAST.update(key=key, draft=Draft(path, text, text))
    return _LAST["draft"]


def lint_files(linter: Linter, files: Sequence[str], *, max_bytes: int, jobs: int = 1,
               cache: Cache | None = None, settings: str = "") -> Iterator[FileResult]:
    """Yield one FileResult per file, in the order given, using the cache and up to ``jobs`` processes.

    Each result carries the ``fail_on`` of the linter's configuration.
    """
    ready: dict[int, FileResult] = {}
    misses: list[int] = []
    for i, path in enumerate(files):
        if cache is not None:
            try:
                data = read_bytes(path, max_bytes=max_bytes)
            except InputError as exc:
                ready[i] = FileResult(path, errors=[exc])
                continue
            digest = hashlib.sha256(data).digest()
            entry = cache.get(cache.entry_key(settings, path, digest))
            if entry is not None:
                try:
                    findings, notes, evidence = result_from_data(entry)
                    ready[i] = FileResult(path, SourceRef(path, notes, digest), findings, evidence=evidence)
                    continue
                except (LintError, KeyError, TypeError, ValueError):
                    pass  # a damaged entry: lint the file again
        misses.append(i)

    def store(path: str, digest: bytes, res: FileResult) -> None:
        if cache is not None and not res.errors and res.draft is not None:
            cache.put(cache.entry_key(settings, path, digest), result_to_data(res.findings, res.draft.notes,
                                                                                res.evidence))

    workers = min(jobs, math.ceil(len(misses) / MIN_FILES_PER_JOB)) if misses else 0
    if not misses:
        linted = iter(())  # every draft from the cache: spaCy is never imported
    elif workers > 1 and "fork" in multiprocessing.get_all_start_methods():
        linted = _in_workers(linter, files, misses, workers, max_bytes)
    else:
        linted = _in_process(linter, files, misses, max_bytes)

    def done(res: FileResult) -> FileResult:
        res.fail_on = linter.config.fail_on
        return res

    nxt = 0
    for i, digest, res in linted:
        store(files[i], digest, res)
        ready[i] = res
        while nxt in ready:
            yield done(ready.pop(nxt))
            nxt += 1
    while nxt < len(files):
        yield done(ready.pop(nxt))
        nxt += 1


def _in_process(linter, files, misses: list[int], max_bytes: int) -> Iterator[tuple[int, bytes, Any]]:
    """Lint the misses here, streaming them through one ``nlp.pipe``; yields (index, bytes digest, result)."""
    order: list[tuple[int, bytes]] = []  # the drafts handed to the pipeline, in order
    failed: list[tuple[int, bytes, FileResult]] = []

    def drafts() -> Iterator[Draft]:
        for i in misses:
            path = files[i]
            try:
                data = read_bytes(path, max_bytes=max_bytes)
                draft, _ = draft_from_bytes(data, path)
            except InputError as exc:
                failed.append((i, b"", FileResult(path, errors=[exc])))
                continue
            order.append((i, hashlib.sha256(data).digest()))
            yield draft

    for k, res in enumerate(linter.lint_drafts(drafts())):
        while failed:
            yield failed.pop(0)
        i, digest = order[k]
        order[k] = None  # type: ignore[call-overload]  # let the list hold nothing but indexes
        res.draft = SourceRef(res.path, res.draft.notes, digest)
        yield i, digest, res
    yield from failed


# -- worker processes -----------------------------------------------------------

_WORKER: dict[str, Any] = {}


def _init_worker(linter, max_bytes: int) -> None:
    _WORKER.update(linter=linter, max_bytes=max_bytes, fatal=None)
    try:
        linter.pipeline  # load spaCy now, in parallel with the other workers
    except LintError as exc:
        _WORKER["fatal"] = _error_state(exc)


def _lint_chunk(chunk: list[tuple[int, str]]) -> list[tuple]:
    """Lint a chunk of files in a worker: (index, digest, findings, notes, errors) each."""
    if _WORKER.get("fatal") is not None:
        return [("fatal", _WORKER["fatal"])]
    linter = _WORKER["linter"]
    files = [p for _, p in chunk]
    out = []
    for i, digest, res in _in_process(linter, files, list(range(len(files))), _WORKER["max_bytes"]):
        d = res.draft
        out.append((chunk[i][0], digest, res.findings, d.notes if d else None, [_error_state(e) for e in res.errors],
                    res.evidence))
    return out


def _in_workers(linter, files, misses: list[int], workers: int, max_bytes: int) -> Iterator[tuple[int, bytes, Any]]:
    size = max(1, min(MAX_CHUNK, math.ceil(len(misses) / (workers * 4))))
    chunks = [[(i, files[i]) for i in misses[k:k + size]] for k in range(0, len(misses), size)]
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(workers, initializer=_init_worker, initargs=(linter, max_bytes)) as pool:
        for rows in pool.imap(_lint_chunk, chunks):
            for row in rows:
                if row[0] == "fatal":
                    raise _error_from_state(row[1])
                i, digest, findings, notes, errors, evidence = row
                path = files[i]
                draft = SourceRef(path, notes, digest) if notes is not None else None
                yield i, digest, FileResult(path, draft, findings, [_error_from_state(e) for e in errors],
                                            evidence=evidence)


def _error_state(exc: LintError) -> tuple[type, dict]:
    """LintErrors take keyword arguments, so they cannot be pickled as they are: send their fields."""
    return type(exc), dict(exc.__dict__)


def _error_from_state(state: tuple[type, dict]) -> LintError:
    cls, fields = state
    exc = cls.__new__(cls)
    exc.__dict__.update(fields)
    Exception.__init__(exc, str(exc))
    return exc
