"""What every notebook shares to run within its budget: seeding, timing, the environment check, and the
full-batch speed trick for tiny datasets."""

from __future__ import annotations

import json
import os
import platform
import time

import numpy as np

from course_utils.validation import check_float, check_int, checked, spec

SEED_OFFSET_VARIABLE = "COURSE_SEED_OFFSET"
FIGURES_FILE_VARIABLE = "COURSE_FIGURES_FILE"


def seed_offset() -> int:
    """The integer in the environment variable COURSE_SEED_OFFSET (0 when unset): `make seed-check` sets it."""
    text = os.environ.get(SEED_OFFSET_VARIABLE, "0").strip() or "0"
    try:
        return int(text)
    except ValueError:
        raise ValueError(f"{SEED_OFFSET_VARIABLE} must be an integer, got {text!r}") from None


def _offset_seed(name: str, value, dims: dict) -> int:
    """@checked spec: an int in [0, 2**32 - 1] that stays there once COURSE_SEED_OFFSET is added (a seed for NumPy)."""
    value = spec("int in [0, 4294967295]")(name, value, dims)
    check_int(f"{name} + {SEED_OFFSET_VARIABLE}", value + seed_offset(), minimum=0, maximum=2**32 - 1)
    return value


@checked(seed=_offset_seed)
def seed_everything(seed: int = 42) -> int:
    """Seed Python, NumPy and TensorFlow/Keras at once, so a notebook repeats on one machine.

    The seed used is `seed` plus COURSE_SEED_OFFSET (unset: 0), so the seed check can rerun every
    notebook with other seeds without editing it; the stored outputs are those of offset 0. Returns it.
    """
    seed = seed + seed_offset()  # the seed check's shift (0 in a normal run)
    import keras  # imported here: importing course_utils must stay cheap and side-effect free

    keras.utils.set_random_seed(seed)
    return seed


def _figure_name(name: str, value, dims: dict) -> str:
    """@checked spec: a string with a character other than white space."""
    if not isinstance(value, str) or not value.strip():
        raise TypeError(f"{name} must be a non-empty string, got {value!r:.60}")
    return value


def _figure_value(name: str, value, dims: dict):
    """@checked spec: a finite real number, given to the body as the caller gave it (record_figure returns it)."""
    check_float(name, value)
    return value


@checked(name=_figure_name, value=_figure_value)
def record_figure(name: str, value):
    """Record a named figure of this run for the seed check (every notebook); returns `value` unchanged.

    In a normal run this does nothing else. When the environment variable COURSE_FIGURES_FILE names a file (the
    seed check and the refresh script set it, once per run), it appends {"name": ..., "value": ...} to that file
    as one JSON line, and docs/seed_check.json keeps the figures per seed offset: the prose can then quote other
    seeds' values ("0.746 at offset 0; 0.741 / 0.752 / 0.738 at offsets 1-3"), backed by that file.
    """
    path = os.environ.get(FIGURES_FILE_VARIABLE, "").strip()
    if path:
        with open(path, "a", encoding="utf-8") as file:
            file.write(json.dumps({"name": name.strip(), "value": float(value)}) + "\n")
    return value


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


def _steps_per_call(name: str, value, dims: dict) -> int:
    """@checked spec of fit_full_batch's steps_per_call: an int >= 1 that divides steps (whole compiled calls) and is
    the steps_per_execution the model was compiled with."""
    value, steps, model = spec("int >= 1")(name, value, dims), dims["steps"], dims["values of model"]
    if steps % value:
        raise ValueError(f"steps must be a multiple of {name} ({value}), got {steps}")
    if model.steps_per_execution != value:
        raise ValueError(f"compile the model with steps_per_execution={value} (got {model.steps_per_execution}) so "
                         f"that many steps run in one call")
    return value


@checked(model="compiled keras.Model", X="(n, features, ...) floats", y="(n, ...) floats", steps="int >= 1",
         steps_per_call=_steps_per_call)
def fit_full_batch(model, X, y, steps: int, steps_per_call: int = 250):
    """Train a compiled Keras `model` for `steps` full-batch gradient steps (notebook 03).

    `model.fit` costs ~20 ms of bookkeeping per epoch, more than a step of a tiny model. Here the
    whole dataset is one batch, repeated `steps_per_call` times per epoch, and the model must be
    compiled with `steps_per_execution=steps_per_call` so those steps run in one compiled call. The gradient
    steps are exactly those of `fit(X, y, batch_size=len(X), shuffle=False, epochs=steps)`.
    Returns the History of the call (one loss entry per `steps_per_call` steps).
    """
    repeated_X = np.tile(X.astype(np.float32), (steps_per_call,) + (1,) * (X.ndim - 1))
    repeated_y = np.tile(y.astype(np.float32), (steps_per_call,) + (1,) * (y.ndim - 1))
    return model.fit(repeated_X, repeated_y, batch_size=len(X), epochs=steps // steps_per_call,
                     shuffle=False, verbose=0)
