"""Re-execute notebooks in place, top to bottom in a fresh kernel, then strip noisy metadata.

Usage: python scripts/refresh_notebooks.py notebooks/03_keras_counting_example.ipynb [...]
This is the only way stored outputs are made: by running the notebook, never by editing it.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repository's top folder, for scripts.repo_paths
from scripts.repo_paths import REPO_ROOT  # noqa: E402


def refresh(path: Path) -> float:
    """Execute one notebook in place from its own folder and return the seconds it took."""
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute", "--inplace",
         "--ExecutePreprocessor.timeout=900", "--ExecutePreprocessor.kernel_name=python3", str(path)],
        check=True, cwd=REPO_ROOT,
    )
    seconds = time.perf_counter() - start
    # Keep outputs and execution counts (nbval compares them); drop timestamps and widget state.
    subprocess.run([sys.executable, "-m", "nbstripout", "--keep-output", "--keep-count", str(path)], check=True)
    return seconds


def main(arguments: list[str]) -> int:
    paths = [Path(a) for a in arguments if a.endswith(".ipynb") and Path(a).exists()]
    if not paths:
        print("usage: refresh_notebooks.py NOTEBOOK.ipynb [...]", file=sys.stderr)
        return 2
    for path in paths:
        print(f"{path}: executed in {refresh(path):.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
