"""The language server, over a real JSON-RPC connection to ``python -m followup_lint lsp``.

A small Content-Length framed client talks to the server process on its
stdio, as an editor does.  Timeouts are generous: spaCy loads when the
server starts, and the machine may be busy.
"""
from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import tempfile
import textwrap
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIRST = 90  # seconds: the first diagnostics wait for spaCy to load
LATER = 30

# Two rules of our own, so what the server reports does not move when built-in rules change.
SAFE_RULE = textwrap.dedent("""\
    id: test-touch-base
    code: TST901
    name: Jargon for following up
    severity: warning
    kind: substitution
    scope: sentence
    advice: sincerity
    fix: safe
    message: "Say “{replacement}” instead of “{match}”."
    description: |
      Office jargon sounds rehearsed; plain words sound like you.
    swap:
      touch base: follow up
    examples:
      fail: ["Dear Dana,\\n\\nI wanted to touch base about the role.\\n\\nBest,\\nLee"]
      pass: ["Dear Dana,\\n\\nI wanted to follow up about the role.\\n\\nBest,\\nLee"]
    """)
UNSAFE_RULE = textwrap.dedent("""\
    id: test-deserve
    code: TST902
    name: Entitled wording
    severity: error
    kind: substitution
    scope: sentence
    advice: no-entitlement
    message: "“{match}” sounds entitled; try “{replacement}”."
    description: |
      Asking for another chance works; claiming one does not.
    swap:
      I deserve: I would welcome
    examples:
      fail: ["Dear Dana,\\n\\nI deserve another chance.\\n\\nBest,\\nLee"]
      pass: ["Dear Dana,\\n\\nI would welcome another chance.\\n\\nBest,\\nLee"]
    """)


class LspClient:
    """An LSP client over a subprocess's stdin/stdout (Content-Length framing)."""

    def __init__(self, args: list[str], cwd: Path):
        self.stderr = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(args, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self.stderr, env={**os.environ, "PYTHONUNBUFFERED": "1"})
        self.inbox: queue.Queue = queue.Queue()
        self.seen: list[dict] = []
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    self.inbox.put(None)
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            self.inbox.put(json.loads(out.read(length).decode("utf-8")))

    def send(self, message: dict) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def notify(self, method: str, params) -> None:
        self.send({"method": method, "params": params})

    def request(self, method: str, params, timeout: float = LATER):
        self.next_id += 1
        rid = self.next_id
        self.send({"id": rid, "method": method, "params": params})
        msg = self.wait(lambda m: m.get("id") == rid and "method" not in m, timeout, f"reply to {method}")
        assert "error" not in msg, msg
        return msg["result"]

    def wait(self, match, timeout: float, what: str) -> dict:
        """The first message (already seen or still to come) that ``match`` accepts."""
        for i, m in enumerate(self.seen):
            if match(m):
                return self.seen.pop(i)
        import time

        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            try:
                m = self.inbox.get(timeout=max(left, 0.01))
            except queue.Empty:
                m = False
            if m is None or m is False or left <= 0:
                raise AssertionError(f"no {what} within {timeout} s; server stderr:\n{self.stderr_text()}")
            if "method" in m and "id" in m:  # a request from the server: answer it
                self.send({"id": m["id"], "result": None})
            if match(m):
                return m
            self.seen.append(m)

    def diagnostics(self, uri: str, timeout: float = LATER, version: int | None = None) -> list[dict]:
        msg = self.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                        and m["params"]["uri"] == uri
                        and (version is None or m["params"].get("version") == version),
                        timeout, f"diagnostics for {uri} (version {version})")
        return msg["params"]["diagnostics"]

    def stderr_text(self) -> str:
        self.stderr.seek(0)
        return self.stderr.read().decode("utf-8", "replace")[-4000:]

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)
        self.stderr.close()


