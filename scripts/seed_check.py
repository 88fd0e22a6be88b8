"""Run notebooks with other seeds; record, per seed offset, which check cells held and the figures the notebook
recorded (docs/seed_check.json).

Seeding makes a notebook repeat; it does not make its claims true. `seed_everything(seed)` adds the environment
variable COURSE_SEED_OFFSET to its seed, so this script reruns each notebook unchanged with offsets 1..K (the stored
outputs stay those of offset 0). A check cell is a code cell that asserts or calls a `check_*` function; one that
fails for some offset states a claim that held only for the stored seed.

Figures: a notebook calls `course_utils.runtime.record_figure("LSTM test accuracy", accuracy)`; for each run this
script points COURSE_FIGURES_FILE at a fresh file and keeps what was recorded, per offset. Offset 0 is recorded by
`make refresh` (scripts/refresh_notebooks.py), the run whose outputs are stored, so its figures are exactly the
printed ones and cost no extra run; `--include-offset-0` reruns it here too (e.g. for a notebook stored before it
recorded figures). Each offset's record says when, on which CPU (model, instruction-set flags) and with which
versions it ran, and a hash of the notebook's code, so a stale record shows.

CPUs: a notebook's "offsets" hold the records of the CPU its stored run (offset 0) came from; a seed check on
another CPU goes to "other_cpus", {CPU name: {offset: record}}, so that it neither replaces those records nor is
lost (trained figures move from one CPU to another, and prose may quote either). A check cell counts as held only if
it held at every offset from 1 up on every CPU. Storing the notebook on another CPU swaps the two.

Usage: python -m scripts.seed_check [--seeds 3] [--include-offset-0] [NOTEBOOK ...]
       (make seed-check; default: every notebook, solutions included)
Writes docs/seed_check.json (merged with earlier results: other notebooks and other offsets are kept) and the
table between the seed-check markers of README.md.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys
import tempfile
import time
from pathlib import Path

from scripts import machine
from scripts.repo_paths import README, SEED_CHECK_FILE, all_notebooks

OUTPUT = SEED_CHECK_FILE
CHECK = re.compile(r"^\s*assert\b|\bcheck_\w+\(", re.M)
FIGURES_FILE_VARIABLE = "COURSE_FIGURES_FILE"  # course_utils.runtime reads it (not imported here: no TensorFlow)
SEED_OFFSET_VARIABLE = "COURSE_SEED_OFFSET"
HELD = "held"
START, END = "<!-- seed-check:start -->", "<!-- seed-check:end -->"
MIGRATED_NOTE = "recorded before per-cell results, figures and the CPU were kept (migrated, 2026-12)"


def source(cell) -> str:
    text = cell.get("source", "")
    return "".join(text) if isinstance(text, list) else text


def is_check_cell(cell) -> bool:
    return cell.get("cell_type") == "code" and bool(CHECK.search(source(cell))) and "raises-exception" not in cell.get(
        "metadata", {}).get("tags", [])


def code_hash(notebook) -> str:
    """SHA-256 of the notebook's code cells (sources only): a record whose hash differs ran other code."""
    code = "\n\x00".join(source(c) for c in notebook["cells"] if c.get("cell_type") == "code")
    return hashlib.sha256(code.encode()).hexdigest()[:16]


def read_figures(path: Path) -> dict[str, float]:
    """The figures record_figure appended to `path` (one JSON line each); a name recorded twice keeps the last."""
    figures: dict[str, float] = {}
    if Path(path).exists():
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            if line.strip():
                entry = json.loads(line)
                figures[entry["name"]] = entry["value"]
    return figures


def offset_record(notebook, check_results: dict[int, str | None], figures: dict[str, float], by: str) -> dict:
    """What one run at one offset leaves in docs/seed_check.json."""
    cells = {str(index): (HELD if error is None else error) for index, error in sorted(check_results.items())}
    return {**machine.stamp(day=True, load=False), "by": by, "code_sha256": code_hash(notebook), "check_cells": cells,
            "held": sum(result == HELD for result in cells.values()), "figures": dict(sorted(figures.items()))}


