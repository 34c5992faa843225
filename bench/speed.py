"""The speed benchmark: followup-lint against the spaCy floor and proselint, side by side in one run.

    python -m bench.speed                       # libraries of 100 and 1,000 drafts, 3 runs each
    python -m bench.speed --sizes 100 --repeat 1 --memory-sizes ""   # a quick look
    python -m bench.speed --sizes 100,1000,5000 --write bench/BENCHMARK.md
    python -m bench.speed --only-draft-sizes --write bench/BENCHMARK.md   # cost against the length of one draft

Every figure is one whole process, timed from start to exit (import, model
load, reading, linting, writing the report to /dev/null): what a user or a CI
job waits for.  Peak RSS is the largest single process of the run (with
``--jobs 2`` each worker is its own process).  Medians of ``--repeat`` runs.
The machine may be shared, so absolute numbers are noisy; the ratios to the
floor measured in the same run are what to read.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import corpus

HERE = Path(__file__).resolve().parent


@dataclass
class Row:
    name: str
    files: int
    words: int
    walls: list[float] = field(default_factory=list)
    rss_kb: list[int] = field(default_factory=list)
    note: str = ""

    @property
    def wall(self) -> float:
        return statistics.median(self.walls)

    @property
    def rss_mb(self) -> float:
        return max(self.rss_kb) / 1024 if self.rss_kb else 0.0

    @property
    def fps(self) -> float:
        return self.files / self.wall

    @property
    def wps(self) -> float:
        return self.words / self.wall


def measure(cmd: list[str], *, env: dict | None = None, ok=(0, 1)) -> tuple[float, int]:
    """Run ``cmd`` to completion: (wall seconds, peak RSS in KB of its largest process)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    stderr = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    proc.stderr.close()
    if proc.returncode not in ok:
        raise SystemExit(f"bench: {' '.join(cmd[:6])} ... exited {proc.returncode}:\n{stderr.decode()[-2000:]}")
    return wall, usage.ru_maxrss


def tool() -> list[str]:
    exe = shutil.which("followup-lint", path=os.path.dirname(sys.executable)) or shutil.which("followup-lint")
    return [exe] if exe else [sys.executable, "-m", "followup_lint"]


def needed_components() -> tuple[str, list[str], list[str]]:
    """(model, components the enabled built-in rules need, all the model's components)."""
    from followup_lint.engine import Linter
    from followup_lint.loader import load_rules
    from followup_lint.nlp import _KNOWN, components_for, resolve_model

    linter = Linter(load_rules())
    return resolve_model(None), sorted(components_for(linter.features)), sorted(_KNOWN)


def library_rows(size: int, work: Path, repeat: int, proselint: bool) -> list[Row]:
    lib = work / f"library-{size}"
    paths = corpus.generate(lib, size)
    words = sum(len(p.read_text("utf-8").split()) for p in paths)
    listfile = work / f"library-{size}.list"
    listfile.write_text("".join(f"{p}\n" for p in paths), "utf-8")
    model, needed, known = needed_components()
    cache_dir = work / f"cache-{size}"
    env = dict(os.environ, CI="1")  # never a progress bar
    env.pop(  # a cache dir from the environment would turn cold runs warm
        "FOLLOWUP_LINT_CACHE_DIR", None)
    lint = tool() + ["check", "--format", "json", "-q"]
    rows = {
        "floor_full": Row("spaCy floor, full pipeline (nlp.pipe, 1 process)", size, words),
        "floor_needed": Row(f"spaCy floor, only what the rules need ({'+'.join(needed)})", size, words),
        "cold1": Row("followup-lint cold, --jobs 1", size, words),
        "cold2": Row("followup-lint cold, --jobs 2", size, words),
        "warm": Row("followup-lint warm re-run (cache)", size, words),
    }
    if proselint:
        rows["proselint"] = Row("proselint 0.16 (regex rules)", size, words)
    exclude_needed = ",".join(c for c in known if c not in needed)
    for _ in range(repeat):  # interleaved, so that a busy minute on a shared machine hits every row alike
        for key, cmd in (
            ("floor_full", [sys.executable, "-m", "bench.floor", model, str(listfile)]),
            ("floor_needed", [sys.executable, "-m", "bench.floor", model, str(listfile), "--exclude", exclude_needed]),
            ("cold1", lint + ["--no-cache", "--jobs", "1", str(lib)]),
            ("cold2", lint + ["--no-cache", "--jobs", "2", str(lib)]),
        ):
            wall, rss = measure(cmd, env=env)
            rows[key].walls.append(wall)
            rows[key].rss_kb.append(rss)
        shutil.rmtree(cache_dir, ignore_errors=True)
        measure(lint + ["--cache-dir", str(cache_dir), "--jobs", "2", str(lib)], env=env)  # fills the cache
        wall, rss = measure(lint + ["--cache-dir", str(cache_dir), str(lib)], env=env)
        rows["warm"].walls.append(wall)
        rows["warm"].rss_kb.append(rss)
        if proselint:
            exe = shutil.which("proselint", path=os.path.dirname(sys.executable)) or "proselint"
            wall, rss = measure([exe, "check", "-o", "json", *map(str, paths)], env=env, ok=(0, 1, 2))
            rows["proselint"].walls.append(wall)
            rows["proselint"].rss_kb.append(rss)
    return list(rows.values())


