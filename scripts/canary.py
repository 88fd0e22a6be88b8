"""The canary: the course with the newest releases of its libraries, before a learner finds out (`make canary`).

In a throwaway venv (scratch/canary/venv, made afresh), every package of requirements.txt is installed at its newest
release (the pins dropped, environment markers kept: tensorflow-cpu, keras, numpy, pandas, scikit-learn, matplotlib,
jupyterlab, nbval...), then the unit tests run, and every notebook through nbval in lax mode (a cell that raises,
including a failed check cell, fails; changed numbers in the outputs do not: newer libraries print other digits).
The report, docs/canary.md, says which versions were tried against the pins, what broke, and the first error of each
failure. It needs the network and the newest releases, so it is not part of `make test` or CI's pass/fail.

    python -m scripts.canary                         # everything: install, unit tests, every notebook
    python -m scripts.canary --notebooks notebooks/00_start_here.ipynb --workers 1 --skip-browser-tests

Standard library only: it runs with the Python that makes the venv (the Makefile's).
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ElementTree
from pathlib import Path

from scripts.repo_paths import REPO_ROOT, SCRATCH, all_notebooks

REQUIREMENTS = REPO_ROOT / "requirements.txt"
REPORT = REPO_ROOT / "docs" / "canary.md"
WORK = SCRATCH / "canary"
# The libraries a learner meets first; the report's table lists these before the rest.
MAIN = ("tensorflow-cpu", "tensorflow", "keras", "numpy", "pandas", "scikit-learn", "matplotlib", "jupyterlab",
        "ipykernel", "nbval", "nbconvert", "pytest")
# Tests of the course's own tooling with its own pins (the website's Sphinx set, the hub's JupyterHub venv): not a
# question for the course's libraries. The browser tests (real JupyterLab, the decks) are, but they are heavy.
OWN_PINS = ("tests/test_site.py", "tests/test_hub.py")
BROWSER = ("tests/test_jupyterlab_client.py", "tests/test_slides.py")
PIN = re.compile(r"^\s*([A-Za-z0-9_.\-\[\]]+)\s*==\s*([^;\s]+)\s*(;.*)?$")


def normalized(name: str) -> str:
    """A package's name as pip compares them (PEP 503): `tensorflow_cpu` and `TensorFlow-CPU` are `tensorflow-cpu`."""
    return re.sub(r"[-_.]+", "-", name).lower()


def unpinned(requirements: str) -> tuple[str, dict[str, str]]:
    """requirements.txt with every `name==version` made `name` (markers kept); and the pins, by lower-case name."""
    lines, pins = [], {}
    for line in requirements.splitlines():
        match = PIN.match(line)
        if match:
            name, version, marker = match.groups()
            pins[normalized(name)] = version
            lines.append(f"{name}{marker or ''}")
        else:
            lines.append(line)
    return "\n".join(lines) + "\n", pins


def markers(requirements: str) -> dict[str, str]:
    """The environment marker of each pinned package that has one, by name: pip leaves such a package out where its
    marker is false (tensorflow on x86-64 Linux, where tensorflow-cpu stands in), so "not installed" is expected."""
    found = {}
    for line in requirements.splitlines():
        match = PIN.match(line)
        if match and match.group(3):
            found[normalized(match.group(1))] = match.group(3).lstrip("; ").strip()
    return found


def run(command: list[str], log: Path, timeout: float, env: dict | None = None) -> tuple[int, float]:
    """Run `command` from the top folder, output appended to `log`; return its exit code and seconds."""
    began = time.monotonic()
    with open(log, "a") as out:
        out.write(f"\n$ {' '.join(command)}\n")
        out.flush()
        try:
            code = subprocess.run(command, cwd=REPO_ROOT, stdout=out, stderr=subprocess.STDOUT, timeout=timeout,
                                  env=env).returncode
        except subprocess.TimeoutExpired:
            out.write(f"\n(stopped after {timeout} s)\n")
            code = -1
    return code, time.monotonic() - began


def installed_versions(python: Path) -> dict[str, str]:
    freeze = subprocess.run([str(python), "-m", "pip", "list", "--format=freeze"], capture_output=True, text=True,
                            check=True).stdout
    return {normalized(name): version for name, _, version in (line.partition("==") for line in freeze.splitlines())
            if version}


