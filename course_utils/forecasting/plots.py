"""Pictures of notebooks 03 and 04: the walk-forward origins, and the loss curves of a training."""

from __future__ import annotations

import numpy as np

from course_utils.validation import checked


def _origins(name: str, value, dims: dict) -> list:
    """A non-empty list of (history, target) slices, as `walk_forward_origins` returns."""
    if not isinstance(value, (list, tuple)) or not value or not all(
            isinstance(pair, tuple) and len(pair) == 2 and all(isinstance(s, slice) for s in pair) for pair in value):
        raise TypeError(f"{name} must be a non-empty list of (history, target) slices from walk_forward_origins, "
                        f"got {type(value).__name__}")
    return list(value)


@checked(origins=_origins, n_values="int >= 1", shown="int >= 1", window="int >= 1 or None", ax="Axes or None")
def plot_walk_forward(origins, n_values: int, shown: int = 6, window=None, ax=None):
    """Draw the first `shown` walk-forward origins (notebook 04): one row per origin, its history in blue (the last
    `window` steps, the window a model reads, in dark blue), its target in orange, the series' later values in grey;
    returns the axes. Each row moves one step to the right."""
    import matplotlib.pyplot as plt

    ax = ax or plt.subplots(figsize=(10, 0.45 * min(shown, len(origins)) + 1.2))[1]
    rows = origins[:shown]
    for row, (history, target) in enumerate(rows):  # row 0 at the top
        y = len(rows) - 1 - row
        ax.broken_barh([(0, n_values)], (y - 0.3, 0.6), facecolors="0.92")  # the whole series
        ax.broken_barh([(history.start, history.stop - history.start)], (y - 0.3, 0.6), facecolors="lightsteelblue",
                       label="history" if row == 0 else None)
        if window is not None:  # the last `window` steps: what the LSTM and the linear AR model read
            start = max(history.start, history.stop - window)
            ax.broken_barh([(start, history.stop - start)], (y - 0.3, 0.6), facecolors="tab:blue",
                           label="window the model reads" if row == 0 else None)
        ax.broken_barh([(target.start, target.stop - target.start)], (y - 0.3, 0.6), facecolors="tab:orange",
                       label="target" if row == 0 else None)
        ax.text(target.stop + 0.01 * n_values, y, f"origin {target.start}", va="center", fontsize=8)
    ax.set(yticks=[], xlim=(0, n_values * 1.12), ylim=(-0.6, len(rows) + 0.6),
           xlabel="time step (index into the series)",
           title="walk-forward origins: forecast the orange target from the past only,\n"
                 "then move the origin one step on")
    ax.legend(loc="upper left", ncols=3, fontsize=8, frameon=False)
    return ax


@checked(histories="histories", ax="Axes or None", title="str", ylabel="str", baseline="float or None")
def plot_training_curves(histories, ax=None, title: str = "", ylabel: str = "mean squared error",
                         baseline=None):
    """Training (dashed) and validation (solid, if recorded) loss per epoch of each named Keras History, on a log
    scale, with an optional baseline's loss as a dotted line (notebooks 03 and 04); returns the axes."""
    import matplotlib.pyplot as plt

    ax = ax or plt.subplots(figsize=(7, 3.5))[1]
    for k, (label, curve) in enumerate(histories.items()):
        epochs = np.arange(1, len(curve["loss"]) + 1)  # (epochs,)
        ax.plot(epochs, curve["loss"], "--", color=f"C{k}", label=f"{label}: training")
        if "val_loss" in curve:
            ax.plot(epochs, curve["val_loss"], "o-", color=f"C{k}", markersize=3, label=f"{label}: validation")
    if baseline is not None:
        ax.axhline(baseline, color="k", linestyle=":", label="baseline")
    ax.set(title=title, xlabel="epoch", ylabel=ylabel, yscale="log")
    ax.xaxis.set_major_locator(plt.MaxNLocator(integer=True))  # epochs are whole numbers
    ax.legend(fontsize=8)
    return ax
