"""Scopes: the parts of a draft a rule looks at, and the Analysis checks read from.

An :class:`Analysis` is one draft plus (when the rules need it) its spaCy
Doc.  Checks ask it for the items of a scope (character spans) and for the
tokens inside a span; it caches what several rules share.
"""
from __future__ import annotations

import bisect
import unicodedata
from typing import Any

from .document import Draft, Span, trim


class Analysis:
    """A draft with its annotation, as every check sees it."""

    def __init__(self, draft: Draft, doc: Any = None, context: dict | None = None):
        self.draft = draft
        self.doc = doc
        self.context = context or {}
        self.cache: dict[Any, Any] = {}
        self.evidence: list[dict] = []  # what model checks saw: each move's best sentence and its score
        self._sentences: list[Span] | None = None

    @property
    def text(self) -> str:
        return self.draft.text

    # -- scopes -----------------------------------------------------------------

    def items(self, scope: str) -> list[Span]:
        """The spans a rule with this scope runs over, in document order (may be empty)."""
        d = self.draft
        if scope == "document":
            c = d.content
            return [c] if c else []
        if scope == "subject":
            return [d.subject] if d.subject else []
        if scope == "greeting":
            return [d.greeting] if d.greeting else []
        if scope == "body":
            b = d.body
            return [b] if b else []
        if scope == "paragraph":
            return list(d.paragraphs)
        if scope == "first_paragraph":
            return d.paragraphs[:1]
        if scope == "last_paragraph":
            return d.paragraphs[-1:]
        if scope == "closing":
            return [d.closing] if d.closing else []
        if scope == "sentence":
            return self.sentences()
        raise ValueError(f"unknown scope {scope!r}")

    def sentences(self) -> list[Span]:
        """Sentences of the body paragraphs (the greeting and closing are not sentences of the letter)."""
        if self._sentences is None:
            out: list[Span] = []
            paragraphs = self.draft.paragraphs
            if self.doc is not None and self.doc.has_annotation("SENT_START"):
                starts = [p.start for p in paragraphs]  # paragraphs are in order and apart: bisect, not scan
                for sent in self.doc.sents:
                    s, e = trim(self.text, sent.start_char, sent.end_char)
                    i = bisect.bisect_right(starts, s) - 1
                    if s < e and i >= 0 and paragraphs[i].contains(Span(s, e)):
                        out.append(Span(s, e))
            else:
                out = [p for p in paragraphs]
            self._sentences = out
        return self._sentences

    def sentence_of(self, start: int) -> Span | None:
        """The sentence (or, failing that, the paragraph or part) holding offset ``start``."""
        sentences = self.sentences()
        if "sentence starts" not in self.cache:
            self.cache["sentence starts"] = [s.start for s in sentences]
        i = bisect.bisect_right(self.cache["sentence starts"], start) - 1
        if i >= 0 and sentences[i].start <= start < sentences[i].end:
            return sentences[i]
        for p in self.draft.segments():
            if p.start <= start < p.end:
                return p
        return None

    # -- tokens -------------------------------------------------------------------

    def tokens(self, span: Span) -> list:
        """spaCy tokens inside ``span`` (no whitespace tokens)."""
        if self.doc is None:
            return []
        sp = self.doc.char_span(span.start, span.end, alignment_mode="expand")
        if sp is None:
            return []
        return [t for t in sp if not t.is_space]

    def slice(self, span: Span) -> str:
        return self.text[span.start:span.end]

    def quote(self, span: Span, limit: int = 80) -> str:
        """The source text of ``span`` on one line, shortened for a message."""
        text = " ".join(self.draft.source[span.start:span.end].split())
        text = "".join("?" if unicodedata.category(c) == "Cc" else c for c in text)  # no raw escape codes
        return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"

    def first_sentence(self, span: Span) -> Span:
        """The first sentence inside ``span`` (else its first line): where a missing move is pointed at."""
        line = self.first_line(span)
        for s in self.sentences():
            if span.contains(s):
                return s if len(s) < len(line) else line
        return line

    def first_line(self, span: Span) -> Span:
        """The first line of ``span``, trimmed: where a finding about a whole part points."""
        lines = self.draft.lines(span)
        return lines[0] if lines else span

