"""A benchmark, not a test: seconds to parse hostile drafts of about 1 MB (the default size limit).

    python fuzz/hostile.py

Each shape is one a lazy regex (``<!--.*?-->``) or an unbounded tag pattern
would rescan from every position: parsing must stay linear.  Before the
linear scans, 200 kB of ``<!--`` took 72 s and 200 kB of ``{%`` 145 s.
"""
from __future__ import annotations

import time

from followup_lint.sources import draft_from_text

SHAPES = {
    "unclosed <!--": "<!--" * 250_000,
    "unclosed {%": "{%" * 500_000,
    "unclosed {#": "{#" * 500_000,
    "unclosed <head>": "<head>" * 160_000,
    "unclosed <a ": "<a " * 330_000,
    "unclosed <blockquote>": "<blockquote>" * 80_000,
    "unclosed {{": "{{ " * 330_000,
    "</ without names": "</" * 500_000,
    "<!DOCTYPE without >": "<!DOCTYPE" * 110_000,
    "short lines": "a\n" * 500_000,
    "quoted lines": "> a\n" * 250_000,
    "header lines": "To: x\n" * 160_000,
    "one long greeting": "Dear " + "a " * 490_000,
    "mixed markup": "<p>Dear {{ x }} &amp; <!-- c --> " * 30_000,
    "eml: boundary lines": "From: a@b.c\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=Z\n\n" + "--x\n" * 240_000,
}


def main() -> None:
    print(f"{'shape':<24} {'kind':<8} {'chars':>9} {'seconds':>8}")
    for name, text in SHAPES.items():
        kinds = ("m.eml",) if name.startswith("eml") else ("d.txt", "d.html")
        for kind in kinds:
            t = time.perf_counter()
            draft_from_text(text, kind)
            print(f"{name:<24} {kind:<8} {len(text):>9,} {time.perf_counter() - t:>8.2f}", flush=True)


if __name__ == "__main__":
    main()
