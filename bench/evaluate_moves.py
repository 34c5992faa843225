"""Score the linter on sentence-labelled drafts, move by move (the article's advice), as a user sees it.

    python -m bench.evaluate_moves tests/blind/round7-a tests/blind/round7-b --output bench/EVALUATION-round7.md
    python -m bench.evaluate_moves --cv            # every training writer, each linted by a model that never saw it
    python -m bench.evaluate_moves DIR --rules-dir OLD_RULES --no-builtin   # score another rule set the same way

Labels come from each draft's ``sentences:`` (see tests/LABELLING.md); the
linter runs with its default configuration, exactly as ``followup-lint DRAFT``.

How each move of the advice is scored:

* a *missing* move (disconnect, can do better, interest, values, another
  chance, well-wishing) is judged per draft: expected when no sentence of the
  draft makes it; predicted when the move's rule reports it missing;
* a *fault* (blame, entitlement, flattery, self-punishment) is judged per
  labelled sentence: a labelled sentence is a TP when a finding of the
  fault's rules overlaps it, else a FN; a finding that overlaps no labelled
  sentence of that fault is a FP;
* the ending is judged per draft: expected when the draft's ``ending`` is
  negative; predicted when the ending rule fires.

Clean drafts (``clean: true``, and for the older sets an empty ``expect``: no
placeholder, length or other fault listed) also count the warnings and errors
reported on them: the false alarms a writer of a good note would see.
"""
from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from bench.moves_corpus import load_labelled, writer_dirs

# move: (type, labels, rule codes)
SCORED = {
    "disconnect": ("missing", {"disconnect"}, {"FL201"}),
    "can do better": ("missing", {"better"}, {"FL203"}),
    "interest": ("missing", {"interest"}, {"FL401"}),
    "values": ("missing", {"values"}, {"FL402"}),
    "another chance": ("missing", {"ask"}, {"FL501"}),
    "well-wishing": ("missing", {"wish"}, {"FL601"}),
    "no blame": ("fault", {"blame-reader", "blame-process", "blame-circumstance", "hostility"},
                 {"FL301", "FL302", "FL303", "FL304"}),
    "no entitlement": ("fault", {"entitlement", "pressure"}, {"FL502", "FL503"}),
    "no flattery": ("fault", {"flattery"}, {"FL404"}),
    "no self-punishment": ("fault", {"self-punishment"}, {"FL701", "FL703"}),
    "positive ending": ("ending", set(), {"FL602"}),
}
# The article's moves the targets are set on (values is an info nudge, reported but not in the macro).
MACRO = [m for m in SCORED if m != "values"]


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list = field(default_factory=list)

    def prf(self):
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f


def lint(drafts, linter):
    from followup_lint.sources import draft_from_text

    parsed = [draft_from_text(d.path.read_text(encoding="utf-8"), str(d.path)) for d in drafts]
    return [r.findings for r in linter.lint_drafts(parsed)]


def score(drafts, findings_per_draft, tallies=None, alarms=None):
    tallies = tallies if tallies is not None else defaultdict(Tally)
    alarms = alarms if alarms is not None else {"clean": 0, "alarms": 0, "with": 0, "which": defaultdict(int)}
    for d, findings in zip(drafts, findings_per_draft):
        name = f"{d.writer}/{d.path.name}"
        labels = set().union(*(m for _, _, m in d.labelled)) if d.labelled else set()
        for move, (kind, wanted, codes) in SCORED.items():
            t = tallies[move]
            mine = [f for f in findings if f.code in codes]
            if kind == "missing":
                _per_draft(t, name, not (labels & wanted), mine, "the move is not in the draft")
            elif kind == "ending":
                _per_draft(t, name, d.meta.get("ending") == "negative", mine, "ends negatively")
            else:
                spans = [(s, e) for s, e, m in d.labelled if m & wanted]
                for s, e in spans:
                    if any(f.start < e and s < f.end for f in mine):
                        t.tp += 1
                    else:
                        t.fn += 1
                        t.misses.append(("FN", name, " ".join(d.path.read_text(encoding='utf-8')[s:e].split())[:100]))
                for f in mine:
                    if not any(f.start < e and s < f.end for s, e in spans):
                        t.fp += 1
                        t.misses.append(("FP", name, f"{f.code} {f.message[:100]}"))
        if d.meta.get("clean") and not d.meta.get("expect"):  # clean moves, and (older sets) no other fault listed
            alarms["clean"] += 1
            loud = [f for f in findings if f.severity in ("warning", "error")]
            alarms["alarms"] += len(loud)
            alarms["with"] += bool(loud)
            for f in loud:
                alarms["which"][f.code] += 1
    return tallies, alarms


def _per_draft(t: Tally, name: str, expected: bool, mine: list, why: str) -> None:
    """A judgement made once per draft: expected (from the labels) against whether the rule fired."""
    if expected and mine:
        t.tp += 1
    elif mine:
        t.fp += 1
        t.misses.append(("FP", name, mine[0].message))
    elif expected:
        t.fn += 1
        t.misses.append(("FN", name, why))


