"""ruff is clean on the helpers, the tests, the scripts, the notebooks, the slide and site builds, the hub; and the
.py files keep PEP 8's blank lines (ruff's E3 rules, in preview): the formatting check. `ruff format --check` would
reformat most files (quotes, wrapping) and the notebooks' stored sources, so the blank-line rules stand for it."""

import subprocess
import sys

from scripts.repo_paths import REPO_ROOT

FOLDERS = ["course_utils", "tests", "scripts", "notebooks", "slides", "site", "hub"]
# The formatting check, as `make lint` runs it: the .py files only (a notebook's cells are its stored sources).
BLANK_LINES = ["check", "--preview", "--select", "E3", "--extend-exclude", "*.ipynb"]


def ruff(*arguments):
    return subprocess.run([sys.executable, "-m", "ruff", *arguments], cwd=REPO_ROOT, capture_output=True, text=True)


def test_ruff_is_clean():
    result = ruff("check", *FOLDERS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_py_files_keep_pep8_blank_lines():
    result = ruff(*BLANK_LINES, *FOLDERS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_blank_line_check_finds_a_stray_blank_line_and_skips_notebooks(tmp_path):
    (tmp_path / "module.py").write_text("import os\n\n\n\ndef f():\n    return os\n")
    (tmp_path / "notebook.ipynb").write_text(
        '{"cells": [{"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [], '
        '"source": ["def f():\\n", "    return 1\\n", "f()\\n"]}], "metadata": {}, "nbformat": 4, '
        '"nbformat_minor": 5}')
    result = ruff(*BLANK_LINES, "--output-format", "concise", "--no-cache", str(tmp_path))
    assert result.returncode == 1 and "module.py:5:1" in result.stdout and "notebook.ipynb" not in result.stdout
