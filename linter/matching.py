"""Match specs: the one place a rule's phrases, regexes, lemmas and spaCy patterns become spans.

A *match spec* is a mapping in a rule file with any of these keys:

``phrases``     literal phrases, case-insensitive, flexible about white space and apostrophes
``regex``       regular expressions (case-insensitive; run with a time budget)
``lemmas``      lemma sequences such as ``"blame"`` or ``"be unfair"`` (needs the tagger)
``patterns``    spaCy ``Matcher`` token patterns, exactly as spaCy documents them
``dependency``  spaCy ``DependencyMatcher`` patterns, exactly as spaCy documents them

Any key matching counts as a match.  Phrases and regexes run on the lint
view and need no spaCy at all.
"""
from __future__ import annotations

import bisect
import os
import re
import time
from typing import Any, Iterable

import regex as regex_lib

from .document import Span
from .errors import RuleError
from .loader import builtin_rules_dir, field_line
from .nlp import PIECES

REGEX_TIMEOUT = 0.5  # seconds of regex matching per rule per draft: a hostile pattern cannot hang a run
REGEX_TIMEOUT_CHARS = 10_000  # ... per this many characters of a longer draft, so the budget grows with the text


def regex_budget(length: int) -> float:
    """Seconds of regex matching one rule may spend on a draft of ``length`` characters."""
    return REGEX_TIMEOUT * max(1.0, length / REGEX_TIMEOUT_CHARS)

_ATTR_FEATURE = {
    "LEMMA": "tags", "POS": "tags", "TAG": "tags", "MORPH": "tags",
    "DEP": "deps", "HEAD": "deps", "ENT_TYPE": "ents", "ENT_IOB": "ents", "ENT_ID": "ents",
    "IS_SENT_START": "sents", "SENT_START": "sents",
}


def phrase_regex(phrases: Iterable[str]) -> str:
    """One regex for many phrases: whole words, any white space, either apostrophe."""
    parts = []
    for p in sorted(set(phrases), key=len, reverse=True):
        words = p.split()
        esc = r"\s+".join(re.escape(w) for w in words)
        parts.append(re.sub("['’]", "['’]", esc))
    return r"(?<![\w'’])(?:" + "|".join(parts) + r")(?![\w'’])"


