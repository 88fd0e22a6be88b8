"""Shared helpers for the tests that read notebooks as files (not a test module).

Where the notebooks are comes from scripts/repo_paths.py, the one module of repository paths that
scripts/, slides/ and tests/ share.
"""

from __future__ import annotations

import json
from pathlib import Path

from scripts.repo_paths import NOTEBOOKS_DIR, REPO_ROOT, course_notebooks, solution_notebooks

NOTEBOOKS = course_notebooks()
SOLUTIONS = solution_notebooks()
ALL_NOTEBOOKS = NOTEBOOKS + SOLUTIONS

__all__ = ["ALL_NOTEBOOKS", "NOTEBOOKS", "REPO_ROOT", "SOLUTIONS", "code_cells", "ids", "load", "source", "tags"]


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def source(cell: dict) -> str:
    text = cell.get("source", "")
    return "".join(text) if isinstance(text, list) else text


def code_cells(notebook: dict) -> list[dict]:
    return [c for c in notebook["cells"] if c["cell_type"] == "code" and source(c).strip()]


def tags(cell: dict) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def ids(paths: list[Path]) -> list[str]:
    return [str(p.relative_to(NOTEBOOKS_DIR)) for p in paths]