def run_with_offset(path: Path, offset: int, cell_timeout: int = 1800) -> dict:
    """Execute one notebook with COURSE_SEED_OFFSET=offset (errors allowed); return its offset record."""
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    saved = {name: os.environ.get(name) for name in (SEED_OFFSET_VARIABLE, FIGURES_FILE_VARIABLE)}
    with tempfile.TemporaryDirectory() as folder:
        figures_file = Path(folder) / "figures.jsonl"
        os.environ[SEED_OFFSET_VARIABLE] = str(offset)  # both inherited by the kernel started below
        os.environ[FIGURES_FILE_VARIABLE] = str(figures_file)
        try:
            client = NotebookClient(notebook, timeout=cell_timeout, kernel_name="python3", allow_errors=True,
                                    resources={"metadata": {"path": str(path.parent)}})
            client.execute()
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
        figures = read_figures(figures_file)
    results = {}
    for index, cell in enumerate(notebook.cells):
        if is_check_cell(cell):
            errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
            results[index] = f"{errors[0]['ename']}: {errors[0]['evalue']}"[:300] if errors else None
    return offset_record(notebook, results, figures, by="seed check")


# ----------------------------------------------------------------------------- docs/seed_check.json

def migrate(entry: dict) -> dict:
    """An entry of the first format (pass/fail counts, "offsets": [1, 2, 3]) in the current one, data kept."""
    if isinstance(entry.get("offsets"), dict):
        return entry
    failing = {}
    for by_offset in entry.get("failures", {}).values():
        for offset in by_offset:
            failing[str(offset)] = failing.get(str(offset), 0) + 1
    entry = dict(entry)
    entry["offsets"] = {
        str(offset): {"measured_on": entry.get("measured_on"), "by": "seed check", "cpu": None, "versions": None,
                      "code_sha256": None, "check_cells": None,
                      "held": entry.get("check_cells", 0) - failing.get(str(offset), 0), "figures": {},
                      "note": MIGRATED_NOTE}
        for offset in entry.get("offsets", [])}
    return entry


def load(path: Path | None = None) -> dict:
    path = OUTPUT if path is None else path
    data = json.loads(Path(path).read_text()) if Path(path).exists() else {"notebooks": {}}
    data["notebooks"] = {name: migrate(entry) for name, entry in data.get("notebooks", {}).items()}
    return data


def notebook_now(notebook_name: str | None) -> dict | None:
    """The notebook of that file name as it is now in the repository, None if there is none."""
    path = next((path for path in all_notebooks() if path.name == notebook_name), None)
    return None if path is None else json.loads(path.read_text())


def current_code(entry: dict, notebook_name: str | None = None) -> str | None:
    """The code the entry's summary speaks for: the notebook's as it is now in the repository; for a name not
    found there, the stored run's (offset 0), else the newest record's."""
    notebook = notebook_now(notebook_name)
    if notebook is not None:
        return code_hash(notebook)
    offsets = entry["offsets"]
    if offsets.get("0", {}).get("code_sha256"):
        return offsets["0"]["code_sha256"]
    dated = [record for record in offsets.values() if record.get("code_sha256")]
    return max(dated, key=lambda record: record["measured_on"] or "")["code_sha256"] if dated else None


def check_cells_now(notebook_name: str | None) -> list[str] | None:
    """The indices (among all cells, as strings) of the notebook's check cells as it is now, None if not found."""
    notebook = notebook_now(notebook_name)
    if notebook is None:
        return None
    return [str(index) for index, cell in enumerate(notebook["cells"]) if is_check_cell(cell)]


def renumbered(record_cells: dict, check_cells: list[str] | None) -> dict:
    """A record's results keyed by the check cells' indices as the notebook is now. A record run on the same code
    has the same check cells in the same order, but a markdown cell added or removed since moves their indices
    (keys are indices among all cells): the k-th key is the k-th check cell."""
    keys = sorted(record_cells, key=int)
    if check_cells is None or keys == check_cells or len(keys) != len(check_cells):
        return record_cells
    return {new: record_cells[old] for old, new in zip(keys, check_cells, strict=True)}


def _cpu_name(cpu: dict | None) -> str:
    if not cpu:
        return "not recorded"
    return cpu["model"] + (" (AVX-512)" if "avx512f" in (cpu.get("flags") or []) else "")


def own_cpu(entry: dict) -> str | None:
    """The CPU whose records are the entry's "offsets": the stored run's (offset 0), else that of any of them."""
    cpus = [record["cpu"] for _, record in sorted(entry["offsets"].items(), key=lambda item: int(item[0]))
            if record.get("cpu")]
    return _cpu_name(cpus[0]) if cpus else None


