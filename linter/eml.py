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

_HEADER_END = re.compile(r"\r?\n\r?\n|\r\r")


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


def _decode_payload(part: Message) -> tuple[str, str | None]:
    raw = part.get_payload(decode=True) or b""
    charset = part.get_content_charset() or "utf-8"
    try:
        return raw.decode(charset), None
    except (LookupError, UnicodeDecodeError):
        pass
    try:
        return raw.decode("utf-8"), f"the message says its charset is {charset!r}, but it is UTF-8"
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace"), (
            f"the message body is not valid {charset!r}; read as Windows-1252")


def draft_from_message(text: str, path: str) -> Draft:
    """Parse a whole message; lint its subject and the body of its text part."""
    msg = email.message_from_string(text, policy=email.policy.compat32)
    m = _HEADER_END.search(text)
    header_end = m.start() if m else len(text)
    body_start = m.end() if m else len(text)
    subject = _subject_span(text, header_end)
    part = _pick_part(msg)
    if part is None:
        draft = parse_draft(text, path, region=Span(body_start, body_start), subject=subject)
        draft.notes.append("the message has no text part to lint")
        return draft
    markup = "html" if part.get_content_type() == "text/html" else "text"
    cte = (part.get("Content-Transfer-Encoding") or "7bit").strip().lower()
    if cte in ("7bit", "8bit", "binary"):
        payload = part.get_payload(decode=False)
        if isinstance(payload, str):
            at = text.find(payload, body_start) if payload else -1
            if payload and at >= 0:
                return parse_draft(text, path, markup=markup,
                                   region=Span(at, at + len(payload)), subject=subject)
    # Transfer-encoded: lint the decoded body beneath the subject line.
    body, note = _decode_payload(part)
    subj = msg.get("Subject")
    head = f"Subject: {subj}\n\n" if subj else ""
    draft = parse_draft(head + body, path, markup=markup)
    draft.notes.append(f"the body is {cte}-encoded: positions refer to the decoded text")
    if note:
        draft.notes.append(note)
    return draft
