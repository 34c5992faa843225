"""What must hold for every Draft, whatever the input: shared by the fuzz targets and the property tests."""
from __future__ import annotations


def draft_problems(draft) -> list[str]:
    """Every broken invariant of ``draft`` as a sentence (an empty list when all hold)."""
    problems: list[str] = []
    src, text = draft.source, draft.text
    n = len(src)
    if len(text) != n:
        return [f"len(text) {len(text)} != len(source) {n}"]
    for i, ch in enumerate(src):
        if ch in "\r\n" and text[i] != ch:
            problems.append(f"line break at {i} not kept in the lint view")
            break
    spans = []
    for name in ("subject", "greeting", "closing", "signature", "front_matter", "body", "content"):
        sp = getattr(draft, name)
        if sp is not None:
            spans.append((name, sp))
    spans += [("headers." + k, v) for k, v in draft.headers.items()]
    spans += [(f"paragraphs[{i}]", p) for i, p in enumerate(draft.paragraphs)]
    spans += [(f"quoted[{i}]", q) for i, q in enumerate(draft.quoted)]
    spans += [(f"placeholders[{i}]", p.span) for i, p in enumerate(draft.placeholders)]
    for name, sp in spans:
        if not (0 <= sp.start <= sp.end <= n):
            problems.append(f"{name} {sp} lies outside the text (length {n})")
    for offset in _sample_offsets(n):
        line, col = draft.position(offset)
        if line < 1 or col < 1:
            problems.append(f"position({offset}) = {(line, col)}")
            continue
        ls = draft.line_span(line)
        if ls.start + col - 1 != offset or not (ls.start <= offset <= max(ls.end, offset)):
            problems.append(f"position({offset}) = {(line, col)} but line {line} starts at {ls.start}")
    return problems


def finding_problems(draft, findings) -> list[str]:
    """Findings must point inside the draft, and their line/column must agree with their offsets."""
    problems = []
    n = len(draft.source)
    for f in findings:
        if not (0 <= f.start <= f.end <= n):
            problems.append(f"{f.code} span {f.start}-{f.end} lies outside the text (length {n})")
            continue
        if draft.position(f.start) != (f.line, f.column) or draft.position(f.end) != (f.end_line, f.end_column):
            problems.append(f"{f.code} at {f.start}-{f.end} says {f.line}:{f.column}-{f.end_line}:{f.end_column}")
    return problems


def _sample_offsets(n: int) -> list[int]:
    if n <= 200:
        return list(range(n + 1))
    step = max(1, n // 150)
    return sorted(set(range(0, n + 1, step)) | {n})


# -- the fuzz cases: plain functions, so the tests can replay fuzz/crashes without atheris ----------

EMAIL_KINDS = ("draft.txt", "draft.md", "draft.html", "message.eml")
_BY_LETTER = {b"t": "draft.txt", b"m": "draft.md", b"h": "draft.html", b"e": "message.eml"}


def email_case(data: bytes) -> None:
    """The first byte picks the file kind, the rest is the file: decode, parse, check the Draft.

    Raises on anything but the InputError a user would see, and on a broken invariant.
    """
    from followup_lint.errors import InputError
    from followup_lint.sources import decode, draft_from_text

    if not data:
        return
    name = _BY_LETTER.get(data[:1], EMAIL_KINDS[data[0] % len(EMAIL_KINDS)])
    try:
        decoded = decode(data[1:], name)
        draft = draft_from_text(decoded.text, name)
    except InputError as exc:
        assert exc.path == name, f"error does not name the file: {exc}"
        return
    problems = draft_problems(draft)
    if problems:
        raise AssertionError(f"{name}: " + "; ".join(problems[:5]))


def rule_case(data: bytes, path: str, vocab) -> None:
    """The bytes are a rule file: load (safe YAML, schema), compile, build the spaCy matchers.

    Anything but a RuleError naming the file is a failure.
    """
    from pathlib import Path

    from followup_lint.engine import RuleRunner
    from followup_lint.errors import RuleError
    from followup_lint.loader import load_rule

    with open(path, "wb") as fh:
        fh.write(data)
    try:
        RuleRunner(load_rule(Path(path))).prepare(vocab)
    except RuleError as exc:
        assert exc.path == str(path), f"error does not name the file: {exc}"
