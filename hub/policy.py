"""The room's safety rules, decided before JupyterHub starts (hub/jupyterhub_config.py applies them).

From the environment variables of `make hub` (listed at the top of jupyterhub_config.py) and the hub's own user id,
`decide` returns the room's settings or refuses to start, with a message that says what to use instead:
  - on an address other than loopback, learners need their own server account (COURSE_HUB_SPAWNER=systemd) and a
    log-in that is not the test one (COURSE_HUB_AUTH=firstuse: a password per learner; or the shared password);
  - no learner's server runs as root: a hub started as root with the local spawner runs them as an unprivileged
    account (COURSE_HUB_LEARNER_USER, default `nobody`), and hub/learner_home.py refuses root as a last check;
  - terminals are off unless the teacher opts in (COURSE_HUB_TERMINALS=1);
  - admins (COURSE_HUB_ADMINS) only with a password per learner: with one shared password, anyone could log in
    under an admin's name.
Standard library only: tests/test_hub.py tests every refusal without JupyterHub.
"""

from __future__ import annotations

import os
import pwd
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
SPAWNERS = ("local", "systemd")
# test: any name, any password (JupyterHub's dummy authenticator); shared: one password for the room;
# firstuse: jupyterhub-firstuseauthenticator, each learner's first log-in sets their own password.
AUTHENTICATORS = ("test", "shared", "firstuse")
MIN_PASSWORD_LENGTH = 8
DEFAULT_LEARNER_ACCOUNT = "nobody"
# Names that are also valid system user names (the systemd spawner makes one per learner) and folder names.
USERNAME_PATTERN = r"^[a-z][a-z0-9-]{0,31}$"
USERNAME_RULE = ("Your name: lower-case letters, digits and hyphens, starting with a letter, at most 32 characters "
                 "(marie-curie, not Marie.Curie or Marie Curie).")
PASSWORD_RULES = {
    "test": "Test log-in: any password works (this hub is for trying the course out on this machine).",
    "shared": "Password: the room's password, given by your teacher.",
    "firstuse": (f"Password: the first time you sign in, the password you type (at least {MIN_PASSWORD_LENGTH} "
                 "characters) becomes yours; use it every time after."),
}
NO_ISOLATION = (
    "the local spawner runs every learner's server under one account, with no isolation and no limits: any "
    "learner could read and change the others' work and run commands as that account. On a network address use "
    "COURSE_HUB_SPAWNER=systemd (a system account per learner, limits enforced; docs/workshop.md, \"A server for "
    "the room\"), or try the hub out on this machine only (COURSE_HUB_IP=127.0.0.1)"
)


class Refused(SystemExit):
    """The hub must not start with these settings; the message says why and what to use instead."""

    def __init__(self, reason: str):
        super().__init__(f"refusing to start the hub: {reason}")


@dataclass(frozen=True)
class Room:
    ip: str
    spawner: str
    authenticator: str
    password: str | None
    terminals: bool
    learner_account: str | None  # the account the local spawner runs servers as; None: the hub's own (not root)
    admins: tuple[str, ...]

    @property
    def password_rule(self) -> str:
        return PASSWORD_RULES[self.authenticator]


