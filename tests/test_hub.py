"""The room's server (hub/, issues 19 and 30): its safety rules, learners' homes, limits, and the real hub in a browser.

Unit tests (standard library, no JupyterHub): every refusal of hub/policy.py, the seeding and reset of homes, the limits
computed from the measurements. Then, with hub/.venv (`make hub-install`; skipped without it, failed without it
under CI=true, as .ci/run installs it):
  - the config as JupyterHub loads it, for several environments, and the real `jupyterhub` refusing a public address;
  - two learners at once in headless Chromium, each with their own password (first-use log-in): log in, land on
    notebook 00 on the course kernel (no kernel question, no news question), Run All without an error, then notebook
    04 (one copy asking for another kernel name), each unable to open the other's server, no terminals, a wrong
    password for a taken name refused;
  - scripts/hub_load_test.py with one learner on notebook 00 over the kernel's websocket, then the persistence check
    (an edit survives a server and a hub restart; reset restores the course's version) and the idle culler.
"""

from __future__ import annotations

import contextlib
import json
import os
import pwd
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import yaml

from hub import learner_home, policy, sizing
from scripts.repo_paths import REPO_ROOT, SCRATCH
from tests.browser import launched_chromium, offline_context, require_chromium, watch_page

HUB_PYTHON = REPO_ROOT / "hub" / ".venv" / "bin" / "python"
JUPYTERHUB = HUB_PYTHON.parent / "jupyterhub"
PROXY = REPO_ROOT / "hub" / "node_modules" / ".bin" / "configurable-http-proxy"
CONFIG = REPO_ROOT / "hub" / "jupyterhub_config.py"
SCREENSHOTS = SCRATCH / "hub"


def requirement(message: str) -> None:
    """Skip, or fail in CI, when something `make hub-install` (or .ci/run) provides is missing."""
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def require_hub() -> None:
    if not (HUB_PYTHON.exists() and PROXY.exists()):
        requirement("hub/.venv or hub/node_modules missing: run `make hub-install`")
    if os.getuid() == 0:  # the hub then runs learners' servers as `nobody`, who must reach both Pythons
        hidden = policy.hidden_from_others([REPO_ROOT / "notebooks", sys.executable, HUB_PYTHON])
        if hidden:
            requirement(f"the tests run as root, so the hub runs learners' servers as nobody, who cannot reach "
                        f"{'; '.join(hidden)}: make the venvs with a Python other users can run "
                        "(make PYTHON=/usr/bin/python3.11 install hub-install, as .ci/run does)")


# ---- hub/policy.py: what is refused, and what each set-up gives.

def decide(uid: int = 1000, **settings: str) -> policy.Room:
    return policy.decide({f"COURSE_HUB_{key.upper()}": value for key, value in settings.items()}, uid)


def test_defaults_are_the_loopback_try_out():
    room = decide()
    assert (room.ip, room.spawner, room.authenticator, room.terminals) == ("127.0.0.1", "local", "test", False)
    assert room.learner_account is None, "as an ordinary user, the local spawner runs servers as that user"
    assert decide(password="a room password").authenticator == "shared"
    assert decide(auth="firstuse", admins="teacher, helper").admins == ("teacher", "helper")
    assert decide(terminals="1").terminals is True


@pytest.mark.parametrize(("settings", "message"), [
    ({"ip": "0.0.0.0", "auth": "firstuse"}, "local spawner runs every learner's server under one account"),
    ({"ip": "192.0.2.10", "password": "a room password"}, "COURSE_HUB_SPAWNER=systemd"),
    ({"ip": "0.0.0.0", "spawner": "systemd"}, "test log-in accepts any password"),
    ({"spawner": "docker"}, "COURSE_HUB_SPAWNER must be one of local, systemd"),
    ({"auth": "oauth"}, "COURSE_HUB_AUTH must be one of test, shared, firstuse"),
    ({"auth": "shared"}, "needs COURSE_HUB_PASSWORD of 8+ characters"),
    ({"password": "short"}, "needs COURSE_HUB_PASSWORD of 8+ characters"),
    ({"auth": "firstuse", "password": "a room password"}, "unset one of them"),
    ({"terminals": "yes"}, "COURSE_HUB_TERMINALS must be 0"),
    ({"password": "a room password", "admins": "teacher"}, "anyone could sign in under an admin's name"),
])
def test_unsafe_set_ups_are_refused(settings, message):
    with pytest.raises(policy.Refused, match="refusing to start the hub") as refused:
        decide(**settings)
    assert message in str(refused.value)


