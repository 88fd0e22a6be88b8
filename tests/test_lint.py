"""ruff is clean on the helpers, the tests, the scripts, the notebooks, the slide and site builds, the hub."""

import subprocess
import sys

from scripts.repo_paths import REPO_ROOT


def test_ruff_is_clean():
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check",
         "course_utils", "tests", "scripts", "notebooks", "slides", "site", "hub"],
        cwd=REPO_ROOT, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
