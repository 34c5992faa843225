"""`followup-lint serve` over HTTP: the API gives what `--format json` gives, and the server refuses
what it must (foreign Host, foreign Origin, bad or huge bodies) with a clear 4xx, and keeps serving."""
from __future__ import annotations

import http.client
import json
import os
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from followup_lint.cli import main
from followup_lint.web.server import HostCheck, make_server

ROOT = Path(__file__).resolve().parent.parent
DRAFTS = sorted((ROOT / "examples" / "drafts").glob("*.txt"))
STATIC = ROOT / "linter" / "web" / "static"
MAX = 256_000


# -- a server in this process, spaCy warm ------------------------------------------------------------------


@pytest.fixture(scope="module")
def server():
    srv = make_server("127.0.0.1", 0)
    srv.warm_up().join(timeout=300)  # nothing else may run spaCy while the warm-up does
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()


def request(srv, method, path, body=None, headers=None, *, host=None, json_body=True):
    """(status, headers, parsed JSON or raw bytes) of one request on a fresh connection."""
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=120)
    hdrs = {"Host": host or f"127.0.0.1:{srv.port}"}
    if body is not None and not isinstance(body, bytes):
        body = json.dumps(body).encode("utf-8")
    if body is not None and json_body:
        hdrs["Content-Type"] = "application/json"
    hdrs.update(headers or {})
    conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
    for k, v in hdrs.items():
        conn.putheader(k, v)
    if body is not None and "Content-Length" not in hdrs:
        conn.putheader("Content-Length", str(len(body)))
    conn.endheaders()
    if body:
        try:
            conn.send(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server may answer before taking all of a refused body
    resp = conn.getresponse()
    raw = resp.read()
    conn.close()
    ctype = resp.getheader("Content-Type") or ""
    return resp.status, resp, (json.loads(raw) if ctype.startswith("application/json") else raw)


def lint(srv, text, filename="draft.txt", **extra):
    status, _, doc = request(srv, "POST", "/api/lint", {"text": text, "filename": filename, **extra})
    assert status == 200, doc
    return doc


def cli_json(*args):
    result = CliRunner().invoke(main, ["check", "--no-cache", "--format", "json", *args], catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def still_serving(srv):
    doc = lint(srv, "Dear Dana,\n\nThe the interview.\n\nBest,\nSam\n")
    assert "FL004" in {f["code"] for f in doc["findings"]}


@pytest.fixture
def empty_config(tmp_path):
    cfg = tmp_path / "empty.followup-lint.yaml"
    cfg.write_text("{}\n", encoding="utf-8")
    return str(cfg)


# -- the API equals the CLI ----------------------------------------------------------------------------------


@pytest.mark.parametrize("draft", DRAFTS, ids=lambda p: p.name)
def test_api_equals_cli_json_on_the_example_drafts(server, draft, empty_config, monkeypatch):
    monkeypatch.chdir(ROOT)
    rel = str(draft.relative_to(ROOT))
    expected = cli_json("--config", empty_config, rel)
    got = lint(server, draft.read_text(encoding="utf-8"), rel)
    assert [(f["code"], f["line"], f["column"], f["end_line"], f["end_column"], f["offset"], f["end_offset"])
            for f in got["findings"]] == \
           [(f["code"], f["line"], f["column"], f["end_line"], f["end_column"], f["offset"], f["end_offset"])
            for f in expected["findings"]]
    assert got == expected  # the whole document: messages, fixes, summary, tool, errors


def test_api_equals_cli_with_a_context_and_the_thank_you_preset(server, tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    cfg = tmp_path / "cfg.yaml"
    cfg.write_text("preset: thank-you\ncontext:\n  company: {name: Acme Analytics, values: [client trust]}\n"
                   "  interviewer: Dana Reyes\n  role: Staff Accountant\n", encoding="utf-8")
    for draft in DRAFTS:
        rel = str(draft.relative_to(ROOT))
        expected = cli_json("--config", str(cfg), rel)
        got = lint(server, draft.read_text(encoding="utf-8"), rel, preset="thank-you",
                   context={"company": "Acme Analytics", "values": "client trust", "interviewer": "Dana Reyes",
                            "role": "Staff Accountant"})
        assert got == expected
    codes = {f["code"] for f in got["findings"]}
    assert "FL201" not in codes  # the thank-you preset drops the recovery moves


def test_the_context_may_be_given_in_the_configurations_own_shape(server):
    text = (ROOT / "examples" / "drafts" / "bad-recovery.txt").read_text(encoding="utf-8")
    flat = lint(server, text, context={"interviewer": "Dana Reyes", "company": "Acme", "aliases": "Acme Co"})
    nested = lint(server, text, context={"interviewer": "Dana Reyes", "company": {"name": "Acme", "aliases": ["Acme Co"]}})
    assert flat == nested
    fl003 = [f for f in flat["findings"] if f["code"] == "FL003"]
    assert fl003 and fl003[0]["fix"]["safe"]


def test_the_checklist_is_the_one_the_cli_prints(server, empty_config, monkeypatch):
    monkeypatch.chdir(ROOT)
    rel = "examples/drafts/bad-recovery.txt"
    result = CliRunner().invoke(main, ["check", "--no-cache", "--checklist", "--config", empty_config, rel])
    lines = result.stdout.splitlines()
    moves = [re.match(r"\s+\[.\] (.+?)\s{2,}(present|missing|violated|not checked)\s*((?:FL\d{3}(?: x\d+)?\s*)*)(.*)$", ln) for ln in lines[1:]]
    moves = [(m.group(1), m.group(2), m.group(3).strip()) for m in moves if m]
    assert len(moves) == 9
    doc = lint(server, (ROOT / rel).read_text(encoding="utf-8"), rel, checklist=True)
    (entry,) = doc["checklist"]
    got = [(m["move"], m["status"], "  ".join(c + (f" x{n}" if n > 1 else "") for c, n in sorted(m["codes"].items())))
           for m in entry["moves"]]
    assert got == moves
    fig = entry["figures"]
    assert (f"  words {fig['words']} · sentences {fig['sentences']} · apologies {fig['apologies']}"
            f" · I/you {fig['i']}/{fig['you']} · questions {fig['questions']}") in lines
    without = lint(server, (ROOT / rel).read_text(encoding="utf-8"), rel)
    assert "checklist" not in without or without["checklist"] == doc["checklist"]


def test_front_matter_in_the_draft_counts_as_in_the_cli(server, tmp_path, empty_config):
    text = "---\ninterviewer: Dana Reyes\n---\nHi Jordan,\n\nThank you for Tuesday.\n\nBest,\nSam\n"
    path = tmp_path / "fm.md"
    path.write_text(text, encoding="utf-8")
    expected = cli_json("--config", empty_config, str(path))
    assert lint(server, text, str(path)) == expected
    assert "FL003" in {f["code"] for f in expected["findings"]}


def test_non_ascii_text_keeps_character_offsets(server, tmp_path, empty_config):
    text = "Dear Zoë,\n\nI know 😬 you rushed me and the the panel confused me.\n\nBest,\nLee\n"
    path = tmp_path / "emoji.txt"
    path.write_text(text, encoding="utf-8")
    got = lint(server, text, str(path))
    assert got == cli_json("--config", empty_config, str(path))
    for f in got["findings"]:
        if f["code"] == "FL004":
            assert text[f["offset"]:f["end_offset"]].lower().startswith("the")


def test_rules_endpoint_lists_every_rule_with_its_explanation(server):
    status, _, rules = request(server, "GET", "/api/rules")
    assert status == 200
    listed = CliRunner().invoke(main, ["rules", "--format", "json"])
    assert [r["code"] for r in rules] == [r["code"] for r in json.loads(listed.output)]
    for r in rules:
        assert set(r) >= {"id", "code", "name", "severity", "advice", "description", "examples"}
        assert r["description"] and isinstance(r["examples"]["pass"], list)


def test_status_and_static_files(server):
    status, _, data = request(server, "GET", "/api/status")
    assert status == 200 and data["ready"] is True and data["max_bytes"] == MAX
    status, resp, page = request(server, "GET", "/")
    assert status == 200 and b'id="draft"' in page
    csp = resp.getheader("Content-Security-Policy")
    assert "connect-src 'self'" in csp and "default-src 'none'" in csp
    assert resp.getheader("X-Frame-Options") == "DENY"
    for path, kind in (("/app.js", "text/javascript"), ("/style.css", "text/css")):
        status, resp, body = request(server, "GET", path)
        assert status == 200 and resp.getheader("Content-Type").startswith(kind) and body
    status, resp, body = request(server, "HEAD", "/")
    assert status == 200 and body == b""


def test_the_page_refers_to_nothing_outside_this_server():
    for f in STATIC.iterdir():
        text = f.read_text(encoding="utf-8")
        assert not re.search(r"(?i)\b(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}", text), f.name
        assert "@import" not in text and "@font-face" not in text, f.name


def test_the_wheel_ships_the_page():
    import fnmatch
    import tomllib

    setup = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    assert "followup_lint.web" in setup["packages"]
    patterns = setup["package-data"]["followup_lint.web"]
    for f in STATIC.iterdir():
        assert any(fnmatch.fnmatch(f"static/{f.name}", p) for p in patterns), f.name


# -- refusals ------------------------------------------------------------------------------------------------


def test_a_foreign_host_is_refused(server):
    for host in ("evil.example:%d" % server.port, "127.0.0.1:1", "127.0.0.1", "attacker.test"):
        status, _, err = request(server, "GET", "/", host=host)
        assert status == 403 and err["error"] == "bad-host", host
        status, _, err = request(server, "POST", "/api/lint", {"text": "Hi"}, host=host)
        assert status == 403 and err["error"] == "bad-host", host
    for host in (f"localhost:{server.port}", f"127.0.0.1:{server.port}", f"LOCALHOST:{server.port}"):
        assert request(server, "GET", "/api/status", host=host)[0] == 200
    still_serving(server)


def test_a_cross_origin_post_is_refused(server):
    for headers in ({"Origin": "http://evil.example"}, {"Origin": "null"},
                    {"Origin": f"http://127.0.0.1:{server.port + 1 if server.port < 65535 else 1}"},
                    {"Origin": f"https://127.0.0.1:{server.port}"},
                    {"Sec-Fetch-Site": "cross-site"}, {"Sec-Fetch-Site": "same-site"}):
        status, _, err = request(server, "POST", "/api/lint", {"text": "Hi"}, headers)
        assert status == 403 and err["error"] == "cross-origin", headers
        assert "refused" in err["message"]
    ok = {"Origin": f"http://127.0.0.1:{server.port}", "Sec-Fetch-Site": "same-origin"}
    assert request(server, "POST", "/api/lint", {"text": "Hi"}, ok)[0] == 200
    ok = {"Origin": f"http://localhost:{server.port}"}
    assert request(server, "POST", "/api/lint", {"text": "Hi"}, ok)[0] == 200
    still_serving(server)


def test_no_cors_headers_are_ever_sent(server):
    status, resp, _ = request(server, "OPTIONS", "/api/lint", headers={"Origin": "http://evil.example",
                                                                        "Access-Control-Request-Method": "POST"})
    assert status == 405
    assert resp.getheader("Access-Control-Allow-Origin") is None
    status, resp, _ = request(server, "POST", "/api/lint", {"text": "Hi"})
    assert resp.getheader("Access-Control-Allow-Origin") is None


@pytest.mark.parametrize("body, status, code", [
    (b"{not json", 400, "bad-json"),
    (b"", 400, "empty-body"),
    (b"   ", 400, "empty-body"),
    (b"\xff\xfe{}", 400, "bad-json"),
    (b"[1, 2]", 400, "bad-request"),
    (b'{"filename": "draft.txt"}', 400, "bad-request"),
    (b'{"text": 42}', 400, "bad-request"),
    (b'{"text": "Hi", "extra": 1}', 400, "bad-request"),
    (b'{"text": "Hi", "preset": "./my-preset.yaml"}', 400, "bad-preset"),
    (b'{"text": "Hi", "context": "Acme"}', 400, "bad-context"),
    (b'{"text": "Hi", "context": {"colour": "red"}}', 400, "bad-context"),
    (b'{"text": "Hi", "context": {"interviewer": 7}}', 400, "bad-context"),
    (b'{"text": "Hi", "context": {"company": {"name": "Acme", "size": 3}}}', 400, "bad-context"),
    (b'{"text": "Hi", "filename": 3}', 400, "bad-request"),
])
def test_bad_requests_get_a_clear_4xx_and_the_server_keeps_serving(server, body, status, code):
    got, _, err = request(server, "POST", "/api/lint", body)
    assert (got, err["error"]) == (status, code), err
    assert err["status"] == status and err["message"]
    still_serving(server)


def test_a_huge_body_is_refused_with_413(server):
    big = json.dumps({"text": "word " * 60_000}).encode()
    assert len(big) > MAX
    status, _, err = request(server, "POST", "/api/lint", big)
    assert status == 413 and err["error"] == "too-large"
    assert "256.0 kB" in err["message"]
    # announced as huge and never sent: refused before anything is read
    status, _, err = request(server, "POST", "/api/lint", b"{}", {"Content-Length": str(50 * 1024 * 1024)})
    assert status == 413
    # a server started with a smaller limit refuses a smaller draft
    small = make_server("127.0.0.1", 0, max_bytes=1000)
    thread = threading.Thread(target=small.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        status, _, err = request(small, "POST", "/api/lint", {"text": "I can do better. " * 70})
        assert status == 413 and "1.0 kB" in err["message"]
        # JSON escapes count toward the request, but the draft's own size is what the limit is for
        assert request(small, "POST", "/api/lint", {"text": "I can do better. " * 10})[0] == 200
    finally:
        small.shutdown()
        small.server_close()
    still_serving(server)


def test_other_refusals(server):
    assert request(server, "POST", "/api/lint", b'{"text": "Hi"}', json_body=False,
                   headers={"Content-Type": "text/plain"})[0] == 415
    assert request(server, "POST", "/api/lint", b'{"text": "Hi"}', json_body=False)[0] == 415
    status, _, err = request(server, "GET", "/api/lint")
    assert status == 405 and err["error"] == "method-not-allowed"
    assert request(server, "GET", "/../../etc/passwd")[0] == 404
    assert request(server, "GET", "/static/../server.py")[0] == 404
    assert request(server, "POST", "/api/other", {"text": "Hi"})[0] == 404
    status, _, err = request(server, "POST", "/api/rules", {"text": "Hi"})
    assert status == 405 and err["error"] == "method-not-allowed"
    assert request(server, "PUT", "/api/lint", {"text": "Hi"})[0] == 405
    assert request(server, "DELETE", "/")[0] == 405
    still_serving(server)


def test_host_check_rules():
    check = HostCheck("127.0.0.1", 8765)
    assert check.allows("127.0.0.1:8765") and check.allows("localhost:8765") and check.allows("[::1]:8765")
    assert not check.allows("127.0.0.1") and not check.allows("evil.test:8765") and not check.allows(None)
    assert not check.allows("127.0.0.1:8765@evil.test") and not check.allows("127.0.0.1:8765/x")
    assert not check.allows("127.0.0.1:notaport")
    assert check.allows_origin("http://127.0.0.1:8765") and not check.allows_origin("http://127.0.0.1:8765/x")
    assert not check.allows_origin("null") and not check.allows_origin("http://evil.test:8765")
    wildcard = HostCheck("0.0.0.0", 80)
    assert wildcard.allows("192.168.1.20") and wildcard.allows("192.168.1.20:80")
    assert not wildcard.allows("evil.test") and not wildcard.allows("rebind.evil.test:80")


def test_it_listens_on_loopback_by_default():
    srv = make_server(port=0)
    try:
        assert srv.server_address[0] == "127.0.0.1" and srv.port != 0
        assert srv.url == f"http://127.0.0.1:{srv.port}/"
    finally:
        srv.server_close()
    opt = next(p for p in main.commands["serve"].params if p.name == "host")
    assert opt.default == "127.0.0.1"


# -- the command ---------------------------------------------------------------------------------------------


def test_serve_command_prints_the_url_reads_and_writes_nothing_and_stops_on_ctrl_c(tmp_path):
    """In a folder holding a configuration that would change the findings, and with a cache
    directory set, the server reads neither and writes nothing; Ctrl-C stops it cleanly."""
    (tmp_path / ".followup-lint.yaml").write_text("select: [FL004]\n", encoding="utf-8")
    env = dict(os.environ, FOLLOWUP_LINT_CACHE_DIR=str(tmp_path / "cache"))
    before = sorted(p.name for p in tmp_path.iterdir())
    proc = subprocess.Popen([sys.executable, "-m", "followup_lint", "serve", "--port", "0", "--no-browser"],
                            cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()  # printed as soon as it listens, before spaCy is loaded
        m = re.fullmatch(r"http://127\.0\.0\.1:(\d+)/\n", line)
        assert m, line + proc.stderr.read() if proc.poll() is not None else line
        port = int(m.group(1))
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        draft = (ROOT / "examples" / "drafts" / "bad-recovery.txt").read_text(encoding="utf-8")
        conn.request("POST", "/api/lint", json.dumps({"text": draft, "filename": str(tmp_path / "d.txt")}),
                     {"Content-Type": "application/json"})
        resp = conn.getresponse()
        doc = json.loads(resp.read())
        assert resp.status == 200
        codes = {f["code"] for f in doc["findings"]}
        assert "FL301" in codes and "FL201" in codes  # the folder's select: [FL004] was not read
        conn.close()
        assert sorted(p.name for p in tmp_path.iterdir()) == before  # no cache, no file written
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, err
    assert "Traceback" not in err and "stopped" in err


def test_serve_command_stops_on_sigterm_too(tmp_path):
    proc = subprocess.Popen([sys.executable, "-m", "followup_lint", "serve", "--port", "0", "--no-browser"],
                            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().startswith("http://127.0.0.1:")
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, err
    assert "stopped" in err and "Traceback" not in err


def test_serve_command_says_when_the_port_is_taken():
    srv = make_server(port=0)
    try:
        result = CliRunner().invoke(main, ["serve", "--port", str(srv.port), "--no-browser"])
    finally:
        srv.server_close()
    assert result.exit_code == 2
    assert "--port 0" in result.output