class MatchSpec:
    """A compiled match spec.  Regexes compile now; spaCy matchers once a vocab is known."""

    KEYS = ("phrases", "regex", "lemmas", "patterns", "dependency")

    def __init__(self, spec: dict[str, Any], *, path: str = "", rule: str = "", field: str = ""):
        self.spec = spec
        self.where = dict(path=path, rule=rule)
        self.field = field
        self._regexes: list[Any] = []
        self._regex_fields: list[str] = []  # which field each compiled regex came from, for errors
        if spec.get("phrases"):
            # Literal alternations cannot backtrack badly, so the stdlib compiles them (about half the
            # cost of the regex module's pure-Python compiler, paid on every cold start).
            self._regexes.append(re.compile(phrase_regex(spec["phrases"]), re.I))
            self._regex_fields.append("phrases")
        for i, pattern in enumerate(spec.get("regex") or ()):
            try:
                self._regexes.append(regex_lib.compile(pattern, regex_lib.I | regex_lib.V0))
                self._regex_fields.append(f"regex[{i}]")
            except regex_lib.error as exc:
                raise self._error(f"invalid regular expression {pattern!r}: {exc}", f"regex[{i}]") from None
        needs: set[str] = set()
        if spec.get("lemmas"):
            needs.add("tags")
        for pattern in spec.get("patterns") or ():
            needs.add("tokens")
            for tok in pattern:
                needs |= _needs_of(tok)
        for pattern in spec.get("dependency") or ():
            needs.add("deps")
            for node in pattern:
                needs |= _needs_of(node.get("RIGHT_ATTRS") or {})
        self.needs = frozenset(needs)
        self._matcher = None
        self._dep_matcher = None
        self._token_anchors = None  # see _anchors: the words a pattern needs, to skip hopeless matchers
        self._content_key = ("token-matches", repr([spec.get(k) for k in ("lemmas", "patterns", "dependency")]))
        self._dep_anchors = None

    def __bool__(self) -> bool:
        return any(self.spec.get(k) for k in self.KEYS)

    def prepare(self, vocab) -> None:
        """Build the spaCy matchers; a malformed pattern is a RuleError naming the field."""
        if self._matcher is not None or self._dep_matcher is not None:
            return
        lemmas = list(self.spec.get("lemmas") or ())
        token_patterns = [[{"LEMMA": w} for w in lemma.split()] for lemma in lemmas]
        token_patterns += list(self.spec.get("patterns") or ())
        if token_patterns:
            from spacy.matcher import Matcher

            matcher = Matcher(vocab, validate=True)
            for i, pattern in enumerate(token_patterns):
                try:
                    matcher.add(f"p{i}", [pattern])
                except (ValueError, KeyError, TypeError, AttributeError) as exc:
                    field = f"lemmas[{i}]" if i < len(lemmas) else f"patterns[{i - len(lemmas)}]"
                    raise self._error(f"malformed spaCy pattern: {_pattern_problem(exc)}", field) from None
            self._matcher = matcher
            self._token_anchors = _anchors(token_patterns)
        if self.spec.get("dependency"):
            from spacy.matcher import DependencyMatcher

            dep_matcher = DependencyMatcher(vocab, validate=True)
            for i, pattern in enumerate(self.spec["dependency"]):
                try:
                    dep_matcher.add(f"d{i}", [pattern])
                except (ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
                    raise self._error(f"malformed dependency pattern: {_pattern_problem(exc)}",
                                      f"dependency[{i}]") from None
            self._dep_matcher = dep_matcher
            self._dep_anchors = _anchors([[node.get("RIGHT_ATTRS") or {} for node in pattern]
                                          for pattern in self.spec["dependency"]])

    def _error(self, message: str, field: str) -> RuleError:
        """A RuleError naming the rule file, its line, the rule and the field."""
        full = f"{self.field}{field}"
        return RuleError(self.where["path"], message, rule=self.where["rule"], field=full,
                         line=field_line(self.where["path"], full))

    def find(self, analysis, span: Span) -> list[Span]:
        """Every match inside ``span``, in document order, overlapping matches merged."""
        out: list[Span] = []
        text = analysis.text
        budget = ("regex seconds", self.where["rule"])  # shared by the rule's specs, for this draft
        limit = regex_budget(len(text))
        for rx, field in zip(self._regexes, self._regex_fields):
            used = analysis.cache.get(budget, 0.0)
            started = time.perf_counter()
            try:
                timed = {} if isinstance(rx, re.Pattern) else {"timeout": max(limit - used, 0.001)}
                for m in rx.finditer(text, span.start, span.end, **timed):
                    if m.end() > m.start():
                        out.append(Span(m.start(), m.end()))
            except TimeoutError:
                raise self._timeout(analysis, limit, field) from None
            finally:
                analysis.cache[budget] = used + time.perf_counter() - started
        if analysis.doc is not None and (self._matcher is not None or self._dep_matcher is not None):
            found, starts = self._token_matches(analysis)
            i = bisect.bisect_left(starts, span.start)
            while i < len(found) and found[i].start < span.end:
                if found[i].end <= span.end:
                    out.append(found[i])
                i += 1
        return _merge(out)

    def _timeout(self, analysis, limit: float, field: str) -> RuleError:
        """The error for a rule whose regular expressions ran out of time: for its author, or to report."""
        size = f" ({len(analysis.text):,} characters)" if limit > REGEX_TIMEOUT else ""  # a long draft's larger budget
        what = (f"its regular expressions took longer than {limit:.1f}s on {analysis.draft.path}{size} "
                "and were stopped, so this rule was skipped for that draft")
        if _is_builtin(self.where["path"]):
            return self._error(f"{what}; this should not happen with a built-in rule: please report it, "
                               "with the draft if you can share it", field)
        return self._error(f"{what} (simplify nested repeats such as (a+)+)", field)

    def _token_matches(self, analysis) -> tuple[list[Span], list[int]]:
        """Every match of the spaCy matchers in the draft, sorted, and their starts (for bisecting).

        The matchers run on each piece of the Doc (see :func:`~.nlp.chunks`;
        one piece for a draft of ordinary length), and only on a piece that
        has the words a pattern needs, so a long draft costs what as many
        short ones would.
        """
        # keyed by content: rules that share a move (the same patterns) share one matcher run per draft
        key = self._content_key
        cached = analysis.cache.get(key)
        if cached is not None:
            return cached
        doc = analysis.doc
        found: list[Span] = []
        for n, (offset, piece) in enumerate(_pieces(analysis)):
            words = _doc_words(analysis, n, piece)
            if self._matcher is not None and _may_match(self._token_anchors, words):
                for _, start, end in self._matcher(piece):
                    first, last = doc[offset + start], doc[offset + end - 1]
                    found.append(Span(first.idx, last.idx + len(last)))
            if self._dep_matcher is not None and _may_match(self._dep_anchors, words):
                for _, token_ids in self._dep_matcher(piece):
                    toks = [doc[offset + i] for i in token_ids]
                    found.append(Span(min(t.idx for t in toks), max(t.idx + len(t) for t in toks)))
        found.sort()
        analysis.cache[key] = result = (found, [s.start for s in found])
        return result


# -- skipping matchers that cannot match ---------------------------------------------------
# Running a spaCy Matcher costs time for every token and every pattern, whatever the
# outcome.  Most patterns name the words they need ({LEMMA: {IN: [rush, confuse]}}); when a
# draft has none of a pattern's required words, the pattern cannot match and the matcher
# need not run.  The test is exact: forms are compared lower-cased, a superset of every
# attribute below, so it only ever skips matchers that would have found nothing.

_WORD_ATTRS = ("LOWER", "LEMMA", "ORTH", "TEXT", "NORM")
_OPTIONAL_OPS = ("?", "*", "!")


def _token_anchor(token: dict) -> frozenset[str] | None:
    """The lower-cased forms one of which a required pattern token must have (None: any token)."""
    op = str(token.get("OP", "1"))
    if op in _OPTIONAL_OPS or op.startswith(("{0", "{,")):
        return None
    best = None
    for key, value in token.items():
        if str(key).upper() not in _WORD_ATTRS:
            continue
        if isinstance(value, str):
            forms = frozenset([value.lower()])
        elif isinstance(value, dict) and set(value) == {"IN"} and isinstance(value["IN"], list):
            forms = frozenset(str(v).lower() for v in value["IN"])
        else:
            continue
        if best is None or len(forms) < len(best):
            best = forms
    return best


def _anchors(patterns: list[list[dict]]) -> list[list[frozenset[str]]] | None:
    """Per pattern, the anchors all of which must occur; None when some pattern names no word."""
    out = []
    for pattern in patterns:
        anchors = [a for a in (_token_anchor(t) for t in pattern if isinstance(t, dict)) if a is not None]
        if not anchors:
            return None
        out.append(anchors)
    return out


def _may_match(anchors: list[list[frozenset[str]]] | None, words: frozenset[str]) -> bool:
    return anchors is None or any(all(not a.isdisjoint(words) for a in pattern) for pattern in anchors)


def _pieces(analysis) -> list[tuple[int, Any]]:
    """``(first token's index, Doc)`` for the Doc of a draft of ordinary length, or for each piece of a long one.

    A long draft was parsed in pieces (:func:`~.nlp.chunks`); their Docs are
    kept, since a DependencyMatcher copies a whole Doc to match inside a Span.
    """
    pieces = analysis.cache.get("doc-pieces")
    if pieces is None:
        pieces, at = [], 0
        for piece in analysis.doc.user_data.get(PIECES) or [analysis.doc]:
            pieces.append((at, piece))
            at += len(piece)
        analysis.cache["doc-pieces"] = pieces
    return pieces


def _doc_words(analysis, n: int = 0, piece=None) -> frozenset[str]:
    """Every lower-cased form (text, lemma, norm) in one piece of the draft's Doc, computed once per draft."""
    words = analysis.cache.get(("doc-words", n))
    if words is None:
        forms = set()
        for t in (analysis.doc if piece is None else piece):
            forms.add(t.lower_)
            forms.add(t.lemma_.lower())
            forms.add(t.norm_.lower())
        words = analysis.cache[("doc-words", n)] = frozenset(forms)
    return words


def _is_builtin(path: str) -> bool:
    try:
        return bool(path) and os.path.dirname(os.path.abspath(path)) == os.path.abspath(builtin_rules_dir())
    except (OSError, TypeError):
        return False


def _needs_of(token_spec: dict) -> set[str]:
    needs = {"tokens"}
    for attr in token_spec:
        feature = _ATTR_FEATURE.get(str(attr).upper())
        if feature:
            needs.add(feature)
    return needs


def _merge(spans: list[Span]) -> list[Span]:
    spans.sort()
    out: list[Span] = []
    for s in spans:
        if out and s.start < out[-1].end:
            out[-1] = Span(out[-1].start, max(out[-1].end, s.end))
        else:
            out.append(s)
    return out


def _pattern_problem(exc: Exception) -> str:
    """spaCy's validation message, without its internal type names: 'token 0, LOWRE: extra inputs are not permitted'."""
    found = re.findall(r"^- \[pattern -> (\d+) -> (.*?)\] ([A-Z].*)$", str(exc), re.M)
    if not found:
        return _first_line(exc)
    out = []
    for token, where, problem in found[:2]:
        keys = [k for k in where.split(" -> ")
                if not re.match(r"^(?:[A-Z][a-z]+[A-Za-z]*|[a-z-]+\[.*\]|constrained-str|str|int|\d+)$", k)]
        keys = keys or where.split(" -> ")[:1]
        out.append(f"token {token}, {' -> '.join(keys)}: {problem[:1].lower()}{problem[1:]}")
    return "; ".join(out)


def _first_line(exc: Exception) -> str:
    lines = [ln.strip() for ln in str(exc).splitlines() if ln.strip()]
    return " ".join(lines[:3])[:300]