def single_rows(work: Path, repeat: int) -> list[Row]:
    d = work / "single"
    d.mkdir(parents=True, exist_ok=True)
    draft = d / "draft.txt"
    draft.write_text(corpus.single_draft(), "utf-8")
    words = len(draft.read_text("utf-8").split())
    model, _, _ = needed_components()
    cache_dir = work / "cache-single"
    env = dict(os.environ, CI="1")
    env.pop("FOLLOWUP_LINT_CACHE_DIR", None)
    rows = {
        "floor": Row(f'floor: python -c "import spacy; spacy.load({model!r})"', 1, 0),
        "cold": Row("followup-lint, one new draft (rules cached, draft not)", 1, words),
        "nocache": Row("followup-lint --no-cache, one draft", 1, words),
        "hit": Row("followup-lint, the same draft again (cache hit)", 1, words),
    }
    measure(tool() + ["--cache-dir", str(cache_dir), str(draft)], env=env)  # validated rules into the cache
    for _ in range(repeat):
        wall, rss = measure([sys.executable, "-c", f"import spacy; spacy.load({model!r})"], env=env)
        rows["floor"].walls.append(wall)
        rows["floor"].rss_kb.append(rss)
        shutil.rmtree(cache_dir / "results", ignore_errors=True)
        for key, extra in (("cold", ["--cache-dir", str(cache_dir)]), ("hit", ["--cache-dir", str(cache_dir)]),
                           ("nocache", ["--no-cache"])):
            wall, rss = measure(tool() + extra + [str(draft)], env=env)
            rows[key].walls.append(wall)
            rows[key].rss_kb.append(rss)
    return list(rows.values())


def memory_rows(sizes: list[int], work: Path) -> list[Row]:
    """One cold --jobs 1 run per size: does peak memory grow with the number of drafts?"""
    env = dict(os.environ, CI="1")
    env.pop("FOLLOWUP_LINT_CACHE_DIR", None)
    rows = []
    for size in sizes:
        lib = work / f"library-{size}"
        paths = corpus.generate(lib, size)
        words = sum(len(p.read_text("utf-8").split()) for p in paths)
        row = Row(f"followup-lint cold, --jobs 1, {size:,} drafts", size, words)
        for fmt in ("json", "text"):
            wall, rss = measure(tool() + ["check", "--format", fmt, "-q", "--no-cache", "--jobs", "1", str(lib)], env=env)
            row.walls.append(wall)
            row.rss_kb.append(rss)
        row.note = "json and text reports"
        rows.append(row)
    return rows


