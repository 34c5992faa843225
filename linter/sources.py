"""Reading drafts: files, directories and stdin -> decoded text -> :class:`Draft`.

The only module that touches the file system for drafts.  Each file is read
once as bytes, decoded, and parsed by its kind (.txt, .md, .eml, .html).
"""
from __future__ import annotations

import errno
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from .document import Draft, Span, parse_draft
from .eml import draft_from_message, reads_as_western
from .errors import InputError

DRAFT_SUFFIXES = (".txt", ".md", ".markdown", ".eml", ".html", ".htm", ".j2", ".jinja", ".tmpl")
DEFAULT_MAX_BYTES = 256_000  # a follow-up email is a few kB; spaCy needs ~4 MB of memory per kB of text
MAX_CHARS = 1_000_000  # spaCy's nlp.max_length: longer texts need ~1 GB per 100,000 characters to parse


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    note: str | None = None  # said to the user when the encoding was a guess


# File signatures of things people keep next to their drafts: said by name, never decoded.
_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"), (b"%PDF-", "a PDF document"), (b"PK\x03\x04", "a ZIP archive (or a .docx/.odt file)"),
    (b"PK\x05\x06", "an empty ZIP archive"), (b"\x1f\x8b", "a gzip archive"), (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ\x00", "an xz archive"), (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"), (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office file (.doc)"), (b"{\\rtf", "an RTF document"),
    (b"\x7fELF", "a program"), (b"MZ\x90\x00", "a program"), (b"II*\x00", "a TIFF image"), (b"MM\x00*", "a TIFF image"),
)
_SAVE_AS = "save it as plain text (UTF-8) to lint it"


def decode(data: bytes, path: str) -> Decoded:
    """Bytes -> text, never silent mojibake.

    A BOM wins; then UTF-8; then UTF-16 without a BOM (told by its zero
    bytes); then Windows-1252 (a superset of Latin-1 for text) when the
    result reads as Western text, with a note.  Anything else is an
    :class:`InputError` naming the file: binary files, images and archives
    by their kind.
    """
    for magic, what in _SIGNATURES:
        if data.startswith(magic):
            if magic == b"{\\rtf":
                raise InputError(path, f"is {what}, not plain text; {_SAVE_AS}")
            raise InputError(path, f"is {what}, not a text draft")
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return Decoded(data[3:].decode("utf-8"), "utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InputError(path, f"starts with a UTF-8 byte-order mark but is not valid UTF-8 "
                                   f"(byte {exc.start + 3}); {_SAVE_AS}") from None
    for bom, codec in ((b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
                       (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            try:
                # Named "utf-16"/"utf-32" (with a mark): writing a fix back puts the same mark and byte order first.
                return Decoded(_no_nul(data[len(bom):].decode(codec), path), codec[:6])
            except UnicodeDecodeError as exc:
                raise InputError(path, f"has a {codec[:6].upper()} byte-order mark but is not valid "
                                       f"{codec.upper()} ({exc.reason}); {_SAVE_AS}") from None
    try:
        text = data.decode("utf-8")
        if "\x00" not in text:
            return Decoded(text, "utf-8")
    except UnicodeDecodeError:
        pass
    codec = _utf16_without_bom(data)
    if codec:
        try:
            text = _no_nul(data.decode(codec), path)
            if not any(ord(c) < 32 and c not in "\t\r\n\f" for c in text):  # else binary with zero bytes
                return Decoded(text, codec, f"has no byte-order mark; read as {codec.upper()}")
        except UnicodeDecodeError:
            pass
    if b"\x00" in data:
        raise InputError(path, "looks like a binary file, not a text draft")
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = None
    if text is not None and reads_as_western(text):
        return Decoded(text, "cp1252", "is not UTF-8; read as Windows-1252 (Latin-1); "
                                       "check accented letters and curly quotes")
    raise InputError(path, "is not UTF-8, and read as Windows-1252 it would come out garbled; "
                           "it may use another encoding. " + _SAVE_AS[0].upper() + _SAVE_AS[1:])


def _no_nul(text: str, path: str) -> str:
    if "\x00" in text:
        raise InputError(path, "looks like a binary file, not a text draft (it holds NUL characters)")
    return text


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text in a Latin script has a zero byte in every other position."""
    if len(data) < 4 or len(data) % 2:
        return None
    head = data[:4000]
    even, odd = head[0::2], head[1::2]
    zeros_even, zeros_odd = even.count(0), odd.count(0)
    if zeros_odd >= 0.6 * len(odd) and zeros_even == 0:
        return "utf-16-le"
    if zeros_even >= 0.6 * len(even) and zeros_odd == 0:
        return "utf-16-be"
    return None


def kind_of(path: str) -> str:
    suffix = Path(path).suffix.lower()
    if suffix == ".eml":
        return "eml"
    if suffix in (".md", ".markdown"):
        return "markdown"
    if suffix in (".html", ".htm"):
        return "html"
    return "text"


def draft_from_text(text: str, path: str, kind: str | None = None) -> Draft:
    """Parse decoded text as a draft of the given kind (by the file name when not given)."""
    if len(text) > MAX_CHARS:
        raise InputError(path, f"is {len(text):,} characters long; a draft can have at most {MAX_CHARS:,} "
                               "(the language model's limit), whatever --max-file-size allows")
    kind = kind or kind_of(path)
    if kind == "eml" or (kind == "text" and _looks_like_message(text)):
        return draft_from_message(text, path)
    return parse_draft(text, path, markup=kind if kind in ("markdown", "html") else "text")


def _looks_like_message(text: str) -> bool:
    """An RFC 822 message piped in by a mail client (headers incl. MIME or From/To/Date)."""
    head = text[:4000].lower()
    return ("\nmime-version:" in "\n" + head or "\ncontent-type:" in "\n" + head) and (
        "\nfrom:" in "\n" + head or "\nsubject:" in "\n" + head)


def draft_from_bytes(data: bytes, path: str) -> tuple[Draft, Decoded]:
    """Decode and parse the bytes of one draft (a guessed encoding becomes a note)."""
    decoded = decode(data, path)
    draft = draft_from_text(decoded.text, path)
    if decoded.note:
        draft.notes.append(decoded.note)
    return draft, decoded


def parse_size(value: str | int) -> int:
    """A size such as ``2000000``, ``500k``, ``5MB`` or ``1.5 MiB`` -> bytes (ValueError if it is not one)."""
    if isinstance(value, int):
        return value
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kmg]?)(i?)b?\s*", str(value), re.I)
    if not m:
        raise ValueError(f"{value!r} is not a size (try 2000000, 500k or 5MB)")
    number, unit, binary = float(m.group(1)), m.group(2).lower(), bool(m.group(3))
    factor = (1024 if binary else 1000) ** " kmg".index(unit or " ")
    size = int(number * factor)
    if size < 1:
        raise ValueError(f"{value!r} is too small for a draft")
    return size


def human_size(n: int) -> str:
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f} MB"
    if n >= 1_000:
        return f"{n / 1_000:.1f} kB"
    return f"{n} bytes"


def _too_big(path: str, size: str, max_bytes: int) -> InputError:
    return InputError(path, f"is {size}, over the {human_size(max_bytes)} limit for a draft "
                            "(a follow-up email is a few kB); raise the limit with --max-file-size if it "
                            "really is a draft")


def read_bytes(path: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The raw bytes of one draft file; an unreadable or oversized file raises :class:`InputError`."""
    try:
        st = os.stat(path)
        if stat.S_ISDIR(st.st_mode):
            raise InputError(path, "is a directory")
        if stat.S_ISREG(st.st_mode) and st.st_size > max_bytes:
            raise _too_big(path, human_size(st.st_size), max_bytes)
        with open(path, "rb") as fh:
            # Read one byte past the limit: pipes and devices have no size to check first.
            data = fh.read(max_bytes + 1)
    except InputError:
        raise
    except IsADirectoryError:
        raise InputError(path, "is a directory") from None
    except FileNotFoundError:
        if os.path.islink(path):
            raise InputError(path, f"is a broken symbolic link (it points to {os.readlink(path)}, "
                                   "which does not exist)") from None
        raise InputError(path, "does not exist") from None
    except PermissionError:
        raise InputError(path, "cannot be read (permission denied)") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise InputError(path, "is a symbolic link that leads in a loop (it never reaches a file)") from None
        raise InputError(path, f"cannot be read ({exc.strerror or exc})") from None
    if len(data) > max_bytes:
        raise _too_big(path, "more than " + human_size(max_bytes), max_bytes)
    return data


def read_draft(path: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[Draft, Decoded]:
    """Read one draft file; an unreadable or undecodable file raises :class:`InputError`."""
    return draft_from_bytes(read_bytes(path, max_bytes=max_bytes), path)


def check_size(data: bytes, name: str, max_bytes: int) -> bytes:
    """``data``, unless it is over the size limit for a draft (an InputError naming ``name``)."""
    if len(data) > max_bytes:
        raise _too_big(name, "more than " + human_size(max_bytes), max_bytes)
    return data


def read_stream(stream, name: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The bytes of a draft from a stream (stdin), read no further than one byte past the limit."""
    data = stream.read(max_bytes + 1)
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogateescape")
    return check_size(data, name, max_bytes)


def read_stdin(stream, name: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Draft:
    return draft_from_bytes(read_stream(stream, name, max_bytes=max_bytes), name)[0]


_NOT_REGULAR = ((stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket"),
                (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"))


def _special_kind(path: str) -> str | None:
    """'a named pipe', 'a socket', 'a device' (reading those could block), else None."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None  # a broken link or a loop: reading it says so
    for test, what in _NOT_REGULAR:
        if test(mode):
            return what
    return None


def discover(paths: list[str]) -> tuple[list[str], list[InputError]]:
    """Expand directories (recursively, sorted) into draft files; report what cannot be found.

    In a directory only files with a draft suffix count; named pipes, sockets
    and devices there are reported, not opened.  Symbolic links to
    directories are not followed (no loops); links to files are read.
    """
    files: list[str] = []
    errors: list[InputError] = []
    seen: set[str] = set()
    for p in paths:
        if p == "-":
            files.append(p)
            continue
        if p in seen:
            continue
        if os.path.isdir(p):
            found = []
            others: list[str] = []
            for root, dirs, names in os.walk(p, followlinks=False):
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in ("node_modules", "__pycache__"))
                for n in sorted(names):
                    full = os.path.join(root, n)
                    if n.lower().endswith(DRAFT_SUFFIXES) and not n.startswith("."):
                        special = _special_kind(full)
                        if special:
                            seen.add(full)
                            errors.append(InputError(full, f"is {special}, not a file; skipped"))
                        else:
                            found.append(full)
                    elif not n.startswith("."):
                        others.append(n)
            if not found and not any(e.path.startswith(os.path.join(p, "")) for e in errors):
                held = f"; it holds {len(others)} other file{'s' if len(others) != 1 else ''} such as " \
                       f"{others[0]}" if others else ""
                errors.append(InputError(p, f"is a directory with no drafts (.txt, .md, .eml, .html){held}"))
            for f in found:
                if f not in seen:
                    seen.add(f)
                    files.append(f)
        elif os.path.lexists(p) and not os.path.exists(p):
            try:
                os.stat(p)
                reason = "is a broken symbolic link"
            except OSError as exc:
                reason = ("is a symbolic link that leads in a loop (it never reaches a file)"
                          if exc.errno == errno.ELOOP else
                          f"is a broken symbolic link (it points to {os.readlink(p)}, which does not exist)")
            seen.add(p)
            errors.append(InputError(p, reason))
        elif not os.path.exists(p):
            errors.append(InputError(p, "does not exist"))
        elif p not in seen:
            seen.add(p)
            files.append(p)
    return files, errors


__all__ = ["Decoded", "check_size", "decode", "discover", "draft_from_text", "draft_from_bytes", "human_size", "parse_size",
           "read_bytes", "read_draft", "read_stdin", "read_stream", "kind_of", "Span"]