def test_a_room_on_the_network_needs_systemd_and_a_real_log_in():
    room = decide(ip="0.0.0.0", spawner="systemd", auth="firstuse")
    assert (room.spawner, room.authenticator, room.learner_account) == ("systemd", "firstuse", None)
    assert decide(ip="0.0.0.0", spawner="systemd", password="a room password").authenticator == "shared"


def test_learners_never_run_as_root():
    """A hub run as root with the local spawner runs learners' servers as an unprivileged account, or refuses."""
    assert decide(uid=0).learner_account == "nobody"
    assert pwd.getpwnam(decide(uid=0).learner_account).pw_uid != 0
    with pytest.raises(policy.Refused, match="is root: learners' servers never run as root"):
        decide(uid=0, learner_user="root")
    with pytest.raises(policy.Refused, match="does not exist"):
        decide(uid=0, learner_user="no-such-account-here")
    assert decide(uid=0, spawner="systemd").learner_account is None  # systemd makes an account per learner


def test_learner_home_refuses_to_start_a_server_as_root(monkeypatch, capsys):
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    monkeypatch.setattr(os, "execvp", lambda *args: pytest.fail("the server was started as root"))
    assert learner_home.main(["run"]) == 1
    assert "refusing to start a learner's server as root" in capsys.readouterr().err


@pytest.fixture
def open_folder():
    """A fresh folder other users may enter (pytest's tmp_path is inside a folder closed to them, and as root the hub
    runs learners' servers as nobody): in the system's temporary folder, removed afterwards."""
    with tempfile.TemporaryDirectory() as folder:
        Path(folder).chmod(0o755)
        yield Path(folder)


def test_paths_learners_cannot_reach_are_refused(open_folder):
    tmp_path = open_folder
    closed = tmp_path / "closed"
    (closed / "course").mkdir(parents=True)
    closed.chmod(0o700)
    (tmp_path / "open").mkdir()
    (tmp_path / "open").chmod(0o755)
    assert policy.hidden_from_others([tmp_path / "open"]) == []
    hidden = policy.hidden_from_others([closed / "course"])
    assert hidden == [f"{closed / 'course'} ({closed} is closed to other users)"]
    with pytest.raises(policy.Refused, match="nobody, who cannot reach"):
        policy.check_reachable(decide(uid=0), [closed / "course"])
    policy.check_reachable(decide(uid=0), [tmp_path / "open"])
    policy.check_reachable(decide(uid=1000), [closed / "course"])  # servers run as the hub's own user: no check


# ---- hub/learner_home.py and hub/sizing.py

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


def test_every_course_file_a_notebook_reads_is_seeded():
    # A notebook that opens "../docs/x.json" fails on the hub unless the learner's home has it (08 did, on the hub).
    read = set()
    for path in sorted((REPO_ROOT / "notebooks").rglob("*.ipynb")):
        for cell in json.loads(path.read_text())["cells"]:
            if cell["cell_type"] == "code":
                read.update(re.findall(r"""["']\.\./([\w./-]+)["']""", "".join(cell["source"])))
    assert "docs/seed_check.json" in read  # the scan finds what it is for
    assert read <= set(learner_home.COURSE_FILES), sorted(read - set(learner_home.COURSE_FILES))


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
    """jupyterhub, its authenticator and the proxy are pinned, and the hub's JupyterLab is the course's."""
    hub_requirements = (REPO_ROOT / "hub" / "requirements.txt").read_text().splitlines()
    course_lab = next(line for line in (REPO_ROOT / "requirements.txt").read_text().splitlines()
                      if line.startswith("jupyterlab=="))
    assert course_lab in hub_requirements
    constraints = (REPO_ROOT / "hub" / "constraints.txt").read_text().splitlines()
    for package in ("jupyterhub", "jupyterhub-idle-culler", "jupyterhub-firstuseauthenticator"):
        pinned = [line for line in hub_requirements if line.startswith(f"{package}==")]
        assert len(pinned) == 1 and pinned[0] in constraints, f"{package} is not pinned alike in both files"
    package = json.loads((REPO_ROOT / "hub" / "package.json").read_text())
    lock = json.loads((REPO_ROOT / "hub" / "package-lock.json").read_text())
    pinned = package["dependencies"]["configurable-http-proxy"]
    assert pinned[0].isdigit() and lock["packages"]["node_modules/configurable-http-proxy"]["version"] == pinned


# ---- The config as JupyterHub loads it (hub/.venv), and the real hub refusing an unsafe set-up.

