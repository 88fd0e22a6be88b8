"""Load test of the room's JupyterHub (hub/): N learners run a notebook at once, each through their own server's kernel.

For each N: start nothing new but N learners on one hub (127.0.0.1, free ports, state in a fresh folder under
scratch/), create them through the hub's REST API with an admin token, start their servers, and have each run the
code cells of a notebook (its own copy, in its home) over its kernel's websocket, all at once. Recorded per learner:
whether it completed, seconds to spawn, seconds to run, CPU seconds of the kernel, peak memory (RSS) of the kernel
and of the server. Then a persistence check: a learner's edit survives a server restart and a hub restart, and
`learner_home.py reset` gives the course's version back. Everything stays on loopback, every loop is bounded, and
the hub, the proxy and every server and kernel are ended at the end (try/finally, by process group, then by
scanning for processes working under the test's folder).

    make hub-load-test   # = hub/.venv/bin/python -m scripts.hub_load_test --learners 1 2 4 8 --write
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psutil
import requests
import websocket

from hub import learner_home, sizing

REPO_ROOT = Path(__file__).resolve().parent.parent
HUB_DIR = REPO_ROOT / "hub"

RESULTS = REPO_ROOT / "docs" / "hub_load_test.json"
WORKSHOP = REPO_ROOT / "docs" / "workshop.md"
START, END = "<!-- hub-load-test:start -->", "<!-- hub-load-test:end -->"
SAMPLE_SECONDS = 0.5
HTTP_TIMEOUT = 30


def free_port() -> int:
    """A port free now; another process may take it before the hub binds it (Hub.start then retries)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PortTaken(RuntimeError):
    """The hub or its proxy found one of its ports taken between free_port() and its bind."""


