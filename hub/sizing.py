"""Per-learner limits and room sizes, computed from the course's measurements (never typed by hand).

Inputs: docs/notebook_times.json (each notebook's peak kernel memory, `make bench`) and docs/hub_load_test.json
(`make hub-load-test`: the single-user server's own memory, and CPU seconds of a learner's kernel per notebook).
Standard library only: jupyterhub_config.py imports it, so do the load test, the docs and tests/test_hub.py.
"""

from __future__ import annotations

import json
import math
import statistics
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_TIMES = REPO_ROOT / "docs" / "notebook_times.json"
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