def labelled_records(entry: dict) -> dict[str, dict]:
    """Every record of the entry by label: "1" for the entry's own CPU, "1 on AMD EPYC" for another."""
    labelled = dict(entry["offsets"])
    for cpu, offsets in entry.get("other_cpus", {}).items():
        labelled.update({f"{offset} on {cpu}": record for offset, record in offsets.items()})
    return labelled


def grouped(labels: list[str], own: str | None = None) -> str:
    """Labels as the README writes them: "1, 2 on Intel...; 1, 2, 3 on AMD EPYC" (the stored run's CPU, `own`, named
    only when given)."""
    by_cpu: dict[str, list[str]] = {}
    for label in labels:
        offset, _, cpu = label.partition(" on ")
        by_cpu.setdefault(cpu or (own or ""), []).append(offset)
    return "; ".join(", ".join(offsets) + (f" on {cpu}" if cpu else "") for cpu, offsets in by_cpu.items())


def place(entry: dict, offset: int | str, incoming: dict, wins=lambda incoming, current: True,
          stored_run: bool = False) -> None:
    """Put a record among its CPU's records ("offsets" for the stored run's CPU, "other_cpus" for another), where
    wins(incoming, current record or None) says whether it replaces the one there. A new stored run (`make refresh`)
    on another CPU makes that CPU the entry's own: its records and the former own ones swap places."""
    offset, others = str(offset), entry.setdefault("other_cpus", {})
    own, cpu = own_cpu(entry), _cpu_name(incoming.get("cpu"))
    foreign = incoming.get("cpu") is not None and own is not None and cpu != own
    if foreign and stored_run and offset == "0" and wins(incoming, entry["offsets"].get("0")):
        entry["offsets"], others[own] = others.pop(cpu, {}), {**others.get(own, {}), **entry["offsets"]}
        foreign = False
    target = others.setdefault(cpu, {}) if foreign else entry["offsets"]
    if wins(incoming, target.get(offset)):
        target[offset] = incoming
    entry["offsets"] = dict(sorted(entry["offsets"].items(), key=lambda item: int(item[0])))
    entry["other_cpus"] = {name: dict(sorted(records.items(), key=lambda item: int(item[0])))
                           for name, records in sorted(others.items()) if records}
    if not entry["other_cpus"]:
        del entry["other_cpus"]


def summarise(entry: dict, notebook_name: str | None = None) -> dict:
    """Recompute the entry's summary (check cells, how many held for every offset >= 1 on every CPU, failures by
    cell and offset, the latest date) from the offset records run on the current code; offsets run on other code (or
    migrated from the first format, code unknown) are listed as stale and counted nowhere. An entry with only
    migrated records keeps its recorded summary."""
    others = {label: record for label, record in labelled_records(entry).items() if label != "0"}  # not the stored run
    if not others or all(record.get("check_cells") is None for record in others.values()):
        return entry
    code, check_cells = current_code(entry, notebook_name), check_cells_now(notebook_name)
    for record in labelled_records(entry).values():
        if record.get("check_cells") is not None and record.get("code_sha256") == code:
            record["check_cells"] = renumbered(record["check_cells"], check_cells)
    current = {offset: record for offset, record in others.items()
               if record.get("check_cells") is not None and record.get("code_sha256") == code}
    cells = sorted({cell for record in current.values() for cell in record["check_cells"]}, key=int)
    failures = {cell: {label: record["check_cells"][cell] for label, record in current.items()
                       if record["check_cells"].get(cell, HELD) != HELD} for cell in cells}
    failures = {cell: by_offset for cell, by_offset in failures.items() if by_offset}
    entry.update(check_cells=len(cells), held_for_every_offset=len(cells) - len(failures), failures=failures,
                 offsets_on_current_code=list(current),
                 stale_offsets=[label for label in others if label not in current],
                 measured_on=max((record["measured_on"] for record in current.values()), default=None))
    return entry


def record(data: dict, notebook_name: str, offset: int, result: dict) -> dict:
    """Put one offset's record into the data (replacing that offset's earlier one on the same CPU) and update the
    summary."""
    entry = data["notebooks"].setdefault(notebook_name, {"offsets": {}})
    place(entry, offset, result, stored_run=result.get("by") == "refresh")
    summarise(entry, notebook_name)
    return data


