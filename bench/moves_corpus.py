"""The sentence-labelled corpus of moves: labelled drafts -> the sentences the linter sees, with their labels.

    python -m bench.moves_corpus [DIR ...]        # a table: writers, drafts, sentences, moves

Every labelled draft is ``NAME.txt`` (or ``.md``/``.eml``) beside ``NAME.yaml``
with a ``sentences:`` list (see ``tests/LABELLING.md``).  The draft is parsed
and split exactly as the linter does at run time (the lint view, spaCy's
sentence recogniser with the email's own boundaries preset), and each of those
sentences gets the union of the labels whose quoted text covers most of it (or
most of which it covers).  A sentence no label covers is ``none``.

A *writer* is the unit of evaluation: one helper session's set.  Older corpora
carry ``writer:`` too; a set without it is named after its folder.
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
# The training corpora: every writer's set except the blind rounds (tests/blind/), which are scored once, never trained on.
TRAIN_GLOBS = ("tests/corpus*", "tests/writers/*")
BLIND_GLOB = "tests/blind/*"
SUFFIXES = (".txt", ".md", ".eml", ".html")


@dataclass
class Sentence:
    writer: str
    draft: str
    text: str            # the lint view's text of the sentence (placeholders masked), as the model sees it
    start: int
    end: int
    labels: frozenset[str]
    index: int           # position among the draft's body sentences
    count: int           # how many body sentences the draft has


@dataclass
class LabelledDraft:
    writer: str
    path: Path
    meta: dict
    labelled: list[tuple[int, int, frozenset[str]]] = field(default_factory=list)   # source spans with their moves


def writer_dirs(globs=TRAIN_GLOBS, root: Path = ROOT) -> list[Path]:
    out = []
    for g in globs:
        out += [p for p in sorted(root.glob(g)) if p.is_dir()]
    return out


def draft_text_path(yaml_path: Path) -> Path | None:
    for suffix in SUFFIXES:
        p = yaml_path.with_suffix(suffix)
        if p.exists():
            return p
    return None


def load_labelled(dirs) -> list[LabelledDraft]:
    """Every draft in ``dirs`` whose YAML has a ``sentences`` list, with its labels placed on the source."""
    out = []
    for d in dirs:
        d = Path(d)
        for y in sorted(d.glob("*.yaml")):
            meta = yaml.safe_load(y.read_text(encoding="utf-8")) or {}
            if not isinstance(meta, dict) or not meta.get("sentences"):
                continue
            txt = draft_text_path(y)
            if txt is None:
                continue
            source = txt.read_text(encoding="utf-8")
            ld = LabelledDraft(str(meta.get("writer") or d.name), txt, meta)
            pos = 0
            for entry in meta["sentences"]:
                quote = str(entry["text"])
                at = source.find(quote, pos)
                if at < 0:
                    at = source.find(quote)
                if at < 0:
                    raise ValueError(f"{y}: sentence not found verbatim in {txt.name}: {quote[:60]!r}")
                labels = frozenset(m for m in entry.get("moves") or ["none"] if m != "none")
                ld.labelled.append((at, at + len(quote), labels))
                pos = at + len(quote)
            out.append(ld)
    return out


def _covering(start: int, end: int, labelled) -> frozenset[str]:
    labels: set[str] = set()
    for s, e, moves in labelled:
        overlap = min(end, e) - max(start, s)
        if overlap <= 0:
            continue
        if overlap >= 0.5 * (end - start) or overlap >= 0.5 * (e - s):
            labels |= moves
    return frozenset(labels)


def sentences(drafts: list[LabelledDraft], model: str | None = None) -> list[Sentence]:
    """The body sentences of ``drafts`` as the linter splits them, each with its labels."""
    from followup_lint.nlp import get_pipeline
    from followup_lint.scopes import Analysis
    from followup_lint.sources import draft_from_text

    pipeline = get_pipeline(model, {"sents"})
    parsed = [draft_from_text(ld.path.read_text(encoding="utf-8"), str(ld.path)) for ld in drafts]
    out: list[Sentence] = []
    for ld, (draft, doc) in zip(drafts, pipeline.annotate(parsed)):
        spans = Analysis(draft, doc).sentences()
        for i, sp in enumerate(spans):
            out.append(Sentence(ld.writer, ld.path.stem, draft.text[sp.start:sp.end], sp.start, sp.end,
                                _covering(sp.start, sp.end, ld.labelled), i, len(spans)))
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dirs", nargs="*", help="writer folders (default: every training corpus)")
    args = ap.parse_args(argv)
    dirs = [Path(d) for d in args.dirs] or writer_dirs()
    drafts = load_labelled(dirs)
    sents = sentences(drafts)
    by_writer = Counter(s.writer for s in sents)
    drafts_by_writer = Counter(d.writer for d in drafts)
    moves = Counter(m for s in sents for m in s.labels)
    print(f"{len(drafts)} drafts, {len(sents)} sentences, {len(by_writer)} writers")
    print("| writer | drafts | sentences |\n|---|---|---|")
    for w, n in sorted(by_writer.items()):
        print(f"| {w} | {drafts_by_writer[w]} | {n} |")
    print("\n| move | sentences |\n|---|---|")
    for m, n in sorted(moves.items(), key=lambda kv: -kv[1]):
        print(f"| {m} | {n} |")
    print(f"| none | {sum(1 for s in sents if not s.labels)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
