"""Seeding, timing and the environment check every notebook starts from."""

from __future__ import annotations

import os
import platform
import time

from course_utils.validation import check_int


SEED_OFFSET_VARIABLE = "COURSE_SEED_OFFSET"


def seed_offset() -> int:
    """The integer in the environment variable COURSE_SEED_OFFSET (0 when unset): `make seed-check` sets it."""
    text = os.environ.get(SEED_OFFSET_VARIABLE, "0").strip() or "0"
    try:
        return int(text)
    except ValueError:
        raise ValueError(f"{SEED_OFFSET_VARIABLE} must be an integer, got {text!r}") from None


def seed_everything(seed: int = 42) -> int:
    """Seed Python, NumPy and TensorFlow/Keras at once, so a notebook repeats on one machine.

    The seed used is `seed` plus COURSE_SEED_OFFSET (unset: 0), so the seed check can rerun every
    notebook with other seeds without editing it; the stored outputs are those of offset 0. Returns it.
    """
    seed = check_int("seed", seed, minimum=0, maximum=2**32 - 1)
    seed = check_int("seed + COURSE_SEED_OFFSET", seed + seed_offset(), minimum=0, maximum=2**32 - 1)
    import keras  # imported here: importing course_utils must stay cheap and side-effect free

    keras.utils.set_random_seed(seed)
    return seed


class Timer:
    """Context manager measuring wall time: `with Timer() as t: ...; t.seconds`."""

    def __init__(self) -> None:
        self.start: float | None = None
        self.seconds: float | None = None

    def __enter__(self) -> Timer:
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc_info) -> None:
        self.seconds = time.perf_counter() - self.start

    def __repr__(self) -> str:
        shown = "running" if self.seconds is None else f"{self.seconds:.2f} s"
        return f"Timer({shown})"


def environment_report() -> dict:
    """Versions and hardware the course runs on (notebook 00): what to paste in a bug report."""
    import keras
    import matplotlib
    import numpy
    import tensorflow as tf

    return {
        "python": platform.python_version(),
        "tensorflow": tf.__version__,
        "keras": keras.__version__,
        "numpy": numpy.__version__,
        "matplotlib": matplotlib.__version__,
        "machine": platform.machine(),
        "cpu_count": os.cpu_count(),
        "gpus_visible_to_tensorflow": len(tf.config.list_physical_devices("GPU")),
    }
