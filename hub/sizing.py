"""Per-learner limits and room sizes, computed from the course's measurements (never typed by hand).

Inputs: docs/notebook_times.json (each notebook's peak kernel memory, `make bench`) and docs/hub_load_test.json
(`make hub-load-test`: the single-user server's own memory, and CPU seconds of a learner's kernel per notebook).
Standard library only: jupyterhub_config.py imports it (as hub.sizing, with the course folder on PYTHONPATH: `make hub`
sets it), so do the load test, the docs and tests/test_hub.py. The benchmark's path comes from course_utils.layout,
which is standard library only too.
"""

from __future__ import annotations

import json
import math
import statistics
from pathlib import Path

from course_utils.layout import BENCHMARK_RELATIVE_PATH

REPO_ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_TIMES = REPO_ROOT / BENCHMARK_RELATIVE_PATH
LOAD_TEST = REPO_ROOT / "docs" / "hub_load_test.json"
ROUND_MB = 256  # limits are rounded up to a quarter of a GiB
# Used only until docs/hub_load_test.json exists: the single-user server (jupyter_server + JupyterLab, no kernel).
SERVER_MB_BEFORE_MEASURING = 150


def _round_up(megabytes: float) -> int:
    return int(math.ceil(megabytes / ROUND_MB) * ROUND_MB)


def notebook_peaks(path: Path = NOTEBOOK_TIMES) -> dict[str, int]:
    """Peak kernel memory (MB) of each notebook, as measured by `make bench`."""
    notebooks = json.loads(Path(path).read_text())["notebooks"]
    return {name: int(figures["peak_memory_mb"]) for name, figures in notebooks.items()}


def server_mb(path: Path = LOAD_TEST) -> int:
    """The single-user server's own peak memory (MB) in the load test; a stated default before one has run."""
    if not Path(path).exists():
        return SERVER_MB_BEFORE_MEASURING
    return int(json.loads(Path(path).read_text())["server_peak_mb"])


def learner_memory(peaks: dict[str, int] | None = None, server: int | None = None) -> dict[str, int]:
    """Guarantee and limit for one learner, in MB, with the figures they come from.

    limit: the heaviest notebook's kernel, plus a second open kernel at the median notebook's peak (a learner often
    has the notebook and its solutions, or the previous notebook, open), plus the single-user server itself.
    guarantee: one kernel at the median notebook's peak plus the server: what a learner holds most of the day.
    """
    peaks = notebook_peaks() if peaks is None else peaks
    if not isinstance(peaks, dict) or not peaks:
        raise ValueError("peaks must be a non-empty dict of notebook name to MB")
    server = server_mb() if server is None else server
    if not isinstance(server, int) or server <= 0:
        raise ValueError(f"server must be a positive number of MB, got {server!r}")
    heaviest = max(peaks.values())
    median = int(statistics.median(peaks.values()))
    return {
        "heaviest_notebook_mb": heaviest,
        "heaviest_notebook": max(peaks, key=peaks.get),
        "median_notebook_mb": median,
        "server_mb": server,
        "limit_mb": _round_up(heaviest + median + server),
        "guarantee_mb": _round_up(median + server),
    }


# CPU is a policy over measured seconds, not a measured figure: a learner may use one core at most (the config keeps
# TensorFlow to one thread, so more would not help), and is guaranteed half of one, i.e. when every learner runs at
# once, a notebook takes at most twice its time alone.
CPU_LIMIT = 1.0
CPU_GUARANTEE = 0.5
STAGGER_SECONDS = 600  # "staggered": the room's learners start the same notebook spread over 10 minutes


def room(learners: int, cpu_seconds: float, peak_mb: int, memory: dict | None = None) -> dict:
    """Cores and memory for `learners` running one notebook, from its measured kernel CPU seconds and peak MB.

    simultaneous: everyone presses "run all" together. With CPU_GUARANTEE cores each, the run takes
    cpu_seconds / CPU_GUARANTEE (one thread per kernel: alone, a notebook takes about its CPU seconds).
    staggered: starts spread over STAGGER_SECONDS; enough cores for the average demand over that window.
    Memory does not shrink with staggering: a kernel holds its memory until it is shut down or culled, so every
    learner's kernel counts (expected: the notebook's peak + the server; worst case: every learner at the limit).
    """
    if not isinstance(learners, int) or learners < 1:
        raise ValueError(f"learners must be a positive integer, got {learners!r}")
    if cpu_seconds <= 0 or peak_mb <= 0:
        raise ValueError(f"cpu_seconds and peak_mb must be positive, got {cpu_seconds!r}, {peak_mb!r}")
    memory = learner_memory() if memory is None else memory
    return {
        "learners": learners,
        "cores_simultaneous": math.ceil(learners * CPU_GUARANTEE),
        "seconds_simultaneous": round(cpu_seconds / CPU_GUARANTEE),
        "cores_staggered": math.ceil(learners * cpu_seconds / STAGGER_SECONDS),
        "memory_expected_gb": round(learners * (peak_mb + memory["server_mb"]) / 1024, 1),
        "memory_at_limits_gb": round(learners * memory["limit_mb"] / 1024, 1),
    }