def decide(environ: Mapping[str, str], hub_uid: int) -> Room:
    """The room's settings from the environment and the hub's user id; raises Refused for an unsafe set-up."""
    ip = environ.get("COURSE_HUB_IP", "127.0.0.1")
    on_network = ip not in LOOPBACK
    spawner = environ.get("COURSE_HUB_SPAWNER", "local")
    if spawner not in SPAWNERS:
        raise Refused(f"COURSE_HUB_SPAWNER must be one of {', '.join(SPAWNERS)}, got {spawner!r}")
    password = environ.get("COURSE_HUB_PASSWORD") or None
    authenticator = environ.get("COURSE_HUB_AUTH") or ("shared" if password else "test")
    if authenticator not in AUTHENTICATORS:
        raise Refused(f"COURSE_HUB_AUTH must be one of {', '.join(AUTHENTICATORS)}, got {authenticator!r}")
    if authenticator == "shared" and (password is None or len(password) < MIN_PASSWORD_LENGTH):
        raise Refused(f"the shared log-in needs COURSE_HUB_PASSWORD of {MIN_PASSWORD_LENGTH}+ characters")
    if authenticator != "shared" and password is not None:
        raise Refused(f"COURSE_HUB_PASSWORD is the shared log-in's password, but COURSE_HUB_AUTH={authenticator}: "
                      "unset one of them")
    if on_network and authenticator == "test":
        raise Refused(f"COURSE_HUB_IP={ip} is not loopback and the test log-in accepts any password: set "
                      "COURSE_HUB_AUTH=firstuse (each learner sets their own password at first log-in) or "
                      "COURSE_HUB_PASSWORD (one password for the room: trusted rooms only, learners can log in "
                      "as each other)")
    if on_network and spawner == "local":
        raise Refused(f"COURSE_HUB_IP={ip} is not loopback and {NO_ISOLATION}")
    terminals = environ.get("COURSE_HUB_TERMINALS", "0")
    if terminals not in ("0", "1"):
        raise Refused(f"COURSE_HUB_TERMINALS must be 0 (off, the default) or 1, got {terminals!r}")
    admins = tuple(name.strip() for name in environ.get("COURSE_HUB_ADMINS", "").split(",") if name.strip())
    if admins and authenticator != "firstuse":
        raise Refused("COURSE_HUB_ADMINS needs a password per learner (COURSE_HUB_AUTH=firstuse): with the "
                      f"{authenticator} log-in anyone could sign in under an admin's name")
    learner_account = None
    if spawner == "local" and hub_uid == 0:
        learner_account = environ.get("COURSE_HUB_LEARNER_USER") or DEFAULT_LEARNER_ACCOUNT
        try:
            account = pwd.getpwnam(learner_account)
        except KeyError:
            raise Refused(f"the hub runs as root, so the local spawner runs learners' servers as an unprivileged "
                          f"account, COURSE_HUB_LEARNER_USER={learner_account}, which does not exist") from None
        if account.pw_uid == 0:
            raise Refused(f"COURSE_HUB_LEARNER_USER={learner_account} is root: learners' servers never run as root")
    return Room(ip=ip, spawner=spawner, authenticator=authenticator, password=password,
                terminals=terminals == "1", learner_account=learner_account, admins=admins)


def hidden_from_others(paths: Iterable[Path | str]) -> list[str]:
    """The paths (symbolic links followed) that an unprivileged account cannot reach: a folder on the way without
    the others' x bit, or the file itself without the others' r bit. Group and ACL grants are not counted."""
    hidden = []
    for path in paths:
        real = Path(os.path.realpath(path))
        if not real.exists():
            hidden.append(f"{path} (does not exist)")
            continue
        blocked = [folder for folder in real.parents if not os.stat(folder).st_mode & stat.S_IXOTH]
        if blocked:
            hidden.append(f"{path} ({blocked[-1]} is closed to other users)")
        elif not os.stat(real).st_mode & stat.S_IROTH:
            hidden.append(f"{path} (not readable by other users)")
    return hidden


def check_reachable(room: Room, paths: Iterable[Path | str]) -> None:
    """Refuse when learners' servers run as other accounts (systemd, or local under root) that cannot reach the
    course, its Python or the hub's Python: every learner would otherwise meet a server that fails to start."""
    if room.spawner == "local" and room.learner_account is None:
        return  # the servers run as the hub's own user, who can reach everything the hub can
    hidden = hidden_from_others(paths)
    if hidden:
        who = room.learner_account or "the learners' system accounts"
        raise Refused(f"learners' servers run as {who}, who cannot reach: {'; '.join(hidden)}. Put the course and "
                      "the Pythons of its .venv and hub/.venv where other users can read them (e.g. a clone in "
                      "/srv/lstm-course with the system's python3, not one under /root)")