def _start(tmp: Path, *args: str, encodings: list[str] | None = None) -> tuple[LspClient, dict]:
    client = LspClient([sys.executable, "-m", "followup_lint", "lsp", *args], cwd=tmp)
    caps: dict = {"textDocument": {"publishDiagnostics": {"versionSupport": True},
                                   "hover": {"contentFormat": ["markdown", "plaintext"]},
                                   "codeAction": {"codeActionLiteralSupport": {
                                       "codeActionKind": {"valueSet": ["quickfix"]}}}}}
    if encodings:
        caps["general"] = {"positionEncodings": encodings}
    result = client.request("initialize", {"processId": os.getpid(), "rootUri": tmp.as_uri(),
                                           "capabilities": caps}, timeout=FIRST)
    client.notify("initialized", {})
    return client, result


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("lsp")
    rules = tmp / "rules"
    rules.mkdir()
    (rules / "test-touch-base.yaml").write_text(SAFE_RULE, "utf-8")
    (rules / "test-deserve.yaml").write_text(UNSAFE_RULE, "utf-8")
    client, init = _start(tmp, "--rules-dir", str(rules), "--select", "TST")
    client.init = init
    client.root = tmp
    yield client
    client.close()


def _open(client: LspClient, name: str, text: str, version: int = 1, language: str = "plaintext") -> str:
    uri = (client.root / name).as_uri()
    client.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": language, "version": version, "text": text}})
    return uri


def _range(sl, sc, el, ec) -> dict:
    return {"start": {"line": sl, "character": sc}, "end": {"line": el, "character": ec}}


BAD = ("Subject: Thank you 🙏 for Tuesday\n"
       "\n"
       "Dear Dana 👋🏽,\n"
       "\n"
       "I wanted to touch base 😀 about the role. I deserve another chance.\n"
       "\n"
       "Best,\n"
       "Lee\n")


def test_initialize_announces_the_capabilities(server):
    caps = server.init["capabilities"]
    assert server.init["serverInfo"]["name"] == "followup-lint"
    assert caps["positionEncoding"] == "utf-16"
    sync = caps["textDocumentSync"]
    assert sync["openClose"] is True and sync["change"] == 1  # full text on each change
    assert sync["save"] in (True, {"includeText": False}) or isinstance(sync["save"], dict)
    assert caps["hoverProvider"] in (True, {}) or isinstance(caps["hoverProvider"], dict)
    assert caps["codeActionProvider"]["codeActionKinds"] == ["quickfix"]


def test_diagnostics_have_exact_utf16_ranges(server):
    uri = _open(server, "bad.txt", BAD)
    diags = server.diagnostics(uri, timeout=FIRST)
    assert [(d["code"], d["range"]) for d in diags] == [
        # "I wanted to " is 12 code units: no astral character before the span on this line
        ("TST901", _range(4, 12, 4, 22)),
        # after "touch base 😀": the emoji counts as 2 UTF-16 units, so 41 + 1 = 42, not 41
        ("TST902", _range(4, 42, 4, 51)),
    ]
    first, second = diags
    assert first["severity"] == 2 and second["severity"] == 1  # warning, error
    assert {d["source"] for d in diags} == {"followup-lint"}
    assert first["message"] == "Say “follow up” instead of “touch base”."
    assert first["data"] == {"rule": "test-touch-base", "advice": "sincerity", "fix": "safe"}
    assert second["data"]["fix"] == "suggestion"
    assert first["codeDescription"]["href"].endswith("/rules/test-touch-base.yaml")


def test_astral_characters_before_the_span_on_the_same_line(server):
    # a ZWJ family emoji is 5 code points and 8 UTF-16 units; "é" is 1 unit
    text = "Hi Dana,\n\nCafé 👨‍👩‍👧 chat: can we touch base soon?\n\nBest,\nLee\n"
    uri = _open(server, "astral.txt", text)
    diags = server.diagnostics(uri, timeout=FIRST)
    line = text.splitlines()[2]
    chars = line.index("touch base")
    assert chars == 24  # code points; UTF-16 needs 3 more (three astral characters)
    assert [d["range"] for d in diags] == [_range(2, chars + 3, 2, chars + 3 + 10)]


def test_a_clean_draft_gets_empty_diagnostics(server):
    uri = _open(server, "clean.md", "Dear Dana,\n\nI would welcome a chance to follow up. 🙂\n\nBest,\nLee\n",
                language="markdown")
    assert server.diagnostics(uri, timeout=FIRST) == []


