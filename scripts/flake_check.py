"""Run every notebook through nbval several times in a row and report cells whose output differs.

nbval compares each cell's fresh output with the stored one; a cell that fails in some runs and not
in others is flaky (unseeded randomness, unrounded floats, timings the sanitizer does not mask).
Fix it by seeding, rounding, or tagging it `nbval-ignore-output` with a check cell after it.

Usage: python scripts/flake_check.py [--runs 3] [NOTEBOOK ...]    (make flake-check)
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repository's top folder, for scripts.repo_paths
from scripts.repo_paths import REPO_ROOT  # noqa: E402


def failing_cells(paths: list[str]) -> tuple[set[str], str]:
    """One nbval run over `paths`; return the ids of the failing cells and pytest's summary line."""
    result = subprocess.run(
        [sys.executable, "-m", "pytest", *paths, "-n", "2", "--dist", "loadfile", "-q", "-rf"],
        cwd=REPO_ROOT, capture_output=True, text=True,
    )
    failed = set(re.findall(r"^FAILED (\S+)", result.stdout, flags=re.M))
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else result.stderr[-500:]
    if result.returncode not in (0, 1):  # 1 means tests failed; anything else is a broken run
        raise RuntimeError(f"pytest could not run (exit {result.returncode}): {summary}")
    return failed, summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="how many runs in a row (default 3)")
    parser.add_argument("notebooks", nargs="*", help="notebooks to check (default: all, solutions included)")
    args = parser.parse_args()
    if args.runs < 2:
        parser.error(f"--runs must be at least 2 to compare runs, got {args.runs}")
    paths = args.notebooks or ["notebooks"]
    counts: Counter[str] = Counter()
    for run in range(1, args.runs + 1):
        start = time.perf_counter()
        failed, summary = failing_cells(paths)
        counts.update(failed)
        print(f"run {run}: {summary} ({time.perf_counter() - start:.0f} s)", flush=True)
    if not counts:
        print(f"no cell differed from its stored output in {args.runs} runs")
        return 0
    print("cells that differed from their stored output (runs failed / runs):")
    for cell, failures in sorted(counts.items()):
        kind = "always" if failures == args.runs else "flaky"
        print(f"  {failures}/{args.runs} {kind:6} {cell}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
