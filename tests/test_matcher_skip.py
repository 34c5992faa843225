"""Skipping a spaCy matcher when the draft lacks the words its patterns need never changes a result."""
from __future__ import annotations

import pytest

from followup_lint.document import Span
from followup_lint.matching import MatchSpec, _doc_words
from followup_lint.nlp import get_pipeline
from followup_lint.scopes import Analysis
from followup_lint.sources import draft_from_text

SPECS = [
    {"patterns": [[{"LOWER": {"IN": ["rushed", "hurried"]}}, {"LOWER": "me"}]]},
    {"patterns": [[{"LEMMA": "rush"}, {"POS": "ADV", "OP": "*"}, {"LOWER": {"IN": ["me", "us"]}}]]},
    {"patterns": [[{"NORM": "not"}, {"LEMMA": "prepare"}]]},  # "wasn't" has the norm "not"
    {"patterns": [[{"ORTH": "Friday"}]]},
    {"lemmas": ["be unfair"]},
    {"patterns": [[{"POS": "PROPN"}]]},  # names no word: always runs
    {"patterns": [[{"LOWER": "quite", "OP": "?"}, {"LOWER": "sorry"}]]},
    {"dependency": [[
        {"RIGHT_ID": "v", "RIGHT_ATTRS": {"LEMMA": {"IN": ["confuse", "rush"]}}},
        {"LEFT_ID": "v", "REL_OP": ">", "RIGHT_ID": "s", "RIGHT_ATTRS": {"DEP": "nsubj", "LOWER": "you"}},
    ]]},
]

TEXTS = [
    "Dear Sam,\n\nYou RUSHED Me through it. I wasn't prepared, and it was unfair.\n\nBest,\nLee\n",
    "Dear Sam,\n\nThe panel hurried us. I am sorry. See you on Friday.\n\nBest,\nLee\n",
    "Dear Sam,\n\nThank you for your time on friday.\n\nBest,\nLee\n",
    "Dear Sam,\n\nYou confused me, honestly, and I was not really prepared.\n\nBest,\nLee\n",
]


@pytest.fixture(scope="module")
def pipeline():
    return get_pipeline(None, {"tags", "deps", "sents"})


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: str(s)[:50])
def test_skipping_gives_what_spacy_alone_gives(pipeline, spec, monkeypatch):
    import followup_lint.matching as matching

    for text in TEXTS:
        draft = draft_from_text(text, "d.txt")
        doc = next(pipeline.annotate([draft]))[1]
        whole = Span(0, len(text))
        fast = MatchSpec(spec)
        fast.prepare(pipeline.vocab)
        with_skip = fast.find(Analysis(draft, doc), whole)
        monkeypatch.setattr(matching, "_may_match", lambda anchors, words: True)
        slow = MatchSpec(spec)
        slow.prepare(pipeline.vocab)
        without = slow.find(Analysis(draft, doc), whole)
        monkeypatch.undo()
        assert with_skip == without, text


def test_a_draft_without_the_words_skips_the_matcher(pipeline, monkeypatch):
    spec = MatchSpec(SPECS[0])
    spec.prepare(pipeline.vocab)
    calls = []
    real = spec._matcher
    spec._matcher = lambda doc: calls.append(doc) or real(doc)
    for text, expected_calls in ((TEXTS[2], 0), (TEXTS[0], 1)):
        draft = draft_from_text(text, "d.txt")
        analysis = Analysis(draft, next(pipeline.annotate([draft]))[1])
        found = spec.find(analysis, Span(0, len(text)))
        assert len(calls) == expected_calls
        assert "rushed" in _doc_words(analysis) or found == []
