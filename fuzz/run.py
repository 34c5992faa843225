"""Run the fuzz targets for a while, keeping every crashing input.

    pip install ".[fuzz]"                 # atheris (needs a C compiler on some systems)
    python fuzz/run.py --minutes 10        # both targets, the time split between them
    python fuzz/run.py --minutes 5 --target email

Each target runs under libFuzzer (via atheris) with its seeds in
fuzz/seeds/<target>/ and a growing working corpus in fuzz/.work/.  A crash
is written to fuzz/crashes/<target>-<hash> and the target is restarted, so
one run can find several problems.  Turn each crash into a test in
tests/test_fuzz_regressions.py, fix it, and keep the file here.
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TARGETS = {"email": "fuzz_email.py", "rules": "fuzz_rules.py"}


def run_target(name: str, seconds: float, max_len: int) -> dict:
    work = os.path.join(HERE, ".work", name)
    seeds = os.path.join(HERE, "seeds", name)
    crashes = os.path.join(HERE, "crashes")
    os.makedirs(work, exist_ok=True)
    os.makedirs(crashes, exist_ok=True)
    log_path = os.path.join(HERE, ".work", f"{name}.log")
    stats = {"target": name, "seconds": 0.0, "runs": 0, "crashes": [], "restarts": 0}
    deadline = time.monotonic() + seconds
    with open(log_path, "a", encoding="utf-8") as log:
        while True:
            left = int(deadline - time.monotonic())
            if left < 5:
                break
            started = time.monotonic()
            before = set(os.listdir(crashes))
            cmd = [sys.executable, os.path.join(HERE, TARGETS[name]), work, seeds,
                   f"-max_total_time={left}", f"-max_len={max_len}", "-timeout=20", "-rss_limit_mb=3072",
                   f"-artifact_prefix={os.path.join(crashes, name)}-", "-print_final_stats=1"]
            proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                  errors="replace")
            log.write(proc.stdout)
            stats["seconds"] += time.monotonic() - started
            m = re.findall(r"stat::number_of_executed_units:\s*(\d+)", proc.stdout) or \
                re.findall(r"Done (\d+) runs", proc.stdout)
            stats["runs"] += int(m[-1]) if m else 0
            new = sorted(set(os.listdir(crashes)) - before)
            if new:
                stats["crashes"] += new
                stats["restarts"] += 1
                print(f"[{name}] crash saved: {', '.join(new)}", flush=True)
            elif proc.returncode != 0:
                tail = "\n".join(proc.stdout.splitlines()[-15:])
                print(f"[{name}] stopped with exit code {proc.returncode}:\n{tail}", flush=True)
                break
    return stats


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--minutes", type=float, default=10.0, help="total fuzzing time (default 10)")
    ap.add_argument("--target", choices=[*TARGETS, "all"], default="all")
    ap.add_argument("--max-len", type=int, default=4096, help="largest input in bytes (default 4096)")
    args = ap.parse_args(argv)
    names = list(TARGETS) if args.target == "all" else [args.target]
    share = args.minutes * 60 / len(names)
    results = [run_target(n, share, args.max_len) for n in names]
    print(f"{'target':<8} {'seconds':>8} {'inputs run':>11} crashes")
    for r in results:
        print(f"{r['target']:<8} {r['seconds']:>8.0f} {r['runs']:>11,} {len(r['crashes'])}")
    for r in results:
        for name in r["crashes"]:
            print(f"new crash: fuzz/crashes/{name}")
    return 1 if any(r["crashes"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
