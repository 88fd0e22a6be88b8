"""The counting task of the seed deck (notebook 03): its data, models that predict the next number, their plot, and
the picture of what a Keras LSTM returns."""

from __future__ import annotations

import numpy as np

from course_utils.diagram import arrow, box
from course_utils.validation import checked, spec

ACTIVATIONS = ("tanh", "relu")


@checked(n="int >= 1")
def counting_data(n: int = 100) -> tuple[np.ndarray, np.ndarray]:
    """The seed deck's data (notebook 03): inputs 0..n-1 as (n, 1, 1), targets 1..n as (n, 1).

    Each sample is a sequence of length 1 holding one number; its target is the next number.
    """
    data = np.arange(n, dtype=np.float32).reshape((n, 1, 1))  # (samples, timesteps=1, features=1)
    target = np.arange(1, n + 1, dtype=np.float32).reshape((n, 1))  # (samples, 1)
    return data, target


@checked(n="int >= 1", lookback="int >= 1", seed="int >= 0")
def arithmetic_windows(n: int, lookback: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Windows of arithmetic sequences with random starts and steps, as a 2-D table (notebook 03, exercise 1).

    Each row is `lookback` numbers start, start + step, ... with start uniform in [-1, 1] and step uniform in
    [-0.2, 0.2]; its target is the next number. Returns X of shape (n, lookback), 2-D on purpose (the learner
    reshapes it to (n, lookback, 1) for a recurrent layer), and y of shape (n,). One number alone cannot tell
    the step: a window of 1 can do no better than predicting the last number again.
    """
    rng = np.random.default_rng(seed)
    starts = rng.uniform(-1.0, 1.0, size=n)  # (n,)
    steps = rng.uniform(-0.2, 0.2, size=n)  # (n,)
    sequences = starts[:, None] + steps[:, None] * np.arange(lookback + 1)[None, :]  # (n, lookback + 1)
    return sequences[:, :-1].astype(np.float32), sequences[:, -1].astype(np.float32)


@checked(lookback="int >= 1", horizon="int >= 1", activation=ACTIVATIONS, predict_step=bool, units="int >= 1",
         center="float", scale="float >= 1e-12")
def build_counting_model(lookback: int, horizon: int = 1, activation: str = "tanh", predict_step: bool = True,
                         units: int = 32, center: float = 50.0, scale: float = 50.0):
    """A Keras model from windows of raw numbers (batch, lookback, 1) to the next `horizon` numbers.

    Inputs are rescaled inside the model to (x - center) / scale, so that the gates see values near
    [-1, 1] instead of 0..100. With `predict_step=True` the LSTM predicts the *change* from the last
    value (the output is last value + LSTM's answer); with False it predicts the *level* directly,
    which a tanh LSTM cannot extrapolate: its state is bounded, so its output is too.
    """
    import keras  # imported here so importing course_utils stays light

    layers = keras.layers
    windows = keras.Input(shape=(lookback, 1), name="window")  # (batch, lookback, 1), raw numbers
    scaled = layers.Rescaling(1.0 / scale, offset=-center / scale, name="scale_inputs")(windows)
    summary = layers.LSTM(units, activation=activation, name="lstm")(scaled)  # (batch, units)
    if predict_step:
        step = layers.Dense(horizon, name="step")(summary)  # (batch, horizon), in raw units
        last = layers.Flatten(name="last_value")(layers.Cropping1D((lookback - 1, 0))(windows))  # (batch, 1)
        outputs = layers.Add(name="last_plus_step")([last, step])  # broadcasts over the horizon
    else:
        level = layers.Dense(horizon, name="level")(summary)  # (batch, horizon), scaled units
        outputs = layers.Rescaling(scale, offset=center, name="unscale_outputs")(level)
    kind = "step" if predict_step else "level"
    return keras.Model(windows, outputs, name=f"{kind}_{activation}_lookback{lookback}")


def _predictions(name: str, value, dims: dict) -> dict:
    """@checked spec: a non-empty dict label -> (n,) or (n, 1) floats, one model's predictions over the inputs."""
    if not isinstance(value, dict) or not value:
        raise TypeError(f"{name} must be a non-empty dict label -> array, got {type(value).__name__}")
    return {label: spec("(n, 1?) floats")(f"{name}[{label!r}]", values, dims) for label, values in value.items()}


@checked(inputs="(n,) floats", predictions=_predictions, truth="(n,) floats", train_max="float", ax="Axes or None",
         title="str")
def plot_extrapolation(inputs, predictions: dict, truth, train_max: float, ax=None, title: str = ""):
    """Plot each model's predictions against the truth over `inputs`, shading the training range.

    `predictions` maps a label to an array shaped like `inputs` (notebook 03). Returns the axes.
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(8, 4.5))
    ax.axvspan(inputs.min(), train_max, color="0.9", label="training range")
    for label, values in predictions.items():
        ax.plot(inputs, values, linewidth=2, label=label)
    ax.plot(inputs, truth, "k--", linewidth=1.5, label="truth", zorder=5)  # on top, so it is never hidden
    ax.set_xlabel("last number in the window")
    ax.set_ylabel("predicted next number")
    ax.set_title(title)
    ax.legend()
    return ax


@checked(steps="int in [2, 6]", ax="Axes or None")
def draw_lstm_outputs(steps: int = 4, ax=None):
    """Draw an LSTM unrolled over `steps` steps and what Keras returns from it (notebook 03, section 5).

    Each step reads x_t and passes h_t and c_t to the next. Default: only the last h (batch, units), green;
    `return_sequences=True`: every h_t (batch, steps, units), the bracket above; `return_state=True`: the last h
    and c as well, handed on with `initial_state=[h, c]`. Returns the Axes (its texts hold every label).
    """
    import matplotlib.pyplot as plt  # imported here: importing course_utils stays light

    spacing = 2.2  # between two steps
    ax = ax or plt.subplots(figsize=(spacing * steps + 4.5, 4.4))[1]
    last = spacing * steps
    for t in range(1, steps + 1):
        cx = spacing * t
        box(ax, cx, 1.5, "LSTM", "#cfe2f3", width=1.1, height=0.8, fontsize=11)  # the same weights at every step
        box(ax, cx, 0.0, f"$x_{{{t}}}$", "#fde9c9", fontsize=11)
        box(ax, cx, 3.0, f"$h_{{{t}}}$", "#d9ead3" if t == steps else "#eeeeee", fontsize=11)
        arrow(ax, (cx, 0.3), (cx, 1.1))
        arrow(ax, (cx, 1.9), (cx, 2.7))
        if t > 1:  # h and c go on to the next step
            arrow(ax, (cx - spacing + 0.6, 1.65), (cx - 0.6, 1.65), color="tab:green")
            arrow(ax, (cx - spacing + 0.6, 1.35), (cx - 0.6, 1.35), color="tab:purple")
    ax.text(spacing * 1.5, 1.9, "h", color="tab:green", ha="center", fontsize=10)
    ax.text(spacing * 1.5, 1.05, "c", color="tab:purple", ha="center", fontsize=10)
    ax.plot([spacing - 0.55, spacing - 0.55, last + 0.55, last + 0.55], [3.5, 3.65, 3.65, 3.5], color="0.3")
    ax.text((spacing + last) / 2, 3.85, f"return_sequences=True: every $h_t$, (batch, {steps}, units)",
            ha="center", fontsize=10)
    ax.text(last + 0.8, 3.0, "default: the last $h$ only, (batch, units)", va="center", fontsize=10,
            color="tab:green")
    box(ax, last + 1.6, 1.65, f"$h_{{{steps}}}$", "#d9ead3", width=0.7, height=0.4, fontsize=11)
    box(ax, last + 1.6, 1.1, f"$c_{{{steps}}}$", "#e4d7f0", width=0.7, height=0.4, fontsize=11)
    arrow(ax, (last + 0.6, 1.5), (last + 1.2, 1.5))
    ax.text(last + 2.1, 1.4, "return_state=True: also the last $h$ and $c$\n"
            "(pass them on with initial_state=[h, c])", va="center", fontsize=10)
    ax.set(xlim=(spacing - 1.0, last + 5.8), ylim=(-0.6, 4.2))
    ax.set_axis_off()
    ax.set_title(f"An LSTM unrolled over {steps} steps, and what keras.layers.LSTM returns", fontsize=11)
    return ax
