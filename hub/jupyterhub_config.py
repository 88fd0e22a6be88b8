"""JupyterHub for a room of learners of the LSTM course: `make hub` starts it (docs/workshop.md, "server for the room").

Each learner gets a single-user server (JupyterLab, from hub/.venv) whose only kernel is the course's: the course's
.venv python with the course folder on PYTHONPATH. On every start, hub/learner_home.py copies the course's notebooks
into the learner's home where a file is missing, never over their work. Homes live under $COURSE_HUB_STATE/homes
(or the spawner's own persistent place), so work survives server and hub restarts. Memory per learner comes from the
measured peaks (hub/sizing.py). jupyterhub-idle-culler runs as a hub-managed service.

Start it with the course folder on PYTHONPATH (as `make hub` does): this file imports hub.sizing.
Environment (all optional):
  COURSE_HUB_STATE      folder for the hub's database, cookie secret and learners' homes (default scratch/hub)
  COURSE_HUB_SPAWNER    local (default: one machine, no isolation, limits not enforced; for trying it out and for
                        the load test) | systemd (SystemdSpawner: a systemd unit per learner, limits enforced)
  COURSE_HUB_IP, COURSE_HUB_PORT            where learners connect (default 127.0.0.1:8000)
  COURSE_HUB_API_PORT, COURSE_HUB_PROXY_API_PORT   the hub's and the proxy's internal ports (8081, 8001)
  COURSE_PYTHON         the course's python for the kernel (default .venv/bin/python of this clone)
  COURSE_HUB_PASSWORD   the room's shared password (8+ characters); unset: the test authenticator (any password)
  COURSE_HUB_ADMIN_TOKEN   if set, an API token with the admin role (the load test uses it)
  COURSE_HUB_CULL_SECONDS  stop a learner's server after this long idle (default 3600)
"""

import json
import os
import sys
from pathlib import Path

HUB_DIR = Path(__file__).resolve().parent
COURSE_ROOT = HUB_DIR.parent
try:
    from hub import sizing  # hub/sizing.py: the course folder is on PYTHONPATH (`make hub` and the load test set it)
except ImportError as error:
    raise SystemExit(f"start the hub with `make hub`, or with PYTHONPATH={COURSE_ROOT} ({error})") from error

c = get_config()  # noqa: F821  (provided by JupyterHub when it loads this file)

STATE = Path(os.environ.get("COURSE_HUB_STATE", COURSE_ROOT / "scratch" / "hub")).resolve()
HOMES = STATE / "homes"
HOMES.mkdir(parents=True, exist_ok=True)
SPAWNER = os.environ.get("COURSE_HUB_SPAWNER", "local")
COURSE_PYTHON = Path(os.environ.get("COURSE_PYTHON", COURSE_ROOT / ".venv" / "bin" / "python"))
if not COURSE_PYTHON.exists():
    raise SystemExit(f"the course's python {COURSE_PYTHON} is missing: run `make install` or set COURSE_PYTHON")
MEMORY = sizing.learner_memory()

# --- Network: everything on COURSE_HUB_IP; the hub's API and the proxy's API on loopback only.
ip = os.environ.get("COURSE_HUB_IP", "127.0.0.1")
c.JupyterHub.bind_url = f"http://{ip}:{os.environ.get('COURSE_HUB_PORT', '8000')}"
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{os.environ.get('COURSE_HUB_API_PORT', '8081')}"
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{os.environ.get('COURSE_HUB_PROXY_API_PORT', '8001')}"
c.ConfigurableHTTPProxy.command = [str(HUB_DIR / "node_modules" / ".bin" / "configurable-http-proxy")]

# --- The hub's own state: one folder, so a restart finds its users and their tokens again.
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(STATE / "jupyterhub.pid")
c.ConfigurableHTTPProxy.pid_file = str(STATE / "jupyterhub-proxy.pid")

# --- Who may log in.
if os.environ.get("COURSE_HUB_PASSWORD"):
    # One password for the room, any username: the usual workshop set-up on a trusted network (learners can log
    # in as each other with it, so not for graded work; use an OAuth authenticator there).
    c.JupyterHub.authenticator_class = "shared-password"
    c.SharedPasswordAuthenticator.user_password = os.environ["COURSE_HUB_PASSWORD"]
elif ip in ("127.0.0.1", "localhost", "::1"):
    c.JupyterHub.authenticator_class = "dummy"  # testing only: any username, any password
else:
    raise SystemExit("COURSE_HUB_IP is not loopback: set COURSE_HUB_PASSWORD (8+ characters) for the room")
c.Authenticator.allow_all = True
# Names that are also valid system user names (the systemd spawner makes one per learner) and folder names.
c.Authenticator.username_pattern = r"^[a-z][a-z0-9-]{0,31}$"

# --- The kernel: the course's python, the course folder importable (course_utils), no other kernel offered.
KERNELS = STATE / "jupyter"
kernel_dir = KERNELS / "kernels" / "lstm-course"
kernel_dir.mkdir(parents=True, exist_ok=True)
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
    "--MappingKernelManager.default_kernel_name=lstm-course",
    "--KernelSpecManager.ensure_native_kernel=False",
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

if SPAWNER == "local":
    # All servers run as the hub's user, homes under STATE/homes. No isolation and mem_limit/cpu_limit are NOT
    # enforced (they reach the server only as MEM_LIMIT/CPU_LIMIT variables): for trying it out and the load test.
    c.JupyterHub.spawner_class = "jupyterhub.spawner.SimpleLocalProcessSpawner"
    c.SimpleLocalProcessSpawner.home_dir_template = str(HOMES / "{username}")
    if os.getuid() == 0:  # containers and lab machines often run as root; jupyter_server refuses root unless told
        c.Spawner.args.append("--ServerApp.allow_root=True")
elif SPAWNER == "systemd":
    # One transient systemd unit per learner, a throw-away system user (DynamicUser) whose home persists in
    # /var/lib/private/<username>; systemd enforces mem_limit (MemoryMax) and cpu_limit (CPUQuota). Needs the hub
    # to run as root under systemd, and `jupyterhub-systemdspawner` (hub/requirements.txt).
    c.JupyterHub.spawner_class = "systemdspawner.SystemdSpawner"
    c.SystemdSpawner.dynamic_users = True
    c.SystemdSpawner.isolate_tmp = True
    c.SystemdSpawner.disable_user_sudo = True
    c.SystemdSpawner.readonly_paths = [str(COURSE_ROOT)]
else:
    raise SystemExit(f"COURSE_HUB_SPAWNER must be local or systemd, got {SPAWNER!r}")

# --- Services: the idle culler (stops servers idle for an hour: their kernels' memory is freed, homes stay),
#     and, for the load test, an admin token.
cull_seconds = int(os.environ.get("COURSE_HUB_CULL_SECONDS", "3600"))
c.JupyterHub.services = [
    {
        "name": "idle-culler",
        "command": [sys.executable, "-m", "jupyterhub_idle_culler", f"--timeout={cull_seconds}",
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
