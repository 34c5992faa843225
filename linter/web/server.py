"""``followup-lint serve``: a small HTTP server on this machine for the page in ``static/``.

    GET  /              the page (index.html, app.js, style.css: files shipped in the wheel)
    GET  /api/rules     every built-in rule: code, id, name, severity, advice, description, examples
    GET  /api/status    {"ready": spaCy loaded?, "version", "max_bytes", "presets"}
    POST /api/lint      {"text", "filename", "context", "preset"} -> the `--format json` document

Why the standard library's ``http.server``: the page needs four routes, JSON
in and out, and one lint at a time on a warm spaCy pipeline; a thread per
connection (``ThreadingHTTPServer``) and one lock around the linter give
exactly that, with no new dependency to install, audit or keep up to date.

Security (this is a local tool, but a browser visits other sites too):

* it listens on 127.0.0.1 unless ``--host`` says otherwise;
* a request whose ``Host`` is not this server's address is refused (403
  ``bad-host``): a DNS-rebinding page sees its own name in ``Host``;
* a POST from another origin (``Origin`` or ``Sec-Fetch-Site`` says so) is
  refused (403 ``cross-origin``), and a POST must be ``application/json``, so a
  plain HTML form on another site cannot send one either; no CORS headers are
  ever sent;
* the request body is capped at the draft size limit (256 kB by default,
  ``--max-file-size``): more is refused (413) before it is read;
* it reads no file but its own static files and the linter's built-in rules
  and model, writes none (no cache), and the page's Content-Security-Policy
  lets it load and send nothing anywhere but this server.

All the linting goes through :func:`lint_document`, the one piece of glue
between the page and the linter.
"""
from __future__ import annotations

import ipaddress
import json
import signal
import sys
import threading
import webbrowser
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

from .. import __version__
from ..errors import ConfigError, InputError, LintError
from ..sources import DEFAULT_MAX_BYTES, human_size

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
# The presets the page offers; "recovery" is another name for the default preset.
PRESETS = {"default": "default", "recovery": "default", "thank-you": "thank-you"}
STATIC = {
    "/": ("index.html", "text/html; charset=utf-8"),
    "/index.html": ("index.html", "text/html; charset=utf-8"),
    "/app.js": ("app.js", "text/javascript; charset=utf-8"),
    "/style.css": ("style.css", "text/css; charset=utf-8"),
}
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "font-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
_LOOPBACK = ("localhost", "127.0.0.1", "::1")
_WILDCARD = ("0.0.0.0", "::", "")
_WARM_DRAFT = "Dear Dana,\n\nThank you for your time on Tuesday.\n\nBest,\nSam\n"


# -- the glue --------------------------------------------------------------------------------------------------



def lint_document(text: str, filename: str = "draft.txt", context: dict | None = None,
                  preset: str = "default", *, checklist: bool = False) -> dict:
    """Lint one draft given as text: exactly the document ``followup-lint --format json`` prints for it.

    ``context`` is a configuration's ``context`` block (``{"company": {"name", "aliases", "values"},
    "role", "interviewer", "interview-date"}``), ``preset`` a built-in preset.  Nothing is read from
    disk but the built-in rules and presets (no configuration file is looked for: the page's context
    and preset are the whole configuration), and nothing is written (no cache).  With ``checklist``
    the document also gets a ``checklist`` list, as ``--checklist`` computes it, unless it already
    has one.  Not thread-safe: the server calls it under one lock.

    The run layer (:func:`followup_lint.run.lint_text_document`) does the work, as for the CLI and
    the language server; this only maps the page's preset names.
    """
    from ..run import lint_text_document

    if preset not in PRESETS:
        raise ConfigError(None, f"no preset {preset!r}; expected one of {', '.join(PRESETS)}")
    # the run layer's document already carries the checklist (``checklist`` is kept for old callers)
    return lint_text_document(text, filename, context or None, PRESETS[preset])


