"""Fixes: choose, apply and write them.  One job: findings with fixes in, fixed text (or a diff) out.

* Safe fixes apply with ``--fix``; suggestions (``safe=False``) also need
  ``--unsafe-fixes``; ``--diff`` shows both without writing.
* A fix is never applied inside a placeholder (replacing a whole
  placeholder, as filling it in does, is fine), a quoted reply, the
  signature, the headers or the front matter.
* Overlapping fixes: the first wins; the draft is linted again and the rest
  are tried on the new text (a few rounds at most), so running twice
  changes nothing the second time.
* Writing is atomic: a temporary file in the same directory, flushed and
  fsynced, then ``os.replace``; same encoding, line endings and permissions.
  On any error the original file is left as it was.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from .atomic import write_atomic
from .document import Draft, Span
from .errors import InputError
from .model import Edit, Finding
from .sources import DEFAULT_MAX_BYTES, Decoded, draft_from_bytes, draft_from_text, read_bytes

MAX_ROUNDS = 4


@dataclass
class FixOutcome:
    """What fixing one draft did."""

    path: str
    original: str
    fixed: str
    applied: list[Finding] = field(default_factory=list)
    withheld: list[Finding] = field(default_factory=list)  # suggestions not applied without --unsafe-fixes
    refused: list[tuple[Finding, str]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.fixed != self.original


def _protected(draft: Draft) -> list[tuple[Span, str]]:
    spans = [(q, "in a quoted reply") for q in draft.quoted]
    if draft.signature is not None:
        spans.append((draft.signature, "in the signature"))
    if draft.front_matter is not None:
        spans.append((draft.front_matter, "in the front matter"))
    for name, sp in draft.headers.items():
        if name != "subject":
            spans.append((sp, "in the headers"))
    return spans


def refusal(draft: Draft, edit: Edit) -> str | None:
    """Why an edit must not be applied to this draft, or None."""
    span = Span(edit.start, edit.end)
    probe = span if len(span) else Span(edit.start, edit.start + 1)
    for sp, why in _protected(draft):
        if sp.overlaps(probe) or (len(span) == 0 and sp.start <= edit.start < sp.end):
            return why
    for p in draft.placeholders:
        if p.span == span:
            continue  # filling in the whole placeholder
        if p.span.overlaps(probe):
            return "inside a placeholder"
    return None


def choose(draft: Draft, findings: list[Finding], unsafe: bool) -> tuple[list[Finding], list[Finding], list[tuple[Finding, str]]]:
    """The fixes to apply now (no two overlapping), the suggestions withheld, and the refused ones."""
    taken: list[Finding] = []
    used: list[Span] = []
    withheld, refused = [], []
    for f in sorted((f for f in findings if f.fix is not None), key=lambda f: (min(e.start for e in f.fix.edits), f.code)):
        if not f.fix.safe and not unsafe:
            withheld.append(f)
            continue
        why = next((w for w in (refusal(draft, e) for e in f.fix.edits) if w), None)
        if why:
            refused.append((f, why))
            continue
        spans = [Span(e.start, e.end) for e in f.fix.edits]
        if any(s.overlaps(u) or (s.start == u.start and s.end == u.end) for s in spans for u in used):
            continue  # overlaps a fix already taken: tried again after re-linting
        taken.append(f)
        used.extend(spans)
    return taken, withheld, refused


def apply_edits(source: str, findings: list[Finding]) -> str:
    edits = sorted((e for f in findings for e in f.fix.edits), key=lambda e: (e.start, e.end), reverse=True)
    out = source
    for e in edits:
        out = out[:e.start] + e.text + out[e.end:]
    return out


def fix_text(linter, text: str, path: str, *, unsafe: bool = False) -> FixOutcome:
    """Apply fixes to ``text`` round by round until nothing more applies."""
    outcome = FixOutcome(path, text, text)
    seen = {text}
    for _ in range(MAX_ROUNDS):
        draft = draft_from_text(outcome.fixed, path)
        findings = linter.lint_draft(draft).findings
        taken, withheld, refused = choose(draft, findings, unsafe)
        outcome.withheld, outcome.refused = withheld, refused
        if not taken:
            break
        new = apply_edits(outcome.fixed, taken)
        if new in seen:  # two fixes undoing each other: stop rather than loop
            break
        seen.add(new)
        outcome.applied.extend(taken)
        outcome.fixed = new
    return outcome


def unified_diff(outcome: FixOutcome) -> str:
    a = outcome.original.splitlines(keepends=True)
    b = outcome.fixed.splitlines(keepends=True)
    rel = not outcome.path.startswith(("/", "<")) and ":" not in outcome.path[:3]
    old, new = (f"a/{outcome.path}", f"b/{outcome.path}") if rel else (outcome.path, outcome.path)
    lines = list(difflib.unified_diff(a, b, fromfile=old, tofile=new))
    return "".join(ln if ln.endswith(("\n", "\r")) else ln + "\n\\ No newline at end of file\n" for ln in lines)


def encode(text: str, encoding: str, original: bytes) -> bytes:
    """Text -> bytes in the file's own encoding (a UTF-16 or UTF-32 file keeps its byte order and mark)."""
    if encoding == "utf-32":
        be = original.startswith(b"\x00\x00\xfe\xff")
        return (b"\x00\x00\xfe\xff" if be else b"\xff\xfe\x00\x00") + text.encode("utf-32-be" if be else "utf-32-le")
    if encoding == "utf-16":
        be = original.startswith(b"\xfe\xff")
        return (b"\xfe\xff" if be else b"\xff\xfe") + text.encode("utf-16-be" if be else "utf-16-le")
    return text.encode(encoding)


def fix_bytes(linter, raw: bytes, path: str, *, unsafe: bool = False) -> tuple[FixOutcome, Decoded]:
    """Fix a draft given as bytes (a file's, or stdin's), in memory; also returns how the bytes were decoded."""
    draft, decoded = draft_from_bytes(raw, path)
    if draft.source != decoded.text:
        raise InputError(path, "its body is transfer-encoded (base64 or quoted-printable); "
                               "fix the message in your mail client instead")
    return fix_text(linter, decoded.text, path, unsafe=unsafe), decoded


def fix_file(linter, path: str, *, unsafe: bool = False, write: bool = True,
             max_bytes: int = DEFAULT_MAX_BYTES) -> FixOutcome:
    """Fix one draft file in place (or, with ``write=False``, only work out the outcome).

    The file is read once, within the same size limit as linting (``--max-file-size``).
    """
    raw = read_bytes(path, max_bytes=max_bytes)
    outcome, decoded = fix_bytes(linter, raw, path, unsafe=unsafe)
    if write and outcome.changed:
        try:
            data = encode(outcome.fixed, decoded.encoding, raw)
        except UnicodeEncodeError as exc:
            raise InputError(path, f"was not changed: a fix needs a character ({exc.object[exc.start:exc.end]!r}) "
                                   f"that its encoding ({decoded.encoding}) cannot hold") from None
        try:
            write_atomic(path, data)
        except OSError as exc:
            raise InputError(path, f"was not changed: could not write it ({exc.strerror or exc})") from None
    return outcome


__all__ = ["FixOutcome", "apply_edits", "choose", "fix_bytes", "fix_file", "fix_text", "unified_diff"]
