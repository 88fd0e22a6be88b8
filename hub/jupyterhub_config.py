"""JupyterHub for a room of learners of the LSTM course: `make hub` starts it (docs/workshop.md, "server for the room").

Each learner gets a single-user server (JupyterLab, from hub/.venv) whose only kernel is the course's: the course's
.venv python with the course folder on PYTHONPATH, named `python3` as in the notebooks' metadata, so every notebook
opens on it unchanged (a notebook asking for another name falls back to it: it is the only Python kernel). On every
start, hub/learner_home.py copies the course's notebooks into the learner's home where a file is missing, never over
their work. Homes live under $COURSE_HUB_STATE/homes (or the spawner's own persistent place), so work survives server
and hub restarts. Memory per learner comes from the measured peaks (hub/sizing.py). jupyterhub-idle-culler runs as
a hub-managed service. What is refused, and why, is in hub/policy.py.

Start it with the course folder on PYTHONPATH (as `make hub` does): this file imports hub.sizing and hub.policy.
Environment (all optional):
  COURSE_HUB_STATE      folder for the hub's database, cookie secret, passwords and learners' homes (scratch/hub)
  COURSE_HUB_SPAWNER    local (default: one machine, no isolation, limits not enforced; loopback only: for trying
                        it out and for the tests) | systemd (SystemdSpawner: a system account and a systemd unit per
                        learner, limits enforced; what a room needs)
  COURSE_HUB_IP, COURSE_HUB_PORT            where learners connect (default 127.0.0.1:8000)
  COURSE_HUB_API_PORT, COURSE_HUB_PROXY_API_PORT   the hub's and the proxy's internal ports (8081, 8001)
  COURSE_PYTHON         the course's python for the kernel (default .venv/bin/python of this clone)
  COURSE_HUB_AUTH       test (default on loopback: any name, any password) | firstuse (each learner's first
                        log-in sets their own password: rooms where impersonation matters) | shared (one password)
  COURSE_HUB_PASSWORD   the room's shared password (8+ characters): sets COURSE_HUB_AUTH=shared (trusted rooms only:
                        anyone with it can log in as anyone)
  COURSE_HUB_ADMINS     comma-separated names of admins (firstuse only): the admin page can stop servers and delete
                        a user (which also forgets their password; their home stays)
  COURSE_HUB_TERMINALS  1: JupyterLab terminals for learners (default 0: off)
  COURSE_HUB_LEARNER_USER  the account learners' servers run as when the hub is root with the local spawner (nobody)
  COURSE_HUB_ADMIN_TOKEN   if set, an API token with the admin role (the load test uses it)
  COURSE_HUB_CULL_SECONDS  stop a learner's server after this long idle (default 3600)
"""

import json
import os
import pwd
import sys
from pathlib import Path

HUB_DIR = Path(__file__).resolve().parent
COURSE_ROOT = HUB_DIR.parent
try:  # the course folder is on PYTHONPATH (`make hub` and the load test set it)
    from hub import policy, sizing
except ImportError as error:
    raise SystemExit(f"start the hub with `make hub`, or with PYTHONPATH={COURSE_ROOT} ({error})") from error

c = get_config()  # noqa: F821  (provided by JupyterHub when it loads this file)

room = policy.decide(os.environ, os.getuid())  # raises policy.Refused (a SystemExit) for an unsafe set-up
STATE = Path(os.environ.get("COURSE_HUB_STATE", COURSE_ROOT / "scratch" / "hub")).resolve()
HOMES = STATE / "homes"
HOMES.mkdir(parents=True, exist_ok=True)
COURSE_PYTHON = Path(os.environ.get("COURSE_PYTHON", COURSE_ROOT / ".venv" / "bin" / "python"))
if not COURSE_PYTHON.exists():
    raise SystemExit(f"the course's python {COURSE_PYTHON} is missing: run `make install` or set COURSE_PYTHON")
KERNELS = STATE / "jupyter"
MEMORY = sizing.learner_memory()

