"""followup-lint as a Language Server: ``followup-lint lsp`` speaks LSP over stdio (pygls 2).

- Diagnostics on open, change (debounced) and save, linted from the editor's
  buffer text; nothing is ever written to disk.
- Quick fixes for findings that carry a :class:`~followup_lint.model.Fix`:
  safe fixes are preferred, unsafe ones are offered as suggestions.
- Hover over a finding shows its rule's name and description.

One :class:`~followup_lint.run.Session` lives as long as the server, so spaCy
loads once (in the background right after ``initialized``) and stays warm.
When a configuration file changes (``workspace/didChangeWatchedFiles``; the
server asks the editor to watch them when it can) the session forgets every
configuration and rule it read, and the open documents are linted again.
Linting runs on one worker thread, so the server keeps answering while spaCy
works.  Positions go through :class:`Positions`: our offsets count characters,
LSP counts UTF-16 code units by default (UTF-8 or UTF-32 when negotiated).

Only this module and the ``lsp`` command import pygls.
"""
from __future__ import annotations

import asyncio
import bisect
import re
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from .config import CONFIG_NAMES
from .engine import FileResult
from .errors import LintError
from .model import Finding, Rule
from .run import Session
from .sources import DRAFT_SUFFIXES
from .version import __version__

SOURCE = "followup-lint"
DEBOUNCE_SECONDS = 0.3

_SEVERITY = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "info": types.DiagnosticSeverity.Information,
}
# The editor's language id, for buffers whose name does not tell the kind of draft.
_KIND_BY_LANGUAGE = {"markdown": "markdown", "html": "html", "mail": "eml", "email": "eml"}
_LINE_BREAK = re.compile(r"\r\n|\r|\n")  # the line breaks LSP itself recognises


class Positions:
    """Character offsets in one text <-> LSP positions in the negotiated encoding."""

    def __init__(self, text: str, encoding: str = types.PositionEncodingKind.Utf16):
        self.text = text
        self.encoding = str(encoding)
        self.starts = [0] + [m.end() for m in _LINE_BREAK.finditer(text)]

    def _units(self, chars: str) -> int:
        if self.encoding == types.PositionEncodingKind.Utf32:
            return len(chars)
        if self.encoding == types.PositionEncodingKind.Utf8:
            return len(chars.encode("utf-8", "surrogatepass"))
        return len(chars) + sum(1 for c in chars if ord(c) > 0xFFFF)  # astral: a surrogate pair

    def position(self, offset: int) -> types.Position:
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self.starts, offset) - 1
        return types.Position(line=line, character=self._units(self.text[self.starts[line]:offset]))

    def range(self, start: int, end: int) -> types.Range:
        return types.Range(start=self.position(start), end=self.position(end))

    def offset(self, position: types.Position) -> int:
        """The character offset of an LSP position (clamped to its line, as the spec asks)."""
        if position.line >= len(self.starts):
            return len(self.text)
        start = self.starts[position.line]
        m = _LINE_BREAK.search(self.text, start)
        stop = m.start() if m else len(self.text)
        units = 0
        for i in range(start, stop):
            if units >= position.character:
                return i
            units += self._units(self.text[i])
        return stop


@dataclass
class Linted:
    """The findings for one version of one document, with the text they refer to."""

    version: int | None
    positions: Positions
    findings: list[Finding]
    diagnostics: list[types.Diagnostic]


def draft_kind(path: str, language_id: str | None) -> str | None:
    """The draft kind: by the file's suffix when it has a draft suffix, else by the editor's language."""
    if path.lower().endswith(DRAFT_SUFFIXES):
        return None
    return _KIND_BY_LANGUAGE.get((language_id or "").lower())


# Files whose change means the configuration (or the user's rules) may have changed.
WATCHED = tuple(f"**/{name}" for name in CONFIG_NAMES) + ("**/*.yaml", "**/*.yml")


