"""How fast `followup-lint serve` answers, against the command line on the same draft.

    python -m bench.serve_speed                               # print the rows
    python -m bench.serve_speed --write bench/BENCHMARK.md    # and write them into the serve section

Needs Debian's chromium (/usr/bin/chromium) and Playwright (``pip install ".[test]"``).  Rows:

* **CLI, one new draft**: ``followup-lint draft.txt`` as a whole process (start, spaCy load, lint,
  report), with the validated rules already cached, as in ``bench.speed``: the baseline.
* **serve, cold**: from starting ``followup-lint serve`` to the first result drawn in the page for a
  draft pasted as soon as the page is up (the browser itself is already running): the user who starts
  the server and pastes at once.
* **serve, warm**: from the page starting to load (navigation start) to the first result drawn, with
  the server already running: every later visit.
* **re-lint while typing**: one character typed at the end of the draft -> its findings drawn, with
  spaCy warm; timed in the page from the request to the drawing (the 300 ms debounce, which only
  waits for the typing to pause, is not counted), over HTTP alone, and for the lint alone (the same
  call the server makes, in this process), which shows what the server and the page add.

The draft is a fixed ~300-word draft from ``bench.corpus``.  The machine may be shared: read the
ratios, which compare rows measured in the same minutes.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

from . import corpus
from .speed import measure, tool

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
DONE = """(old) => { const s = window.followupLint; const d = document.querySelector('#draft');
  return !!s && s.state === 'done' && s.text === d.value && (old === null || d.value !== old); }"""
START = "<!-- serve -->"
END = "<!-- /serve -->"


def draft_300() -> str:
    """A fixed draft of about 300 words (295-320), without template placeholders."""
    rng = random.Random(corpus.SEED * 1000 + 300)
    while True:
        text = corpus.make_draft(rng)
        if 295 <= len(text.split()) <= 320 and not any(c in text for c in "{[<%"):
            return text


def start_server(env) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen([*tool(), "serve", "--port", "0", "--no-browser"], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True, env=env)
    url = proc.stdout.readline().strip()
    if not url.startswith("http://"):
        proc.kill()
        raise SystemExit(f"bench: followup-lint serve printed {url!r} instead of its URL")
    return proc, url


def stop_server(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def paste_and_wait(browser, url: str, text: str):
    """Open the page in a new context, paste ``text`` as soon as it is up and wait for its findings."""
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(300_000)
    page.goto(url)
    page.fill("#draft", text)
    page.wait_for_function(DONE, arg=None, polling=50)
    return context, page


def first_result(browser, url: str, text: str) -> float:
    """Open the page, paste ``text`` as soon as it is up, wait for its findings: ms since navigation start."""
    context, page = paste_and_wait(browser, url, text)
    ms = page.evaluate("() => window.followupLint.firstResultMs")
    context.close()
    return ms


def p90(xs: list[float]) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(0.9 * (len(xs) - 1)))]


def run(repeat: int, edits: int, work: Path) -> dict:
    from playwright.sync_api import sync_playwright

    work.mkdir(parents=True, exist_ok=True)
    text = draft_300()
    draft = work / "draft.txt"
    draft.write_text(text, "utf-8")
    words = len(text.split())
    env = dict(os.environ, CI="1")
    env.pop("FOLLOWUP_LINT_CACHE_DIR", None)
    cache = work / "cache"
    out: dict = {"words": words}

    print("bench: the command line, one draft ...", file=sys.stderr, flush=True)
    measure([*tool(), "--cache-dir", str(cache), str(draft)], env=env)  # validated rules into the cache
    cli = []
    for _ in range(repeat):
        shutil.rmtree(cache / "results", ignore_errors=True)
        cli.append(measure([*tool(), "--cache-dir", str(cache), str(draft)], env=env)[0])
    out["cli"] = cli

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        print("bench: serve, cold ...", file=sys.stderr, flush=True)
        cold = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            proc, url = start_server(env)
            try:
                context, _ = paste_and_wait(browser, url, text)
                cold.append(time.perf_counter() - t0)
                context.close()
            finally:
                stop_server(proc)
        out["cold"] = cold

        print("bench: serve, warm ...", file=sys.stderr, flush=True)
        proc, url = start_server(env)
        try:
            first_result(browser, url, text)  # waits for the warm-up too
            out["warm"] = [first_result(browser, url, text) / 1000 for _ in range(repeat)]

            print("bench: re-lint while typing ...", file=sys.stderr, flush=True)
            context, page = paste_and_wait(browser, url, text)
            page.focus("#draft")
            page.keyboard.press("Control+End")
            relint, fetch = [], []
            for i in range(edits):
                old = page.input_value("#draft")
                page.keyboard.type("x" if i % 2 == 0 else " ")
                page.wait_for_function(DONE, arg=old, polling=50)  # not every frame: leave the CPU to the server
                total, answer = page.evaluate("() => [window.followupLint.lastMs, window.followupLint.lastFetchMs]")
                relint.append(total)
                fetch.append(answer)
            out["relint_page"] = relint
            out["relint_fetch"] = fetch
            context.close()

            host, port = url.split("//")[1].rstrip("/").rsplit(":", 1)
            conn = http.client.HTTPConnection(host, int(port), timeout=300)
            http_ms = []
            for i in range(edits):
                body = json.dumps({"text": text + ("x" * (i % 2)), "filename": "draft.txt", "context": {},
                                   "preset": "default", "checklist": True})  # what the page sends
                t = time.perf_counter()
                conn.request("POST", "/api/lint", body, {"Content-Type": "application/json"})
                resp = conn.getresponse()
                resp.read()
                http_ms.append((time.perf_counter() - t) * 1000)
            conn.close()
            out["relint_http"] = http_ms
        finally:
            stop_server(proc)
        browser.close()

    print("bench: the lint alone ...", file=sys.stderr, flush=True)
    from followup_lint.web.server import lint_document

    lint_document(text, "draft.txt", {}, "default", checklist=True)
    alone = []
    for i in range(edits):
        t = time.perf_counter()
        lint_document(text + ("x" * (i % 2)), "draft.txt", {}, "default", checklist=True)
        alone.append((time.perf_counter() - t) * 1000)
    out["relint_alone"] = alone
    return out


def table(r: dict, repeat: int, edits: int) -> str:
    cli = statistics.median(r["cli"])
    cold = statistics.median(r["cold"])
    warm = statistics.median(r["warm"])
    page, fetch, http_ms, alone = r["relint_page"], r["relint_fetch"], r["relint_http"], r["relint_alone"]
    relint = statistics.median(page)
    verdict = lambda ok: "**met**" if ok else "**missed**"  # noqa: E731
    lines = [
        "| target | result |",
        "| --- | --- |",
        f"| time to the first result after the page loads <= 1.5x the CLI's one-draft time | {verdict(warm <= 1.5 * cli)}: "
        f"{warm / cli:.2f}x with the server running ({warm:.2f} s against {cli:.2f} s); {cold / cli:.2f}x from "
        f"starting `followup-lint serve` ({cold:.2f} s) |",
        f"| re-lint while typing a 300-word draft, spaCy warm, <= 150 ms | {verdict(relint <= 150)}: {relint:.0f} ms "
        f"median in the page (p90 {p90(page):.0f} ms), of which {statistics.median(alone):.0f} ms is the lint itself |",
        "",
        f"One draft of {r['words']} words; medians of {repeat} runs; re-lint: {edits} edits.",
        "",
        "| what | time | x CLI one draft |",
        "| --- | ---: | ---: |",
        f"| CLI, one new draft (whole process) | {cli:.2f} s | 1.00 |",
        f"| serve, cold: `followup-lint serve` started -> first result drawn in the page | {cold:.2f} s | {cold / cli:.2f} |",
        f"| serve, warm: page load -> first result drawn | {warm:.2f} s | {warm / cli:.2f} |",
        "",
        "| re-lint while typing (spaCy warm) | median | p90 | max |",
        "| --- | ---: | ---: | ---: |",
        f"| in the page: request -> findings drawn (debounce not counted) | {relint:.0f} ms "
        f"| {p90(page):.0f} ms | {max(page):.0f} ms |",
        f"| ... of which the answer to the page's request | {statistics.median(fetch):.0f} ms "
        f"| {p90(fetch):.0f} ms | {max(fetch):.0f} ms |",
        f"| over HTTP alone: POST /api/lint round trip | {statistics.median(http_ms):.0f} ms "
        f"| {p90(http_ms):.0f} ms | {max(http_ms):.0f} ms |",
        f"| the lint alone: `lint_document` in one process, no HTTP | {statistics.median(alone):.0f} ms "
        f"| {p90(alone):.0f} ms | {max(alone):.0f} ms |",
    ]
    return "\n".join(lines) + "\n"


INTRO = """## `followup-lint serve`: the page