def table(title, tallies, alarms, n_drafts, command) -> str:
    lines = [f"# {title}", "", f"Command: `{command}`", "", f"{n_drafts} drafts, {alarms['clean']} of them clean.", "",
             "| move | kind | TP | FP | FN | precision | recall | F1 |", "|---|---|---|---|---|---|---|---|"]
    ps, rs, fs = [], [], []
    for move in SCORED:
        t = tallies[move]
        p, r, f = t.prf()
        if move in MACRO:
            ps.append(p), rs.append(r), fs.append(f)
        lines.append(f"| {move} | {SCORED[move][0]} | {t.tp} | {t.fp} | {t.fn} | {p:.2f} | {r:.2f} | {f:.2f} |")
    mp, mr, mf = (sum(x) / len(x) for x in (ps, rs, fs))
    per20 = 20 * alarms["alarms"] / alarms["clean"] if alarms["clean"] else 0.0
    lines += ["", f"**Macro over the article's moves** (all but values, an info nudge): precision {mp:.2f}, "
                  f"recall {mr:.2f}, F1 {mf:.2f}.", "",
              f"**Clean drafts:** {alarms['alarms']} warnings/errors on {alarms['clean']} clean drafts "
              f"({per20:.1f} per 20; {alarms['with']} drafts with at least one)"
              + (": " + ", ".join(f"{c} x{n}" for c, n in sorted(alarms['which'].items())) if alarms["which"] else "") + ".",
              "", "## Every miss", ""]
    for move in SCORED:
        for kind, name, what in tallies[move].misses:
            lines.append(f"- {move} {kind} `{name}`: {what}")
    return "\n".join(lines) + "\n"


def make_linter(rules_dirs=(), builtin=True):
    from followup_lint.config import Config
    from followup_lint.engine import Linter
    from followup_lint.loader import load_rules

    config = Config()
    rules = config.rules(load_rules(list(rules_dirs), builtin=builtin)) if rules_dirs else \
        config.rules(load_rules(config.rules_dirs))
    return Linter(rules, config=config)


def _fit_fold(kind, feats, train, y):
    from bench.train_moves import Features, _fit_heads, make_X

    vocab = Features.vocabulary(train)
    return _fit_heads(make_X(kind, feats, train, vocab), y, with_targets=True), vocab


def _fold(cache: Path | None, kind: str, writer: str, train, fit):
    """One fold's heads, fitted or read back from ``cache`` (keyed by the training sentences and their
    labels, so any change to the corpus or the features' code fits them again)."""
    if cache is None:
        return fit()
    import hashlib
    import pickle

    import bench.train_moves as tm

    key = hashlib.sha256()
    key.update(kind.encode())
    key.update(Path(tm.__file__).read_bytes())
    for s in train:
        key.update(f"{s.writer}\0{s.text}\0{sorted(s.labels)}\0{s.index}/{s.count}\n".encode())
    path = cache / f"{writer}-{key.hexdigest()[:16]}.pickle"
    if path.exists():
        return pickle.loads(path.read_bytes())
    out = fit()
    cache.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(out))
    return out


def cross_validated(kind="c", rules_dirs=(), builtin=True, cache: Path | None = None):
    """Each training writer's drafts, linted with a move model trained on all the other writers."""
    import followup_lint.moves as moves
    from bench.moves_corpus import sentences
    from bench.train_moves import Features, label_matrix, model_from_heads

    drafts = load_labelled(writer_dirs())
    sents = sentences(drafts)
    y = label_matrix(sents)
    base = moves.get_model()
    feats = Features(base.embedder)
    tallies, alarms = defaultdict(Tally), None
    linter = make_linter(rules_dirs, builtin=builtin)
    for w in sorted({d.writer for d in drafts}):
        tr = [i for i, s in enumerate(sents) if s.writer != w]
        train = [sents[i] for i in tr]
        heads, vocab = _fold(cache, kind, w, train, lambda: _fit_fold(kind, feats, train, y[tr]))
        moves._MODEL = model_from_heads(base.embedder, heads, vocab, base.thresholds)
        mine = [d for d in drafts if d.writer == w]
        tallies, alarms = score(mine, lint(mine, linter), tallies, alarms)
        print(f"  {w}: done", file=sys.stderr, flush=True)
    moves._MODEL = base
    return drafts, tallies, alarms


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dirs", nargs="*")
    ap.add_argument("--cv", action="store_true", help="leave-writers-out over the training writers")
    ap.add_argument("--output", help="write the table (Markdown) here as well")
    ap.add_argument("--title", default="Moves evaluation")
    ap.add_argument("--rules-dir", action="append", default=[])
    ap.add_argument("--no-builtin", action="store_true")
    ap.add_argument("--fold-cache", type=Path, help="with --cv: keep each fold's fitted heads here and reuse them "
                                                    "while the corpus and bench/train_moves.py are unchanged")
    args = ap.parse_args(argv)
    shown = list(argv if argv is not None else sys.argv[1:])
    if "--fold-cache" in shown:  # a cache changes how long it takes, never the table
        i = shown.index("--fold-cache")
        del shown[i:i + 2]
    shown = [a for a in shown if not a.startswith("--fold-cache=")]
    command = "python -m bench.evaluate_moves " + " ".join(shown)
    if args.cv:
        drafts, tallies, alarms = cross_validated(rules_dirs=args.rules_dir, builtin=not args.no_builtin,
                                                   cache=args.fold_cache)
    else:
        drafts = load_labelled([Path(d) for d in args.dirs])
        linter = make_linter(args.rules_dir, builtin=not args.no_builtin)
        tallies, alarms = score(drafts, lint(drafts, linter))
    out = table(args.title, tallies, alarms, len(drafts), command)
    print(out)
    if args.output:
        Path(args.output).write_text(out, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