class FollowupLintServer(LanguageServer):
    """The language server.  ``session`` (the run layer) lints each document with its configuration."""

    def __init__(self, session: Session, *, debounce: float = DEBOUNCE_SECONDS):
        super().__init__(SOURCE, __version__, text_document_sync_kind=types.TextDocumentSyncKind.Full)
        self.session = session
        self.debounce = debounce
        # One worker: spaCy is loaded and run on one thread, one draft at a time.
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="followup-lint")
        self.linted: dict[str, Linted] = {}
        self.pending: dict[str, asyncio.Task] = {}
        self.rules: dict[str, Rule] = {}

    # -- linting ----------------------------------------------------------------

    def _encoding(self) -> str:
        return str(self.workspace.position_encoding or types.PositionEncodingKind.Utf16)

    def lint_now(self, path: str, text: str, language_id: str | None) -> FileResult:
        """Runs on the worker thread."""
        for rule in self.session.linter_for(path).rules:
            self.rules[rule.code] = rule
        return self.session.lint_text(text, path, draft_kind(path, language_id))

    async def reload(self) -> None:
        """A configuration or rule file changed: read them all again, then lint every open document again."""
        # on the lint worker, so never in the middle of a lint
        await asyncio.get_running_loop().run_in_executor(self.worker, self.session.reload)
        self.rules.clear()
        for uri in list(self.workspace.text_documents):
            self.schedule(uri, 0)

    def schedule(self, uri: str, delay: float) -> None:
        """Lint ``uri`` after ``delay`` seconds, replacing a lint already waiting for it."""
        old = self.pending.pop(uri, None)
        if old is not None:
            old.cancel()
        self.pending[uri] = asyncio.get_running_loop().create_task(self._lint_later(uri, delay))

    async def _lint_later(self, uri: str, delay: float) -> None:
        if delay:
            await asyncio.sleep(delay)
        doc = self.workspace.get_text_document(uri)
        text, version = doc.source, doc.version
        path = doc.path or uri
        try:
            result = await asyncio.get_running_loop().run_in_executor(
                self.worker, self.lint_now, path, text, doc.language_id)
        except LintError as exc:  # the model or the rules cannot be loaded: say so once per lint
            self.window_show_message(types.ShowMessageParams(
                type=types.MessageType.Error, message=f"followup-lint: {exc}"))
            return
        current = self.workspace.text_documents.get(uri)
        if current is None or current.source != text:
            return  # closed or edited meanwhile: a newer lint is on its way
        for err in result.errors:
            self.window_log_message(types.LogMessageParams(
                type=types.MessageType.Warning, message=f"followup-lint: {err}"))
        for note in (result.draft.notes if result.draft else []):
            self.window_log_message(types.LogMessageParams(
                type=types.MessageType.Info, message=f"followup-lint: {path}: {note}"))
        positions = Positions(text, self._encoding())
        diagnostics = [self.diagnostic(f, positions) for f in result.findings]
        self.linted[uri] = Linted(version, positions, result.findings, diagnostics)
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            uri=uri, version=version, diagnostics=diagnostics))
        if self.pending.get(uri) is asyncio.current_task():
            del self.pending[uri]

    def diagnostic(self, f: Finding, positions: Positions) -> types.Diagnostic:
        rule = self.rules.get(f.code)
        href = Path(rule.path).resolve().as_uri() if rule is not None and rule.path else None
        return types.Diagnostic(
            range=positions.range(f.start, f.end),
            message=f.message,
            severity=_SEVERITY.get(f.severity, types.DiagnosticSeverity.Warning),
            code=f.code,
            code_description=types.CodeDescription(href=href) if href else None,
            source=SOURCE,
            data={"rule": f.rule_id, "advice": f.advice,
                  "fix": None if f.fix is None else ("safe" if f.fix.safe else "suggestion")},
        )

    def current(self, uri: str) -> Linted | None:
        """The findings for ``uri`` when they still match the buffer's text."""
        linted = self.linted.get(uri)
        doc = self.workspace.text_documents.get(uri)
        if linted is None or doc is None or doc.source != linted.positions.text:
            return None
        return linted