def draft_size_rows(sizes: list[int], memory_size: int, work: Path, repeat: int) -> list[dict]:
    """Cost against the length of one draft: linting time per kB (warm, in this process) and whole-run memory.

    Memory and wall time come first, from one whole ``followup-lint`` process
    per size (``--max-file-size 2MB``), while this process is still small (a
    child's peak RSS counts what it was forked from).  Then the linting time:
    the smallest size is linted as many different drafts of that size as make
    up the second largest, so those batches hold the same amount of text, and
    the batches alternate within each of ``repeat`` rounds; the memory-only
    size (1 MB) is timed in one round only.
    """
    env = dict(os.environ, CI="1")
    env.pop("FOLLOWUP_LINT_CACHE_DIR", None)
    every = sorted(set(sizes) | {memory_size})
    whole = {}
    for size in every:
        path = work / f"draft-{size}.txt"
        path.write_text(corpus.long_draft(size), "utf-8")
        whole[size] = measure(tool() + ["check", "--no-cache", "--max-file-size", "2MB", "--format", "json", "-q",
                                        str(path)], env=env)

    from followup_lint.run import Session
    from followup_lint.sources import draft_from_text

    linter = Session().linter_for(str(work / "draft.txt"))
    smallest, largest = min(sizes), max(sizes)
    texts = {size: [corpus.long_draft(size, seed=corpus.SEED + i)
                    for i in range(max(1, round(largest / size)) if size == smallest else 1)] for size in every}
    linter.lint_draft(draft_from_text(texts[smallest][0], "warm.txt"))  # spaCy loads here, not in a timed batch
    per_kb: dict[int, list[float]] = {size: [] for size in every}
    stopped: dict[int, set[str]] = {size: set() for size in every}
    for round_ in range(repeat):
        for size in every:
            if size not in sizes and round_:
                continue
            kb = sum(len(t.encode("utf-8")) for t in texts[size]) / 1000
            start = time.perf_counter()
            for text in texts[size]:
                result = linter.lint_draft(draft_from_text(text, "draft.txt"))
                stopped[size] |= {getattr(e, "rule", None) or str(e) for e in result.errors}
            per_kb[size].append(1000 * (time.perf_counter() - start) / kb)
    base = statistics.median(per_kb[smallest])
    rows = []
    for size in every:
        text = texts[size][0]
        ms = statistics.median(per_kb[size])
        wall, rss = whole[size]
        rows.append({"size": size, "bytes": len(corpus.long_draft(size).encode("utf-8")), "words": len(text.split()),
                     "drafts": len(texts[size]), "runs": len(per_kb[size]), "ms_per_kb": ms, "ratio": ms / base,
                     "wall": wall, "rss_mb": rss / 1024, "stopped": sorted(stopped[size])})
    return rows


def draft_size_table(rows: list[dict], repeat: int) -> str:
    out = [f"\n### One draft, 2 kB to 1 MB: cost per kB and memory\n",
           "| draft | bytes | words | linted as | lint ms per kB (warm; median of) | x the smallest | whole run s | "
           "peak RSS MB (whole run) | rules stopped by the regex budget |",
           "| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | --- |"]
    for r in rows:
        label = f"{r['size'] / 1000:,.0f} kB" if r["size"] < 1_000_000 else f"{r['size'] / 1_000_000:,.0f} MB"
        as_ = f"{r['drafts']} drafts of this size" if r["drafts"] > 1 else "one draft"
        out.append(f"| {label} | {r['bytes']:,} | {r['words']:,} | {as_} | {r['ms_per_kb']:.1f} ({r['runs']}) | "
                   f"{r['ratio']:.2f} | {r['wall']:.1f} | {r['rss_mb']:,.0f} | {', '.join(r['stopped']) or 'none'} |")
    return "\n".join(out) + "\n"


