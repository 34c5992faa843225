"""The move model: which moves of a follow-up note each sentence makes, with a score from 0 to 1.

    sentence text -> WordPiece pieces -> mean of static piece vectors (256 numbers)
                  + the sentence's word n-grams + where it sits in the body
                  + its tone (VADER) and how much of it is about "you" and "me"
                  -> one logistic head per move -> scores

The static vectors were distilled (model2vec) from all-MiniLM-L6-v2; the heads
were trained on our sentence-labelled corpus (``tests/LABELLING.md``) by
``python -m bench.train_moves``.  Everything needed is in ``data/``, listed with
its SHA-256 in ``data/manifest.json``; a file whose hash does not match is
refused.  Only numpy runs here: no torch, no tokenizer library, no download.

The model judges sentences; rules decide what to report (``kind: move``), and
thresholds are rule data that a config's ``options`` may override.
"""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from pathlib import Path
from typing import Sequence

from ..errors import ModelError

DATA = Path(__file__).resolve().parent / "data"

MOVES = (
    "disconnect", "responsibility", "better",
    "blame-reader", "blame-process", "blame-circumstance", "hostility",
    "entitlement", "pressure",
    "interest", "values", "praise", "flattery",
    "ask", "wish", "self-punishment", "apology",
)

# Heads trained on the union of several labels: blame of any kind, which a rule may use as one move.
GROUPS = {"blame": ("blame-reader", "blame-process", "blame-circumstance", "hostility"),
          "demand": ("entitlement", "pressure")}
OUTPUTS = MOVES + tuple(GROUPS)

# The embedding's weight beside the n-gram and position features (a unit vector's parts are small).
EMBED_SCALE = 4.0

# What a move is called in messages and the checklist.
MOVE_NAMES = {
    "disconnect": "acknowledges the disconnect",
    "responsibility": "takes responsibility",
    "better": "says you can do better",
    "blame-reader": "blames the reader or interviewer",
    "blame-process": "blames the questions, format or process",
    "blame-circumstance": "gives circumstances or nerves as the excuse",
    "hostility": "is hostile toward the reader",
    "entitlement": "demands or acts owed",
    "pressure": "sets a deadline or applies pressure",
    "interest": "restates your interest",
    "values": "names the organisation's values or work",
    "praise": "generic praise",
    "flattery": "flattery",
    "ask": "asks for another chance",
    "wish": "wishes them well",
    "self-punishment": "runs yourself down",
    "apology": "apologises",
    "blame": "puts the blame elsewhere",
    "demand": "demands or presses",
}

_WORD = re.compile(r"[a-z0-9]+|[!?]")
_PIECE_SPLIT = re.compile(r"\w+|[^\w\s]", re.UNICODE)


def normalise(text: str) -> str:
    """Lower case, plain quotes, no accents: what both feature sets read."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").lower()
    text = unicodedata.normalize("NFD", text)
    return "".join(c for c in text if unicodedata.category(c) != "Mn")


def words(text: str) -> list[str]:
    """Words for the n-gram features; apostrophes dropped, so "don't" and "dont" are one word."""
    return _WORD.findall(normalise(text).replace("'", ""))


def ngrams(text: str) -> list[str]:
    w = ["<s>", *words(text), "</s>"]
    return w[1:-1] + [f"{a} {b}" for a, b in zip(w, w[1:])]


def position_features(index: int, count: int) -> list[float]:
    """Where the sentence sits among the body's sentences: first, last, and how far along."""
    return [1.0 if index == 0 else 0.0, 1.0 if index == count - 1 else 0.0,
            index / max(count - 1, 1)]


_YOU = frozenset("you your yours yourself yourselves u ur yall".split())
_ME = frozenset("i me my mine myself im ive id ill".split())


def lexical_features(text: str) -> list[float]:
    """Tone and stance beyond the words themselves: VADER's scores (negation and intensity aware), how much
    of the sentence is about "you" and about "me", questions, exclamations and length."""
    from ..tone import analyzer

    tone = analyzer().polarity_scores(" ".join(text.split()))
    w = words(text)
    n = max(len(w), 1)
    return [tone["neg"], tone["pos"], tone["compound"],
            sum(x in _YOU for x in w) / n, sum(x in _ME for x in w) / n,
            1.0 if "?" in text else 0.0, 1.0 if "!" in text else 0.0, min(len(w) / 40.0, 1.5)]


