"""Run notebooks with other seeds and report, per check cell, for how many seeds its assertion held.

Seeding makes a notebook repeat; it does not make its claims true. `seed_everything(seed)` adds the
environment variable COURSE_SEED_OFFSET to its seed, so this script reruns each notebook unchanged with
offsets 1..K (the stored outputs stay those of offset 0). A check cell is a code cell that asserts or calls a
`check_*` function; one that fails for some offset states a claim that held only for the stored seed.

Usage: python scripts/seed_check.py [--seeds 3] [NOTEBOOK ...]     (make seed-check; default: every notebook)
Writes docs/seed_check.json (merged with earlier results for other notebooks) and prints a table.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repository's top folder, for scripts.repo_paths
from scripts.repo_paths import REPO_ROOT, all_notebooks  # noqa: E402

OUTPUT = REPO_ROOT / "docs" / "seed_check.json"
CHECK = re.compile(r"^\s*assert\b|\bcheck_\w+\(", re.M)


def is_check_cell(cell) -> bool:
    return cell.cell_type == "code" and bool(CHECK.search(cell.source)) and "raises-exception" not in cell.get(
        "metadata", {}).get("tags", [])


def run_with_offset(path: Path, offset: int) -> dict:
    """Execute one notebook with COURSE_SEED_OFFSET=offset; return {cell index: error name or None} for check cells."""
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    saved = os.environ.get("COURSE_SEED_OFFSET")
    os.environ["COURSE_SEED_OFFSET"] = str(offset)  # inherited by the kernel started below
    try:
        client = NotebookClient(notebook, timeout=900, kernel_name="python3", allow_errors=True,
                                resources={"metadata": {"path": str(path.parent)}})
        client.execute()
    finally:
        if saved is None:
            os.environ.pop("COURSE_SEED_OFFSET", None)
        else:
            os.environ["COURSE_SEED_OFFSET"] = saved
    results = {}
    for index, cell in enumerate(notebook.cells):
        if is_check_cell(cell):
            errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
            results[index] = f"{errors[0]['ename']}: {errors[0]['evalue']}"[:300] if errors else None
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, default=3, help="how many other seeds (offsets 1..K, default 3)")
    parser.add_argument("notebooks", nargs="*", help="notebooks to check (default: all, solutions included)")
    args = parser.parse_args()
    paths = [Path(p).resolve() for p in args.notebooks] or all_notebooks()
    data = json.loads(OUTPUT.read_text()) if OUTPUT.exists() else {"notebooks": {}}
    for path in paths:
        start = time.perf_counter()
        per_offset = {offset: run_with_offset(path, offset) for offset in range(1, args.seeds + 1)}
        cells = sorted({index for results in per_offset.values() for index in results})
        failures = {str(index): {str(offset): per_offset[offset][index] for offset in per_offset
                                 if per_offset[offset].get(index)} for index in cells}
        failures = {index: by_offset for index, by_offset in failures.items() if by_offset}
        held_everywhere = len(cells) - len(failures)
        data["notebooks"][path.name] = {"offsets": list(per_offset), "check_cells": len(cells),
                                        "held_for_every_offset": held_everywhere, "failures": failures,
                                        "measured_on": datetime.date.today().isoformat()}
        print(f"{path.name}: {held_everywhere}/{len(cells)} check cells held for offsets 1..{args.seeds} "
              f"({time.perf_counter() - start:.0f} s)", flush=True)
        for index, by_offset in failures.items():
            for offset, error in by_offset.items():
                print(f"    cell {index}, offset {offset}: {error}", flush=True)
        OUTPUT.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