def table(libraries: dict[int, list[Row]], single: list[Row], memory: list[Row], repeat: int) -> str:
    out = []
    for size, rows in libraries.items():
        full, needed = rows[0], rows[1]
        cold1 = next(r for r in rows if "--jobs 1" in r.name)
        out.append(f"\n### Library of {size:,} drafts ({rows[0].words:,} words), medians of {repeat}\n")
        out.append("| what | wall s | files/s | words/s | peak RSS MB | x full floor | x needed floor |")
        out.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for r in rows:
            extra = ""
            if "warm" in r.name:
                extra = f" ({100 * r.wall / cold1.wall:.1f}% of cold --jobs 1)"
            out.append(f"| {r.name}{extra} | {r.wall:.2f} | {r.fps:,.1f} | {r.wps:,.0f} | {r.rss_mb:,.0f} | "
                       f"{r.fps / full.fps:.2f} | {r.fps / needed.fps:.2f} |")
    if single:
        floor = single[0]
        out.append(f"\n### One draft ({single[1].words} words), cold start, medians of {repeat}\n")
        out.append("| what | wall s | peak RSS MB | x floor time |")
        out.append("| --- | ---: | ---: | ---: |")
        for r in single:
            out.append(f"| {r.name} | {r.wall:.2f} | {r.rss_mb:,.0f} | {r.wall / floor.wall:.2f} |")
    if memory:
        base = memory[0]
        out.append("\n### Peak memory against library size (one cold run per size and report format)\n")
        out.append("| what | words | peak RSS MB | x smallest |")
        out.append("| --- | ---: | ---: | ---: |")
        for r in memory:
            out.append(f"| {r.name} ({r.note}) | {r.words:,} | {r.rss_mb:,.0f} | {r.rss_mb / base.rss_mb:.2f} |")
    return "\n".join(out) + "\n"


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description="followup-lint speed benchmark")
    ap.add_argument("--sizes", default="100,1000", help="library sizes, comma-separated (100,1000,5000)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--memory-sizes", default="100,5000", help="sizes for the peak-memory comparison ('' skips)")
    ap.add_argument("--no-single", action="store_true", help="skip the one-draft start-up comparison")
    ap.add_argument("--no-proselint", action="store_true")
    ap.add_argument("--work", default=os.path.join(os.environ.get("TMPDIR", "/tmp"), "followup-lint-bench"))
    ap.add_argument("--write", metavar="FILE", help="also write the table into FILE (e.g. bench/BENCHMARK.md)")
    ap.add_argument("--draft-sizes", default="2000,200000", help="draft sizes in bytes for the per-kB cost")
    ap.add_argument("--memory-draft", type=int, default=1_000_000, help="a draft size measured for memory only")
    ap.add_argument("--only-draft-sizes", action="store_true",
                    help="measure only the cost against one draft's length (its own section of --write FILE)")
    args = ap.parse_args(argv)
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    if args.only_draft_sizes:
        started = time.time()
        print("bench: one draft of growing length ...", file=sys.stderr, flush=True)
        rows = draft_size_rows([int(s) for s in args.draft_sizes.split(",") if s.strip()], args.memory_draft, work,
                               args.repeat)
        text = (f"Command: `python -m bench.speed {' '.join(argv if argv is not None else sys.argv[1:])}`  \n"
                f"{os.cpu_count()} CPUs; Python {sys.version.split()[0]}; took {time.time() - started:.0f} s.\n"
                + draft_size_table(rows, args.repeat))
        print(text)
        if args.write:
            path = Path(args.write)
            old = path.read_text("utf-8") if path.exists() else ""
            begin, end = "<!-- draft-size table -->", "<!-- end of the draft-size table -->"
            if begin in old and end in old:
                text = old[: old.index(begin) + len(begin)] + "\n" + text + old[old.index(end):]
            elif "<!-- table -->" in old:  # first time: before the library tables, which full runs rewrite
                at = old.index("<!-- table -->")
                text = old[:at] + f"{begin}\n{text}{end}\n\n" + old[at:]
            else:
                text = old + f"\n{begin}\n{text}{end}\n"
            path.write_text(text, "utf-8")
        return
    proselint = not args.no_proselint and shutil.which("proselint", path=os.path.dirname(sys.executable)) is not None
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    started = time.time()
    libraries = {}
    for size in sizes:
        print(f"bench: library of {size} drafts ...", file=sys.stderr, flush=True)
        libraries[size] = library_rows(size, work, args.repeat, proselint)
    single = [] if args.no_single else single_rows(work, max(args.repeat, 5))
    mem_sizes = [int(s) for s in args.memory_sizes.split(",") if s.strip()]
    print("bench: peak memory ...", file=sys.stderr, flush=True)
    memory = memory_rows(mem_sizes, work) if mem_sizes else []
    model, needed, _ = needed_components()
    head = (f"Command: `python -m bench.speed {' '.join(argv if argv is not None else sys.argv[1:])}`  \n"
            f"Model {model}; the enabled built-in rules need {', '.join(needed)}; "
            f"{os.cpu_count()} CPUs; Python {sys.version.split()[0]}; took {time.time() - started:.0f} s.\n")
    text = head + table(libraries, single, memory, args.repeat)
    print(text)
    if args.write:
        path = Path(args.write)
        old = path.read_text("utf-8") if path.exists() else ""
        marker = "<!-- table -->"
        if marker in old:
            keep = ""  # the draft-size section is written by its own runs (--only-draft-sizes)
            if "<!-- draft-size table -->" in old:
                keep = old[old.index("<!-- draft-size table -->"):]
            text = old[: old.index(marker) + len(marker)] + "\n" + text + ("\n" + keep if keep else "")
        path.write_text(text, "utf-8")


if __name__ == "__main__":
    main()
