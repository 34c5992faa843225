"""Reading drafts: files, directories and stdin -> decoded text -> :class:`Draft`.

The only module that touches the file system for drafts.  Each file is read
once as bytes, decoded, and parsed by its kind (.txt, .md, .eml, .html).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .document import Draft, Span, parse_draft
from .errors import InputError

DRAFT_SUFFIXES = (".txt", ".md", ".markdown", ".eml", ".html", ".htm", ".j2", ".jinja", ".tmpl")
DEFAULT_MAX_BYTES = 1_000_000


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    note: str | None = None  # said to the user when the encoding was a guess


def decode(data: bytes, path: str) -> Decoded:
    """Bytes -> text: a BOM wins, then UTF-8, then cp1252 (said aloud, never silent)."""
    if b"\x00" in data[:8000] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(path, "looks like a binary file, not a text draft")
    if data.startswith(b"\xef\xbb\xbf"):
        return Decoded(data[3:].decode("utf-8", errors="strict"), "utf-8-sig")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return Decoded(data.decode("utf-16"), "utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(path, f"has a UTF-16 byte-order mark but is not valid UTF-16 ({exc.reason})") from None
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    text = data.decode("cp1252", errors="replace")
    if "\ufffd" in text:
        text = data.decode("latin-1")
        return Decoded(text, "latin-1", "not valid UTF-8; read as Latin-1")
    return Decoded(text, "cp1252", "not valid UTF-8; read as Windows-1252 (cp1252)")


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
    kind = kind or kind_of(path)
    if kind == "eml" or (kind == "text" and _looks_like_message(text)):
        from .eml import draft_from_message

        return draft_from_message(text, path)
    return parse_draft(text, path, markup=kind if kind in ("markdown", "html") else "text")


def _looks_like_message(text: str) -> bool:
    """An RFC 822 message piped in by a mail client (headers incl. MIME or From/To/Date)."""
    head = text[:4000].lower()
    return ("\nmime-version:" in "\n" + head or "\ncontent-type:" in "\n" + head) and (
        "\nfrom:" in "\n" + head or "\nsubject:" in "\n" + head)


def read_draft(path: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[Draft, Decoded]:
    """Read one draft file; an unreadable or undecodable file raises :class:`InputError`."""
    try:
        size = os.path.getsize(path)
        if size > max_bytes:
            raise InputError(path, f"is {size:,} bytes, over the {max_bytes:,}-byte limit for a draft "
                                   "(raise it with --max-file-size)")
        with open(path, "rb") as fh:
            data = fh.read()
    except InputError:
        raise
    except IsADirectoryError:
        raise InputError(path, "is a directory") from None
    except FileNotFoundError:
        raise InputError(path, "does not exist") from None
    except PermissionError:
        raise InputError(path, "cannot be read (permission denied)") from None
    except OSError as exc:
        raise InputError(path, f"cannot be read ({exc.strerror or exc})") from None
    decoded = decode(data, path)
    draft = draft_from_text(decoded.text, path)
    if decoded.note:
        draft.notes.append(decoded.note)
    return draft, decoded


def read_stdin(stream, name: str) -> Draft:
    data = stream.read()
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogateescape")
    decoded = decode(data, name)
    draft = draft_from_text(decoded.text, name)
    if decoded.note:
        draft.notes.append(decoded.note)
    return draft


def discover(paths: list[str]) -> tuple[list[str], list[InputError]]:
    """Expand directories (recursively, sorted) into draft files; report what cannot be found."""
    files: list[str] = []
    errors: list[InputError] = []
    seen: set[str] = set()
    for p in paths:
        if p == "-":
            files.append(p)
            continue
        if os.path.isdir(p):
            found = []
            for root, dirs, names in os.walk(p, followlinks=False):
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in ("node_modules", "__pycache__"))
                for n in sorted(names):
                    if n.lower().endswith(DRAFT_SUFFIXES) and not n.startswith("."):
                        found.append(os.path.join(root, n))
            if not found:
                errors.append(InputError(p, "is a directory with no drafts (.txt, .md, .eml, .html)"))
            for f in found:
                if f not in seen:
                    seen.add(f)
                    files.append(f)
        elif os.path.lexists(p) and not os.path.exists(p):
            errors.append(InputError(p, "is a broken symbolic link"))
        elif not os.path.exists(p):
            errors.append(InputError(p, "does not exist"))
        elif p not in seen:
            seen.add(p)
            files.append(p)
    return files, errors


__all__ = ["Decoded", "decode", "discover", "draft_from_text", "read_draft", "read_stdin", "kind_of", "Span"]