class Hub:
    """The hub as a child process group, in a state folder of its own, with an admin token.

    `jupyterhub`: the hub's executable (default: beside this Python, i.e. run from hub/.venv); `extra_env`: settings
    of hub/jupyterhub_config.py on top of the test's (local spawner, test log-in, loopback, free ports)."""

    def __init__(self, state: Path, course_python: Path, log_name: str = "hub.log", jupyterhub: Path | None = None):
        self.state, self.course_python, self.log_name = state, course_python, log_name
        self.jupyterhub = jupyterhub or Path(sys.executable).parent / "jupyterhub"
        self.extra_env: dict[str, str] = {}
        self.ignore_sigint = False  # start the hub as a shell's background job would (SIGINT ignored, inherited)
        self.shutdown_seconds: list[float] = []
        self.token = secrets.token_hex(32)
        self.process: subprocess.Popen | None = None
        self._new_ports()

    def _new_ports(self) -> None:
        self.port, self.api_port, self.proxy_api_port = free_port(), free_port(), free_port()
        self.url = f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 90, attempts: int = 3) -> None:
        """Start the hub and wait until its API answers; new ports and another try if one was taken meanwhile
        (two test workers, or any other program, may pick the same free port in the same second)."""
        for attempt in range(attempts):
            try:
                return self._start_once(timeout)
            except PortTaken:
                if attempt == attempts - 1:
                    raise
                self._new_ports()

    def _start_once(self, timeout: float) -> None:
        env = {key: value for key, value in os.environ.items() if not key.startswith("COURSE_HUB_")}
        env.update(
            COURSE_HUB_STATE=str(self.state), COURSE_HUB_IP="127.0.0.1", COURSE_HUB_PORT=str(self.port),
            COURSE_HUB_API_PORT=str(self.api_port), COURSE_HUB_PROXY_API_PORT=str(self.proxy_api_port),
            COURSE_PYTHON=str(self.course_python), COURSE_HUB_ADMIN_TOKEN=self.token, COURSE_HUB_SPAWNER="local",
            COURSE_HUB_AUTH="test",
        )
        env["PYTHONPATH"] = str(REPO_ROOT)  # jupyterhub_config.py imports hub.sizing, as under `make hub`
        env.update(self.extra_env)
        log_path = self.state / self.log_name
        log_start = log_path.stat().st_size if log_path.exists() else 0
        log = open(log_path, "ab")  # noqa: SIM115  (closed with the process)
        self.process = subprocess.Popen(
            [str(self.jupyterhub), "-f", str(HUB_DIR / "jupyterhub_config.py")],
            cwd=self.state, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            preexec_fn=(lambda: signal.signal(signal.SIGINT, signal.SIG_IGN)) if self.ignore_sigint else None,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with open(log_path, "rb") as read:
                read.seek(log_start)
                text = read.read().decode(errors="replace")
            # The proxy logs EADDRINUSE for a taken public port and runs on without it; the hub exits for its API port.
            if "EADDRINUSE" in text or "Address already in use" in text:
                self.stop()
                end_everything_under(self.state)
                raise PortTaken(f"a port of the hub was taken; see {log_path}")
            if self.process.poll() is not None:
                end_everything_under(self.state)  # a proxy that started before the hub gave up
                raise RuntimeError(f"the hub exited with {self.process.returncode}; see {log_path}:\n{text[-2000:]}")
            try:
                if requests.get(f"{self.url}/hub/api/", timeout=2).ok:
                    return
            except requests.RequestException:  # not listening yet, or another program holds the port
                pass
            time.sleep(0.5)
        raise TimeoutError(f"the hub did not answer within {timeout} s; see {log_path}")

    def api(self, method: str, path: str, **kwargs) -> requests.Response:
        response = requests.request(
            method, f"{self.url}/hub/api{path}", headers={"Authorization": f"token {self.token}"},
            timeout=HTTP_TIMEOUT, **kwargs,
        )
        response.raise_for_status()
        return response

    def start_server(self, name: str, timeout: float = 180) -> float:
        """Start a learner's server and wait until it is ready; return the seconds it took."""
        began = time.monotonic()
        self.api("POST", f"/users/{name}/server")
        while time.monotonic() - began < timeout:
            server = self.api("GET", f"/users/{name}").json()["servers"].get("")
            if server and server.get("ready"):
                return time.monotonic() - began
            time.sleep(0.5)
        raise TimeoutError(f"{name}'s server was not ready within {timeout} s")

    def stop_server(self, name: str, timeout: float = 60) -> None:
        response = requests.delete(
            f"{self.url}/hub/api/users/{name}/server", headers={"Authorization": f"token {self.token}"},
            timeout=HTTP_TIMEOUT,
        )
        if response.status_code not in (202, 204, 400):  # 400: not running
            response.raise_for_status()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.api("GET", f"/users/{name}").json()["servers"]:
                return
            time.sleep(0.5)
        raise TimeoutError(f"{name}'s server did not stop within {timeout} s")

    def stop(self, timeout: float = 90) -> None:
        """SIGTERM: the hub stops its services, the servers it spawned and the proxy (about 30 s: the culler
        service is given 10 s to stop on SIGINT, then SIGTERM); SIGKILL to its group after `timeout`."""
        if self.process is None or self.process.poll() is not None:
            return
        began = time.monotonic()
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout)
            self.shutdown_seconds.append(round(time.monotonic() - began, 1))
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)


def processes_under(folder: Path) -> list[psutil.Process]:
    """Processes whose working folder is inside `folder` (the hub, the proxy, servers, kernels of this test), this
    process apart."""
    found = []
    for process in psutil.process_iter():
        if process.pid == os.getpid():
            continue
        try:
            cwd = process.cwd()
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            continue
        if cwd == str(folder) or cwd.startswith(str(folder) + os.sep):
            found.append(process)
    return found


def _alive(process: psutil.Process) -> bool:
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def still_running_under(folder: Path, grace: float = 15) -> list[str]:
    """What still runs under `folder` after waiting up to `grace` seconds for it to end by itself, each as
    "pid user name: command". A kernel whose server has just stopped ends on its own within a second or two
    (ipykernel polls its parent once a second); on a busy machine the hub can return before that second comes."""
    began = time.monotonic()
    at_first = processes_under(folder)
    left = at_first
    while left and time.monotonic() - began < grace:
        time.sleep(0.5)
        left = [p for p in left if _alive(p)]
    if at_first:  # a diagnosis for a slow stop: pytest shows it with the test's output
        print(f"{len(at_first)} processes under {folder} when the hub stopped; {len(left)} still ran "
              f"{time.monotonic() - began:.1f} s later", file=sys.stderr)
    described = []
    for process in left:
        try:
            command = " ".join(process.cmdline())[:160]
            described.append(f"{process.pid} {process.username()} {process.name()}: {command}")
        except psutil.Error:  # ended while being described
            pass
    return described


