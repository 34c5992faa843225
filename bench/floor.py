"""The floor: raw spaCy ``nlp.pipe`` over the drafts' text, one process, no rules.

    python -m bench.floor MODEL LISTFILE [--exclude ner,parser] [--batch-size 16]

LISTFILE names one draft per line.  Nothing is printed; the caller times the
whole process (import, load, annotate), just as it times followup-lint.
"""
from __future__ import annotations

import sys


def main(argv=None) -> None:
    import argparse

    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("listfile")
    ap.add_argument("--exclude", default="")
    ap.add_argument("--batch-size", type=int, default=16,
                    help="as the linter's nlp.pipe (spaCy's default of 1000 was slower here and needs 1.5 GB)")
    args = ap.parse_args(argv)
    import spacy

    exclude = [c for c in args.exclude.split(",") if c]
    nlp = spacy.load(args.model, exclude=exclude)
    if "senter" not in exclude and "senter" in nlp.disabled and "parser" in exclude:
        nlp.enable_pipe("senter")  # what the linter does when it needs sentences but not the parser
    with open(args.listfile, encoding="utf-8") as fh:
        paths = [ln.strip() for ln in fh if ln.strip()]

    def texts():
        for p in paths:
            with open(p, encoding="utf-8") as f:
                yield f.read()

    n = 0
    for doc in nlp.pipe(texts(), batch_size=args.batch_size):
        n += len(doc)
    sys.stdout.write(f"{n}\n")


if __name__ == "__main__":
    main()