LOAD_CONFIG = """
import json, sys
from traitlets.config.loader import PyFileConfigLoader
c = PyFileConfigLoader(sys.argv[1]).load_config()
spawner = c.JupyterHub.spawner_class
print(json.dumps({"args": list(c.Spawner.args), "authenticator": c.JupyterHub.authenticator_class,
                  "spawner": spawner if isinstance(spawner, str) else spawner.__name__,
                  "admins": sorted(c.Authenticator.admin_users),
                  "template_vars": c.JupyterHub.template_vars, "cmd": list(c.Spawner.cmd)}))
"""


def hub_environment(state, **settings: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("COURSE_HUB_")}
    env.update(PYTHONPATH=str(REPO_ROOT), COURSE_PYTHON=sys.executable, COURSE_HUB_STATE=str(state))
    env.update({f"COURSE_HUB_{key.upper()}": value for key, value in settings.items()})
    return env


def loaded_config(state, **settings: str) -> dict:
    result = subprocess.run([str(HUB_PYTHON), "-c", LOAD_CONFIG, str(CONFIG)], env=hub_environment(state, **settings),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


def test_config_offers_only_the_course_kernel_and_no_terminals(open_folder):
    require_hub()
    tmp_path = open_folder
    config = loaded_config(tmp_path)
    assert "--KernelSpecManager.allowed_kernelspecs=python3" in config["args"]
    assert "--MappingKernelManager.default_kernel_name=python3" in config["args"]
    assert "--ServerApp.terminals_enabled=False" in config["args"]
    assert not any("allow_root" in arg for arg in config["args"])
    assert (config["spawner"], config["authenticator"]) == ("CourseLocalSpawner", "dummy")
    kernel = json.loads((tmp_path / "jupyter" / "kernels" / "python3" / "kernel.json").read_text())
    assert kernel["argv"][0] == sys.executable and kernel["display_name"] == "Python (LSTM course)"
    assert kernel["env"]["PYTHONPATH"] == str(REPO_ROOT)
    assert config["template_vars"]["course_username_rule"] == policy.USERNAME_RULE
    assert "--ServerApp.terminals_enabled=True" in loaded_config(tmp_path, terminals="1")["args"]
    first_use = loaded_config(tmp_path, auth="firstuse", admins="teacher")
    assert first_use["authenticator"] == "firstuseauthenticator.FirstUseAuthenticator"
    assert first_use["admins"] == ["teacher"]
    assert first_use["template_vars"]["course_password_rule"] == policy.PASSWORD_RULES["firstuse"]


def test_the_real_hub_refuses_a_public_address_with_the_local_spawner(tmp_path):
    require_hub()
    result = subprocess.run([str(JUPYTERHUB), "-f", str(CONFIG)], cwd=tmp_path, capture_output=True, text=True,
                            env=hub_environment(tmp_path, ip="0.0.0.0", auth="firstuse"), timeout=120)
    assert result.returncode != 0
    assert "refusing to start the hub" in result.stderr and "COURSE_HUB_SPAWNER=systemd" in result.stderr


def test_a_port_taken_before_the_hub_binds_it_is_retried(open_folder):
    """free_port() hands out a port that another test worker may take first (code review item 10): the hub's
    start sees the EADDRINUSE and tries again on new ports."""
    require_hub()
    from scripts.hub_load_test import Hub

    hub = Hub(open_folder, sys.executable, jupyterhub=JUPYTERHUB)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        hub.port = taken.getsockname()[1]  # the learners' port, as if another program had taken it meanwhile
        hub.url = f"http://127.0.0.1:{hub.port}"
        try:
            hub.start()
            assert hub.port != taken.getsockname()[1]
            assert hub.api("GET", "/").ok
        finally:
            hub.stop()
    assert "EADDRINUSE" in (open_folder / "hub.log").read_text(), "the first start did not meet the taken port"


# ---- Two learners in headless Chromium, through a real hub.

LEARNERS = {"alice": "alice-password", "bob": "bob-secret-1"}
RUN_ALL_DONE = """count => {
    const shown = '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputPrompt';
    const prompts = [...document.querySelectorAll(shown)];
    const done = prompts.filter(p => /\\[\\d+\\]/.test(p.textContent)).length;
    const indicator = document.querySelector(".jp-Notebook-ExecutionIndicator[data-status='idle']");
    return done === count && indicator !== null && indicator.textContent.includes(`Executed ${count} cells`);
}"""


def code_cells(notebook: str) -> int:
    cells = json.loads((REPO_ROOT / notebook).read_text())["cells"]
    return sum(cell["cell_type"] == "code" for cell in cells)


def open_notebook(page, url: str, name: str) -> None:
    """Open the notebook's URL; it must come up on the course kernel without asking which kernel to use."""
    page.goto(url, timeout=120_000)
    page.wait_for_selector(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell", timeout=120_000)
    page.wait_for_function(
        """() => [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-KernelStatus, '
                   + '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Toolbar-kernelName')]
                 .some(e => e.textContent.includes('Python (LSTM course)'))
           || document.querySelector('.jp-Dialog') !== null""", timeout=120_000, polling=500)
    dialogs = page.locator(".jp-Dialog").all_inner_texts()
    assert not dialogs, f"{name}: JupyterLab asked a question on opening {url}: {dialogs}"


def run_all(page) -> None:
    page.click("li.lm-MenuBar-item:has-text('Run')")
    page.click(".lm-Menu-item:has-text('Run All Cells')")


def wait_run_all(page, name: str, notebook: str, timeout_ms: int) -> None:
    try:
        page.wait_for_function(RUN_ALL_DONE, arg=code_cells(notebook), timeout=timeout_ms, polling=1000)
    except Exception:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}_{notebook.split('/')[-1]}.png"), full_page=True)
        prompts = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-InputPrompt").all_inner_texts()
        pytest.fail(f"{name}: {notebook} did not finish: prompts {prompts}; screenshot in {SCREENSHOTS}")
    outputs = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output").all_inner_texts()
    errors = [text for text in outputs if "Traceback" in text or "Error" in text.split("\n")[0]]
    assert not errors, f"{name}: {notebook} showed an error: {errors[0][:800]}"


def log_in(page, hub_url: str, name: str, password: str) -> None:
    page.goto(f"{hub_url}/hub/login", timeout=60_000)
    page.fill("#username_input", name)
    page.fill("#password_input", password)
    page.click("#login_submit")


def test_still_running_under_waits_for_what_ends_by_itself_and_names_the_rest(tmp_path):
    from scripts.hub_load_test import end_everything_under, still_running_under

    # One process that ends by itself after 1 s (as a kernel does once its server is gone), one that does not.
    ending = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(1)"], cwd=tmp_path)
    staying = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"], cwd=tmp_path)
    try:
        left = still_running_under(tmp_path, grace=5)
        assert len(left) == 1 and left[0].startswith(f"{staying.pid} ") and "sleep(60)" in left[0], left
        assert end_everything_under(tmp_path) == 1
        assert staying.wait(5) is not None and still_running_under(tmp_path, grace=0) == []
    finally:
        for process in (ending, staying):
            process.kill()
            process.wait()


@contextlib.contextmanager
def running_hub(state, **settings: str):
    from scripts.hub_load_test import Hub, end_everything_under, still_running_under

    hub = Hub(state, sys.executable, jupyterhub=JUPYTERHUB)
    hub.ignore_sigint = True  # as `make hub &` would: the hub's stop must not then wait 30 s per service or server
    hub.extra_env.update({f"COURSE_HUB_{key.upper()}": value for key, value in settings.items()})
    try:
        hub.start()
        yield hub
    finally:
        hub.stop()
        left = still_running_under(state, grace=15)
        end_everything_under(state)
        if left:  # keep the hub's log for whoever reads the failure (the state folder is removed after the test)
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            shutil.copy(state / "hub.log", SCREENSHOTS / "hub_left_running.log")
        assert not left, (f"{len(left)} processes of the hub still ran 15 s after it stopped: {left}; "
                          f"its log: {SCREENSHOTS / 'hub_left_running.log'}")


def test_two_learners_in_chromium(tmp_path):
    require_hub()
    require_chromium()
    pytest.importorskip("playwright.sync_api", reason="playwright is not installed: pip install -r requirements.txt")
    # Under scratch/, not tmp_path: pytest's temporary folders are closed to other users, and as root the hub runs
    # the learners' servers as nobody.
    state = SCRATCH / f"hub-browser-test-{os.getpid()}"
    shutil.rmtree(state, ignore_errors=True)
    state.mkdir(parents=True)
    state.chmod(0o755)
    started = time.monotonic()
    try:
        with running_hub(state, auth="firstuse") as hub, launched_chromium() as browser:
            two_learners(hub, browser, state)
            seconds = time.monotonic() - started
    finally:
        shutil.rmtree(state, ignore_errors=True)
    print(f"two learners in Chromium: {seconds:.0f} s; the hub stopped in {hub.shutdown_seconds} s")
    assert hub.shutdown_seconds and hub.shutdown_seconds[-1] < 25, (
        f"stopping the hub took {hub.shutdown_seconds or 'over 90'} s (the culler or a server waiting on SIGINT?)")


def two_learners(hub, browser, state) -> None:
    local = (hub.url, "data:", "blob:", "about:")
    pages, problems = {}, {}
    for name, password in LEARNERS.items():
        context, problems[name] = offline_context(browser, local, {"width": 1400, "height": 1000})
        page = context.new_page()
        watch_page(page, [])  # JupyterLab logs harmless console errors (e.g. a missing optional setting)
        log_in(page, hub.url, name, password)
        pages[name] = page
    # Both land on notebook 00 on the course kernel; the first log-in set each one's password.
    for name, page in pages.items():
        page.wait_for_url(f"**/user/{name}/lab/tree/notebooks/00_start_here.ipynb**", timeout=120_000)
        open_notebook(page, page.url, name)
    # The server offers the course kernel only, runs as an unprivileged account, and has no terminals.
    for name, page in pages.items():
        specs = page.request.get(f"{hub.url}/user/{name}/api/kernelspecs").json()
        assert list(specs["kernelspecs"]) == ["python3"] and specs["default"] == "python3", specs
        assert specs["kernelspecs"]["python3"]["spec"]["argv"][0] == sys.executable
        assert page.request.get(f"{hub.url}/user/{name}/api/terminals").status == 404, "terminals are on"
        from scripts.hub_load_test import server_process

        server = server_process(state / "homes" / name)
        assert server is not None and server.uids().effective != 0, f"{name}'s server runs as root"
    for page in pages.values():
        run_all(page)
    for name, page in pages.items():
        wait_run_all(page, name, "notebooks/00_start_here.ipynb", 240_000)
    # No "Would you like to get notified about official Jupyter news?" (lab-settings/overrides.json).
    for name, page in pages.items():
        assert page.locator("text=official Jupyter news").count() == 0, f"{name} was asked about Jupyter news"
    # Notebook 04: alice's copy asks for another kernel name (as if saved elsewhere); it must still open on the course
    # kernel, without a question. Both run at once.
    alice_04 = state / "homes" / "alice" / "notebooks" / "04_time_series_stocks_sales.ipynb"
    notebook = json.loads(alice_04.read_text())
    notebook["metadata"]["kernelspec"] = {"name": "lstm-course", "display_name": "Python (LSTM course)",
                                          "language": "python"}
    alice_04.write_text(json.dumps(notebook))
    for name, page in pages.items():
        open_notebook(page, f"{hub.url}/user/{name}/lab/tree/notebooks/04_time_series_stocks_sales.ipynb?reset",
                      name)
        run_all(page)
    for name, page in pages.items():
        wait_run_all(page, name, "notebooks/04_time_series_stocks_sales.ipynb", 400_000)
    # Each sees only their own files: the other's server answers 403; their own lists their own home.
    for name, other in (("alice", "bob"), ("bob", "alice")):
        page = pages[name]
        assert page.request.get(f"{hub.url}/user/{other}/api/contents/notebooks").status == 403
        assert page.request.get(f"{hub.url}/user/{name}/api/contents/notebooks").ok
        sessions = page.request.get(f"{hub.url}/user/{name}/api/sessions").json()
        assert {session["kernel"]["name"] for session in sessions} == {"python3"}, sessions
    assert not any(problems.values()), problems
    # A taken name with another password is refused; the log-in page states the rules.
    context, _ = offline_context(browser, local, {"width": 1200, "height": 900})
    intruder = context.new_page()
    log_in(intruder, hub.url, "alice", "not-alices-password")
    intruder.wait_for_selector(".login_error", timeout=30_000)
    assert "/hub/login" in intruder.url
    rules = intruder.inner_text("#course-login-rules")
    assert policy.USERNAME_RULE in rules and policy.PASSWORD_RULES["firstuse"] in rules, rules
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    intruder.screenshot(path=str(SCREENSHOTS / "login_refused.png"))
    assert intruder.request.get(f"{hub.url}/user/alice/api/contents/notebooks").status != 200
    context.close()


# ---- The short load test: one learner over the kernel's websocket, persistence, the idle culler.

def test_one_learner_through_a_real_hub(tmp_path):
    require_hub()
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
    assert max(results["hub_shutdown_seconds"]) < 25, results["hub_shutdown_seconds"]  # 30+ when SIGINT waited