Produced by `python -m bench.serve_speed --write bench/BENCHMARK.md` (needs `/usr/bin/chromium` and Playwright,
from the test extras). The baseline is the command line on the same ~300-word draft, as a whole process (start,
spaCy load, lint, report). "Cold" starts `followup-lint serve` and pastes the draft as soon as the page is up;
"warm" loads the page with the server already running (navigation start to the findings drawn). The re-lint
rows type one character at the end of the draft and time the request to the findings drawn in the page; the
300 ms debounce, which only waits for the typing to pause, is not counted. The last row is the same lint with no
server and no page, so the difference is what HTTP and drawing add. Same caveat as below: the machine is shared,
so read the ratios. While other work ran on it, the re-lint median moved between about 120 and 180 ms from one
run to the next. The lint alone accounts for most of that, and the lint alone is what would have to get faster.
"""


def write(path: Path, text: str) -> None:
    old = path.read_text("utf-8") if path.exists() else ""
    block = f"{START}\n{text}{END}"
    if START in old and END in old:
        new = old[: old.index(START)] + block + old[old.index(END) + len(END):]
    else:  # a section of its own, before bench.speed's, which rewrites everything after its table marker
        section = f"{INTRO}\n{block}\n\n"
        anchor = next((a for a in ("## Targets", "<!-- table -->") if a in old), None)
        new = old[: old.index(anchor)] + section + old[old.index(anchor):] if anchor else old + "\n" + section
    path.write_text(new, "utf-8")


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description="followup-lint serve: time to the first result, and re-lint while typing")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--edits", type=int, default=30, help="typed edits for the re-lint rows")
    ap.add_argument("--work", default=os.path.join(os.environ.get("TMPDIR", "/tmp"), "followup-lint-bench-serve"))
    ap.add_argument("--write", metavar="FILE", help="also write the rows into FILE's serve section")
    args = ap.parse_args(argv)
    if not os.path.exists(CHROMIUM):
        raise SystemExit(f"bench: {CHROMIUM} is missing (apt-get install chromium)")
    started = time.time()
    result = run(args.repeat, args.edits, Path(args.work))
    head = (f"Command: `python -m bench.serve_speed {' '.join(argv if argv is not None else sys.argv[1:])}`  \n"
            f"{os.cpu_count()} CPUs; Python {sys.version.split()[0]}; chromium headless; took "
            f"{time.time() - started:.0f} s.\n\n")
    text = head + table(result, args.repeat, args.edits)
    print(text)
    if args.write:
        write(Path(args.write), text)


if __name__ == "__main__":
    main()