def end_everything_under(folder: Path) -> int:
    """Terminate, then kill, what is left working under `folder`; return how many were left."""
    left = processes_under(folder)
    for process in left:
        try:
            process.terminate()
        except psutil.NoSuchProcess:
            pass
    _, alive = psutil.wait_procs(left, timeout=10)
    for process in alive:
        try:
            process.kill()
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(alive, timeout=5)
    return len(left)


def server_process(home: Path) -> psutil.Process | None:
    for process in processes_under(home):
        try:
            if process.cwd() == str(home) and any("jupyterhub-singleuser" in part for part in process.cmdline()):
                return process
        except psutil.NoSuchProcess:
            continue
    return None


class Sampler(threading.Thread):
    """Every SAMPLE_SECONDS: RSS of each learner's server and of its kernels (the server's descendants)."""

    def __init__(self, homes: dict[str, Path]):
        super().__init__(daemon=True)
        self.homes = homes
        self.peak_server = dict.fromkeys(homes, 0)
        self.peak_kernels = dict.fromkeys(homes, 0)
        self.min_available_mb = psutil.virtual_memory().available / 2**20
        self.stopping = threading.Event()

    def run(self) -> None:
        servers: dict[str, psutil.Process] = {}
        while not self.stopping.wait(SAMPLE_SECONDS):
            self.min_available_mb = min(self.min_available_mb, psutil.virtual_memory().available / 2**20)
            for name, home in self.homes.items():
                try:
                    if name not in servers or not servers[name].is_running():
                        found = server_process(home)
                        if found is None:
                            continue
                        servers[name] = found
                    server = servers[name]
                    kernels = sum(child.memory_info().rss for child in server.children(recursive=True))
                    self.peak_server[name] = max(self.peak_server[name], server.memory_info().rss)
                    self.peak_kernels[name] = max(self.peak_kernels[name], kernels)
                except psutil.Error:
                    continue


def kernel_cpu_seconds(home: Path) -> float:
    """User + system CPU seconds of the kernels (the server's descendants) so far."""
    server = server_process(home)
    if server is None:
        return float("nan")
    total = 0.0
    for child in server.children(recursive=True):
        try:
            times = child.cpu_times()
            total += times.user + times.system + times.children_user + times.children_system
        except psutil.Error:
            continue
    return total


def run_notebook(hub: Hub, name: str, token: str, notebook: str, cell_timeout: float, total_timeout: float) -> dict:
    """Open a session on the learner's copy of `notebook`, run its code cells over the kernel websocket, in order."""
    headers = {"Authorization": f"token {token}"}
    base = f"{hub.url}/user/{name}"
    began = time.monotonic()
    content = requests.get(f"{base}/api/contents/{notebook}", headers=headers, timeout=HTTP_TIMEOUT).json()["content"]
    # The kernel the notebook asks for, as JupyterLab does (python3: the hub's course kernel carries that name).
    kernel_name = content["metadata"].get("kernelspec", {}).get("name", "python3")
    session = requests.post(
        f"{base}/api/sessions", headers=headers, timeout=HTTP_TIMEOUT,
        json={"path": notebook, "type": "notebook", "name": Path(notebook).name, "kernel": {"name": kernel_name}},
    )
    session.raise_for_status()
    kernel_id = session.json()["kernel"]["id"]
    cells = [cell for cell in content["cells"] if cell["cell_type"] == "code"]
    socket_url = f"ws://127.0.0.1:{hub.port}/user/{name}/api/kernels/{kernel_id}/channels"
    connection = websocket.create_connection(socket_url, header=[f"Authorization: token {token}"], timeout=cell_timeout)
    session_id = uuid.uuid4().hex
    errors, executed = [], 0
    try:
        for index, cell in enumerate(cells):
            if time.monotonic() - began > total_timeout:
                errors.append(f"stopped at code cell {index}: over {total_timeout} s in total")
                break
            expected_error = "raises-exception" in cell.get("metadata", {}).get("tags", [])
            msg_id = uuid.uuid4().hex
            connection.send(json.dumps({
                "header": {"msg_id": msg_id, "msg_type": "execute_request", "session": session_id, "username": name,
                           "version": "5.3", "date": ""},
                "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
                "content": {"code": "".join(cell["source"]), "silent": False, "store_history": True,
                            "user_expressions": {}, "allow_stdin": False, "stop_on_error": True},
            }))
            reply, idle, error = None, False, None
            cell_deadline = time.monotonic() + cell_timeout
            while not (reply and idle):
                if time.monotonic() > cell_deadline:
                    raise TimeoutError(f"code cell {index} ran over {cell_timeout} s")
                message = json.loads(connection.recv())
                if message.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                kind = message["msg_type"]
                if kind == "execute_reply":
                    reply = message["content"]
                elif kind == "status" and message["content"]["execution_state"] == "idle":
                    idle = True
                elif kind == "error":
                    error = f"{message['content']['ename']}: {message['content']['evalue']}"[:300]
            executed += 1
            if reply["status"] != "ok" and not expected_error:
                errors.append(f"code cell {index}: {error or reply.get('ename')}")
                break
    finally:
        connection.close()
    seconds = time.monotonic() - began
    cpu = kernel_cpu_seconds(hub.state / "homes" / name)
    requests.delete(f"{base}/api/sessions/{session.json()['id']}", headers=headers, timeout=HTTP_TIMEOUT)
    return {"cells_run": executed, "code_cells": len(cells), "seconds": round(seconds, 1),
            "kernel_cpu_seconds": round(cpu, 1), "errors": errors, "completed": not errors and executed == len(cells)}


