"""An email draft and its parts, with exact offsets into the text the user wrote.

The central idea: ``Draft.text`` is a *lint view* of ``Draft.source`` with the
same length, character for character.  Everything that must not be linted
(headers other than the subject, quoted replies, the signature, markup,
template comments) is blanked to spaces (line breaks kept), and every template
placeholder is masked as one opaque capitalised word of the same length.  spaCy
runs over the lint view, so every token offset *is* an offset into the source:
no offset maps, no drift on CRLF, tabs or non-ASCII text.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Iterator

# -- the shapes ---------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Span:
    """A half-open range ``[start, end)`` of character offsets into the source."""

    start: int
    end: int

    def __len__(self) -> int:
        return self.end - self.start

    def contains(self, other: "Span") -> bool:
        return self.start <= other.start and other.end <= self.end

    def overlaps(self, other: "Span") -> bool:
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True)
class Placeholder:
    """A template slot such as ``{{ company }}``: opaque, never linted as words."""

    span: Span
    name: str


# A line at least this long may be a hard-wrapped part of a longer sentence.
WRAPPED_LINE = 56


@dataclass
class Draft:
    """One email draft split into its parts.

    ``source`` is the decoded text exactly as read; ``text`` is the lint view
    (same length, see the module docstring).  Every part is a :class:`Span`
    into both.
    """

    path: str
    source: str
    text: str
    headers: dict[str, Span] = field(default_factory=dict)
    subject: Span | None = None
    greeting: Span | None = None
    paragraphs: list[Span] = field(default_factory=list)
    closing: Span | None = None
    signature: Span | None = None
    quoted: list[Span] = field(default_factory=list)
    placeholders: list[Placeholder] = field(default_factory=list)
    front_matter: Span | None = None
    notes: list[str] = field(default_factory=list)
    _line_starts: list[int] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        if not self._line_starts:
            self._line_starts = [0] + [m.end() for m in _LINE_BREAK.finditer(self.source)]

    # -- derived parts --------------------------------------------------------

    @property
    def body(self) -> Span | None:
        """From the first body paragraph to the end of the last."""
        if not self.paragraphs:
            return None
        return Span(self.paragraphs[0].start, self.paragraphs[-1].end)

    @property
    def content(self) -> Span | None:
        """The email as a recipient reads it: greeting, body and closing."""
        parts = [p for p in (self.greeting, self.body, self.closing) if p is not None]
        if not parts:
            return None
        return Span(min(p.start for p in parts), max(p.end for p in parts))

    def segments(self) -> list[Span]:
        """Every part that starts a new sentence: subject, greeting, paragraphs, closing lines."""
        parts: list[Span] = []
        if self.subject:
            parts.append(self.subject)
        if self.greeting:
            parts.append(self.greeting)
        parts.extend(self.paragraphs)
        for paragraph in self.paragraphs:
            lines = self.lines(paragraph)
            # a line break is a sentence break unless the paragraph was hard-wrapped (the next line's first
            # word would not have fitted on the line before): notes typed on a phone, one thought a line,
            # and lists are split; a wrapped paragraph stays one flow of sentences
            width = max((len(line) for line in lines), default=0)
            for prev, line in zip(lines, lines[1:]):
                first = self.text[line.start:line.end].split(None, 1)[0]
                if len(prev) < WRAPPED_LINE or len(prev) + 1 + len(first) <= width:
                    parts.append(line)
        if self.closing:
            parts.extend(self.lines(self.closing))
        return sorted(parts)

    def lines(self, span: Span) -> list[Span]:
        """The non-blank lines inside ``span``, trimmed."""
        out = []
        for m in re.finditer(r"[^\r\n]+", self.text[span.start:span.end]):
            s, e = trim(self.text, span.start + m.start(), span.start + m.end())
            if s < e:
                out.append(Span(s, e))
        return out

    def placeholder_at(self, span: Span) -> Placeholder | None:
        for p in self.placeholders:
            if p.span.overlaps(span):
                return p
        return None

    # -- positions ------------------------------------------------------------

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a source offset, columns counted in characters."""
        line = bisect.bisect_right(self._line_starts, offset) - 1
        return line + 1, offset - self._line_starts[line] + 1

    def line_span(self, line: int) -> Span:
        """The source range of a 1-based line, without its line break."""
        start = self._line_starts[line - 1]
        m = _LINE_BREAK.search(self.source, start)
        return Span(start, m.start() if m else len(self.source))