def _overlaps(f: Finding, start: int, end: int) -> bool:
    if f.start == f.end or start == end:
        return f.start <= end and start <= f.end
    return f.start < end and start < f.end


def hover_text(rule: Rule | None, f: Finding) -> str:
    if rule is None:
        return f"**{f.code}** `{f.rule_id}`: {f.message}"
    return (f"**{rule.code} {rule.name}** (`{rule.id}`, {rule.severity}, advice: {rule.advice})\n\n"
            f"{rule.description}")


def build_server(session: Session, *, debounce: float = DEBOUNCE_SECONDS) -> FollowupLintServer:
    """The server with its features registered."""
    server = FollowupLintServer(session, debounce=debounce)

    @server.feature(types.INITIALIZED)
    def initialized(ls: FollowupLintServer, params: types.InitializedParams) -> None:
        # Load spaCy now, in the background, so the first diagnostics come quickly.
        def warm() -> None:
            try:
                linter = ls.session.linter_for(ls.workspace.root_path or ".")
                _ = linter.pipeline
            except LintError:
                pass  # reported on the first lint, with the document in view
        ls.worker.submit(warm)
        caps = ls.client_capabilities.workspace
        watched = caps.did_change_watched_files if caps is not None else None
        if watched is not None and watched.dynamic_registration:
            ls.client_register_capability(types.RegistrationParams(registrations=[types.Registration(
                id="followup-lint-configuration", method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                register_options=types.DidChangeWatchedFilesRegistrationOptions(
                    watchers=[types.FileSystemWatcher(glob_pattern=g) for g in WATCHED]))]))

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    async def did_change_watched_files(ls: FollowupLintServer, params: types.DidChangeWatchedFilesParams) -> None:
        await ls.reload()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    async def did_open(ls: FollowupLintServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    async def did_change(ls: FollowupLintServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, ls.debounce)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    async def did_save(ls: FollowupLintServer, params: types.DidSaveTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    async def did_close(ls: FollowupLintServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        task = ls.pending.pop(uri, None)
        if task is not None:
            task.cancel()
        ls.linted.pop(uri, None)
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: FollowupLintServer, params: types.HoverParams) -> types.Hover | None:
        linted = ls.current(params.text_document.uri)
        if linted is None:
            return None
        at = linted.positions.offset(params.position)
        hits = [f for f in linted.findings if f.start <= at < f.end or f.start == f.end == at]
        if not hits:
            return None
        text = "\n\n---\n\n".join(hover_text(ls.rules.get(f.code), f) for f in hits)
        return types.Hover(
            contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text),
            range=linted.positions.range(min(f.start for f in hits), max(f.end for f in hits)))

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION,
                    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]))
    def code_action(ls: FollowupLintServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        uri = params.text_document.uri
        linted = ls.current(uri)
        if linted is None:
            return []
        start = linted.positions.offset(params.range.start)
        end = linted.positions.offset(params.range.end)
        actions = []
        for f, diag in zip(linted.findings, linted.diagnostics):
            if f.fix is None or not f.fix.edits or not _overlaps(f, start, end):
                continue
            title = f.fix.title or f"Fix {f.code}"
            edits = [types.TextEdit(range=linted.positions.range(e.start, e.end), new_text=e.text)
                     for e in f.fix.edits]
            actions.append(types.CodeAction(
                title=f"{title} ({f.code})" if f.fix.safe else f"Suggestion: {title} ({f.code})",
                kind=types.CodeActionKind.QuickFix,
                diagnostics=[diag],
                is_preferred=f.fix.safe,
                edit=types.WorkspaceEdit(changes={uri: edits}),
            ))
        actions.sort(key=lambda a: not a.is_preferred)
        return actions

    return server


def serve(session: Session) -> None:
    """Run the server on stdin/stdout until the client says exit."""
    server = build_server(session)
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    # stdout carries JSON-RPC only: anything a library prints goes to stderr instead.
    sys.stdout = sys.stderr
    server.start_io(stdin, stdout)
