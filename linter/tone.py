"""Tone: VADER's sentiment analyser, loaded once and shared by the sentiment check and the move model.

VADER is a lexicon and rule set tuned for short, informal text: it weighs
negation ("not great"), intensifiers ("really"), capitals and exclamation
marks, which is how a tense email goes wrong.  It needs no model download.
"""
from __future__ import annotations

_ANALYZER = None


def analyzer():
    global _ANALYZER
    if _ANALYZER is None:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        _ANALYZER = SentimentIntensityAnalyzer()
    return _ANALYZER


def compound(text: str) -> float:
    return analyzer().polarity_scores(text)["compound"]