# --- Network: everything on COURSE_HUB_IP; the hub's API and the proxy's API on loopback only.
c.JupyterHub.bind_url = f"http://{room.ip}:{os.environ.get('COURSE_HUB_PORT', '8000')}"
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{os.environ.get('COURSE_HUB_API_PORT', '8081')}"
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{os.environ.get('COURSE_HUB_PROXY_API_PORT', '8001')}"
c.ConfigurableHTTPProxy.command = [str(HUB_DIR / "node_modules" / ".bin" / "configurable-http-proxy")]

# --- The hub's own state: one folder, so a restart finds its users and their tokens again.
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(STATE / "jupyterhub.pid")
c.ConfigurableHTTPProxy.pid_file = str(STATE / "jupyterhub-proxy.pid")

# --- Who may log in (hub/policy.py says which set-up may use which), and the rules shown on the log-in page.
if room.authenticator == "shared":
    # One password for the room, any name: a trusted room only (anyone with it can log in as anyone else).
    c.JupyterHub.authenticator_class = "shared-password"
    c.SharedPasswordAuthenticator.user_password = room.password
elif room.authenticator == "firstuse":
    # jupyterhub-firstuseauthenticator: a learner's first log-in sets their password (bcrypt hash in STATE).
    c.JupyterHub.authenticator_class = "firstuseauthenticator.FirstUseAuthenticator"
    c.FirstUseAuthenticator.dbm_path = str(STATE / "passwords.dbm")
    c.FirstUseAuthenticator.min_password_length = policy.MIN_PASSWORD_LENGTH
else:
    c.JupyterHub.authenticator_class = "dummy"  # loopback only: any name, any password
c.Authenticator.allow_all = True
c.Authenticator.admin_users = set(room.admins)
c.Authenticator.username_pattern = policy.USERNAME_PATTERN
c.JupyterHub.template_paths = [str(HUB_DIR / "templates")]
c.JupyterHub.template_vars = {"course_username_rule": policy.USERNAME_RULE,
                              "course_password_rule": room.password_rule}

# --- The kernel: the course's python, the course folder importable (course_utils), no other kernel offered. It is
#     named python3, the name in the notebooks' metadata, so they open on it and keep that name when saved (they
#     still run unchanged on Colab or a laptop); the hub's own python3 (hub/.venv) is not allowed.
kernel_dir = KERNELS / "kernels" / "python3"
kernel_dir.mkdir(parents=True, exist_ok=True)
for folder in (STATE, HOMES, KERNELS, kernel_dir.parent, kernel_dir):  # learners' accounts enter these (any umask)
    folder.chmod(0o755)