def rules_listing() -> list[dict]:
    """The built-in rules as the page shows them (``followup-lint rules --format json`` plus the explain text)."""
    from ..loader import load_rules

    return [{"code": r.code, "id": r.id, "name": r.name, "severity": r.severity, "kind": r.kind,
             "scope": r.scope, "advice": r.advice, "description": r.description.strip(),
             "examples": {"fail": list(r.examples.get("fail", [])), "pass": list(r.examples.get("pass", []))}}
            for r in load_rules()]


# -- requests ----------------------------------------------------------------------------------------------------


class RequestError(Exception):
    """A request the server refuses: an HTTP status, a short code and a sentence for the user."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def _words(value: Any, key: str) -> list[str]:
    """A list of strings from a list or a comma-separated string; blanks dropped."""
    if value is None:
        return []
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RequestError(400, "bad-context", f"context.{key} must be a list of strings or a comma-separated string")
    return [v.strip() for v in value if v.strip()]


def context_settings(raw: Any) -> dict:
    """The page's context fields -> a configuration's ``context`` block.

    Takes the configuration's own shape (``company: {name, aliases, values}``) or the page's flat one
    (``company``, ``aliases``, ``values``, ``role``, ``interviewer`` as strings); empty fields are unknown.
    """
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise RequestError(400, "bad-context", "context must be a JSON object (company, values, interviewer, role)")
    known = {"company", "aliases", "values", "role", "interviewer", "interview-date"}
    extra = sorted(set(raw) - known)
    if extra:
        raise RequestError(400, "bad-context", f"unknown context key {extra[0]!r}; expected one of {', '.join(sorted(known))}")
    company = raw.get("company")
    if isinstance(company, dict):
        company = dict(company)
    elif company is None or isinstance(company, str):
        company = {"name": company.strip()} if company and company.strip() else {}
    else:
        raise RequestError(400, "bad-context", "context.company must be a name or a mapping {name, aliases, values}")
    for key in ("aliases", "values"):
        if key in raw:
            words = _words(raw[key], key)
            if words:
                company[key] = words
    out: dict[str, Any] = {}
    if company:
        out["company"] = company
    for key in ("role", "interviewer", "interview-date"):
        value = raw.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if not isinstance(value, str):
            raise RequestError(400, "bad-context", f"context.{key} must be a string")
        out[key] = value.strip()
    return out


def lint_request(body: bytes, max_bytes: int) -> dict:
    """A POST /api/lint body -> the JSON document (or a RequestError saying what is wrong with it)."""
    if not body.strip():
        raise RequestError(400, "empty-body", 'the request body is empty; send {"text": "...", "filename": "draft.txt"}')
    try:
        data = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise RequestError(400, "bad-json", "the request body is not UTF-8") from None
    except json.JSONDecodeError as exc:
        raise RequestError(400, "bad-json", f"the request body is not valid JSON ({exc.msg} at line {exc.lineno}, "
                                            f"column {exc.colno})") from None
    if not isinstance(data, dict):
        raise RequestError(400, "bad-request", 'the request body must be a JSON object {"text": ..., ...}')
    unknown = sorted(set(data) - {"text", "filename", "context", "preset", "checklist"})
    if unknown:
        raise RequestError(400, "bad-request", f"unknown key {unknown[0]!r}; expected text, filename, context, preset")
    text = data.get("text")
    if not isinstance(text, str):
        raise RequestError(400, "bad-request", '"text" (the draft, a string) is required')
    if len(text.encode("utf-8", "surrogatepass")) > max_bytes:
        raise RequestError(413, "too-large", f"the draft is over the {human_size(max_bytes)} limit for a draft")
    filename = data.get("filename") or "draft.txt"
    if not isinstance(filename, str) or len(filename) > 255 or "\0" in filename:
        raise RequestError(400, "bad-request", '"filename" must be a short string such as "draft.txt"')
    preset = data.get("preset") or "default"
    if preset not in PRESETS:
        raise RequestError(400, "bad-preset", f"no preset {preset!r}; expected one of {', '.join(PRESETS)}")
    context = context_settings(data.get("context"))
    try:
        return lint_document(text, filename, context, preset, checklist=bool(data.get("checklist")))
    except ConfigError as exc:  # the context failed the configuration schema
        raise RequestError(400, "bad-context", exc.message.replace("key 'context.", "context key '")) from None
    except InputError as exc:
        raise RequestError(400, "bad-draft", exc.message) from None


class HostCheck:
    """Which ``Host`` (and ``Origin``) values name this server: its own address and port, nothing else."""

    def __init__(self, host: str, port: int):
        self.port = port
        h = host.strip("[]").lower()
        self.wildcard = h in _WILDCARD
        self.names = {h}
        if self.wildcard or h in _LOOPBACK or _is_loopback_ip(h):
            self.names.update(_LOOPBACK)

    def allows(self, netloc: str | None) -> bool:
        if not netloc or any(c in netloc for c in "/?#@ \t\\"):
            return False
        try:
            u = urlsplit("//" + netloc.strip())
            name, port = (u.hostname or "").lower(), u.port
        except ValueError:
            return False
        if port != self.port and not (port is None and self.port == 80):
            return False
        return name in self.names or (self.wildcard and _is_ip(name))

    def allows_origin(self, origin: str) -> bool:
        u = urlsplit(origin.strip())
        return u.scheme == "http" and not u.path and self.allows(u.netloc)


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def _is_loopback_ip(name: str) -> bool:
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


class Handler(BaseHTTPRequestHandler):
    server: "Server"
    server_version = f"followup-lint/{__version__}"
    sys_version = ""
    protocol_version = "HTTP/1.1"
    timeout = 60  # a connection that sends nothing for a minute is closed
    disable_nagle_algorithm = True  # headers and body go out at once, not 40 ms apart (delayed ACKs)

    # -- responses --------------------------------------------------------------------------------

    def log_message(self, format, *args):  # noqa: A002 - the stdlib's name
        if self.server.verbose:
            super().log_message(format, *args)

    def _send(self, status: int, body: bytes, content_type: str, headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Cross-Origin-Resource-Policy", "same-origin")
        if content_type.startswith("text/html"):
            self.send_header("Content-Security-Policy", CSP)
            self.send_header("X-Frame-Options", "DENY")
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, status: int, data: Any, headers: dict | None = None) -> None:
        body = json.dumps(data, ensure_ascii=False).encode("utf-8")
        self._send(status, body, "application/json; charset=utf-8", headers)

    def _error(self, err: RequestError, headers: dict | None = None) -> None:
        self._json(err.status, {"error": err.code, "status": err.status, "message": err.message}, headers)

    def send_error(self, code, message=None, explain=None):  # the stdlib's own errors (bad request line, ...)
        self.close_connection = True
        try:
            self._error(RequestError(code, "bad-http", message or HTTPStatus(code).phrase))
        except Exception:  # pragma: no cover - the connection is gone
            pass

    # -- checks -----------------------------------------------------------------------------------

    def _check_host(self) -> None:
        host = self.headers.get("Host")
        if not self.server.hosts.allows(host):
            raise RequestError(403, "bad-host", f"this server answers only to {self.server.url}; the request was for "
                                                f"{host or 'no host'} (a page on another site cannot use it)")

    def _check_origin(self) -> None:
        origin = self.headers.get("Origin")
        if origin is not None and not self.server.hosts.allows_origin(origin):
            raise RequestError(403, "cross-origin", f"requests from {origin} are refused: only the page at "
                                                    f"{self.server.url} may use this server")
        site = self.headers.get("Sec-Fetch-Site")
        if site is not None and site not in ("same-origin", "none"):
            raise RequestError(403, "cross-origin", f"a {site} request is refused: only the page at "
                                                    f"{self.server.url} may use this server")

    # -- methods ----------------------------------------------------------------------------------

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        try:
            self._check_host()
            path = urlsplit(self.path).path
            if path in STATIC:
                name, content_type = STATIC[path]
                self._send(200, self.server.static[name], content_type)
            elif path == "/api/rules":
                self._json(200, self.server.rules())
            elif path == "/api/status":
                self._json(200, {"ready": self.server.ready.is_set(), "version": __version__,
                                 "max_bytes": self.server.max_bytes, "presets": ["default", "thank-you"]})
            elif path == "/api/lint":
                raise RequestError(405, "method-not-allowed", "POST a JSON draft to /api/lint")
            else:
                raise RequestError(404, "not-found", f"no page {path}")
        except RequestError as err:
            self._error(err, {"Allow": "POST"} if err.status == 405 else None)

    do_HEAD = do_GET

    def do_POST(self) -> None:  # noqa: N802
        body_read = False
        try:
            self._check_host()
            self._check_origin()
            path = urlsplit(self.path).path
            if path in STATIC or path in ("/api/rules", "/api/status"):
                raise RequestError(405, "method-not-allowed", f"{path} is read with GET; POST drafts to /api/lint")
            if path != "/api/lint":
                raise RequestError(404, "not-found", f"nothing to POST to at {path}; use /api/lint")
            content_type = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            if content_type != "application/json":
                raise RequestError(415, "not-json", "send the draft as JSON (Content-Type: application/json)")
            if self.headers.get("Transfer-Encoding"):
                raise RequestError(411, "length-required", "send a Content-Length (chunked bodies are not accepted)")
            length = self._length()
            if length is None:
                raise RequestError(411, "length-required", "a Content-Length header is required")
            if length > self.server.max_bytes:
                raise RequestError(413, "too-large", f"the request is {human_size(length)}, over the "
                                                     f"{human_size(self.server.max_bytes)} limit for a draft")
            body = self.rfile.read(length)
            body_read = True
            self.server.linted += 1
            if len(body) < length:
                self.close_connection = True
                raise RequestError(400, "bad-request", "the request body ended early")
            with self.server.lint_lock:
                doc = lint_request(body, self.server.max_bytes)
            self._json(200, doc)
        except RequestError as err:
            if not body_read:
                self._discard()
            self._error(err)
        except LintError as exc:  # the model or the rules could not be loaded: a problem here, not in the request
            self._error(RequestError(500, "lint-failed", str(exc)))
        except Exception as exc:  # a bug: say so, keep serving
            import traceback

            traceback.print_exc(file=sys.stderr)
            self._error(RequestError(500, "internal-error", f"followup-lint failed on this draft ({type(exc).__name__}: "
                                                            f"{exc}); please report it"))

    def _length(self) -> int | None:
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            return None
        return length if length >= 0 else None

    def _discard(self) -> None:
        """A refused request's body is read and dropped (up to a bound), then the connection is closed.

        Closing with unread data would make the kernel reset the connection, and the client might
        never see the answer that says why it was refused.
        """
        self.close_connection = True
        length = self._length()
        if length is None or self.headers.get("Transfer-Encoding") or length > 4 * self.server.max_bytes + 65536:
            return  # too much to read for nothing: answer and close
        left = length
        try:
            self.connection.settimeout(5)
            while left > 0:
                chunk = self.rfile.read(min(65536, left))
                if not chunk:
                    break
                left -= len(chunk)
        except OSError:
            pass

    def _not_allowed(self) -> None:
        self._discard()
        self._error(RequestError(405, "method-not-allowed", f"{self.command} is not supported here"),
                    {"Allow": "GET, HEAD, POST"})

    do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_TRACE = do_CONNECT = _not_allowed


# -- the server --------------------------------------------------------------------------------------------------


class Server(ThreadingHTTPServer):
    """The HTTP server, with the linter kept warm between requests."""

    daemon_threads = True
    block_on_close = False  # Ctrl-C does not wait for idle keep-alive connections

    def __init__(self, host: str, port: int, *, max_bytes: int = DEFAULT_MAX_BYTES, verbose: bool = False):
        import socket

        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        super().__init__((host.strip("[]"), port), Handler)
        self.max_bytes = max_bytes
        self.verbose = verbose
        self.port = self.server_address[1]
        self.hosts = HostCheck(host, self.port)
        shown = "127.0.0.1" if host.strip("[]") in _WILDCARD else host.strip("[]")
        self.url = f"http://{'[' + shown + ']' if ':' in shown else shown}:{self.port}/"
        static = resources.files(__package__).joinpath("static")
        self.static = {name: static.joinpath(name).read_bytes() for name, _ in STATIC.values()}
        self.lint_lock = threading.Lock()
        self.ready = threading.Event()
        self.linted = 0  # POST /api/lint requests so far
        self._rules: list | None = None

    def server_bind(self) -> None:
        import socketserver

        socketserver.TCPServer.server_bind(self)  # not HTTPServer's, which looks the host name up in the DNS
        self.server_name, self.server_port = str(self.server_address[0]), self.server_address[1]

    def handle_error(self, request, client_address) -> None:
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return  # the browser went away (a tab closed, a request aborted): nothing to report
        super().handle_error(request, client_address)

    def rules(self) -> list[dict]:
        if self._rules is None:
            self._rules = rules_listing()
        return self._rules

    def warm_up(self) -> threading.Thread:
        """Load spaCy (and the entity recognizer a company name needs) in the background."""

        def run():
            try:
                with self.lint_lock:
                    lint_document(_WARM_DRAFT, "draft.txt", None, "default")
                self.ready.set()
                if not self.linted:  # nobody is waiting yet: also load what a company name needs
                    with self.lint_lock:
                        lint_document(_WARM_DRAFT, "draft.txt", {"company": {"name": "Acme"}}, "default")
            except Exception as exc:  # the first request will say it again, in the page
                print(f"followup-lint: error: could not load the linter: {exc}", file=sys.stderr, flush=True)
            finally:
                self.ready.set()

        t = threading.Thread(target=run, name="followup-lint-warm-up", daemon=True)
        t.start()
        return t


def make_server(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, *, max_bytes: int = DEFAULT_MAX_BYTES,
                verbose: bool = False) -> Server:
    """A listening server (not yet serving): ``port=0`` picks a free port; ``server.url`` is the page."""
    return Server(host, port, max_bytes=max_bytes, verbose=verbose)


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def serve(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, *, open_browser: bool = True,
          max_bytes: int = DEFAULT_MAX_BYTES, verbose: bool = False, out=None, err=None) -> int:
    """Run the server until Ctrl-C (or SIGTERM); the page's URL goes to ``out`` on a line of its own.  Exit code."""
    out = out or sys.stdout
    err = err or sys.stderr
    previous = {}
    if threading.current_thread() is threading.main_thread():
        # Ctrl-C (SIGINT) and SIGTERM stop it, even when started with SIGINT ignored (in the background);
        # installed before the URL is printed, so a signal sent as soon as it is read stops it cleanly too
        for sig in (signal.SIGINT, signal.SIGTERM):
            previous[sig] = signal.signal(sig, _interrupt)
    server = None
    try:
        try:
            server = make_server(host, port, max_bytes=max_bytes, verbose=verbose)
        except OSError as exc:
            print(f"followup-lint: error: cannot listen on {host}:{port} ({exc.strerror or exc}); "
                  "`--port 0` picks a free port", file=err, flush=True)
            return 2
        print(server.url, file=out, flush=True)
        if _is_loopback_ip(server.server_address[0]):
            print("followup-lint: only this computer can open the page; press Ctrl-C to stop", file=err, flush=True)
        else:
            print(f"followup-lint: warning: listening on {host}: other machines that can reach this one can use "
                  "the page; press Ctrl-C to stop", file=err, flush=True)
        server.warm_up()
        if open_browser:
            threading.Thread(target=webbrowser.open, args=(server.url,), daemon=True).start()
        server.serve_forever(poll_interval=0.25)
    except KeyboardInterrupt:
        pass
    finally:
        if server is not None:
            server.server_close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    print("followup-lint: stopped", file=err, flush=True)
    return 0


__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "HostCheck", "RequestError", "Server", "context_settings",
           "lint_document", "lint_request", "make_server", "rules_listing", "serve"]
