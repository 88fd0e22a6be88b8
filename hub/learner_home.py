"""A learner's copy of the course notebooks in their home folder: seed it, reset it, start their server.

Standard library only, so it runs with any Python: the hub's, the course's, or the one in a Docker image.

    python hub/learner_home.py seed  HOME   # copy notebooks/ (and the files they read) into HOME, only missing files
    python hub/learner_home.py reset HOME   # move HOME/notebooks aside (kept, timestamped), then seed again
    python hub/learner_home.py run [ARGS]   # seed $HOME, then exec jupyterhub-singleuser ARGS (the spawner's cmd;
                                            # refuses to run as root)

`seed` never overwrites: a learner's edited notebook stays as it is across server and hub restarts. `reset` is the
teacher's command to give one learner the course's version back; their old copy is kept beside it.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import signal
import sys
import time
from pathlib import Path


def _course_layout():
    """course_utils/layout.py of this course, where the paths of its files are written once. Read from its file, not
    imported: this script runs with any Python (the hub's, a Docker image's), the course's package on its path or not;
    layout.py is standard library only."""
    spec = importlib.util.spec_from_file_location(
        "course_layout", Path(__file__).resolve().parent.parent / "course_utils" / "layout.py")
    layout = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(layout)
    return layout


_LAYOUT = _course_layout()
COURSE_ROOT = Path(os.environ.get("COURSE_ROOT", Path(__file__).resolve().parent.parent))
NOTEBOOKS = str(_LAYOUT.NOTEBOOKS_RELATIVE_PATH)
# What a learner's home holds: the notebooks (their work), and the course files the notebooks read from the folder
# above notebooks/ (00 checks requirements.txt and plots the benchmark's run times; 08 reads its solutions' runs from
# docs/seed_check.json), as in a clone of the course.
COURSE_FILES = (NOTEBOOKS, "requirements.txt", "README.md", str(_LAYOUT.BENCHMARK_RELATIVE_PATH),
                "docs/seed_check.json")
IGNORED = {".ipynb_checkpoints", "__pycache__", "scratch"}  # never copied: outputs and caches, not course files


def _check_home(home: Path | str) -> Path:
    """The home folder as a Path; it must exist (the spawner makes it)."""
    if not isinstance(home, (str, Path)):
        raise TypeError(f"home must be a path, got {type(home).__name__}")
    home = Path(home)
    if not home.is_dir():
        raise ValueError(f"home folder {home} does not exist")
    return home


def seed(home: Path | str, course_root: Path = COURSE_ROOT) -> list[str]:
    """Copy the course's files into `home` where a file is missing (never over one); return the paths copied."""
    home = _check_home(home)
    course_root = Path(course_root)
    if not (course_root / NOTEBOOKS).is_dir():
        raise ValueError(f"no notebooks folder in the course at {course_root}")
    sources = []
    for name in COURSE_FILES:
        path = course_root / name
        sources += sorted(path.rglob("*")) if path.is_dir() else [path] if path.is_file() else []
    copied = []
    for path in sources:
        relative = path.relative_to(course_root)
        if path.is_dir() or IGNORED.intersection(relative.parts):
            continue
        target = home / relative
        if target.exists():
            continue  # the learner's copy wins, edited or not
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
        copied.append(str(relative))
    return copied


def reset(home: Path | str, course_root: Path = COURSE_ROOT) -> Path | None:
    """Move home/notebooks to home/notebooks-before-reset-<UTC time>, seed afresh; return where the old copy went."""
    home = _check_home(home)
    current = home / NOTEBOOKS
    backup = None
    if current.exists():
        backup = home / f"{NOTEBOOKS}-before-reset-{time.strftime('%Y%m%dT%H%M%SZ', time.gmtime())}"
        current.rename(backup)
    seed(home, course_root)
    owner = home.stat()
    if os.geteuid() != owner.st_uid:  # a teacher (root) resetting a learner's home: the files are the learner's
        for path in [current, *current.rglob("*")]:
            os.chown(path, owner.st_uid, owner.st_gid)
    return backup


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"seed", "reset", "run"}:
        print(__doc__, file=sys.stderr)
        return 2
    command, rest = argv[0], argv[1:]
    if command == "run":
        if os.geteuid() == 0:  # the spawner's last check (hub/policy.py): a learner's code must never run as root
            print("learner_home: refusing to start a learner's server as root", file=sys.stderr)
            return 1
        copied = seed(os.environ["HOME"])
        print(f"learner_home: {len(copied)} course files copied into {os.environ['HOME']}", file=sys.stderr)
        beside_python = str(Path(sys.executable).parent)
        singleuser = shutil.which("jupyterhub-singleuser", path=beside_python) or "jupyterhub-singleuser"
        # The hub stops a server with SIGINT, then SIGTERM 30 s later. A hub started from a background job passes
        # SIGINT on as ignored, and a server reading a terminal asks "Shut down?" on SIGINT: either way a stop would
        # wait 30 s. So the server gets SIGINT's default action and no terminal.
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
        os.execvp(singleuser, [singleuser, *rest])
    if len(rest) != 1:
        print(f"usage: learner_home.py {command} HOME", file=sys.stderr)
        return 2
    if command == "seed":
        print(f"{len(seed(rest[0]))} files copied into {rest[0]}")
    else:
        backup = reset(rest[0])
        print(f"{rest[0]}/{NOTEBOOKS} reset to the course's version; old copy: {backup or 'none'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
