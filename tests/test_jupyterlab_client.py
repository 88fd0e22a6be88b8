"""The course as a learner meets it: JupyterLab started as `make lab` starts it, a notebook run from its UI.

Starts JupyterLab on 127.0.0.1 (random free port, a token) with `make lab`'s arguments and its JupyterLab settings
(lab-settings/overrides.json, which `make lab` installs into .venv), opens in headless Chromium the URL the server
prints (it must be notebook 00's, for a machine without a desktop browser), on a copy of notebook 00 with its
outputs cleared, runs all cells through the Run menu, and checks that every cell ran, no error was shown, the plot
appeared and JupyterLab never asked about Jupyter news. The server is stopped afterwards. A second test checks that
the Makefile's lab target does install those settings and pass those arguments.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import nbformat
import pytest

from scripts.repo_paths import BENCHMARK_FILE, NOTEBOOKS_DIR, REPO_ROOT, SCRATCH, course_notebooks
from tests.browser import launched_chromium, require_chromium

NOTEBOOK = NOTEBOOKS_DIR / "00_start_here.ipynb"
SCREENSHOTS = SCRATCH / "jupyterlab"
LAB_URL = "/lab/tree/notebooks/00_start_here.ipynb"
LAB_ARGUMENTS = [f"--LabApp.default_url={LAB_URL}"]  # what `make lab` adds (test_make_lab_... checks it)
OVERRIDES = REPO_ROOT / "lab-settings" / "overrides.json"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def chromium() -> str:
    """Debian's chromium and Playwright, or a skip (a failure in CI) before anything is started."""
    executable = require_chromium()
    pytest.importorskip("playwright.sync_api", reason="playwright is not installed: pip install -r requirements.txt")
    return executable


@pytest.fixture
def jupyterlab(chromium, tmp_path):
    """A JupyterLab server serving a copy of the course under `tmp_path`, notebook 00 without its outputs.

    The copy has what notebook 00 reads, laid out as in a clone (notebooks/, requirements.txt, docs/), so
    the notebook finds the course from its own folder, as it does for a learner.

    It depends on `chromium`, so a machine without the browser skips before a server starts.
    """
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    # A server of its own: the user's kernels (e.g. one `make lab` registered for another checkout)
    # and settings would otherwise make JupyterLab ask which kernel to start.
    environment = {**os.environ, "JUPYTER_DATA_DIR": str(tmp_path / "data"),
                   "JUPYTER_CONFIG_DIR": str(tmp_path / "config"), "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
                   "JUPYTERLAB_SETTINGS_DIR": str(tmp_path / "lab-settings"),
                   "JUPYTERLAB_WORKSPACES_DIR": str(tmp_path / "workspaces")}
    lab_settings = {
        # Render every cell: JupyterLab 4 otherwise leaves off-screen cells out of the page (windowing).
        "notebook-extension/tracker": {"windowingMode": "none"},
    }
    for name, values in lab_settings.items():
        folder, plugin = name.split("/")
        path = tmp_path / "lab-settings" / "@jupyterlab" / folder / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    served = tmp_path / "served"
    (served / "notebooks").mkdir(parents=True)
    (served / "docs").mkdir()
    for path in course_notebooks():
        shutil.copy(path, served / "notebooks" / path.name)
    shutil.copy(REPO_ROOT / "requirements.txt", served / "requirements.txt")
    shutil.copy(BENCHMARK_FILE, served / "docs" / BENCHMARK_FILE.name)
    nbformat.write(notebook, served / "notebooks" / NOTEBOOK.name)
    # The settings `make lab` installs into .venv/share/jupyter/lab/settings/ (JupyterLab's app settings folder).
    app_settings = tmp_path / "app-settings"
    app_settings.mkdir()
    shutil.copy(OVERRIDES, app_settings / "overrides.json")
    port, token = free_port(), secrets.token_hex(16)
    log_path = tmp_path / "jupyterlab.log"
    with open(log_path, "wb") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root", "--ip=127.0.0.1",
             f"--port={port}", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={served}",
             f"--LabApp.app_settings_dir={app_settings}", *LAB_ARGUMENTS],
            stdout=log, stderr=subprocess.STDOUT, env=environment,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"JupyterLab did not start on port {port} (exit code {server.poll()})")
                time.sleep(0.5)
        # The URL a learner without a desktop browser copies from the terminal.
        printed = re.findall(r"http://127\.0\.0\.1:\d+\S*", log_path.read_text(errors="replace"))
        assert printed, f"JupyterLab printed no URL: {log_path.read_text(errors='replace')[-2000:]}"
        yield base, token, printed[0]
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()


