"""Which machine a measurement came from: CPU model and instruction-set flags, load, versions (issue 25).

The same seeded notebook can give other low bits, and a check other verdicts, on another CPU: oneDNN and XLA pick
their kernels by instruction set (AVX2, AVX-512, AMX), and the stored outputs come from an Intel Xeon with AVX-512
while learners run AMD and Apple laptops. Every stored run, seed check, flake check and benchmark records this.
"""

from __future__ import annotations

import datetime
import os
import platform
from importlib import metadata
from pathlib import Path

# The flags that change which numerical kernels TensorFlow runs (x86: SSE4.2 < AVX < AVX2/FMA < AVX-512 < AMX;
# ARM: NEON/ASIMD, SVE).
RELEVANT_FLAGS = (
    "sse4_2", "avx", "avx2", "fma", "avx512f", "avx512bw", "avx512vl", "avx512_vnni", "avx512_bf16", "avx512_fp16",
    "amx_tile", "amx_bf16", "amx_int8", "asimd", "sve",
)


def cpu(cpuinfo: str | None = None) -> dict:
    """{"model", "vendor", "flags" (the relevant ones present), "cores"} from /proc/cpuinfo (Linux), else what
    platform knows (flags then None: not known, rather than none)."""
    if cpuinfo is None:
        try:
            cpuinfo = Path("/proc/cpuinfo").read_text()
        except OSError:
            cpuinfo = ""
    fields: dict[str, str] = {}
    for line in cpuinfo.splitlines():
        key, _, value = line.partition(":")
        fields.setdefault(key.strip().lower(), value.strip())
    flags = fields.get("flags") or fields.get("features")
    return {
        "model": fields.get("model name") or platform.processor() or platform.machine(),
        "vendor": fields.get("vendor_id") or platform.machine(),
        "flags": [flag for flag in RELEVANT_FLAGS if flag in flags.split()] if flags is not None else None,
        "cores": os.cpu_count(),
    }


def load_average() -> float:
    """The 1-minute load average (runnable processes, averaged): on 2 cores, above about 1.5 the machine is busy."""
    return round(os.getloadavg()[0], 2)


def versions() -> dict:
    """Python and the packages whose versions change numbers: read from the installed metadata (no import)."""
    found = {"python": platform.python_version()}
    for name, distributions in (("tensorflow", ("tensorflow-cpu", "tensorflow")), ("keras", ("keras",)),
                                ("numpy", ("numpy",))):
        for distribution in distributions:
            try:
                found[name] = metadata.version(distribution)
                break
            except metadata.PackageNotFoundError:
                continue
    return found


def today() -> str:
    return datetime.date.today().isoformat()


def now() -> str:
    return datetime.datetime.now().astimezone().isoformat(timespec="seconds")


def stamp(*, day: bool = False, load: bool = True) -> dict:
    """Where and when a measurement was made, the one stamp of every record in docs/ and of a stored notebook's
    metadata: "date" (now; with day=True "measured_on", today's date instead), "cpu", "versions" and, with load=True,
    "load_average_after" (the 1-minute load average as the run ends)."""
    when = {"measured_on": today()} if day else {"date": now()}
    return {**when, "cpu": cpu(), "versions": versions(), **({"load_average_after": load_average()} if load else {})}