policy.check_reachable(room, [COURSE_ROOT / "notebooks", COURSE_PYTHON, sys.executable, STATE])
(kernel_dir / "kernel.json").write_text(json.dumps({
    "argv": [str(COURSE_PYTHON), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
    "display_name": "Python (LSTM course)", "language": "python",
    "env": {"PYTHONPATH": str(COURSE_ROOT)}, "metadata": {"debugger": True},
}, indent=1))

# --- Each learner's server: seed the notebooks, then JupyterLab on the first notebook.
c.Spawner.cmd = [sys.executable, str(HUB_DIR / "learner_home.py"), "run"]
c.Spawner.default_url = "/lab/tree/notebooks/00_start_here.ipynb"
c.Spawner.environment = {"COURSE_ROOT": str(COURSE_ROOT), "JUPYTER_PATH": str(KERNELS)}
c.Spawner.args = [
    "--KernelSpecManager.allowed_kernelspecs=python3",
    "--KernelSpecManager.ensure_native_kernel=False",
    "--MappingKernelManager.default_kernel_name=python3",
    f"--ServerApp.terminals_enabled={room.terminals}",
    # A kernel whose tab was closed 20 minutes ago is shut down: its memory goes back to the room.
    "--MappingKernelManager.cull_idle_timeout=1200",
    "--MappingKernelManager.cull_interval=120",
]
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 60
c.Spawner.mem_limit = f"{MEMORY['limit_mb']}M"
c.Spawner.mem_guarantee = f"{MEMORY['guarantee_mb']}M"
c.Spawner.cpu_limit = 1.0  # one core per learner at most: a "run all" cannot starve the room
# TensorFlow sizes its thread pools from the machine's cores, not the learner's share: keep it to the share.
c.Spawner.environment.update({"TF_NUM_INTEROP_THREADS": "1", "TF_NUM_INTRAOP_THREADS": "1", "OMP_NUM_THREADS": "1"})

if room.spawner == "local":
    # Loopback only (hub/policy.py). All servers run as one account: the hub's user, or, when the hub is root, the
    # unprivileged room.learner_account (never root). Homes under STATE/homes. No isolation, and mem_limit/cpu_limit
    # are NOT enforced (they reach the server only as MEM_LIMIT/CPU_LIMIT variables): for trying it out and the tests.
    from jupyterhub.spawner import SimpleLocalProcessSpawner

    class CourseLocalSpawner(SimpleLocalProcessSpawner):
        """JupyterHub's SimpleLocalProcessSpawner, dropping to room.learner_account before the server starts."""

        def make_preexec_fn(self, name):
            home = self.home_dir
            account = pwd.getpwnam(room.learner_account) if room.learner_account else None

            def preexec():  # runs in the child before exec; an exception here fails the spawn (never runs as root)
                os.makedirs(home, 0o755, exist_ok=True)
                if account is not None:
                    if os.stat(home).st_uid != account.pw_uid:  # a home made by an earlier hub: hand it over
                        for folder, _, files in os.walk(home):
                            for path in [folder, *(os.path.join(folder, file) for file in files)]:
                                os.chown(path, account.pw_uid, account.pw_gid, follow_symlinks=False)
                    os.setgroups([])
                    os.setgid(account.pw_gid)
                    os.setuid(account.pw_uid)
                os.chdir(home)

            return preexec

    c.JupyterHub.spawner_class = CourseLocalSpawner
    c.SimpleLocalProcessSpawner.home_dir_template = str(HOMES / "{username}")
else:
    # One transient systemd unit per learner, a throw-away system user (DynamicUser) whose home persists in
    # /var/lib/private/<username>; systemd enforces mem_limit (MemoryMax) and cpu_limit (CPUQuota). Needs the hub
    # to run as root under systemd, and `jupyterhub-systemdspawner` (hub/requirements.txt).
    c.JupyterHub.spawner_class = "systemdspawner.SystemdSpawner"
    c.SystemdSpawner.dynamic_users = True
    c.SystemdSpawner.isolate_tmp = True
    c.SystemdSpawner.disable_user_sudo = True
    c.SystemdSpawner.readonly_paths = [str(COURSE_ROOT)]

# --- Services: the idle culler (stops servers idle for an hour: their kernels' memory is freed, homes stay),
#     and, for the load test, an admin token. The hub stops a service with SIGINT, then SIGTERM 30 s later; a hub
#     started from a background job passes SIGINT on as ignored, so the culler is started with SIGINT restored.
cull_seconds = int(os.environ.get("COURSE_HUB_CULL_SECONDS", "3600"))
CULLER = ("import signal; signal.signal(signal.SIGINT, signal.default_int_handler); "
          "from jupyterhub_idle_culler import main; main()")
c.JupyterHub.services = [
    {
        "name": "idle-culler",
        "command": [sys.executable, "-c", CULLER, f"--timeout={cull_seconds}",
                    f"--cull-every={min(300, max(5, cull_seconds // 2))}"],
    }
]
c.JupyterHub.load_roles = [
    {
        "name": "idle-culler",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["idle-culler"],
    }
]
if os.environ.get("COURSE_HUB_ADMIN_TOKEN"):
    c.JupyterHub.services.append({"name": "course-admin", "api_token": os.environ["COURSE_HUB_ADMIN_TOKEN"]})
    c.JupyterHub.load_roles.append({"name": "admin", "services": ["course-admin"]})