# -- parsing ------------------------------------------------------------------

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")

HEADER_NAMES = ("subject", "to", "from", "cc", "bcc", "date", "reply-to", "in-reply-to",
                "references", "message-id", "mime-version", "content-type",
                "content-transfer-encoding", "x-mailer", "user-agent")
_HEADER = re.compile(r"([A-Za-z][A-Za-z0-9-]*):[ \t]?(.*)")
_FRONT_MATTER = re.compile(r"---[ \t]*(?:\r\n|\r|\n)(.*?)(?:\r\n|\r|\n)---[ \t]*(?:\r\n|\r|\n|$)", re.S)

PLACEHOLDER = re.compile(
    r"""
      \{\{[ \t]*(?P<jinja>[^{}\r\n]{1,60}?)[ \t]*\}\}      # {{ company }} (on one line)
    | \{(?P<brace>[A-Za-z_][\w .-]{0,40})\}               # {company}
    | \[(?P<bracket>[A-Za-z][^\[\]\r\n]{0,40})\](?![(\[:])  # [Company Name], [topic]; not a Markdown link
    | <(?P<angle>[A-Z][A-Za-z _-]{0,40})>                 # <Hiring Manager>
    | %(?P<percent>[A-Z][A-Z0-9_]{0,40})%                 # %NAME%
    """,
    re.X,
)
# Template and markup comments are not prose: blanked, not masked.
_COMMENT_DELIMITERS = (("{%", "%}"), ("{#", "#}"), ("<!--", "-->"))


def _between(text: str, opener: str, closer: str) -> Iterator[tuple[int, int]]:
    """Each ``opener ... closer`` span (like the regex ``opener.*?closer``), in linear time.

    A lazy regex rescans to the end of the text from every opener that is never
    closed: a draft of 50,000 ``<!--`` took minutes.  Once a closer is missing,
    no later opener can be closed either.
    """
    pos = 0
    while (start := text.find(opener, pos)) >= 0:
        end = text.find(closer, start + len(opener))
        if end < 0:
            return
        yield start, end + len(closer)
        pos = end + len(closer)


def _elements(text: str, name: str) -> Iterator[tuple[int, int]]:
    """Each ``<name ...> ... </name>`` span, case-insensitive, in linear time (see :func:`_between`)."""
    opener = re.compile(rf"<{name}\b", re.I)
    closer = re.compile(rf"</{name}\s*>", re.I)
    pos = 0
    while (m := opener.search(text, pos)) is not None:
        c = closer.search(text, m.end())
        if c is None:
            return
        yield m.start(), c.end()
        pos = c.end()

GREETING = re.compile(
    r"(?:dear|hi|hello|hey|hiya|greetings|good\s+(?:morning|afternoon|evening|day)"
    r"|to\s+whom\s+it\s+may\s+concern)\b[^\r\n]{0,60}$",
    re.I,
)
VALEDICTION = re.compile(
    r"(?:(?:with\s+)?(?:best|kind|warm|warmest|many|kindest|all\s+the\s+best)"
    r"(?:\s+(?:regards|wishes|thanks))?|regards|sincerely|yours(?:\s+(?:sincerely|truly|faithfully))?"
    r"|respectfully(?:\s+yours)?|thanks(?:\s+(?:again|so\s+much))?|thank\s+you(?:\s+(?:again|so\s+much))?"
    r"|many\s+thanks|cheers|warmly|take\s+care|with\s+(?:gratitude|appreciation|thanks)"
    r"|all\s+the\s+best|gratefully|xo|xoxo|xx|love|(?:talk|speak)\s+soon"
    # typed on a phone, and thanks in another language above an English note's name
    r"|thx|thnx|thanx|ty|tysm|thank\s+u|thanks\s+(?:a\s+lot|heaps|a\s+million)|ta"
    r"|merci|gracias|danke|grazie|obrigad[oa]|diolch|salamat|asante|shukran|dziękuję|teşekkürler)[ \t]*[,.!]?[ \t]*$",
    re.I,
)
_SIGNATURE = re.compile(r"--[ \t]?$")
# a mail app's own line ("Sent from my iPhone", "Get Outlook for Android"): the sender did not write it
_DEVICE_SIGNATURE = re.compile(r"(?:sent (?:from|with|via) (?:my )?[\w .'-]{2,40}|get outlook for \w+)[.!]?", re.I)
_ATTRIBUTION = re.compile(r"(?:On\s.{0,200}\swrote:|-{2,}\s*Original Message\s*-{2,}|_{10,})[ \t]*$", re.I)


