"""Where things are in a clone of the course: one place for scripts/ and tests/ (not part of course_utils).

Import it as `scripts.repo_paths` from the repository's top folder: the tools run as `python -m scripts.NAME` from
there (the Makefile does), and pytest puts that folder on sys.path (`pythonpath` in pyproject.toml). Paths the
package itself needs (the benchmark file, which notebook 00 reads) come from course_utils.layout.
"""

from __future__ import annotations

from pathlib import Path

from course_utils.layout import BENCHMARK_RELATIVE_PATH, NOTEBOOKS_RELATIVE_PATH

REPO_ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS_DIR = REPO_ROOT / NOTEBOOKS_RELATIVE_PATH
SOLUTIONS_DIR = NOTEBOOKS_DIR / "solutions"
BENCHMARK_FILE = REPO_ROOT / BENCHMARK_RELATIVE_PATH
SEED_CHECK_FILE = REPO_ROOT / "docs" / "seed_check.json"
FLAKE_CHECK_FILE = REPO_ROOT / "docs" / "flake_check.json"
README = REPO_ROOT / "README.md"
WORKSHOP = REPO_ROOT / "docs" / "workshop.md"
SCRATCH = REPO_ROOT / "scratch"  # git-ignored: everything the notebooks, tests and scripts write goes here
NOTEBOOK_GLOB = "[0-9][0-9]_*.ipynb"


def course_notebooks() -> list[Path]:
    """notebooks/NN_slug.ipynb in teaching order."""
    return sorted(NOTEBOOKS_DIR.glob(NOTEBOOK_GLOB))


def solution_notebooks() -> list[Path]:
    """notebooks/solutions/NN_slug_solutions.ipynb in teaching order."""
    return sorted(SOLUTIONS_DIR.glob(NOTEBOOK_GLOB))


def all_notebooks() -> list[Path]:
    """The course notebooks, then their solutions: what CI executes."""
    return course_notebooks() + solution_notebooks()