def learner_run(hub: Hub, name: str, notebook: str, cell_timeout: float, total_timeout: float) -> dict:
    result = {"learner": name}
    try:
        result["spawn_seconds"] = round(hub.start_server(name), 1)
        token = hub.api("POST", f"/users/{name}/tokens", json={"expires_in": 7200, "note": "load test"}).json()["token"]
        result.update(run_notebook(hub, name, token, notebook, cell_timeout, total_timeout))
    except Exception as error:  # recorded as this learner's failure; the others go on
        result.update(completed=False, errors=[f"{type(error).__name__}: {error}"[:400]])
    return result


def run_round(hub: Hub, learners: int, notebook: str, cell_timeout: float, total_timeout: float) -> dict:
    names = [f"n{learners}-learner{i}" for i in range(learners)]
    hub.api("POST", "/users", json={"usernames": names})
    homes = {name: hub.state / "homes" / name for name in names}
    sampler = Sampler(homes)
    load_before = os.getloadavg()
    sampler.start()
    began = time.monotonic()
    try:
        with ThreadPoolExecutor(learners) as pool:
            results = list(pool.map(lambda n: learner_run(hub, n, notebook, cell_timeout, total_timeout), names))
    finally:
        sampler.stopping.set()
        sampler.join(10)
        for name in names:
            try:
                hub.stop_server(name)
            except Exception as error:  # noqa: BLE001  (the hub's shutdown ends it anyway)
                print(f"  could not stop {name}'s server: {error}", file=sys.stderr)
    for result in results:
        name = result["learner"]
        result["peak_kernel_mb"] = round(sampler.peak_kernels[name] / 2**20)
        result["peak_server_mb"] = round(sampler.peak_server[name] / 2**20)
        result["peak_total_mb"] = result["peak_kernel_mb"] + result["peak_server_mb"]
    done = [r for r in results if r["completed"]]
    limit_mb = sizing.learner_memory()["limit_mb"]
    summary = {
        "memory_limit_mb": limit_mb,
        "over_memory_limit": sum(r["peak_total_mb"] > limit_mb for r in results),  # killed under systemd/docker
        "learners": learners, "completions": len(done), "failures": learners - len(done),
        "round_seconds": round(time.monotonic() - began, 1),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "min_available_memory_mb": round(sampler.min_available_mb),
        "learners_detail": results,
    }
    for key in ("spawn_seconds", "seconds", "kernel_cpu_seconds", "peak_kernel_mb", "peak_total_mb"):
        values = [r[key] for r in done if key in r]
        if values:
            summary[f"median_{key}"] = round(statistics.median(values), 1)
            summary[f"max_{key}"] = round(max(values), 1)
    return summary