def _rank(record: dict, code: str | None) -> tuple:
    """How much a record counts when two copies disagree: run on the current code first, then the later date."""
    return record.get("code_sha256") == code, record.get("measured_on") or ""


def merge(data: dict, other: dict) -> dict:
    """Fold another copy of docs/seed_check.json (e.g. a branch's, either format) into `data`: per notebook, CPU and
    offset, a record run on the notebook's current code beats one that is not (a branch's copy also carries its
    older records of notebooks it never touched); between equals the later record wins, the incoming one on the
    same day. A notebook only in `other` is taken whole."""
    for name, entry in other.get("notebooks", {}).items():
        entry = migrate(entry)
        mine = data["notebooks"].get(name)
        if mine is None:
            data["notebooks"][name] = entry
            continue
        code = current_code(mine, name)

        def wins(new, old, code=code):
            return old is None or _rank(new, code) >= _rank(old, code)

        for offset, incoming in entry["offsets"].items():  # the other copy's stored run first: it may swap CPUs
            place(mine, offset, incoming, wins, stored_run=offset == "0" and incoming.get("by") == "refresh")
        for records in entry.get("other_cpus", {}).values():
            for offset, incoming in records.items():
                place(mine, offset, incoming, wins)
        if all(record.get("check_cells") is None for record in mine["offsets"].values()):
            mine.update({key: entry[key] for key in ("check_cells", "held_for_every_offset", "failures",
                                                      "measured_on") if key in entry})
        summarise(mine, name)
    return data


def readme_table(data: dict) -> str:
    """The README's seed-check block: per notebook, check cells held, offsets run (dates), figures, CPU."""
    rows = ["| notebook | check cells held at every offset 1+ | offsets run | on | figures recorded | CPU |",
            "|---|---:|---|---|---:|---|"]
    for name, entry in sorted(data["notebooks"].items()):
        summarise(entry, name)  # against the notebook's code as it is now: an edit since the run makes it stale
        offsets, every = entry["offsets"], labelled_records(entry)
        dates = sorted({record["measured_on"] for record in every.values() if record.get("measured_on")})
        cpus = list(dict.fromkeys(_cpu_name(record.get("cpu")) for record in every.values()))
        figures = sum(len(record.get("figures", {})) for record in every.values())
        others = [label for label in every if label != "0"]
        own = own_cpu(entry) if entry.get("other_cpus") else None  # named only beside another CPU
        run = ", ".join(offsets) + "".join(f"; on {cpu}: {', '.join(records)}"
                                           for cpu, records in entry.get("other_cpus", {}).items())
        held = f"{entry['held_for_every_offset']} / {entry['check_cells']}" if others else "not run yet"
        if others and all(every[label].get("check_cells") is None for label in others):
            if offsets.get("0", {}).get("code_sha256"):  # stored again since: the old records may be another notebook
                held = f"rerun: offsets {', '.join(others)} are first-format records, older than the stored run"
            else:
                held += " (first-format records: which code ran is not known)"
        elif entry.get("stale_offsets"):
            on_current = grouped(entry["offsets_on_current_code"], own)
            held = (f"{held} at offsets {on_current}" if entry["offsets_on_current_code"] else "none run") + \
                f"; offsets {grouped(entry['stale_offsets'], own)} ran older code: rerun"
        rows.append(f"| `{name.removesuffix('.ipynb')}` | {held} | {run} | "
                    f"{' to '.join(dict.fromkeys([dates[0], dates[-1]])) if dates else '?'} | {figures} | "
                    f"{'; '.join(cpus)} |")
    failing = [f"- `{name}` cell {cell}, offset {offset}: {error}" for name, entry in sorted(data["notebooks"].items())
               for cell, by_offset in entry.get("failures", {}).items() for offset, error in by_offset.items()]
    lines = [START, "Written by `make seed-check` (scripts/seed_check.py) from docs/seed_check.json: offset 0 is the "
                    "stored run (recorded by `make refresh`), offsets 1 and up rerun the notebook with every seed "
                    "shifted; a check cell counts as held if it held at every offset from 1 up, on every CPU the "
                    "seed check ran on (offsets run on a CPU other than the stored run's are named with it).", "",
                    *rows, ""]
    lines += (["Check cells that failed:", *failing] if failing else ["No check cell failed at any offset."])
    return "\n".join([*lines, END])