def blank(chars: list[str], start: int, end: int) -> None:
    """Replace every character in ``[start, end)`` but line breaks with a space."""
    for i in range(start, end):
        if chars[i] not in "\r\n":
            chars[i] = " "


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Offsets of ``text[start:end]`` without its leading and trailing white space."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _mask(length: int) -> str:
    return "X" + "x" * (length - 1)


def parse_draft(source: str, path: str = "<draft>", *, markup: str = "text",
                headers: bool = True, region: Span | None = None,
                subject: Span | None = None) -> Draft:
    """Split ``source`` into the parts of an email.

    ``markup`` is ``"text"``, ``"markdown"`` or ``"html"``; markup is blanked
    in the lint view (never moved), so offsets stay exact.  ``headers``
    allows a leading block of RFC 822 style header lines.  A caller that has
    already found the body (an .eml message) passes it as ``region`` and the
    subject's value as ``subject``: everything else is blanked.
    """
    chars = list(source)
    draft_notes: list[str] = []
    given_subject = subject
    if region is not None:
        blank(chars, 0, region.start)
        blank(chars, region.end, len(source))
        headers = False

    # 1. Front matter (YAML between --- lines at the very top): context, not prose.
    front = None
    m = _FRONT_MATTER.match(source)
    if m:
        front = Span(0, m.end())
        blank(chars, 0, m.end())

    # 2. Markup and template comments are blanked in place.
    if markup == "html":
        _blank_html(source, chars)
    for opener, closer in _COMMENT_DELIMITERS:
        for start, end in _between(source, opener, closer):
            blank(chars, start, end)

    # 3. Walk the lines: header block, then content, signature, quoted text.
    # Lines come from the view: HTML block tags have become line breaks there.
    view = "".join(chars)
    lines = [(m.start(), m.end()) for m in _LINE.finditer(view) if m.end() > m.start()]

    hdrs: dict[str, Span] = {}
    subject = None
    i = 0
    # skip blank lines and front matter before headers
    while i < len(lines) and not view[lines[i][0]:lines[i][1]].strip():
        i += 1
    if headers and i < len(lines):
        j = i
        block: list[tuple[str, Span, int, int]] = []
        while j < len(lines):
            s, e = lines[j]
            raw = view[s:e].rstrip("\r\n")
            hm = _HEADER.fullmatch(raw)
            if hm and hm.group(1).lower() in HEADER_NAMES:
                vs = s + hm.start(2)
                ve = s + len(raw)
                block.append((hm.group(1).lower(), Span(*trim(source, vs, ve)), s, s + len(raw)))
                j += 1
            elif block and raw[:1] in (" ", "\t") and raw.strip():  # folded header line
                name, sp, ls, _ = block[-1]
                block[-1] = (name, Span(sp.start, trim(source, sp.start, s + len(raw))[1]), ls, s + len(raw))
                j += 1
            else:
                break
        ends_block = j >= len(lines) or not view[lines[j][0]:lines[j][1]].strip()
        if block and ends_block:
            for name, sp, ls, le in block:
                hdrs.setdefault(name, sp)
                if name == "subject" and subject is None:
                    subject = sp
                    blank(chars, ls, sp.start)
                    blank(chars, sp.end, le)
                else:
                    blank(chars, ls, le)
            i = j

    # content runs until a signature separator or a quoted reply
    content_start_line = i
    end_line = len(lines)
    signature = None
    quoted: list[Span] = []
    for k in range(content_start_line, len(lines)):
        s, e = lines[k]
        raw = view[s:e].rstrip("\r\n")
        if (_SIGNATURE.fullmatch(raw) or _DEVICE_SIGNATURE.fullmatch(raw.strip())) and signature is None \
                and k < end_line:
            end_line = min(end_line, k)
            signature = Span(s, lines[-1][1])
            break
        if raw.lstrip().startswith(">") or _ATTRIBUTION.fullmatch(raw.strip()):
            end_line = min(end_line, k)
            break
    # quoted text: from the first quote/attribution line to the end
    if end_line < len(lines):
        tail_start = lines[end_line][0]
        for k in range(end_line, len(lines)):
            s, e = lines[k]
            raw = view[s:e].rstrip("\r\n")
            if raw.lstrip().startswith(">") or _ATTRIBUTION.fullmatch(raw.strip()):
                quoted.append(Span(*trim(source, s, e)))
        if signature is not None:
            # a quote below the signature: the signature ends where the quote starts
            q = [q for q in quoted if q.start > signature.start]
            if q:
                signature = Span(signature.start, q[0].start)
            signature = Span(*trim(source, signature.start, signature.end))
        blank(chars, tail_start, len(source))
        # a signature that stands *below* a quoted reply (rare) is covered by the blanking

    if given_subject is not None:
        subject = given_subject
        chars[subject.start:subject.end] = source[subject.start:subject.end]
    view = "".join(chars)
    content_lines = [(s, e) for (s, e) in lines[content_start_line:end_line]
                     if subject is None or not subject.overlaps(Span(s, e))]

    # 4. Placeholders: masked as one opaque word of the same length.
    placeholders: list[Placeholder] = []
    lo = content_lines[0][0] if content_lines else 0
    hi = content_lines[-1][1] if content_lines else 0
    for m in PLACEHOLDER.finditer(view, lo, hi):
        name = next(g for g in m.groups() if g is not None).strip()
        placeholders.append(Placeholder(Span(m.start(), m.end()), name))
        chars[m.start():m.end()] = _mask(m.end() - m.start())
    if subject:
        for m in PLACEHOLDER.finditer(view, subject.start, subject.end):
            name = next(g for g in m.groups() if g is not None).strip()
            placeholders.append(Placeholder(Span(m.start(), m.end()), name))
            chars[m.start():m.end()] = _mask(m.end() - m.start())
    placeholders.sort(key=lambda p: p.span)
    view = "".join(chars)

    # 5. Blocks of non-blank lines: greeting, paragraphs, closing.
    blocks: list[list[tuple[int, int]]] = []
    current: list[tuple[int, int]] = []
    for s, e in content_lines:
        if view[s:e].strip():
            current.append((s, e))
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)

    greeting = None
    if blocks:
        s, e = blocks[0][0]
        gs, ge = trim(view, s, e)
        first_line = view[gs:ge]
        if GREETING.match(first_line) and len(first_line.split()) <= 10:
            greeting = Span(gs, ge)
            blocks[0] = blocks[0][1:]
            if not blocks[0]:
                blocks.pop(0)

    closing = None
    if blocks:
        closing = _find_closing(view, blocks)
        if closing is not None:
            cut = closing.start
            kept: list[list[tuple[int, int]]] = []
            for b in blocks:
                b2 = [(s, e) for (s, e) in b if s < cut]
                if b2:
                    kept.append(b2)
            blocks = kept

    paragraphs = []
    for b in blocks:
        s, e = trim(view, b[0][0], b[-1][1])
        if s < e:
            paragraphs.append(Span(s, e))

    return Draft(path=path, source=source, text="".join(chars), headers=hdrs, subject=subject,
                 greeting=greeting, paragraphs=paragraphs, closing=closing, signature=signature,
                 quoted=quoted, placeholders=placeholders, front_matter=front, notes=draft_notes)


