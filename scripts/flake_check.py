"""Run notebooks through nbval several times in a row; report the cells whose output differed from the stored one.

nbval compares each cell's fresh output with the stored one; a cell that fails in some runs and not in others is
flaky (unseeded randomness, unrounded floats, timings the sanitizer does not mask), one that fails in every run was
stored from another state of the code or another machine. Fix it by seeding, rounding, or tagging it
`nbval-ignore-output` with a check cell after it. Run it on a quiet machine (the lead runs it over every notebook
before a release): each run executes every notebook.

Usage: python -m scripts.flake_check [--runs 3] [--workers 2] [NOTEBOOK ...]   (make flake-check; default: every
notebook and solutions notebook)
Writes docs/flake_check.json (per notebook: date, CPU, runs, cells checked, cells that differed in how many runs;
other notebooks' earlier results are kept) and the summary between the flake-check markers of README.md.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ElementTree
from collections import Counter
from pathlib import Path

from scripts import machine
from scripts.repo_paths import FLAKE_CHECK_FILE, README, REPO_ROOT, all_notebooks

OUTPUT = FLAKE_CHECK_FILE
START, END = "<!-- flake-check:start -->", "<!-- flake-check:end -->"


def parse_junit(xml_text: str) -> dict[str, dict[str, bool]]:
    """{notebook file name: {"Cell N": failed?}} from pytest's JUnit XML of an nbval run (N counts code cells)."""
    results: dict[str, dict[str, bool]] = {}
    for case in ElementTree.fromstring(xml_text).iter("testcase"):
        classname = case.get("classname", "")
        if not classname.endswith(".ipynb"):
            continue
        notebook = classname.removesuffix(".ipynb").rsplit(".", 1)[-1] + ".ipynb"
        failed = any(child.tag in ("failure", "error") for child in case)
        results.setdefault(notebook, {})[case.get("name", "")] = failed
    return results


def one_run(paths: list[Path], workers: int) -> tuple[dict[str, dict[str, bool]], str]:
    """One nbval run over `paths`; return the per-cell results and pytest's summary line."""
    parallel = ["-n", str(workers), "--dist", "loadfile"] if workers > 0 else ["-p", "no:xdist"]
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "junit.xml"
        result = subprocess.run([sys.executable, "-m", "pytest", *map(str, paths), *parallel, "-q",
                                 f"--junitxml={report}"], cwd=REPO_ROOT, capture_output=True, text=True)
        summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else result.stderr[-500:]
        if result.returncode not in (0, 1) or not report.exists():  # 1: some cell differed; else a broken run
            raise RuntimeError(f"pytest could not run (exit {result.returncode}): {summary}\n{result.stderr[-2000:]}")
        return parse_junit(report.read_text()), summary


def ipynb_index(path: Path, code_cell_name: str) -> int | None:
    """The .ipynb cell index (0-based, all cells) of nbval's "Cell N" (the N-th code cell)."""
    match = re.fullmatch(r"Cell (\d+)", code_cell_name)
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    code = [index for index, cell in enumerate(cells) if cell["cell_type"] == "code"]
    return code[int(match.group(1))] if match and int(match.group(1)) < len(code) else None


def summarise(paths: list[Path], runs: list[dict[str, dict[str, bool]]]) -> dict[str, dict]:
    """Per notebook: cells checked, and for each cell that differed, in how many runs and where it is."""
    entries = {}
    for path in paths:
        per_run = [run.get(path.name, {}) for run in runs]
        failures = Counter(cell for run in per_run for cell, failed in run.items() if failed)
        differed = {cell: {"runs_failed": count, "ipynb_cell": ipynb_index(path, cell),
                           "kind": "always" if count == len(runs) else "flaky"}
                    for cell, count in sorted(failures.items(), key=lambda item: int(item[0].split()[-1]))}
        entries[path.name] = {**machine.stamp(day=True, load=False), "runs": len(runs),
                              "cells_checked": max((len(run) for run in per_run), default=0),
                              "differing_cells": differed}
    return entries