def persistence_check(hub: Hub, notebook: str) -> dict:
    """A learner's edit survives a server restart and a hub restart; reset gives the course's version back."""
    name = "persistence-learner"
    hub.api("POST", "/users", json={"usernames": [name]})
    hub.start_server(name)
    token = hub.api("POST", f"/users/{name}/tokens", json={"expires_in": 7200}).json()["token"]
    headers = {"Authorization": f"token {token}"}

    def contents(path, method="GET", **kwargs):
        url = f"{hub.url}/user/{name}/api/contents/{path}"
        response = requests.request(method, url, headers=headers, timeout=HTTP_TIMEOUT, **kwargs)
        response.raise_for_status()
        return response.json()

    model = contents(notebook)
    model["content"]["cells"].insert(0, {"cell_type": "markdown", "id": "my-notes", "metadata": {},
                                         "source": "my notes"})
    contents(notebook, "PUT", json={"type": "notebook", "content": model["content"]})
    contents("notebooks/my_work.py", "PUT", json={"type": "file", "format": "text", "content": "x = 1\n"})
    hub.stop_server(name)
    hub.start_server(name)
    after_server_restart = contents(notebook)["content"]["cells"][0]["source"] == "my notes"
    hub.stop_server(name)
    hub.stop()
    hub.start()
    hub.start_server(name)
    token = hub.api("POST", f"/users/{name}/tokens", json={"expires_in": 7200}).json()["token"]
    headers["Authorization"] = f"token {token}"
    after_hub_restart = (contents(notebook)["content"]["cells"][0]["source"] == "my notes"
                         and contents("notebooks/my_work.py")["content"] == "x = 1\n")
    hub.stop_server(name)
    home = hub.state / "homes" / name
    backup = learner_home.reset(home)
    course_copy = (REPO_ROOT / notebook).read_bytes() == (home / notebook).read_bytes()
    kept = backup is not None and "my notes" in (backup / Path(notebook).relative_to("notebooks")).read_text()
    return {"edit_kept_after_server_restart": after_server_restart, "edit_kept_after_hub_restart": after_hub_restart,
            "reset_restores_course_version": course_copy, "reset_keeps_old_copy": kept}


def culler_check(hub: Hub, idle_seconds: int = 20, timeout: float = 120) -> dict:
    """Restart the hub with a short idle time: the idle culler (a hub service) stops an untouched server."""
    hub.stop()
    hub.extra_env["COURSE_HUB_CULL_SECONDS"] = str(idle_seconds)
    hub.start()
    name = "idle-learner"
    hub.api("POST", "/users", json={"usernames": [name]})
    hub.start_server(name)
    began = time.monotonic()
    while time.monotonic() - began < timeout:
        if not hub.api("GET", f"/users/{name}").json()["servers"]:
            return {"idle_server_culled": True, "culled_after_seconds": round(time.monotonic() - began, 1),
                    "idle_timeout_seconds": idle_seconds}
        time.sleep(1)
    return {"idle_server_culled": False, "culled_after_seconds": None, "idle_timeout_seconds": idle_seconds}


def versions() -> dict:
    import jupyterhub

    chp = json.loads((HUB_DIR / "node_modules" / "configurable-http-proxy" / "package.json").read_text())["version"]
    return {"jupyterhub": jupyterhub.__version__, "configurable-http-proxy": chp, "python": platform.python_version()}