EXTRA = 3 + 8  # position + lexical features after the embedding


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


class WordPiece:
    """BERT's uncased WordPiece (greedy longest match, ``##`` continuations) over the distilled vocabulary."""

    def __init__(self, vocab: Sequence[str]):
        self.index = {piece: i for i, piece in enumerate(vocab)}
        self.unk = self.index.get("[UNK]")

    def pieces(self, text: str) -> list[int]:
        out: list[int] = []
        for word in _PIECE_SPLIT.findall(normalise(text)):
            if len(word) > 100:
                continue
            start, ids = 0, []
            while start < len(word):
                end, found = len(word), None
                while start < end:
                    piece = word[start:end] if start == 0 else "##" + word[start:end]
                    if piece in self.index:
                        found = self.index[piece]
                        break
                    end -= 1
                if found is None:
                    ids = [self.unk] if self.unk is not None else []
                    break
                ids.append(found)
                start = end
            out.extend(ids)
        return out


class Embedder:
    """Static piece vectors averaged over a sentence, unit length: the model's dense features."""

    def __init__(self, vectors, vocab: Sequence[str]):
        self.vectors = vectors
        self.wordpiece = WordPiece(vocab)

    @classmethod
    def load(cls, directory: Path = DATA) -> "Embedder":
        import numpy as np

        vocab = (Path(directory) / "vocab.txt").read_text(encoding="utf-8").split("\n")
        return cls(np.load(Path(directory) / "vectors.npy"), vocab)

    def embed(self, text: str):
        import numpy as np

        ids = self.wordpiece.pieces(text)
        if not ids:
            return np.zeros(self.vectors.shape[1], dtype=np.float32)
        v = self.vectors[ids].astype(np.float32).mean(axis=0)
        n = float(np.linalg.norm(v))
        return v * (EMBED_SCALE / n) if n else v

    def dense(self, sentences: Sequence[str], positions: Sequence[tuple[int, int]]):
        """(sentences x (dimensions + EXTRA)): the embedding, the position and the lexical features."""
        import numpy as np

        if not sentences:
            return np.zeros((0, self.vectors.shape[1] + EXTRA), dtype=np.float32)
        return np.stack([np.concatenate([self.embed(s), np.asarray(position_features(*p) + lexical_features(s),
                                                                   dtype=np.float32)])
                         for s, p in zip(sentences, positions)])


class MoveModel:
    """Logistic heads over the embedding and the n-grams; :func:`get_model` loads the shipped one once."""

    def __init__(self, embedder: Embedder, dense, sparse, bias, ngrams: Sequence[str], *,
                 moves: Sequence[str] = OUTPUTS, thresholds: dict | None = None, nearest: dict | None = None,
                 manifest: dict | None = None):
        self.embedder = embedder
        self.dense, self.sparse, self.bias = dense, sparse, bias     # (dims + 3, moves), (n-grams, moves), (moves,)
        self.ngram_index = {g: i for i, g in enumerate(ngrams)}
        self.moves = tuple(moves)
        self.thresholds = thresholds or {}
        self.nearest = nearest or {}
        self.manifest = manifest or {}

    @classmethod
    def load(cls, directory: Path = DATA) -> "MoveModel":
        """The model in ``directory``, refused unless every file matches the SHA-256 its manifest records."""
        import numpy as np

        directory = Path(directory)
        try:
            manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ModelError(str(directory / "manifest.json"), f"the move model's manifest cannot be read: {exc}") from None
        for name, info in manifest["files"].items():
            path = directory / name
            try:
                digest = sha256(path)
            except OSError as exc:
                raise ModelError(str(path), f"a file of the move model is missing: {exc.strerror}") from None
            if digest != info["sha256"]:
                raise ModelError(str(path), "the move model's file does not match its recorded SHA-256; "
                                            "reinstall followup-lint (refusing to load it)")
        heads = np.load(directory / "heads.npz")
        ngrams = json.loads((directory / "ngrams.json").read_text("utf-8"))
        return cls(Embedder.load(directory), heads["dense"].astype(np.float32), heads["sparse"].astype(np.float32),
                   heads["bias"].astype(np.float32), ngrams, moves=manifest["moves"],
                   thresholds=manifest.get("thresholds"), nearest=manifest.get("nearest"), manifest=manifest)

    def scores(self, sentences: Sequence[str], positions: Sequence[tuple[int, int]] | None = None):
        """An array (sentences x moves) of scores in [0, 1]."""
        import numpy as np

        if not sentences:
            return np.zeros((0, len(self.moves)), dtype=np.float32)
        positions = positions or [(i, len(sentences)) for i in range(len(sentences))]
        logits = self.embedder.dense(sentences, positions) @ self.dense + self.bias
        for row, s in enumerate(sentences):
            idx = [self.ngram_index[g] for g in set(ngrams(s)) if g in self.ngram_index]
            if idx:
                logits[row] += self.sparse[idx].sum(axis=0)
        return 1.0 / (1.0 + np.exp(-logits))

    def column(self, move: str) -> int:
        return self.moves.index(move)