def test_changes_relint_the_buffer_and_the_last_version_wins(server):
    uri = _open(server, "change.txt", "Dear Dana,\n\nThanks again.\n\nBest,\nLee\n")
    assert server.diagnostics(uri, timeout=FIRST) == []
    texts = ["Dear Dana,\n\nCan we touch base?\n\nBest,\nLee\n",
             "Dear Dana,\n\nCan we touch\n",
             "Dear Dana,\n\nI deserve it.\nCan we touch base?\n\nBest,\nLee\n"]
    for version, text in enumerate(texts, start=2):
        server.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                                 "contentChanges": [{"text": text}]})
    diags = server.diagnostics(uri, version=4)
    assert [(d["code"], d["range"]) for d in diags] == [
        ("TST902", _range(2, 0, 2, 9)), ("TST901", _range(3, 7, 3, 17))]
    # nothing was written: the file does not even exist on disk
    assert not (server.root / "change.txt").exists()


def test_code_actions_carry_the_fixes(server):
    uri = _open(server, "fix.txt", BAD)
    diags = server.diagnostics(uri, timeout=FIRST)
    actions = server.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": _range(4, 14, 4, 14),
        "context": {"diagnostics": diags[:1], "only": ["quickfix"]}})
    assert actions == [{
        "title": "Replace with “follow up” (TST901)",
        "kind": "quickfix",
        "diagnostics": [diags[0]],
        "isPreferred": True,
        "edit": {"changes": {uri: [{"range": _range(4, 12, 4, 22), "newText": "follow up"}]}},
    }]
    unsafe = server.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": _range(4, 42, 4, 51), "context": {"diagnostics": []}})
    assert [(a["title"], a["isPreferred"]) for a in unsafe] == [
        ("Suggestion: Replace with “I would welcome” (TST902)", False)]
    assert unsafe[0]["edit"]["changes"][uri] == [{"range": _range(4, 42, 4, 51), "newText": "I would welcome"}]
    nothing = server.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": _range(0, 0, 0, 3), "context": {"diagnostics": []}})
    assert nothing == []


def test_hover_shows_the_rule(server):
    uri = _open(server, "hover.txt", BAD)
    server.diagnostics(uri, timeout=FIRST)
    hover = server.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                  "position": {"line": 4, "character": 45}})
    assert hover["range"] == _range(4, 42, 4, 51)
    assert hover["contents"]["kind"] == "markdown"
    value = hover["contents"]["value"]
    assert value.startswith("**TST902 Entitled wording** (`test-deserve`, error, advice: no-entitlement)")
    assert "Asking for another chance works" in value
    off = server.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                "position": {"line": 2, "character": 1}})
    assert off is None


def test_close_clears_the_diagnostics(server):
    uri = _open(server, "close.txt", BAD)
    assert len(server.diagnostics(uri, timeout=FIRST)) == 2
    server.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    assert server.diagnostics(uri) == []


def test_shutdown_and_exit(tmp_path):
    client, _ = _start(tmp_path, "--select", "FL301")
    try:
        assert client.request("shutdown", None) is None
        client.notify("exit", None)
        assert client.proc.wait(LATER) == 0
    finally:
        client.close()


def test_builtin_rules_match_the_command_line_in_utf32(tmp_path):
    """With UTF-32 positions, LSP ranges are the CLI's 1-based columns minus one."""
    draft = ROOT / "examples" / "drafts" / "bad-recovery.txt"
    cli = subprocess.run([sys.executable, "-m", "followup_lint", "--format", "json", str(draft)],
                         capture_output=True, text=True, timeout=FIRST * 2)
    assert cli.returncode in (0, 1), cli.stderr
    data = json.loads(cli.stdout)
    findings = data["findings"] if isinstance(data, dict) and "findings" in data else [
        f for r in (data if isinstance(data, list) else data.get("files", [])) for f in r.get("findings", [])]
    assert findings, "the bad example draft should have findings"
    client, init = _start(tmp_path, encodings=["utf-32", "utf-16"])
    try:
        assert init["capabilities"]["positionEncoding"] == "utf-32"
        uri = draft.as_uri()
        client.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "plaintext", "version": 1, "text": draft.read_text("utf-8")}})
        diags = client.diagnostics(uri, timeout=FIRST)
        got = sorted((d["code"], d["range"]["start"]["line"], d["range"]["start"]["character"],
                      d["range"]["end"]["line"], d["range"]["end"]["character"], d["message"]) for d in diags)
        want = sorted((f["code"], f["line"] - 1, f["column"] - 1, f["end_line"] - 1, f["end_column"] - 1,
                       f["message"]) for f in findings)
        assert got == want
    finally:
        client.close()


