"""metric: a measure of each scope item (words, sentences, readability, ...) kept within a min and/or max."""
from __future__ import annotations

from ..document import Span, iter_words
from ..model import Hit
from .base import Check


class Metric(Check):
    kind = "metric"

    def __init__(self, rule):
        super().__init__(rule)
        self.metric = rule.options["metric"]
        self.min = rule.options.get("min")
        self.max = rule.options.get("max")

    def extra_needs(self):
        return frozenset({"sents"}) if self.metric in ("sentences", "words_per_sentence", "readability") else frozenset()

    def measure(self, analysis, item: Span) -> float:
        text = analysis.text
        m = self.metric
        if m == "words":
            return sum(1 for _ in iter_words(text, item))
        if m == "characters":
            return len(item)
        if m == "exclamations":
            return text.count("!", item.start, item.end)
        if m == "questions":
            return text.count("?", item.start, item.end)
        if m == "paragraphs":
            return sum(1 for p in analysis.draft.paragraphs if item.contains(p))
        sentences = [s for s in analysis.sentences() if item.contains(s)]
        if m == "sentences":
            return len(sentences)
        if m == "words_per_sentence":
            words = sum(1 for _ in iter_words(text, item))
            return round(words / max(1, len(sentences)), 1)
        if m == "readability":
            words = [text[w.start:w.end] for w in iter_words(text, item)]
            return round(flesch_reading_ease(words, max(1, len(sentences))), 1)
        raise ValueError(m)

    def run(self, analysis, items):
        for item in items:
            value = self.measure(analysis, item)
            over = self.max is not None and value > self.max
            under = self.min is not None and value < self.min
            if not (over or under):
                continue
            at = self.place(analysis, item, over)
            yield Hit(at.start, at.end, {"match": analysis.quote(at), "value": _num(value),
                                          "min": self.min, "max": self.max, "metric": self.metric})

    def place(self, analysis, item: Span, over: bool) -> Span:
        """Where to point: a sentence itself; past a word limit, the first word over it; else the item's first line."""
        if self.rule.scope == "sentence":
            return item
        if over and self.metric == "words" and self.max is not None:
            words = list(iter_words(analysis.text, item))
            if len(words) > self.max:
                return Span(words[self.max].start, item.end)
        return analysis.first_line(item)


_HYPHENATOR = None


def syllables(word: str) -> int:
    """Syllables in an English word, from pyphen's hyphenation dictionary (shipped, no download)."""
    global _HYPHENATOR
    if _HYPHENATOR is None:
        import pyphen

        _HYPHENATOR = pyphen.Pyphen(lang="en_US")
    return len(_HYPHENATOR.positions(word.lower())) + 1


def flesch_reading_ease(words: list[str], sentences: int) -> float:
    """Flesch reading ease: about 60-70 is plain English; below 30 is hard going."""
    if not words:
        return 100.0
    syl = sum(syllables(w) for w in words)
    return 206.835 - 1.015 * (len(words) / sentences) - 84.6 * (syl / len(words))


def _num(value: float):
    return int(value) if float(value).is_integer() else value


CHECK = Metric
