"""The page of `followup-lint serve` in a real browser: Debian's chromium driven by Playwright.

Each test waits for the page's own "done" marker (``window.followupLint.state`` with the text it
was computed for), never for a fixed time, and asserts no timing.  Every request the browser makes
must go to the server.  Skipped, with the reason, when /usr/bin/chromium or Playwright is missing
(`.ci/run` installs chromium with apt when it can; never `playwright install`).
"""
from __future__ import annotations

import json
import os
import re
import shutil
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

CHROMIUM = "/usr/bin/chromium"
if not os.path.exists(CHROMIUM):
    pytest.skip(f"Debian's chromium is not installed ({CHROMIUM} is missing; `apt-get install chromium`)",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed (pip install '.[test]')")

from followup_lint.cli import main  # noqa: E402
from followup_lint.web.server import make_server  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BAD = ROOT / "examples" / "drafts" / "bad-recovery.txt"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TIMEOUT_MS = 180_000  # a loaded 2-core machine: generous, and only ever waited on a marker
# The page's "done" marker: findings drawn for exactly the text now in the box.
DONE = """(old) => { const s = window.followupLint; const d = document.querySelector('#draft');
  return !!s && s.state === 'done' && s.text === d.value && (old === null || d.value !== old); }"""


# -- fixtures --------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server():
    srv = make_server("127.0.0.1", 0)
    srv.warm_up().join(timeout=300)
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, timeout=TIMEOUT_MS)
        yield b
        b.close()


@pytest.fixture
def open_page(browser, server, tmp_path):
    """open_page(**context options) -> a page on the server; on teardown, every request it made went
    to the server, it logged no error, and a screenshot is saved under the test's tmp path."""
    opened = []

    def _open(**options):
        context = browser.new_context(viewport=options.pop("viewport", {"width": 1280, "height": 900}), **options)
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        requests, problems = [], []
        page.on("request", lambda r: requests.append(r.url))
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.goto(server.url, wait_until="networkidle")
        page.wait_for_function("() => window.followupLint && window.followupLint.state !== 'loading'")
        opened.append((context, page, requests, problems))
        return page

    yield _open
    for n, (context, page, requests, problems) in enumerate(opened):
        page.screenshot(path=str(tmp_path / f"page-{n}.png"), full_page=True)
        context.close()
        assert requests and all(u.startswith(server.url) for u in requests), requests
        assert not problems, problems


def wait_done(page, old=None):
    page.wait_for_function(DONE, arg=old, timeout=TIMEOUT_MS, polling=100)


