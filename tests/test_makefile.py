"""The Makefile's choice of Python (issue 30): the newest of 3.13, 3.12, 3.11 that runs, printed; others refused.

Stand-in pythons in a temporary folder answer the two questions the Makefile asks (the version, and whether it runs);
nothing is installed: `make which-python` only checks, and a refused venv is never made.
"""

from __future__ import annotations

import os
import subprocess

import pytest

from scripts.repo_paths import REPO_ROOT

ANSWERS = """#!/bin/sh
case "$2" in *version_info*) echo {minor} ;; *python_version*) echo {full} ;; *) exit 0 ;; esac
"""


def fake_python(folder, name: str, full: str | None) -> str:
    """A stand-in for a Python of version `full`; None: a pyenv shim for a version not selected (it fails)."""
    path = folder / name
    if full is None:
        path.write_text("#!/bin/sh\necho \"pyenv: $0: command not found\" >&2\nexit 127\n")
    else:
        path.write_text(ANSWERS.format(minor=".".join(full.split(".")[:2]), full=full))
    path.chmod(0o755)
    return str(path)


def make(*arguments: str, path: str | None = None) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key != "PYTHON"}
    if path:
        env["PATH"] = path
    return subprocess.run(["make", "-s", *arguments], cwd=REPO_ROOT, capture_output=True, text=True, env=env,
                          timeout=60)


def test_the_newest_supported_python_that_runs_is_chosen_and_printed(tmp_path):
    fake_python(tmp_path, "python3.13", None)  # found, but does not run (a pyenv shim)
    chosen = fake_python(tmp_path, "python3.12", "3.12.9")
    fake_python(tmp_path, "python3.11", "3.11.9")
    result = make("which-python", path=f"{tmp_path}:{os.environ['PATH']}")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"== using {chosen}: Python 3.12.9"


@pytest.mark.parametrize(("version", "says"), [("3.10.13", "is Python 3.10"), ("3.14.0", "is Python 3.14"),
                                               (None, "does not run")])
def test_an_unsupported_python_is_refused_before_a_venv_is_made(tmp_path, version, says):
    python = fake_python(tmp_path, "python-given", version)
    venv = tmp_path / "venv"
    for target in ("which-python", f"{venv}/bin/python"):
        result = make(target, f"PYTHON={python}", f"VENV={venv}")
        assert result.returncode != 0
        assert "the course needs Python 3.11, 3.12 or 3.13" in result.stderr and says in result.stderr
        assert "make PYTHON=/path/to/python3.12 install" in result.stderr
    assert not venv.exists()
