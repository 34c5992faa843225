"""metric: a measure of each scope item (words, sentences, readability, ...) kept within a min and/or max."""
from __future__ import annotations

from ..document import Span, iter_words
from ..model import Hit
from .base import Check

METRICS = ("words", "sentences", "paragraphs", "words_per_sentence", "exclamations",
           "questions", "readability", "characters")


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
            import textstat  # slow to import: only when a readability rule runs

            return round(textstat.flesch_reading_ease(analysis.slice(item)), 1)
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
        """Where to point: past a word limit, the first word over it; otherwise the item itself."""
        if over and self.metric == "words" and self.max is not None:
            words = list(iter_words(analysis.text, item))
            if len(words) > self.max:
                return Span(words[self.max].start, item.end)
        if self.rule.scope == "sentence":
            return item
        return analysis.first_line(item)


def _num(value: float):
    return int(value) if float(value).is_integer() else value


CHECK = Metric