def test_the_configuration_above_the_document_applies(server):
    folder = server.root / "library"
    folder.mkdir()
    (folder / ".followup-lint.yaml").write_text("ignore: [TST902]\n", "utf-8")
    uri = (folder / "configured.txt").as_uri()
    server.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "plaintext", "version": 1, "text": BAD}})
    assert [d["code"] for d in server.diagnostics(uri, timeout=FIRST)] == ["TST901"]


def test_a_bad_configuration_is_shown_to_the_user(server):
    folder = server.root / "broken"
    folder.mkdir()
    (folder / ".followup-lint.yaml").write_text("no-such-setting: 1\n", "utf-8")
    uri = (folder / "draft.txt").as_uri()
    server.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "plaintext", "version": 1, "text": BAD}})
    msg = server.wait(lambda m: m.get("method") == "window/showMessage", FIRST, "an error message")
    assert msg["params"]["type"] == 1  # error
    assert msg["params"]["message"].startswith("followup-lint: ")
    assert ".followup-lint.yaml" in msg["params"]["message"] and "no-such-setting" in msg["params"]["message"]


def test_the_server_reloads_the_configuration_when_it_changes(tmp_path):
    """Editing .followup-lint.yaml takes effect without a restart: the editor says the file changed
    (workspace/didChangeWatchedFiles, which the server asks it to watch) and every open document is linted again."""
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "test-touch-base.yaml").write_text(SAFE_RULE, "utf-8")
    (rules / "test-deserve.yaml").write_text(UNSAFE_RULE, "utf-8")
    config = tmp_path / ".followup-lint.yaml"
    config.write_text("ignore: [TST902]\n", "utf-8")
    client = LspClient([sys.executable, "-m", "followup_lint", "lsp", "--rules-dir", str(rules), "--select", "TST"],
                       cwd=tmp_path)
    try:
        client.request("initialize", {"processId": os.getpid(), "rootUri": tmp_path.as_uri(), "capabilities": {
            "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": True}},
            "textDocument": {"publishDiagnostics": {"versionSupport": True}}}}, timeout=FIRST)
        client.notify("initialized", {})
        registration = client.wait(lambda m: m.get("method") == "client/registerCapability", FIRST,
                                   "a request to watch the configuration files")
        (watch,) = registration["params"]["registrations"]
        assert watch["method"] == "workspace/didChangeWatchedFiles"
        assert {"**/.followup-lint.yaml", "**/pyproject.toml"} <= {w["globPattern"]
                                                                   for w in watch["registerOptions"]["watchers"]}
        uri = (tmp_path / "draft.txt").as_uri()
        client.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "plaintext", "version": 1, "text": BAD}})
        assert [d["code"] for d in client.diagnostics(uri, timeout=FIRST)] == ["TST901"]

        config.write_text("ignore: [TST901]\n", "utf-8")
        client.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": config.as_uri(), "type": 2}]})
        assert [d["code"] for d in client.diagnostics(uri, timeout=FIRST)] == ["TST902"]

        config.write_text("ignore: [TST999]\n", "utf-8")  # a mistake in the new file is shown, as on opening
        client.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": config.as_uri(), "type": 2}]})
        msg = client.wait(lambda m: m.get("method") == "window/showMessage", FIRST, "an error message")
        assert "TST999" in msg["params"]["message"] and ".followup-lint.yaml" in msg["params"]["message"]
    finally:
        client.close()