def markdown(results: dict) -> str:
    rows = [
        f"Measured {results['measured_on']} on {results['machine']['cpu_count']} cores, "
        f"{results['machine']['memory_gb']} GB; notebook `{results['notebook']}` run by every learner at once "
        f"(local spawner, TensorFlow limited to 1 thread per kernel as in the config). Load average (1 min) before "
        "each round is given: other jobs shared the machine.",
        "",
        "| learners N | completed | failed | spawn s (median) | run s per learner (median / max) "
        "| kernel CPU s (median) | peak MB per learner: kernel / kernel + server (max) | over the limit "
        "| load before |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results["rounds"]:
        rows.append(
            f"| {r['learners']} | {r['completions']} | {r['failures']} | {r.get('median_spawn_seconds', '-')} "
            f"| {r.get('median_seconds', '-')} / {r.get('max_seconds', '-')} "
            f"| {r.get('median_kernel_cpu_seconds', '-')} | {r.get('max_peak_kernel_mb', '-')} / "
            f"{r.get('max_peak_total_mb', '-')} | {r.get('over_memory_limit', '-')} | {r['load_average_before'][0]} |"
        )
    rows += ["", f"What broke first: {what_broke_first(results['rounds'])}", ""]
    rows += sizing_table(results)
    rows += ["",
             "Persistence check: " + ", ".join(f"{k.replace('_', ' ')}: {'yes' if v else 'NO'}"
                                               for k, v in results["persistence"].items()) + "."]
    culler = results.get("culler")
    if culler:
        rows += ["", f"Idle culler (hub service, idle time set to {culler['idle_timeout_seconds']} s for the test): "
                 + (f"stopped an untouched server after {culler['culled_after_seconds']} s."
                    if culler["idle_server_culled"] else "did NOT stop the idle server.")]
    return "\n".join(rows)


def sizing_table(results: dict) -> list[str]:
    """Rooms of 30 and 200 on paper, from this run's N=1 figures (hub/sizing.py says how)."""
    alone = next((r for r in results["rounds"] if r["learners"] == 1 and r["completions"]), None)
    if alone is None:
        return []
    cpu, peak = alone["median_kernel_cpu_seconds"], int(alone["max_peak_kernel_mb"])
    memory = sizing.learner_memory(server=results["server_peak_mb"])
    rows = [
        f"Sizing on paper for `{results['notebook']}` from N=1: {cpu} kernel CPU s, {peak} MB kernel peak, "
        f"{memory['server_mb']} MB server; limit {memory['limit_mb']} MB per learner.",
        "",
        "| room | cores, simultaneous run all (= learners x 0.5; run takes CPU s / 0.5) "
        "| cores, staggered over 10 min (= learners x CPU s / 600 s) "
        "| memory expected (= learners x (kernel peak + server)) | memory if all at the limit |",
        "|---:|---:|---:|---:|---:|",
    ]
    for learners in (30, 200):
        r = sizing.room(learners, cpu, peak, memory)
        rows.append(
            f"| {learners} | {r['cores_simultaneous']} (run {r['seconds_simultaneous']} s) "
            f"| {r['cores_staggered']} ({learners} x {cpu} / 600) "
            f"| {r['memory_expected_gb']} GB ({learners} x ({peak} + {memory['server_mb']}) MB) "
            f"| {r['memory_at_limits_gb']} GB ({learners} x {memory['limit_mb']} MB) |"
        )
    return rows


def what_broke_first(rounds: list[dict]) -> str:
    for r in rounds:
        for learner in r["learners_detail"]:
            if not learner["completed"]:
                return f"at N={r['learners']}: {learner['learner']}: {'; '.join(learner['errors'])}"
    first, last = rounds[0], rounds[-1]
    cpu = [r["median_kernel_cpu_seconds"] for r in rounds]
    return (f"nothing failed up to N={last['learners']}. What gives is time: the median run went from "
            f"{first.get('median_seconds')} s (N={first['learners']}) to {last.get('median_seconds')} s "
            f"(N={last['learners']}) while each kernel's CPU seconds stayed between {min(cpu)} and {max(cpu)} "
            "(medians): the cores are shared, so beyond the core count every "
            "learner waits longer. Memory was not the limit: the least available was "
            f"{min(r['min_available_memory_mb'] for r in rounds)} MB.")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, nargs="+", default=[1, 2, 4, 8])
    parser.add_argument("--notebook", default="notebooks/04_time_series_stocks_sales.ipynb")
    parser.add_argument("--course-python", default=os.environ.get("COURSE_PYTHON", REPO_ROOT / ".venv/bin/python"))
    parser.add_argument("--cell-timeout", type=float, default=600)
    parser.add_argument("--total-timeout", type=float, default=1200)
    parser.add_argument("--write", action="store_true", help="write docs/hub_load_test.json and the docs table")
    parser.add_argument("--results", type=Path, help="also write this run's results (JSON) to this file")
    parser.add_argument("--render", action="store_true", help="only rewrite the docs table from the stored JSON")
    parser.add_argument("--keep", action="store_true", help="keep the state folder (logs, homes) afterwards")
    args = parser.parse_args()
    if args.render:
        for run in json.loads(RESULTS.read_text())["runs"].values():
            run["what_broke_first"] = what_broke_first(run["rounds"])
            write(run)
        return 0
    if any(n < 1 or n > 16 for n in args.learners) or len(set(args.learners)) != len(args.learners):
        parser.error("--learners: distinct N, each 1..16 on one machine")
    notebook = Path(args.notebook)
    if not (REPO_ROOT / notebook).is_file() or notebook.parts[0] != "notebooks":
        parser.error(f"--notebook must be a notebook under notebooks/, got {args.notebook}")
    course_python = Path(args.course_python)
    if not course_python.exists():
        parser.error(f"the course's python {course_python} is missing (make install, or --course-python)")
    state = REPO_ROOT / "scratch" / f"hub-load-test-{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}"
    state.mkdir(parents=True)
    state.chmod(0o755)  # as root, the hub runs learners' servers as nobody, whose homes are in here
    hub = Hub(state, course_python)
    results = {"measured_on": time.strftime("%Y-%m-%d"), "notebook": notebook.name, "versions": versions(),
               "machine": {"cpu_count": os.cpu_count(), "memory_gb": round(psutil.virtual_memory().total / 2**30)},
               "rounds": []}
    left = 0
    try:
        hub.start()
        for learners in args.learners:
            print(f"N={learners}: starting (load {os.getloadavg()[0]:.2f})", flush=True)
            summary = run_round(hub, learners, str(notebook), args.cell_timeout, args.total_timeout)
            results["rounds"].append(summary)
            print(f"N={learners}: {summary['completions']} completed, {summary['failures']} failed, median run "
                  f"{summary.get('median_seconds')} s, max peak {summary.get('max_peak_total_mb')} MB", flush=True)
            for learner in summary["learners_detail"]:
                if learner["errors"]:
                    print(f"  {learner['learner']}: {learner['errors']}", flush=True)
        results["persistence"] = persistence_check(hub, str(notebook))
        print(f"persistence: {results['persistence']}", flush=True)
        results["culler"] = culler_check(hub)
        print(f"culler: {results['culler']}", flush=True)
    finally:
        hub.stop()
        left = len(still_running_under(state))
        end_everything_under(state)
        if not args.keep:
            shutil.rmtree(state, ignore_errors=True)
    results["processes_left_after_hub_stopped"] = left
    results["hub_shutdown_seconds"] = hub.shutdown_seconds
    print(f"processes still running 15 s after the hub stopped (then ended by the test): {left}")
    servers = [r.get("peak_server_mb", 0) for rnd in results["rounds"] for r in rnd["learners_detail"]]
    results["server_peak_mb"] = max(servers) if servers else sizing.SERVER_MB_BEFORE_MEASURING
    results["what_broke_first"] = what_broke_first(results["rounds"])
    print(markdown(results))
    ok = (all(r["failures"] == 0 for r in results["rounds"]) and all(results["persistence"].values())
          and results["culler"]["idle_server_culled"])
    if args.results:
        args.results.write_text(json.dumps(results, indent=2) + "\n")
    if args.write:
        write(results)
    return 0 if ok and left == 0 else 1


def write(results: dict) -> None:
    """Keep one run per notebook in docs/hub_load_test.json; put every run's table in docs/workshop.md."""
    stored = json.loads(RESULTS.read_text()) if RESULTS.exists() else {"runs": {}}
    stored["runs"][results["notebook"]] = results
    stored["server_peak_mb"] = max(run["server_peak_mb"] for run in stored["runs"].values())
    RESULTS.write_text(json.dumps(stored, indent=2) + "\n")
    text = WORKSHOP.read_text()
    if START in text and END in text:
        tables = "\n\n".join(markdown(run) for run in stored["runs"].values())
        head, rest = text.split(START, 1)
        WORKSHOP.write_text(head + START + "\n" + tables + "\n" + END + rest.split(END, 1)[1])
    print(f"wrote {RESULTS.relative_to(REPO_ROOT)} and the table in {WORKSHOP.relative_to(REPO_ROOT)}")


if __name__ == "__main__":
    raise SystemExit(main())