def _find_closing(view: str, blocks: list[list[tuple[int, int]]]) -> Span | None:
    """The valediction line and the name lines below it, near the end of the draft."""
    flat = [ln for b in blocks for ln in b]
    # The valediction must be among the last few lines, and what follows it short (a name, a title).
    for idx in range(len(flat) - 1, max(-1, len(flat) - 7), -1):
        s, e = trim(view, *flat[idx])
        if not VALEDICTION.fullmatch(view[s:e]):
            continue
        after = flat[idx + 1:]
        if len(after) > 4 or any(len(view[a:b].split()) > 8 for a, b in after):
            continue
        if not after and view[s:e].endswith("."):
            continue  # "Talk soon." as the last line, with no name under it, is the letter's last sentence
        if idx == 0:
            return None  # a draft that is only "Thanks!" has no body to close
        end = trim(view, s, flat[-1][1])[1]
        return Span(s, end)
    # No valediction: a last block that is only a name ("Sam", "— Sam Lee") is still the sign-off,
    # not a paragraph of the letter (otherwise it would be the "last paragraph" rules look at).
    if len(blocks) > 1 and len(blocks[-1]) == 1:
        s, e = trim(view, *blocks[-1][0])
        if _NAME_ONLY.fullmatch(view[s:e]) or _SIGNED.fullmatch(view[s:e]):
            return Span(s, e)
    # A note typed on a phone, signed on the line straight under its last sentence ("- bryce"): the dash
    # marks a signature, unless the line before starts with one too (then it is the end of a list).
    if len(blocks[-1]) > 1:
        s, e = trim(view, *blocks[-1][-1])
        ps, pe = trim(view, *blocks[-1][-2])
        if _SIGNED.fullmatch(view[s:e]) and not _SIGNED_MARK.match(view[ps:pe]):
            return Span(s, e)
    return None


