"""Measure every notebook's execution time and peak memory; write docs/notebook_times.json and the README table.

Usage (from the top folder):
    python -m scripts.benchmark_notebooks                 # all notebooks (make bench)
    python -m scripts.benchmark_notebooks --install       # also time a fresh venv + pip install
    python -m scripts.benchmark_notebooks --full-suite    # also time `make test` in a fresh clone
    python -m scripts.benchmark_notebooks --only PATH...  # re-measure some notebooks, keep the others
    python -m scripts.benchmark_notebooks --site-only     # only time the website build (make site), keep the rest

Every full run also times building all slide decks (budget: a minute) and the website (`make site`, budget: two
minutes), when the slides' npm assets (and the site's packages, docs/requirements-site.txt) are installed.

Each notebook runs in a fresh process with a fresh kernel, so its peak memory is its own. Figures are
only as quiet as the machine: the load average before each run is recorded beside it, and so are the date and the
machine (CPU model and instruction-set flags) of each notebook's measurement. The file's top-level `measured_on` and
`machine` describe the last full run; `--only` changes only the notebooks it measures.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from scripts import machine as machine_info
from scripts.repo_paths import BENCHMARK_FILE, README, REPO_ROOT, WORKSHOP, all_notebooks

OUTPUT = BENCHMARK_FILE
START, END = "<!-- benchmark:start -->", "<!-- benchmark:end -->"


def run_one(path: Path) -> dict:
    """Execute one notebook (in this process, kernel as a child) and return its seconds and peak MB."""
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=900, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    # ru_maxrss of RUSAGE_CHILDREN: the largest reaped child, here the kernel (kilobytes on Linux).
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"seconds": round(seconds, 1), "peak_memory_mb": round(peak_mb)}


def measure(path: Path) -> dict:
    load = os.getloadavg()[0]
    result = subprocess.run([sys.executable, "-m", "scripts.benchmark_notebooks", "--one", str(path)],
                            capture_output=True, text=True, cwd=REPO_ROOT)
    if result.returncode != 0:
        raise RuntimeError(f"{path.name} failed to execute:\n{result.stderr[-3000:]}")
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    figures["load_average_before"] = round(load, 2)
    this = machine()
    figures.update(measured_on=datetime.date.today().isoformat(), cpu=this["cpu"], cpu_flags=this["cpu_flags"])
    return figures


def time_command(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed (exit {result.returncode}):\n{result.stdout[-3000:]}")
    return round(time.perf_counter() - start, 1)


def time_fresh_install() -> float:
    """Seconds for `python -m venv` + `pip install -r requirements.txt` (pip's cache, if any, is used)."""
    with tempfile.TemporaryDirectory() as folder:
        venv = Path(folder) / "venv"
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        time_command([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "-r", "requirements.txt"],
                     cwd=REPO_ROOT)
        return round(time.perf_counter() - start, 1)


def time_full_suite() -> float:
    """Seconds for `make test` (venv, install and the whole suite) in a fresh clone of HEAD."""
    with tempfile.TemporaryDirectory() as folder:
        clone = Path(folder) / "clone"
        subprocess.run(["git", "clone", "-q", str(REPO_ROOT), str(clone)], check=True)
        return time_command(["make", "test"], cwd=clone)


def time_slides_build() -> float | None:
    """Seconds to build every deck into a temporary folder (scripts/build_decks.py), None without npm assets."""
    if not (REPO_ROOT / "slides" / "node_modules" / "reveal.js").exists():
        return None
    with tempfile.TemporaryDirectory() as folder:
        return time_command([sys.executable, "-m", "scripts.build_decks", "--out", folder], cwd=REPO_ROOT)


def time_site_build() -> dict | None:
    """Seconds (wall and CPU) to build the website into an empty temporary folder (scripts/build_site.py, what
    `make site` runs once installed), with the load average before; None without MathJax or Sphinx installed."""
    if not (REPO_ROOT / "slides" / "node_modules" / "mathjax").exists():
        return None
    try:
        import myst_nb  # noqa: F401
    except ImportError:
        return None
    load = os.getloadavg()[0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with tempfile.TemporaryDirectory() as folder:
        seconds = time_command([sys.executable, "-m", "scripts.build_site", "--out", folder], cwd=REPO_ROOT)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return {"seconds": seconds, "cpu_seconds": round(cpu, 1), "load_average_before": round(load, 2),
            "measured_on": datetime.date.today().isoformat()}


def machine() -> dict:
    """This machine: CPU model and its instruction-set flags (scripts/machine.py), cores, memory, Python."""
    cpu = machine_info.cpu()
    memory_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    return {"cpu": cpu["model"], "cpu_flags": cpu["flags"], "cpu_count": os.cpu_count(), "memory_gb": round(memory_gb),
            "python": platform.python_version(), "system": f"{platform.system()} {platform.machine()}"}


def readme_table(data: dict) -> str:
    """The README's benchmark block. A notebook measured on another day or CPU than the last full run (--only) says
    so in its own column."""
    full_run = (data.get("measured_on"), data.get("machine", {}).get("cpu"))
    apart = {name: f"{figures.get('measured_on', full_run[0])}, {figures.get('cpu', full_run[1])}"
             for name, figures in data["notebooks"].items()
             if (figures.get("measured_on", full_run[0]), figures.get("cpu", full_run[1])) != full_run}
    header = "| notebook | time (s) | peak memory (MB) |" + (" measured apart |" if apart else "")
    rows = [header, "|---|---:|---:|" + ("---|" if apart else "")]
    for name, figures in data["notebooks"].items():
        row = f"| `{name}` | {figures['seconds']:.0f} | {figures['peak_memory_mb']} |"
        rows.append(row + (f" {apart.get(name, '')} |" if apart else ""))
    m = data["machine"]
    flags = ", ".join(flag for flag in m.get("cpu_flags") or [] if flag.startswith(("avx", "amx")))
    lines = [START, f"Measured by `make bench` on {data['measured_on']}: {m['cpu']}"
                    f"{f' ({flags})' if flags else ''}, {m['cpu_count']} cores, {m['memory_gb']} GB, "
                    f"Python {m['python']}, no GPU.", "", *rows, ""]
    if "fresh_install_seconds" in data:
        lines.append(f"- Fresh install (`python -m venv` + `pip install -r requirements.txt`, pip cache warm): "
                     f"{data['fresh_install_seconds']:.0f} s")
    if "slides_build_seconds" in data:
        lines.append(f"- Building every slide deck (`make slides`): {data['slides_build_seconds']:.0f} s")
    if "site_build" in data:
        site = data["site_build"]
        lines.append(f"- Building the website (`make site` once installed: Sphinx, slide decks, empty build folder): "
                     f"{site['seconds']:.0f} s wall, {site['cpu_seconds']:.0f} s CPU (on {site['measured_on']}, "
                     f"load average {site['load_average_before']} before)")
    if "make_test_seconds" in data:
        lines.append(f"- `make test` in a fresh clone (install + unit tests + every notebook, 2 workers): "
                     f"{data['make_test_seconds']:.0f} s")
    lines.append(END)
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--only", nargs="+", help="notebooks to re-measure; others keep their figures")
    parser.add_argument("--install", action="store_true", help="also time a fresh install")
    parser.add_argument("--full-suite", action="store_true", help="also time `make test` in a fresh clone")
    parser.add_argument("--site-only", action="store_true", help="only time the website build, keep the rest")
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(Path(args.one))))
        return 0

    data = json.loads(OUTPUT.read_text()) if OUTPUT.exists() else {"notebooks": {}}
    if args.site_only:
        site = time_site_build()
        if site is None:
            raise SystemExit("the site cannot be built here: run `make install` (MathJax from npm, Sphinx from pip)")
        data["site_build"] = site
        print(f"website built in {site['seconds']} s wall, {site['cpu_seconds']} s CPU", flush=True)
        save(data)
        return 0
    every_notebook = all_notebooks()
    missing = [p for p in args.only or [] if not (p.endswith(".ipynb") and Path(p).is_file())]
    if missing:
        parser.error(f"no such notebook: {', '.join(missing)}")
    chosen = [Path(p).resolve() for p in args.only] if args.only else every_notebook
    existing = {p.name for p in every_notebook}
    data["notebooks"] = {k: v for k, v in data["notebooks"].items() if k in existing}  # drop deleted ones
    for path in chosen:
        figures = measure(path)
        data["notebooks"][path.name] = figures
        print(f"{path.name}: {figures['seconds']:.1f} s, {figures['peak_memory_mb']} MB "
              f"(load before: {figures['load_average_before']})", flush=True)
    data["notebooks"] = dict(sorted(data["notebooks"].items()))
    if not args.only or "machine" not in data:  # the last full run's date and machine; --only leaves them alone
        data["measured_on"] = datetime.date.today().isoformat()
        data["machine"] = machine()
    if not args.only:
        slides_seconds = time_slides_build()
        if slides_seconds is not None:
            data["slides_build_seconds"] = slides_seconds
            print(f"slide decks built in {slides_seconds} s", flush=True)
        site = time_site_build()
        if site is not None:
            data["site_build"] = site
            print(f"website built in {site['seconds']} s", flush=True)
    save(data)  # the notebook figures are kept even if a longer step below fails
    state_measured_times(data, chosen)
    if args.install:
        data["fresh_install_seconds"] = time_fresh_install()
        print(f"fresh install: {data['fresh_install_seconds']} s", flush=True)
        save(data)
    if args.full_suite:
        data["make_test_seconds"] = time_full_suite()
        print(f"make test in a fresh clone: {data['make_test_seconds']} s", flush=True)
        save(data)
    return 0


