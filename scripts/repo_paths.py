"""Where things are in a clone of the course: one place for scripts/, slides/ and tests/ (not part of course_utils).

The teaching package does not know about the repository; these tools do. Import it as `scripts.repo_paths`
with the repository's top folder on sys.path (pytest puts it there; scripts and slides/build_decks.py add it).
"""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS_DIR = REPO_ROOT / "notebooks"
SOLUTIONS_DIR = NOTEBOOKS_DIR / "solutions"
BENCHMARK_FILE = REPO_ROOT / "docs" / "notebook_times.json"
README = REPO_ROOT / "README.md"
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