def wait_for_kernel(page, base: str, token: str, timeout: float = 60) -> None:
    """Wait until the notebook's kernel is idle. On some first starts JupyterLab asks which kernel
    to use, with the notebook's own preselected: click Select, as a learner would."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        select = page.locator(".jp-Dialog button:has-text('Select')")
        if select.count():
            select.first.click()
        with urllib.request.urlopen(f"{base}/api/sessions?token={token}", timeout=5) as response:
            sessions = json.load(response)
        if any(s["path"].endswith(NOTEBOOK.name) and s["kernel"]["execution_state"] == "idle" for s in sessions):
            return
        time.sleep(0.5)
    pytest.fail(f"the notebook's kernel was not idle after {timeout} s")


def test_notebook_runs_in_real_jupyterlab(chromium, jupyterlab):  # chromium: skip (or fail in CI) before the server
    base, token, printed_url = jupyterlab
    # A token given on the command line is printed as "token=...": the learner's own is printed in full.
    assert printed_url.split("?")[0] == f"{base}{LAB_URL}", f"the URL printed is not notebook 00's: {printed_url}"
    started = time.monotonic()
    with launched_chromium() as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{printed_url.split('?')[0]}?token={token}")
        # The notebook is open and its kernel has started.
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
        wait_for_kernel(page, base, token)
        assert page.locator(".jp-RenderedImage img").count() == 0, "the copy should start without outputs"

        page.click("li.lm-MenuBar-item:has-text('Run')")
        page.click(".lm-Menu-item:has-text('Run All Cells')")

        code_cells = len([c for c in nbformat.read(NOTEBOOK, as_version=4).cells if c.cell_type == "code"])
        # Finished when every code cell shows an execution count and the kernel is idle again.
        try:
            page.wait_for_function(
                """count => {
                    const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')];
                    const done = prompts.filter(p => /\\[\\d+\\]/.test(p.textContent)).length;
                    const indicator = document.querySelector(".jp-Notebook-ExecutionIndicator[data-status='idle']");
                    return done === count && indicator !== null
                        && indicator.textContent.includes(`Executed ${count} cells`);
                }""",
                arg=code_cells, timeout=90_000, polling=500,
            )
        except Exception:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / "jupyterlab_failure.png"), full_page=True)
            prompts = page.locator(".jp-CodeCell .jp-InputPrompt").all_inner_texts()
            indicator = page.locator(".jp-Notebook-ExecutionIndicator").all_text_contents()
            pytest.fail(f"the notebook did not finish in JupyterLab: prompts {prompts}, kernel {indicator}; "
                        f"screenshot in {SCREENSHOTS}")
        outputs = page.locator(".jp-OutputArea-output").all_inner_texts()
        errors = [text for text in outputs if "Traceback" in text or "Error" in text.split("\n")[0]]
        assert not errors, f"the notebook showed errors in JupyterLab: {errors[0][:500]}"
        assert page.locator("text=official Jupyter news").count() == 0, "JupyterLab asked about Jupyter news"
        images = page.locator(".jp-RenderedImage img")
        assert images.count() >= 1, "no plot appeared"
        width = images.first.evaluate("img => img.naturalWidth")
        assert width > 100, f"the plot image did not load (natural width {width})"
    assert time.monotonic() - started < 120


def test_make_lab_installs_the_settings_and_prints_notebook_00():
    """`make lab`'s recipe (printed by make -n, nothing run): the settings into .venv, the URL of notebook 00."""
    result = subprocess.run(["make", "-n", "--always-make", "lab"], cwd=REPO_ROOT, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert any(line.endswith("cp lab-settings/overrides.json .venv/share/jupyter/lab/settings/overrides.json")
               for line in lines), lines
    (lab,) = [line for line in lines if line.startswith(".venv/bin/jupyter lab")]
    assert all(argument in lab.split() for argument in LAB_ARGUMENTS), lab
    assert json.loads(OVERRIDES.read_text())["@jupyterlab/apputils-extension:notification"]["fetchNews"] == "false"
