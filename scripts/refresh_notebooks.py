"""Re-execute notebooks in place, one at a time, top to bottom in a fresh kernel, on a quiet machine; strip noisy
metadata; record how and where each ran.

Usage: python -m scripts.refresh_notebooks [--allow-busy] [--max-load 1.5] [--wait 60] NOTEBOOK.ipynb [...]
       (make refresh NB=notebooks/03_keras_counting_example.ipynb)
This is the only way stored outputs are made: by running the notebook, never by editing it.

Quiet machine: the stored outputs print timings ("trained in 31.2 s") that the intro's "Time to run" must agree with
(tests/test_notebooks_stored.py), and a busy machine can change a training's course (more time-outs, other batches
per step). So before each notebook the 1-minute load average must be at most --max-load (1.5 on the course's 2-core
machine); if it is higher the script waits up to --wait seconds for it to fall, then refuses. `--allow-busy` (or the
environment variable COURSE_REFRESH_ALLOW_BUSY=1) runs anyway, and the notebook's metadata says so.

Recorded in the notebook's metadata `course_run`: when it ran, the load average before and after, whether the
busy-machine override was used, the CPU (model, instruction-set flags), Python/TensorFlow/Keras/NumPy versions, and
the run's wall and CPU seconds (the kernel's and nbconvert's, user + system). The figures the notebook records with
course_utils.runtime.record_figure, and which check cells held, go to docs/seed_check.json as offset 0.
After a refresh: look at every figure that changed (extract the PNGs) and reread the prose beside it.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from scripts import machine, seed_check
from scripts.repo_paths import REPO_ROOT

MAX_LOAD = 1.5
WAIT_SECONDS = 60
POLL_SECONDS = 10
ALLOW_BUSY_VARIABLE = "COURSE_REFRESH_ALLOW_BUSY"
METADATA_KEY = "course_run"
# nbstripout keeps other metadata by default; naming these also overrides a user's git config
# (filter.nbstripout.extrakeys) that would strip them.
KEEP_METADATA = "metadata.course_run cell.metadata.speaker_notes"


class BusyMachine(RuntimeError):
    """The load average stayed above the limit: outputs stored now would carry the other processes' timings."""


CELL_TIMEOUT = 1800  # seconds per cell; a store with --allow-busy ran a 3-minute search cell past 900 s at load 28


def wait_for_quiet(max_load: float, wait_seconds: float, load=machine.load_average, sleep=time.sleep,
                   say=print) -> float:
    """Return the load average once it is at most `max_load`, polling for up to `wait_seconds`; else BusyMachine."""
    waited = 0.0
    while True:
        current = load()
        if current <= max_load:
            return current
        if waited >= wait_seconds:
            raise BusyMachine(
                f"the 1-minute load average is {current:.2f}, above {max_load} after waiting {waited:.0f} s: stored "
                "outputs must come from a quiet machine (their timings, and the 'Time to run' header, issue 25). "
                f"Wait and retry, or pass --allow-busy (or {ALLOW_BUSY_VARIABLE}=1): the notebook's metadata "
                f"{METADATA_KEY} then records that it ran busy.")
        say(f"load average {current:.2f} > {max_load}: waiting (up to {wait_seconds:.0f} s in all)", flush=True)
        step = min(POLL_SECONDS, wait_seconds - waited)
        sleep(step)
        waited += step


def execute(path: Path, figures_file: Path) -> tuple[float, float]:
    """Run nbconvert --execute --inplace at seed offset 0; return (wall seconds, CPU seconds of it and its kernel)."""
    env = dict(os.environ)
    env.pop(seed_check.SEED_OFFSET_VARIABLE, None)  # stored outputs are those of offset 0, whatever the shell says
    env[seed_check.FIGURES_FILE_VARIABLE] = str(figures_file)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute", "--inplace",
         f"--ExecutePreprocessor.timeout={CELL_TIMEOUT}", "--ExecutePreprocessor.kernel_name=python3", str(path)],
        check=True, cwd=REPO_ROOT, env=env,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu


def strip(path: Path) -> None:
    """Keep outputs and execution counts (nbval compares them); drop timestamps and widget state."""
    subprocess.run([sys.executable, "-m", "nbstripout", "--keep-output", "--keep-count",
                    "--keep-metadata-keys", KEEP_METADATA, str(path)], check=True)


def refresh(path: Path, allow_busy: bool, max_load: float = MAX_LOAD, wait_seconds: float = WAIT_SECONDS) -> dict:
    """Refresh one notebook (see the module docstring); return the `course_run` record written into it."""
    import nbformat

    if allow_busy:
        load_before = machine.load_average()
        busy = load_before > max_load
        if busy:
            print(f"load average {load_before:.2f} > {max_load}: running anyway (--allow-busy, recorded)", flush=True)
    else:
        load_before, busy = wait_for_quiet(max_load, wait_seconds), False
    with tempfile.TemporaryDirectory() as folder:
        figures_file = Path(folder) / "figures.jsonl"
        wall, cpu = execute(path, figures_file)
        figures = seed_check.read_figures(figures_file)
    strip(path)
    run = {**machine.stamp(), "load_average_before": load_before, "max_load": max_load, "busy_override": busy,
           "wall_seconds": round(wall, 1), "cpu_seconds": round(cpu, 1)}
    notebook = nbformat.read(path, as_version=4)
    notebook.metadata[METADATA_KEY] = run
    nbformat.write(notebook, path)
    checks = {index: None for index, cell in enumerate(notebook.cells) if seed_check.is_check_cell(cell)}
    data = seed_check.load()  # the run stopped at any error, so every check cell held
    seed_check.record(data, path.name, 0, seed_check.offset_record(notebook, checks, figures, by="refresh"))
    seed_check.save(data)
    return run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebooks", nargs="+", help="the notebooks to refresh, in this order")
    parser.add_argument("--allow-busy", action="store_true",
                        help=f"run even if the machine is busy (also {ALLOW_BUSY_VARIABLE}=1); recorded")
    parser.add_argument("--max-load", type=float, default=MAX_LOAD, help=f"1-minute load average limit ({MAX_LOAD})")
    parser.add_argument("--wait", type=float, default=WAIT_SECONDS,
                        help=f"seconds to wait for the load to fall before refusing ({WAIT_SECONDS})")
    args = parser.parse_args(argv)
    # Every path is checked before anything runs: a typo in `make refresh NB=...` fails loudly instead of
    # refreshing nothing (or half of the list).
    missing = [p for p in args.notebooks if not (p.endswith(".ipynb") and Path(p).is_file())]
    if missing:
        parser.error(f"no such notebook: {', '.join(missing)}")
    allow_busy = args.allow_busy or os.environ.get(ALLOW_BUSY_VARIABLE, "").strip() in ("1", "true", "yes")
    for name in args.notebooks:
        path = Path(name).resolve()
        try:
            run = refresh(path, allow_busy, args.max_load, args.wait)
        except BusyMachine as error:
            print(f"refusing to refresh {name}: {error}", file=sys.stderr)
            return 3
        busy = " (BUSY machine: override recorded)" if run["busy_override"] else ""
        print(f"{name}: executed in {run['wall_seconds']:.1f} s wall, {run['cpu_seconds']:.1f} s CPU; load average "
              f"{run['load_average_before']} before, {run['load_average_after']} after{busy}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
