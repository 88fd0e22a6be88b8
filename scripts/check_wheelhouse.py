"""Rehearse a workshop's offline install: a wheelhouse made once with network, installed with none.

1. `pip download -r requirements.txt -d WHEELHOUSE` (with network), without the `-e .` line: given that
   line, `pip download` zips the whole clone into the wheelhouse (.venv and all: 667 MB here). Plus
   setuptools, which pip needs to build the course's own package from the clone and does not fetch.
2. A fresh venv, then `pip install --no-index --find-links WHEELHOUSE -r requirements.txt` run from the
   clone (so `-e .` installs course_utils from it), inside `unshare --net` when this runs as root, so the
   rehearsal proves that nothing came from the network.
3. A smoke test in that venv: import course_utils, keras and tensorflow, run a tiny LSTM on the CPU.
Prints the timings and the wheelhouse size (docs/workshop.md quotes them). Everything happens in a
temporary folder (or --work DIR), removed afterwards unless --keep.

Usage: python -m scripts.check_wheelhouse [--work DIR] [--keep]   (from the top folder)
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from scripts.repo_paths import REPO_ROOT

SMOKE_TEST = (
    "import os; os.environ['TF_CPP_MIN_LOG_LEVEL'] = '2'\n"
    "import numpy as np, keras, tensorflow as tf, course_utils\n"
    "from course_utils.counting import counting_data\n"
    "x, y = counting_data(10)\n"
    "out = keras.layers.LSTM(4)(np.zeros((2, 5, 3), dtype='float32'))\n"
    "print('smoke test ok: keras', keras.__version__, 'tensorflow', tf.__version__, 'output', tuple(out.shape))\n"
)


def run(command: list[str], offline: bool = False, **kwargs) -> float:
    """Run a command (in a network namespace without network if asked); return its wall time."""
    if offline:
        command = ["unshare", "--net", *command]
    print("$", " ".join(command), flush=True)
    start = time.perf_counter()
    subprocess.run(command, check=True, **kwargs)
    return time.perf_counter() - start


def can_go_offline() -> bool:
    return os.geteuid() == 0 and shutil.which("unshare") is not None and subprocess.run(
        ["unshare", "--net", "true"], capture_output=True).returncode == 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, help="folder for the wheelhouse and the venv (default: a temp folder)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    arguments = parser.parse_args(argv)
    work = arguments.work or Path(tempfile.mkdtemp(prefix="wheelhouse-check-"))
    work.mkdir(parents=True, exist_ok=True)
    wheelhouse, venv = work / "wheelhouse", work / "venv"
    offline = can_go_offline()
    try:
        figures: dict[str, object] = {"date": time.strftime("%Y-%m-%d"), "python": sys.version.split()[0]}
        wheels_only = work / "requirements-wheels.txt"
        lines = (REPO_ROOT / "requirements.txt").read_text().splitlines()
        wheels_only.write_text("\n".join(line for line in lines if not line.startswith("-e")) + "\n")
        figures["download_seconds"] = round(run(
            [sys.executable, "-m", "pip", "download", "-q", "-r", str(wheels_only), "-d", str(wheelhouse)],
            cwd=REPO_ROOT) + run(
            [sys.executable, "-m", "pip", "download", "-q", "setuptools>=77", "-d", str(wheelhouse)],
            cwd=REPO_ROOT), 1)
        files = list(wheelhouse.iterdir())
        figures["wheelhouse_files"] = len(files)
        figures["wheelhouse_mb"] = round(sum(f.stat().st_size for f in files) / 1e6)
        figures["venv_seconds"] = round(run([sys.executable, "-m", "venv", str(venv)]), 1)
        python = str(venv / "bin" / "python")
        # --isolated: ignore the user's and the machine's pip configuration (extra indexes, find-links),
        # as a laptop in the room would have none; the wheelhouse is the only source.
        figures["offline_install_seconds"] = round(run(
            [python, "-m", "pip", "install", "--isolated", "-q", "--no-index", "--find-links", str(wheelhouse),
             "-r", "requirements.txt"], offline=offline, cwd=REPO_ROOT), 1)
        figures["network_off_during_install"] = offline
        run([python, "-c", SMOKE_TEST], offline=offline, cwd=work)
        print(json.dumps(figures, indent=2))
    finally:
        if not arguments.keep:
            shutil.rmtree(work, ignore_errors=True)
        # `pip install -e .` from the clone leaves build metadata in it; it is git-ignored (*.egg-info).
    return 0


if __name__ == "__main__":
    sys.exit(main())