def cli(*args, cwd=None):
    result = CliRunner().invoke(main, ["check", "--no-cache", *args], catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    return result


@pytest.fixture
def config(tmp_path):
    """config(yaml) -> the path of a configuration file holding it."""

    def _config(text="{}\n"):
        p = tmp_path / f"cfg{len(list(tmp_path.glob('cfg*')))}.yaml"
        p.write_text(text, encoding="utf-8")
        return str(p)

    return _config


def marks(page):
    return page.evaluate("""() => [...document.querySelectorAll('#mirrors mark[data-code]')].map(m => ({
        code: m.dataset.code, offset: Number(m.dataset.offset), end: Number(m.dataset.endOffset),
        text: m.textContent }))""")


def hover_mark(page, selector):
    """Point at the middle of the first line box of a mark (the textarea lies over it)."""
    x, y = page.eval_on_selector(selector, """m => { const r = m.getClientRects()[0];
        return [r.left + r.width / 2, r.top + r.height / 2]; }""")
    page.mouse.move(x, y)


# -- tests ---------------------------------------------------------------------------------------------------


def test_typed_draft_shows_every_cli_finding_at_its_span(open_page, config, tmp_path):
    text = BAD.read_text(encoding="utf-8")
    expected = json.loads(cli("--format", "json", "--config", config(), str(BAD)).stdout)["findings"]
    assert expected
    page = open_page()
    page.locator("#draft").press_sequentially(text)  # typed, key by key: linted as you type
    wait_done(page)
    assert page.input_value("#draft") == text
    got = marks(page)
    assert len(got) == len(expected)
    for f in expected:
        hits = [m for m in got if (m["code"], m["offset"], m["end"]) == (f["code"], f["offset"], f["end_offset"])]
        assert len(hits) == 1, f
        assert hits[0]["text"] == text[f["offset"]:f["end_offset"]]
    # the list beside it: sorted by position, severity written out
    items = page.eval_on_selector_all("#findings li.finding", """lis => lis.map(li => [li.dataset.code,
        Number(li.dataset.offset), li.querySelector('.sev-label').textContent])""")
    assert [(c, o) for c, o, _ in items] == [(f["code"], f["offset"]) for f in expected]  # the CLI's order
    assert {s for *_, s in items} <= {"Error", "Warning", "Info"}
    page.screenshot(path=str(tmp_path / "typed-bad-recovery.png"), full_page=True)


def test_hover_and_keyboard_focus_show_the_message_advice_and_example(open_page, config):
    text = BAD.read_text(encoding="utf-8")
    doc = json.loads(cli("--format", "json", "--config", config(), str(BAD)).stdout)
    blame = next(f for f in doc["findings"] if f["code"] == "FL301")
    page = open_page()
    page.fill("#draft", text)
    wait_done(page)
    hover_mark(page, f'#mirrors mark[data-code="FL301"][data-offset="{blame["offset"]}"]')
    tip = page.locator("#tooltip")
    tip.wait_for(state="visible")
    assert blame["message"] in tip.inner_text()
    assert "Why (no blame)" in tip.inner_text()
    assert "A note that passes this rule" in tip.inner_text()
    page.mouse.move(1, 1)
    tip.wait_for(state="hidden")

    # keyboard: Tab from the page's start reaches the findings; focus shows the same note
    page.locator("body").focus()
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.matches('li.finding')"):
            break
    else:
        pytest.fail("Tab never reached the findings list")
    first = page.evaluate("() => document.activeElement.dataset.code")
    tip.wait_for(state="visible")
    message = next(f["message"] for f in doc["findings"] if f["code"] == first)
    assert message in tip.inner_text()
    page.keyboard.press("Enter")  # Enter: select the finding's words in the draft
    assert page.evaluate("() => document.activeElement.id") == "draft"
    lo, hi = page.evaluate("() => [document.querySelector('#draft').selectionStart, "
                           "document.querySelector('#draft').selectionEnd]")
    f0 = next(f for f in doc["findings"] if f["code"] == first)
    assert (lo, hi) == (f0["offset"], f0["end_offset"])  # (no astral characters in this draft)
    assert page.input_value("#draft") == text  # the Enter did not reach the draft
    page.focus(f'#findings li[data-code="{first}"] button.show')
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "draft"
    assert page.input_value("#draft") == text

    # the cursor moved into a highlighted span with the keyboard: the note shows and is announced
    page.evaluate("(o) => { const d = document.querySelector('#draft'); d.focus(); d.setSelectionRange(o, o); }",
                  blame["offset"])
    page.keyboard.press("ArrowRight")
    page.wait_for_function("(m) => document.querySelector('#caret-finding').textContent.includes(m)",
                           arg=blame["message"])
    assert blame["message"] in tip.inner_text()
    page.keyboard.press("Escape")
    tip.wait_for(state="hidden")


def test_the_checklist_matches_the_cli(open_page, config):
    out = cli("--checklist", "--config", config(), str(BAD)).stdout.splitlines()
    expected = []
    for ln in out[1:]:
        m = re.match(r"\s+\[.\] (.+?)\s{2,}(present|missing|violated|not checked)\s*((?:FL\d{3}(?: x\d+)?\s*)*)(.*)$", ln)
        if m:
            expected.append([m.group(1), m.group(2), m.group(3).strip()])
    figures = out[-1].strip()
    assert len(expected) == 9 and figures.startswith("words ")
    page = open_page()
    page.fill("#draft", BAD.read_text(encoding="utf-8"))
    wait_done(page)
    got = page.eval_on_selector_all("#checklist li.move", "lis => lis.map(li => [li.dataset.move, "
                                                         "li.dataset.status, li.dataset.codes])")
    assert got == expected
    assert page.inner_text("#figures").strip() == figures
    # status is written out in words, not only coloured
    assert page.inner_text("#checklist").count("violated") == sum(1 for e in expected if e[1] == "violated")


def test_applying_a_safe_fix_changes_the_text_as_fix_does(open_page, config, tmp_path):
    cfg = config("context:\n  interviewer: Dana Reyes\n")
    draft = tmp_path / "draft.txt"
    shutil.copy(BAD, draft)
    cli("--fix", "--config", cfg, str(draft))
    fixed = draft.read_text(encoding="utf-8")
    original = BAD.read_text(encoding="utf-8")
    assert fixed != original

    page = open_page()
    page.fill("#draft", original)
    wait_done(page)
    page.fill("#ctx-interviewer", "Dana Reyes")  # the context, as in the configuration
    page.wait_for_selector('#findings li[data-code="FL003"] button.apply-fix')
    wait_done(page)
    page.click('#findings li[data-code="FL003"] button.apply-fix')
    wait_done(page, old=original)
    assert page.input_value("#draft") == fixed
    assert page.locator('#mirrors mark[data-code="FL003"]').count() == 0
    page.click("#undo")
    wait_done(page, old=fixed)
    assert page.input_value("#draft") == original


def test_apply_all_safe_fixes_equals_fix(open_page, config, tmp_path):
    original = BAD.read_text(encoding="utf-8").replace("show what I know", "show what what I know") \
        .replace("I deserve another", "I deserve deserve another")
    cfg = config("context:\n  interviewer: Dana Reyes\n")
    draft = tmp_path / "draft.txt"
    draft.write_text(original, encoding="utf-8")
    cli("--fix", "--config", cfg, str(draft))
    fixed = draft.read_text(encoding="utf-8")
    assert fixed.count("what what") == 0 and "Hi Dana," in fixed

    page = open_page()
    page.fill("#ctx-interviewer", "Dana Reyes")
    page.fill("#draft", original)
    wait_done(page)
    assert page.locator("#mirrors mark[data-code='FL004']").count() == 2
    page.click("#fix-all")
    page.wait_for_function("() => !window.followupLint.fixing", polling=100)
    wait_done(page, old=original)
    assert page.input_value("#draft") == fixed


def test_an_unsafe_suggestion_is_a_diff_to_accept(open_page, config, tmp_path):
    original = "Hi Jordan,\n\nSorry to bother you, but I wanted to say the interview was hard.\n\nBest,\nSam\n"
    draft = tmp_path / "draft.txt"
    draft.write_text(original, encoding="utf-8")
    cli("--fix", "--unsafe-fixes", "--select", "FL705", "--config", config(), str(draft))
    expected = draft.read_text(encoding="utf-8")
    assert expected != original

    page = open_page()
    page.fill("#draft", original)
    wait_done(page)
    page.click('#findings li[data-code="FL705"] button.review-suggestion')
    page.locator("#suggestion").wait_for(state="visible")
    assert page.inner_text("#suggestion-diff del") == "Sorry to bother you"
    assert page.inner_text("#suggestion-diff ins") == expected[len("Hi Jordan,\n\n"):].split(",")[0]
    assert "Before:" in page.inner_text("#suggestion-diff") and "After:" in page.inner_text("#suggestion-diff")
    assert page.input_value("#draft") == original  # nothing changes until it is accepted
    page.click("#suggestion-accept")
    wait_done(page, old=original)
    assert page.input_value("#draft") == expected


def test_copy_puts_the_draft_on_the_clipboard(open_page, server):
    page = open_page(permissions=["clipboard-read", "clipboard-write"])
    text = "Dear Dana,\n\nThank you for Tuesday. I can do better.\n\nBest,\nSam\n"
    page.fill("#draft", text)
    wait_done(page)
    page.click("#copy")
    page.wait_for_function("() => document.querySelector('#copy').textContent === 'Copied'")
    assert page.evaluate("() => navigator.clipboard.readText()") == text


def test_context_preset_and_file_name_change_what_is_checked(open_page, config, tmp_path):
    text = BAD.read_text(encoding="utf-8")
    page = open_page()
    page.fill("#draft", text)
    wait_done(page)
    assert page.locator("#mirrors mark[data-code='FL201']").count() == 1
    page.select_option("#preset", "thank-you")
    page.wait_for_function("() => window.followupLint.state === 'done' && "
                           "!document.querySelector(\"#mirrors mark[data-code='FL201']\")")
    expected = json.loads(cli("--format", "json", "--config", config("preset: thank-you\n"), str(BAD)).stdout)
    assert sorted((m["code"], m["offset"]) for m in marks(page)) == \
           sorted((f["code"], f["offset"]) for f in expected["findings"])


def test_opening_a_file_reads_it_in_the_browser(open_page, tmp_path, config):
    text = "---\ninterviewer: Dana Reyes\n---\nHi Jordan,\n\nThe the panel was fine.\n\nBest,\nSam\n"
    path = tmp_path / "note.md"
    path.write_text(text, encoding="utf-8")
    expected = json.loads(cli("--format", "json", "--config", config(), str(path)).stdout)["findings"]
    page = open_page()
    page.set_input_files("#file", str(path))
    wait_done(page)
    assert page.input_value("#draft") == text and page.input_value("#filename") == "note.md"
    assert sorted((m["code"], m["offset"], m["end"]) for m in marks(page)) == \
           sorted((f["code"], f["offset"], f["end_offset"]) for f in expected)


def test_readable_at_200_percent_zoom(open_page, tmp_path):
    """A 1280-pixel window at 200 %: 640 CSS pixels.  One column, nothing cut off sideways."""
    page = open_page(viewport={"width": 640, "height": 450}, device_scale_factor=2)
    page.fill("#draft", BAD.read_text(encoding="utf-8"))
    wait_done(page)
    assert page.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1")
    box = page.locator("#draft").bounding_box()
    assert box["width"] >= 0.8 * 640 - 64
    findings = page.locator("#findings").bounding_box()
    assert findings["y"] > box["y"] + box["height"]  # the list moved under the draft
    size = page.evaluate("() => parseFloat(getComputedStyle(document.querySelector('#draft')).fontSize)")
    assert size >= 16
    page.screenshot(path=str(tmp_path / "zoom-200.png"), full_page=True)


def test_readme_screenshot(open_page, tmp_path):
    """The README's picture (written where FOLLOWUP_LINT_SCREENSHOT says; under tmp_path otherwise)."""
    target = Path(os.environ.get("FOLLOWUP_LINT_SCREENSHOT") or tmp_path / "serve.png")
    page = open_page(viewport={"width": 1280, "height": 860})
    page.fill("#draft", BAD.read_text(encoding="utf-8"))
    wait_done(page)
    hover_mark(page, '#mirrors mark[data-code="FL301"]')
    page.locator("#tooltip").wait_for(state="visible")
    page.screenshot(path=str(target))
    assert target.stat().st_size > 10_000
