"""The room's server (hub/, issue 19): learners' homes, limits from measurements, and a short load test.

The unit tests need only the standard library. The load test runs scripts/hub_load_test.py with one learner on
notebook 00 (about a minute): a real JupyterHub and configurable-http-proxy on 127.0.0.1, the learner created through
the REST API, the notebook run over the kernel websocket, then the persistence check (an edit survives a server and
a hub restart; reset restores the course's version), and the idle culler stopping an untouched server. It needs
hub/.venv (`make hub-install`): skipped without it, failed without it under CI=true (.ci/run installs it).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import yaml

from hub import learner_home, sizing
from scripts.repo_paths import REPO_ROOT

HUB_PYTHON = REPO_ROOT / "hub" / ".venv" / "bin" / "python"
PROXY = REPO_ROOT / "hub" / "node_modules" / ".bin" / "configurable-http-proxy"


@pytest.fixture
def course(tmp_path):
    """A small course: two notebooks, one in solutions/, a checkpoint folder that must not be copied."""
    root = tmp_path / "course"
    (root / "notebooks" / "solutions").mkdir(parents=True)
    (root / "notebooks" / ".ipynb_checkpoints").mkdir()
    (root / "notebooks" / "00_start_here.ipynb").write_text("course 00")
    (root / "notebooks" / "solutions" / "01_x_solutions.ipynb").write_text("course 01s")
    (root / "notebooks" / ".ipynb_checkpoints" / "00-checkpoint.ipynb").write_text("junk")
    (root / "requirements.txt").write_text("keras==3\n")
    home = tmp_path / "home"
    home.mkdir()
    return root, home


def test_seed_copies_the_course_files_and_nothing_else(course):
    root, home = course
    copied = learner_home.seed(home, root)
    assert sorted(copied) == ["notebooks/00_start_here.ipynb", "notebooks/solutions/01_x_solutions.ipynb",
                              "requirements.txt"]
    assert not (home / "notebooks" / ".ipynb_checkpoints").exists()


def test_seed_never_overwrites_a_learners_work(course):
    root, home = course
    learner_home.seed(home, root)
    (home / "notebooks" / "00_start_here.ipynb").write_text("my work")
    (home / "notebooks" / "solutions" / "01_x_solutions.ipynb").unlink()
    assert learner_home.seed(home, root) == ["notebooks/solutions/01_x_solutions.ipynb"]
    assert (home / "notebooks" / "00_start_here.ipynb").read_text() == "my work"


def test_reset_restores_the_course_version_and_keeps_the_old_copy(course):
    root, home = course
    learner_home.seed(home, root)
    (home / "notebooks" / "00_start_here.ipynb").write_text("my work")
    backup = learner_home.reset(home, root)
    assert (home / "notebooks" / "00_start_here.ipynb").read_text() == "course 00"
    assert (backup / "00_start_here.ipynb").read_text() == "my work"
    assert backup.name.startswith("notebooks-before-reset-")


def test_learner_home_rejects_bad_arguments(course, tmp_path):
    root, home = course
    with pytest.raises(TypeError, match="home must be a path"):
        learner_home.seed(42, root)
    with pytest.raises(ValueError, match="does not exist"):
        learner_home.seed(tmp_path / "nobody", root)
    with pytest.raises(ValueError, match="no notebooks folder"):
        learner_home.seed(home, tmp_path)


def test_limits_come_from_the_measured_peaks():
    peaks = sizing.notebook_peaks()
    memory = sizing.learner_memory()
    assert memory["heaviest_notebook_mb"] == max(peaks.values())
    assert memory["limit_mb"] >= max(peaks.values()) + memory["server_mb"]
    assert memory["limit_mb"] % sizing.ROUND_MB == 0 and memory["guarantee_mb"] % sizing.ROUND_MB == 0
    assert sizing.learner_memory({"a": 1000, "b": 500, "c": 700}, 100) == {
        "heaviest_notebook_mb": 1000, "heaviest_notebook": "a", "median_notebook_mb": 700, "server_mb": 100,
        "limit_mb": 2048, "guarantee_mb": 1024,
    }
    with pytest.raises(ValueError, match="non-empty"):
        sizing.learner_memory({}, 100)
    with pytest.raises(ValueError, match="server"):
        sizing.learner_memory({"a": 1}, 0)


def test_room_sizing_arithmetic():
    memory = {"server_mb": 100, "limit_mb": 2048}
    room = sizing.room(30, cpu_seconds=20.0, peak_mb=924, memory=memory)
    assert room == {"learners": 30, "cores_simultaneous": 15, "seconds_simultaneous": 40, "cores_staggered": 1,
                    "memory_expected_gb": 30.0, "memory_at_limits_gb": 60.0}
    with pytest.raises(ValueError, match="learners"):
        sizing.room(0, 20.0, 900, memory)
    with pytest.raises(ValueError, match="positive"):
        sizing.room(30, -1.0, 900, memory)


def test_helm_values_match_the_measured_limits():
    values = yaml.safe_load((REPO_ROOT / "hub" / "z2jh-values.yaml").read_text())["singleuser"]
    memory = sizing.learner_memory()
    assert values["memory"] == {"guarantee": f"{memory['guarantee_mb']}M", "limit": f"{memory['limit_mb']}M"}
    assert values["cpu"] == {"guarantee": sizing.CPU_GUARANTEE, "limit": sizing.CPU_LIMIT}
    seed_command = values["lifecycleHooks"]["postStart"]["exec"]["command"]
    assert seed_command[1:] == ["/srv/lstm-course/hub/learner_home.py", "seed", "/home/jovyan"]


def test_pins_agree():
    """jupyterhub and the proxy are pinned, and the hub's JupyterLab is the course's."""
    hub_requirements = (REPO_ROOT / "hub" / "requirements.txt").read_text()
    course_lab = next(line for line in (REPO_ROOT / "requirements.txt").read_text().splitlines()
                      if line.startswith("jupyterlab=="))
    assert course_lab in hub_requirements.splitlines()
    assert "jupyterhub==" in hub_requirements and "jupyterhub-idle-culler==" in hub_requirements
    package = json.loads((REPO_ROOT / "hub" / "package.json").read_text())
    lock = json.loads((REPO_ROOT / "hub" / "package-lock.json").read_text())
    pinned = package["dependencies"]["configurable-http-proxy"]
    assert pinned[0].isdigit() and lock["packages"]["node_modules/configurable-http-proxy"]["version"] == pinned


def test_one_learner_through_a_real_hub(tmp_path):
    if not (HUB_PYTHON.exists() and PROXY.exists()):
        message = "hub/.venv or hub/node_modules missing: run `make hub-install`"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    results_file = tmp_path / "results.json"
    command = [str(HUB_PYTHON), "-m", "scripts.hub_load_test", "--learners", "1",
               "--notebook", "notebooks/00_start_here.ipynb", "--course-python", sys.executable,
               "--cell-timeout", "240", "--total-timeout", "400", "--results", str(results_file)]
    process = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=900)
    assert process.returncode == 0, f"load test failed:\n{process.stdout[-4000:]}\n{process.stderr[-4000:]}"
    results = json.loads(results_file.read_text())
    (round_,) = results["rounds"]
    (learner,) = round_["learners_detail"]
    assert learner["completed"] and learner["cells_run"] == learner["code_cells"] > 0
    assert learner["peak_kernel_mb"] > 100, "the sampler did not find the learner's kernel"
    assert all(results["persistence"].values()), results["persistence"]
    assert results["culler"]["idle_server_culled"], "the idle culler did not stop an idle server"
    assert results["processes_left_after_hub_stopped"] == 0