def first_error(text: str, limit: int = 400) -> str:
    """The line that says what went wrong: the last `SomethingError: ...` line, else the first non-empty line."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    errors = [line for line in lines if re.match(r"^(E\s+)?[\w.]*(Error|Exception|Warning)\b.*:", line)]
    line = (errors[-1] if errors else lines[0] if lines else "(no message)").removeprefix("E").strip()
    return line if len(line) <= limit else line[: limit - 1] + "…"


def failures(junit: Path) -> tuple[dict[str, int], list[tuple[str, str]]]:
    """Counts (passed, failed, errors, skipped) and (test, first error) of each failure, from pytest's JUnit XML."""
    counts = {"passed": 0, "failed": 0, "errors": 0, "skipped": 0}
    found = []
    if not junit.exists():
        return counts, [("(pytest)", "no results: see the log")]
    for case in ElementTree.parse(junit).getroot().iter("testcase"):
        name = f"{case.get('classname', '')}::{case.get('name', '')}".strip(":")
        problem = case.find("failure") if case.find("failure") is not None else case.find("error")
        if problem is not None:
            counts["failed" if problem.tag == "failure" else "errors"] += 1
            found.append((name, first_error(f"{problem.get('message', '')}\n{problem.text or ''}")))
        elif case.find("skipped") is not None:
            counts["skipped"] += 1
        else:
            counts["passed"] += 1
    return counts, found


def report(results: dict) -> str:
    pins, versions, only_if = results["pins"], results["versions"], results.get("markers", {})

    def status(name: str) -> str:
        if versions.get(name) == pins[name]:
            return ""
        if name in versions:
            return "newer"
        return f"not for this platform (`{only_if[name]}`)" if name in only_if else "**missing**"

    names = [name for name in MAIN if name in pins] + sorted(name for name in pins if name not in MAIN)
    rows = [f"| {name} | {pins[name]} | {versions.get(name, 'not installed')} | {status(name)} |" for name in names]
    lines = [
        "# Canary: the course with the newest releases of its libraries",
        "",
        "Written by `make canary` (`python -m scripts.canary`; what it does and why: its docstring and the README,",
        "\"Python versions and the canary\"). Not part of CI: it needs the network and today's releases.",
        "",
        f"- Run on {results['date']}, Python {results['python']} ({platform.system()} {platform.machine()}), "
        f"{os.cpu_count()} cores; install {results['install_seconds']:.0f} s, tests {results['test_seconds']:.0f} s.",
        f"- What ran: {results['scope']}",
    ]
    if results.get("note"):
        lines.append(f"- Note: {results['note']}")
    lines += ["", "## Versions tried", "", "| package | pinned (requirements.txt) | newest tried | |",
              "|---|---|---|---|", *rows, ""]
    if results["install_code"] != 0:
        lines += ["## What broke", "", f"The install failed (pip exit code {results['install_code']}):", "",
                  "```", results["install_error"], "```", ""]
        return "\n".join(lines)
    counts, found = results["counts"], results["failures"]
    if results.get("test_code") == 2:  # pytest's code for an interrupted run (Ctrl-C): it still writes its JUnit XML
        lines += ["**The tests were interrupted before the end** (pytest exit code 2): the counts below are of the",
                  "tests that had run; the others are not counted, passed or failed.", ""]
    lines += ["## What broke", "",
              f"{counts['passed']} passed, {counts['failed']} failed, {counts['errors']} errors, "
              f"{counts['skipped']} skipped.", ""]
    if found:
        lines += ["| test or notebook cell | first error |", "|---|---|"]
        lines += [f"| `{name}` | {escaped} |" for name, escaped in ((n, e.replace("|", "/")) for n, e in found)]
    else:
        lines.append("Nothing broke.")
    return "\n".join(lines) + "\n"