def save(data: dict, path: Path | None = None) -> None:
    """Write docs/seed_check.json."""
    data["notebooks"] = dict(sorted(data["notebooks"].items()))
    Path(OUTPUT if path is None else path).write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")


def write_readme(data: dict, readme: Path | None = None) -> None:
    """Write the table between the seed-check markers of README.md (if present) from the data. `make seed-check`
    does it after each notebook; `python -m scripts.seed_check --readme-only` redoes it from docs/seed_check.json
    alone (e.g. after merging branches that each ran the seed check on their notebooks)."""
    readme = README if readme is None else readme
    if Path(readme).exists():
        text = Path(readme).read_text()
        if START in text and END in text:
            text = re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _: readme_table(data), text, flags=re.S)
            Path(readme).write_text(text)


def existing_notebooks(paths: list[str], parser: argparse.ArgumentParser) -> list[Path]:
    """The notebooks named on the command line, resolved; a name that is not a notebook file stops everything."""
    missing = [p for p in paths if not (p.endswith(".ipynb") and Path(p).is_file())]
    if missing:
        parser.error(f"no such notebook: {', '.join(missing)}")
    return [Path(p).resolve() for p in paths]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, default=3, help="how many other seeds (offsets 1..K, default 3)")
    parser.add_argument("--include-offset-0", action="store_true",
                        help="also rerun offset 0 (normally recorded by make refresh, the stored run)")
    parser.add_argument("--readme-only", action="store_true",
                        help="run nothing: recompute the summaries of docs/seed_check.json for the notebooks as they "
                             "are now, and rewrite README.md's seed-check table from it")
    parser.add_argument("--merge", nargs="+", metavar="FILE", type=Path,
                        help="run nothing: fold these copies of docs/seed_check.json (e.g. `git show "
                             "BRANCH:docs/seed_check.json > FILE`) into it, the later record per CPU and offset "
                             "winning")
    parser.add_argument("--cell-timeout", type=int, default=1800, metavar="SECONDS",
                        help="give up on a cell after this long (default 1800: a loaded machine runs cells slowly)")
    parser.add_argument("notebooks", nargs="*", help="notebooks to check (default: all, solutions included)")
    args = parser.parse_args(argv)
    if args.merge:
        data = load()
        for other in args.merge:
            merge(data, json.loads(other.read_text()))
        save(data)
        write_readme(data)
        return 0
    if args.readme_only:  # the summaries first: a notebook's cells may have moved since its records were made
        data = load()
        for name, entry in data["notebooks"].items():
            summarise(entry, name)
        save(data)
        write_readme(data)
        return 0
    if args.seeds < 1:
        parser.error(f"--seeds must be at least 1, got {args.seeds}")
    paths = existing_notebooks(args.notebooks, parser) or all_notebooks()
    offsets = range(0 if args.include_offset_0 else 1, args.seeds + 1)
    for path in paths:
        start = time.perf_counter()
        for offset in offsets:
            result = run_with_offset(path, offset, args.cell_timeout)
            data = load()  # read after the run, which takes minutes: a run of another notebook may have saved meanwhile
            record(data, path.name, offset, result)
            save(data)
            write_readme(data)
        entry = data["notebooks"][path.name]
        print(f"{path.name}: {entry['held_for_every_offset']}/{entry['check_cells']} check cells held at every "
              f"offset on the current code, on every CPU ({time.perf_counter() - start:.0f} s)", flush=True)
        for cell, by_offset in entry["failures"].items():
            for offset, error in by_offset.items():
                print(f"    cell {cell}, offset {offset}: {error}", flush=True)
        hashes = {record["code_sha256"] for record in labelled_records(entry).values() if record.get("code_sha256")}
        if len(hashes) > 1:
            print("    note: the offsets' records come from different versions of the notebook's code "
                  "(refresh it, or rerun with --include-offset-0)", flush=True)
        figures = {label: record["figures"] for label, record in labelled_records(entry).items() if record["figures"]}
        for offset, values in figures.items():
            print(f"    offset {offset}: " + ", ".join(f"{k} = {v:g}" for k, v in values.items()), flush=True)
    print(f"wrote {OUTPUT}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
