"""A progress bar on stderr for long runs: only on a terminal, never in CI logs or machine formats."""
from __future__ import annotations

import os
import sys
import time
from typing import Iterable, Iterator, TypeVar

T = TypeVar("T")

MIN_FILES = 50  # a short run finishes before a bar would help
DELAY = 1.0  # seconds before the bar first appears
WIDTH = 30


def wanted(fmt: str, total: int, stream=None) -> bool:
    """Show a bar?  Text output, enough files, stderr a terminal, not CI, not TERM=dumb."""
    stream = stream or sys.stderr
    if fmt != "text" or total < MIN_FILES or os.environ.get("CI") or os.environ.get("TERM") == "dumb":
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def progress(items: Iterable[T], total: int, *, enabled: bool, stream=None) -> Iterator[T]:
    """Yield ``items`` unchanged, drawing ``[#####     ] 120/1000 drafts`` on ``stream`` at most 10 times a second."""
    if not enabled:
        yield from items
        return
    stream = stream or sys.stderr
    start, last = time.monotonic(), float("-inf")
    shown = False
    done = 0
    try:
        for item in items:
            done += 1
            now = time.monotonic()
            if now - start >= DELAY and (now - last >= 0.1 or done == total):
                last = now
                filled = WIDTH * done // max(total, 1)
                stream.write(f"\r[{'#' * filled}{' ' * (WIDTH - filled)}] {done}/{total} drafts")
                stream.flush()
                shown = True
            yield item
    finally:
        if shown:
            stream.write("\r" + " " * (WIDTH + 30) + "\r")
            stream.flush()