def write_report_only(args) -> int:
    """The report from what an earlier (perhaps interrupted) run left in scratch/canary/: its venv and JUnit XML."""
    python, junit = WORK / "venv" / "bin" / "python", WORK / "junit.xml"
    if not python.exists():
        raise SystemExit(f"--report-only: no earlier run's venv in {python.parent.parent}")
    _, pins = unpinned(REQUIREMENTS.read_text())
    counts, found = failures(junit)
    log = WORK / "canary.log"
    interrupted = log.exists() and "KeyboardInterrupt" in log.read_text(errors="replace")
    results = {"date": time.strftime("%Y-%m-%d"), "pins": pins, "markers": markers(REQUIREMENTS.read_text()),
               "install_code": 0, "install_seconds": 0.0,
               "test_code": 2 if interrupted else None,
               "test_seconds": float(ElementTree.parse(junit).getroot().find("testsuite").get("time", 0))
               if junit.exists() else 0.0,
               "note": args.note, "versions": installed_versions(python), "counts": counts, "failures": found,
               "scope": f"what the earlier run's {junit.relative_to(REPO_ROOT)} records (report written afterwards)."
               if junit.exists() else "the earlier run's tests, stopped before pytest wrote its results.",
               "python": subprocess.run([str(python), "-c", "import platform; print(platform.python_version())"],
                                        capture_output=True, text=True).stdout.strip()}
    args.report.write_text(report(results))
    print(f"canary: wrote {args.report}", flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", default=sys.executable, help="the Python that makes the venv")
    parser.add_argument("--notebooks", nargs="*", type=Path, help="only these notebooks (default: every one)")
    parser.add_argument("--no-notebooks", action="store_true", help="unit tests only")
    parser.add_argument("--skip-browser-tests", action="store_true", help=f"leave out {', '.join(BROWSER)}")
    parser.add_argument("--workers", type=int, default=2, help="pytest-xdist workers (1: none)")
    parser.add_argument("--note", default="", help="a line for the report (e.g. why only some notebooks ran)")
    parser.add_argument("--report", type=Path, default=REPORT)
    parser.add_argument("--timeout", type=float, default=3 * 3600, help="seconds for the install and for the tests")
    parser.add_argument("--report-only", action="store_true",
                        help="no install, no tests: write the report from the earlier run's venv and JUnit XML")
    parser.add_argument("--reuse-venv", action="store_true",
                        help="run the tests in the venv an earlier canary installed (its date goes in the report)")
    args = parser.parse_args(argv)
    if args.report_only:
        return write_report_only(args)
    WORK.mkdir(parents=True, exist_ok=True)
    venv, log, junit = WORK / "venv", WORK / "canary.log", WORK / "junit.xml"
    log.write_text(f"canary {time.strftime('%Y-%m-%d %H:%M')}\n")
    python = venv / "bin" / "python"
    if args.reuse_venv and not python.exists():
        parser.error(f"--reuse-venv: no earlier canary venv in {venv}")
    if not args.reuse_venv:
        shutil.rmtree(venv, ignore_errors=True)
    junit.unlink(missing_ok=True)
    latest, pins = unpinned(REQUIREMENTS.read_text())
    (WORK / "requirements-latest.txt").write_text(latest)
    if args.reuse_venv:
        made = time.strftime("%Y-%m-%d %H:%M", time.localtime((venv / "pyvenv.cfg").stat().st_mtime))
        args.note = f"the venv installed by an earlier canary run ({made}) was reused. {args.note}".strip()
        code, install_seconds = 0, 0.0
        print(f"canary: reusing {venv.relative_to(REPO_ROOT)} (made {made}; log: {log})", flush=True)
    else:
        print(f"canary: a fresh venv in {venv.relative_to(REPO_ROOT)}, the newest releases (log: {log})", flush=True)
        code, install_seconds = run([args.python, "-m", "venv", str(venv)], log, 600)
    if code == 0 and not args.reuse_venv:
        code, seconds = run([str(python), "-m", "pip", "install", "-q", "--upgrade", "pip"], log, args.timeout)
        install_seconds += seconds
    if code == 0 and not args.reuse_venv:
        code, seconds = run([str(python), "-m", "pip", "install", "--upgrade", "-r",
                             str(WORK / "requirements-latest.txt")], log, args.timeout)
        install_seconds += seconds
    results = {"date": time.strftime("%Y-%m-%d"), "pins": pins, "markers": markers(REQUIREMENTS.read_text()),
               "install_code": code,
               "install_seconds": install_seconds, "test_seconds": 0.0, "note": args.note,
               "versions": installed_versions(python) if python.exists() else {},
               "python": subprocess.run([str(python if python.exists() else args.python), "-c",
                                         "import platform; print(platform.python_version())"],
                                        capture_output=True, text=True).stdout.strip()}
    notebooks = [] if args.no_notebooks else [path.resolve() for path in args.notebooks or all_notebooks()]
    ignored = list(OWN_PINS) + (list(BROWSER) if args.skip_browser_tests else [])
    results["scope"] = (
        f"the unit tests (tests/, without {', '.join(ignored)}), "
        + (f"{len(notebooks)} of {len(all_notebooks())} notebooks ("
           + ", ".join(path.name for path in notebooks) + ")" if notebooks and len(notebooks) < len(all_notebooks())
           else "every notebook" if notebooks else "no notebook")
        + " through nbval in lax mode (errors and failed check cells count, changed numbers do not)."
    )
    if code != 0:
        text = log.read_text(errors="replace")
        results["install_error"] = "\n".join(line for line in text.splitlines()[-40:]
                                             if "WARNING: Location" not in line)[-3000:]
    else:
        command = [str(python), "-m", "pytest", "-o", "addopts=", "-p", "no:cacheprovider", "-q", "-rfE",
                   f"--junitxml={junit}", *[f"--ignore={path}" for path in ignored], "tests"]
        if notebooks:
            command += ["--nbval-lax", "--nbval-current-env", *[str(path) for path in notebooks]]
        if args.workers > 1:
            command += ["-n", str(args.workers), "--dist", "loadfile"]
        env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
        print(f"canary: running the tests ({results['scope']})", flush=True)
        results["test_code"], results["test_seconds"] = run(command, log, args.timeout, env)
        results["counts"], results["failures"] = failures(junit)
    args.report.write_text(report(results))
    print(f"canary: wrote {args.report}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
