"""Plots shared by notebooks: extrapolation of a learned function, and measured notebook timings."""

from __future__ import annotations

import numpy as np

from course_utils.validation import as_float_array, check_float


def plot_extrapolation(inputs, predictions: dict, truth, train_max: float, ax=None, title: str = ""):
    """Plot each model's predictions against the truth over `inputs`, shading the training range.

    `predictions` maps a label to an array shaped like `inputs` (notebook 03). Returns the axes.
    """
    import matplotlib.pyplot as plt

    inputs = as_float_array("inputs", inputs, ndim=1)
    truth = as_float_array("truth", truth, ndim=1)
    train_max = check_float("train_max", train_max)
    if truth.shape != inputs.shape:
        raise ValueError(f"truth must have the shape of inputs {inputs.shape}, got {truth.shape}")
    if not isinstance(predictions, dict) or not predictions:
        raise TypeError(f"predictions must be a non-empty dict label -> array, got {type(predictions).__name__}")
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 4.5))
    ax.axvspan(inputs.min(), train_max, color="0.9", label="training range")
    for label, values in predictions.items():
        values = as_float_array(f"predictions[{label!r}]", values).ravel()
        if values.shape != inputs.shape:
            raise ValueError(f"predictions[{label!r}] must have shape {inputs.shape}, got {values.shape}")
        ax.plot(inputs, values, linewidth=2, label=label)
    ax.plot(inputs, truth, "k--", linewidth=1.5, label="truth", zorder=5)  # on top, so it is never hidden
    ax.set_xlabel("last number in the window")
    ax.set_ylabel("predicted next number")
    ax.set_title(title)
    ax.legend()
    return ax


def plot_notebook_times(times: dict, budget_seconds: float = 120.0, ax=None):
    """Horizontal bars of measured execution time per notebook, with the time budget (notebook 00)."""
    import matplotlib.pyplot as plt

    budget_seconds = check_float("budget_seconds", budget_seconds, minimum=0)
    if not isinstance(times, dict) or not times:
        raise TypeError(f"times must be a non-empty dict notebook -> seconds, got {type(times).__name__}")
    names = list(times)
    seconds = as_float_array("times", [times[name] for name in names], ndim=1)
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 0.45 * len(names) + 1.2))
    positions = np.arange(len(names))
    ax.barh(positions, seconds, color="tab:blue")
    ax.axvline(budget_seconds, color="tab:red", linestyle="--", label=f"budget {budget_seconds:.0f} s")
    ax.set_yticks(positions, names)
    ax.invert_yaxis()
    ax.set_xlabel("execution time (s)")
    ax.legend()
    return ax