STATED = re.compile(r"(\*\*Time to run:\*\* about )(\d+)( s)")
WORKSHOP_ROW = re.compile(r"^(\| (\d\d) [^|]+\| )(\d+)( s \|[^|]*?the solutions run in )?(\d+)?", re.MULTILINE)


def state_measured_times(data: dict, paths: list[Path], workshop: Path = WORKSHOP) -> None:
    """Write each measured notebook's seconds into its intro ("Time to run: about N s") and into
    docs/workshop.md's timetable, so no run time a learner reads is typed by hand."""
    import nbformat

    seconds = {name: round(figures["seconds"]) for name, figures in data["notebooks"].items()}
    for path in paths:
        notebook = nbformat.read(path, as_version=4)
        text = notebook.cells[0].source
        stated = STATED.sub(rf"\g<1>{seconds[path.name]}\g<3>", text, count=1)
        if stated != text:
            notebook.cells[0].source = stated
            nbformat.write(notebook, path)
    if workshop.exists():
        by_number = {name[:2]: value for name, value in seconds.items() if not name.endswith("_solutions.ipynb")}
        solutions = {name[:2]: value for name, value in seconds.items() if name.endswith("_solutions.ipynb")}

        def row(m: re.Match) -> str:
            number = m.group(2)
            text = m.group(1) + str(by_number.get(number, m.group(3)))
            if m.group(4):
                text += m.group(4) + str(solutions.get(number, m.group(5)))
            return text

        workshop.write_text(WORKSHOP_ROW.sub(row, workshop.read_text()))


def save(data: dict) -> None:
    """Write docs/notebook_times.json and the table between the benchmark markers of README.md."""
    OUTPUT.parent.mkdir(exist_ok=True)
    OUTPUT.write_text(json.dumps(data, indent=2) + "\n")
    text = README.read_text()
    if START in text and END in text:
        text = re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _: readme_table(data), text, flags=re.S)
        README.write_text(text)
    print(f"wrote {OUTPUT} and the table in README.md", flush=True)


if __name__ == "__main__":
    sys.exit(main())