def rule_moves(options) -> list[str]:
    """The moves a ``move`` rule judges (its ``move:``, one name or a list)."""
    moves = options.get("move") or ()
    return [moves] if isinstance(moves, str) else list(moves)


def stray_threshold(options, min_score=None) -> str | None:
    """A move that a per-move ``min-score`` names but the rule does not judge, if any."""
    own = options.get("min-score") if min_score is None else min_score
    if not isinstance(own, dict):
        return None
    stray = sorted(set(own) - set(rule_moves(options)))
    return stray[0] if stray else None


def threshold(options, move: str, model: "MoveModel") -> tuple[float, bool]:
    """The score at which a rule counts ``move`` as made, and whether the rule (or config) set it.

    ``min-score`` is one number for all the rule's moves, or a mapping from move to score; a move it does
    not name keeps the model's own threshold."""
    own = options.get("min-score")
    if isinstance(own, dict):
        own = own.get(move)
    if own is not None:
        return float(own), True
    return float(model.thresholds.get(move, 0.5)), False


def shown(score: float, limit: float | None = None) -> str:
    """``score`` with two decimals, or as many more (up to four) as it needs: to stay on its own side of
    ``limit`` (0.6998 under 0.70 reads "0.6998", never "0.70 does not"), or, for a threshold, to be exact
    (0.325 reads "0.325")."""
    for places in (2, 3, 4):
        text = f"{score:.{places}f}"
        if limit is None and float(text) == round(score, 4):
            return text
        if limit is not None and (float(text) >= limit) == (score >= limit):
            return text
    return text


def explain_lines(rule) -> list[str]:
    """What ``followup-lint explain`` adds for a ``move`` rule: its moves, thresholds, and the two corpus
    sentences just above and just below each threshold, from the ladder in the model's manifest."""
    model = get_model()
    moves = rule_moves(rule.options)
    report = {"each": "each sentence that makes it", "missing": "when no sentence of the body makes it",
              "last": "when the last sentence of the body makes it"}[rule.options["report"]]
    out = [f"Judged by the move model ({report}):"]
    for m in moves:
        limit, own = threshold(rule.options, m, model)
        source = "set by the rule or your config" if own else "the model's own"
        out.append(f"  {m} ({MOVE_NAMES.get(m, m)}): makes the move at a score of {shown(limit)} or more ({source})")
        ladder = model.nearest.get(m, [])
        above = sorted((e for e in ladder if e["score"] >= limit), key=lambda e: e["score"])[:2]
        below = sorted((e for e in ladder if e["score"] < limit), key=lambda e: -e["score"])[:2]
        for ex in sorted(above, key=lambda e: -e["score"]) + below:
            side = "makes it " if ex["score"] >= limit else "does not"
            out.append(f"    {shown(ex['score'], limit)} {side} “{ex['text']}”")
    if rule.options.get("target"):
        groups = [m for m in moves if m in GROUPS] or moves
        out.append(f"  reported only where the strongest kind of {', '.join(groups)} is {rule.options['target']}")
    if rule.options.get("anchors"):
        out.append("  its anchor patterns make the move whatever the score")
    return out


_MODEL: MoveModel | None = None


def get_model() -> MoveModel:
    global _MODEL
    if _MODEL is None:
        _MODEL = MoveModel.load()
    return _MODEL


__all__ = ["explain_lines", "GROUPS", "MOVES", "MOVE_NAMES", "OUTPUTS", "Embedder", "MoveModel", "get_model", "ngrams", "position_features", "words"]