def readme_summary(data: dict, expected: list[str]) -> str:
    notebooks = data["notebooks"]
    done = [name for name in expected if name in notebooks]
    lines = [START]
    if not done:
        lines.append("`make flake-check` has not been run on these notebooks yet.")
        return "\n".join([*lines, END])
    dates = sorted({notebooks[name]["measured_on"] for name in done})
    runs = sorted({notebooks[name]["runs"] for name in done})
    cells = sum(notebooks[name]["cells_checked"] for name in done)
    differing = [f"- `{name}` {cell} (cell {info['ipynb_cell']} of the .ipynb): differed in {info['runs_failed']} of "
                 f"{notebooks[name]['runs']} runs ({info['kind']})"
                 for name in done for cell, info in notebooks[name]["differing_cells"].items()]
    lines.append(f"Written by `make flake-check` (scripts/flake_check.py, docs/flake_check.json), run on "
                 f"{' to '.join(dict.fromkeys([dates[0], dates[-1]]))}: {' or '.join(map(str, runs))} consecutive "
                 f"nbval runs of {len(done)} of the {len(expected)} notebooks and solutions notebooks ({cells} cells "
                 f"compared in each run): " + (f"{len(differing)} cells differed from their stored outputs:"
                                               if differing else "no cell's output differed from the stored one."))
    lines += differing
    models = Counter(notebooks[name]["cpu"]["model"] for name in done)  # the outputs were stored on one CPU
    lines.append("CPUs: " + ", ".join(f"{model} ({count} notebook{'s' * (count != 1)})"
                                      for model, count in models.most_common()) + ".")
    missing = [name for name in expected if name not in notebooks]
    if missing:
        lines.append(f"Not flake-checked yet: {', '.join(f'`{name}`' for name in missing)}.")
    return "\n".join([*lines, END])


def save(data: dict, path: Path | None = None, readme: Path | None = None, expected: list[str] | None = None) -> None:
    path, readme = OUTPUT if path is None else path, README if readme is None else readme
    data["notebooks"] = dict(sorted(data["notebooks"].items()))
    Path(path).write_text(json.dumps(data, indent=2) + "\n")
    expected = [p.name for p in all_notebooks()] if expected is None else expected
    if Path(readme).exists():
        text = Path(readme).read_text()
        if START in text and END in text:
            summary = readme_summary(data, expected)
            text = re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _: summary, text, flags=re.S)
            Path(readme).write_text(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="how many runs in a row (default 3)")
    parser.add_argument("--workers", type=int, default=2, help="pytest-xdist workers (0: none; default 2)")
    parser.add_argument("--readme-only", action="store_true",
                        help="run nothing: rewrite README.md's flake-check summary from docs/flake_check.json")
    parser.add_argument("notebooks", nargs="*", help="notebooks to check (default: all, solutions included)")
    args = parser.parse_args(argv)
    if args.readme_only:
        save(json.loads(OUTPUT.read_text()) if OUTPUT.exists() else {"notebooks": {}})
        return 0
    if args.runs < 2:
        parser.error(f"--runs must be at least 2 to compare runs, got {args.runs}")
    missing = [p for p in args.notebooks if not (p.endswith(".ipynb") and Path(p).is_file())]
    if missing:
        parser.error(f"no such notebook: {', '.join(missing)}")
    paths = [Path(p).resolve() for p in args.notebooks] or all_notebooks()
    runs = []
    for number in range(1, args.runs + 1):
        start = time.perf_counter()
        results, summary = one_run(paths, args.workers)
        runs.append(results)
        print(f"run {number}: {summary} ({time.perf_counter() - start:.0f} s, load average "
              f"{machine.load_average()})", flush=True)
    data = json.loads(OUTPUT.read_text()) if OUTPUT.exists() else {"notebooks": {}}
    entries = summarise(paths, runs)
    data["notebooks"].update(entries)
    save(data)
    differing = {name: entry["differing_cells"] for name, entry in entries.items() if entry["differing_cells"]}
    checked = sum(entry["cells_checked"] for entry in entries.values())
    if not differing:
        print(f"no cell differed from its stored output in {args.runs} runs ({checked} cells each run); "
              f"wrote {OUTPUT}")
        return 0
    print("cells that differed from their stored output (runs failed / runs):")
    for name, cells in differing.items():
        for cell, info in cells.items():
            print(f"  {info['runs_failed']}/{args.runs} {info['kind']:6} {name} {cell} (cell {info['ipynb_cell']} "
                  "of the .ipynb)")
    return 1


if __name__ == "__main__":
    sys.exit(main())