_NAME_ONLY = re.compile(r"(?:[-–—~]\s*)?[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}")
# "- bryce", "~jo", "— Ana M.": a dash and one to three words of a name, in any case
_SIGNED_MARK = re.compile(r"[-–—~]+")
_SIGNED = re.compile(r"[-–—~]+\s*[^\W\d_][\w.'’-]{0,20}(?:\s+[^\W\d_][\w.'’-]{0,20}){0,2}")


# No '<' inside a tag: each attempt stops at the next '<', so hostile markup cannot make this quadratic.
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)\b[^<>]*>|<!DOCTYPE[^<>]*>", re.I)
_ENTITY = re.compile(r"&(#\d{1,7}|#x[0-9A-Fa-f]{1,6}|[A-Za-z]{2,8});")
_BLOCK_TAGS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
               "ul", "ol", "table", "hr", "pre"}
_HIDDEN = ("head", "style", "script")


def _blank_html(source: str, chars: list[str]) -> None:
    """Turn HTML into text in place: tags become blanks (block tags a paragraph break), entities their character."""
    import html

    for name in _HIDDEN:
        for start, end in _elements(source, name):
            blank(chars, start, end)
    comments = list(_between(source, "<!--", "-->"))
    for start, end in comments:
        blank(chars, start, end)
    at = 0
    for m in _TAG.finditer(source):
        while at < len(comments) and comments[at][1] <= m.start():
            at += 1
        if at < len(comments) and comments[at][0] <= m.start():
            continue  # a tag inside a comment is part of the comment
        blank(chars, m.start(), m.end())
        name = (m.group(2) or "").lower()
        if name in _BLOCK_TAGS and m.end() - m.start() >= 3:
            # two line breaks inside the tag's own width: a paragraph boundary, offsets unchanged
            chars[m.start()] = "\n"
            chars[m.start() + 1] = "\n"
    for m in _ENTITY.finditer(source):
        ch = html.unescape(m.group(0))
        if len(ch) == 1:
            chars[m.start()] = " " if ch == "\xa0" else ch
            # the rest of the entity is padding; the character carries the meaning
            blank(chars, m.start() + 1, m.end())
    # blockquote in HTML replies: quoted, not linted
    for start, end in _elements(source, "blockquote"):
        blank(chars, start, end)


WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def iter_words(text: str, span: Span) -> Iterator[Span]:
    """Word-like runs inside ``span`` of the lint view (cheap counts without spaCy)."""
    for m in WORD.finditer(text, span.start, span.end):
        yield Span(m.start(), m.end())
