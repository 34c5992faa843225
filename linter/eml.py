"""RFC 822 / MIME messages (.eml, or a message piped in by a mail client) -> Draft.

The stdlib ``email`` package finds the part to lint (text/plain preferred,
else text/html).  When that part's body stands in the file as it is (7bit,
8bit), the draft keeps exact offsets into the file.  When it is transfer-
encoded (base64, quoted-printable) the body is decoded and positions refer to
the decoded text; the draft says so in a note.
"""
from __future__ import annotations

import email
import email.policy
import re
from email.message import Message

from .document import Draft, Span, parse_draft
from .errors import InputError

_HEADER_END = re.compile(r"\r?\n\r?\n|\r\r")
# At most this share of letters may be non-ASCII for bytes read as Windows-1252 to count as Western text.
_MAX_NON_ASCII_LETTERS = 0.3


def reads_as_western(text: str) -> bool:
    """Does text decoded as Windows-1252 read as Western text (no C1 controls, few non-ASCII letters)?"""
    letters = [c for c in text if c.isalpha()]
    if any(0x80 <= ord(c) <= 0x9F or (ord(c) < 32 and c not in "\t\r\n\f") for c in text):
        return False
    if not letters:
        return True
    non_ascii = sum(1 for c in letters if ord(c) > 127)
    return non_ascii <= _MAX_NON_ASCII_LETTERS * len(letters)


def _pick_part(msg: Message) -> Message | None:
    plain = html = None
    for part in msg.walk():
        if part.is_multipart():
            continue
        if part.get_content_disposition() == "attachment":
            continue
        ctype = part.get_content_type()
        if ctype == "text/plain" and plain is None:
            plain = part
        elif ctype == "text/html" and html is None:
            html = part
    return plain or html


def _subject_span(text: str, header_end: int) -> Span | None:
    m = re.search(r"^Subject:[ \t]*(.*(?:(?:\r\n|\r|\n)[ \t].*)*)", text[:header_end], re.M | re.I)
    if not m:
        return None
    s, e = m.start(1), m.end(1)
    while e > s and text[e - 1].isspace():
        e -= 1
    return Span(s, e) if e > s else None


def _decode_payload(part: Message, path: str) -> tuple[str, list[str]]:
    """The decoded body of a transfer-encoded part, and notes; a body that cannot be read is an InputError."""
    raw = part.get_payload(decode=True) or b""
    notes = []
    cte = (part.get("Content-Transfer-Encoding") or "").strip().lower()
    if any(type(d).__name__.startswith("InvalidBase64") for d in part.defects):
        notes.append("the base64 body is damaged; what could be decoded is linted")
    charset = part.get_content_charset() or "us-ascii"
    damaged = "damaged " if notes else ""
    try:
        as_utf8 = raw.decode("utf-8")
    except UnicodeDecodeError:
        as_utf8 = None
    if as_utf8 is not None and not raw.isascii() and charset.replace("-", "").replace("_", "") not in ("utf8", "utf8sig"):
        # Non-ASCII bytes that happen to be valid UTF-8 are UTF-8, whatever the header says.
        return as_utf8, notes + [f"the message says its charset is {charset!r}, but the body is UTF-8; read as UTF-8"]
    try:
        return raw.decode(charset), notes
    except LookupError:
        if raw.isascii():
            return raw.decode("ascii"), notes + [f"the message names a charset this tool does not know "
                                                 f"({charset!r}); the body is plain ASCII"]
    except UnicodeDecodeError:
        pass
    text = raw.decode("cp1252", errors="replace")
    if "\ufffd" not in text and reads_as_western(text):
        return text, notes + [f"the message says its charset is {charset!r}, but the body is not; "
                              "read as Windows-1252: check accented letters"]
    raise InputError(path, f"has a {damaged}{cte or 'transfer'}-encoded body that does not decode to readable "
                           f"text (declared charset {charset!r}); save the draft as plain text to lint it")


def _boundary_in_body(text: str, body_start: int) -> str | None:
    """The boundary a multipart body really uses: a ``--x`` line followed by part headers."""
    m = re.search(r"^--([^\s-][^\r\n]{0,69}?)[ \t]*\r?\n(?:[A-Za-z-]+:[^\r\n]{0,998}\r?\n){0,20}?Content-Type:",
                  text[body_start:], re.M | re.I)
    return m.group(1) if m else None


def draft_from_message(text: str, path: str) -> Draft:
    """Parse a whole message; lint its subject and the body of its text part.

    Damaged messages are read as far as they can be, and the draft says how
    in its notes: no headers (a plain draft), a wrong MIME boundary (the one
    in the body is used), no boundary at all (the body as plain text), an
    encoded subject (not linted), a charset that lies.
    """
    msg = email.message_from_string(text, policy=email.policy.compat32)
    m = _HEADER_END.search(text)
    header_end = m.start() if m else len(text)
    body_start = m.end() if m else len(text)
    if not msg.keys():
        draft = parse_draft(text, path)
        draft.notes.append("has no mail headers; linted as a plain draft")
        return draft
    notes: list[str] = []
    subject = _subject_span(text, header_end)
    if subject is not None and "=?" in text[subject.start:subject.end]:
        subject = None
        notes.append("the subject is MIME-encoded (=?...?=) and is not linted")
    if msg.get_content_maintype() == "multipart" and not msg.is_multipart():
        found = _boundary_in_body(text, body_start)
        declared = msg.get_param("boundary")
        if found and found != declared:
            msg.set_param("boundary", found)
            msg = email.message_from_string(msg.as_string(), policy=email.policy.compat32)
            notes.append(f"the MIME boundary in the header ({declared!r}) does not match the body; "
                         f"used {found!r} from the body")
        else:
            draft = parse_draft(text, path, region=Span(body_start, len(text)), subject=subject)
            draft.notes += notes + ["the message says it has several parts but they cannot be told apart "
                                    "(its MIME boundary is missing); the whole body is linted as plain text"]
            return draft
    part = _pick_part(msg)
    if part is None:
        draft = parse_draft(text, path, region=Span(body_start, body_start), subject=subject)
        draft.notes += notes + ["the message has no text part to lint"]
        return draft
    markup = "html" if part.get_content_type() == "text/html" else "text"
    cte = (part.get("Content-Transfer-Encoding") or "7bit").strip().lower()
    if cte in ("7bit", "8bit", "binary") or not cte:
        payload = part.get_payload(decode=False)
        if isinstance(payload, str):
            if not payload.strip():
                draft = parse_draft(text, path, region=Span(body_start, body_start), subject=subject)
                draft.notes += notes + ["the message has an empty body"]
                return draft
            at = text.find(payload, body_start)
            if at >= 0:
                draft = parse_draft(text, path, markup=markup, region=Span(at, at + len(payload)), subject=subject)
                draft.notes += notes
                return draft
    # Transfer-encoded: lint the decoded body beneath the subject line.
    body, body_notes = _decode_payload(part, path)
    subj = "" if subject is None else text[subject.start:subject.end]
    head = f"Subject: {' '.join(subj.split())}\n\n" if subj else ""
    draft = parse_draft(head + body, path, markup=markup)
    draft.notes += notes + [f"the body is {cte}-encoded: positions refer to the decoded text"] + body_notes
    return draft
