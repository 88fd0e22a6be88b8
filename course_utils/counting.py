"""The counting task of the seed deck (notebook 03): its data, models that predict the next number, and their plot."""

from __future__ import annotations

import numpy as np

from course_utils.validation import as_float_array, check_axes, check_float, check_int

ACTIVATIONS = ("tanh", "relu")


def counting_data(n: int = 100) -> tuple[np.ndarray, np.ndarray]:
    """The seed deck's data (notebook 03): inputs 0..n-1 as (n, 1, 1), targets 1..n as (n, 1).

    Each sample is a sequence of length 1 holding one number; its target is the next number.
    """
    n = check_int("n", n, minimum=1)
    data = np.arange(n, dtype=np.float32).reshape((n, 1, 1))  # (samples, timesteps=1, features=1)
    target = np.arange(1, n + 1, dtype=np.float32).reshape((n, 1))  # (samples, 1)
    return data, target



def arithmetic_windows(n: int, lookback: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Windows of arithmetic sequences with random starts and steps, as a 2-D table (notebook 03, exercise 1).

    Each row is `lookback` numbers start, start + step, ... with start uniform in [-1, 1] and step uniform in
    [-0.2, 0.2]; its target is the next number. Returns X of shape (n, lookback), 2-D on purpose (the learner
    reshapes it to (n, lookback, 1) for a recurrent layer), and y of shape (n,). One number alone cannot tell
    the step: a window of 1 can do no better than predicting the last number again.
    """
    n = check_int("n", n, minimum=1)
    lookback = check_int("lookback", lookback, minimum=1)
    seed = check_int("seed", seed, minimum=0)
    rng = np.random.default_rng(seed)
    starts = rng.uniform(-1.0, 1.0, size=n)  # (n,)
    steps = rng.uniform(-0.2, 0.2, size=n)  # (n,)
    sequences = starts[:, None] + steps[:, None] * np.arange(lookback + 1)[None, :]  # (n, lookback + 1)
    return sequences[:, :-1].astype(np.float32), sequences[:, -1].astype(np.float32)

def build_counting_model(lookback: int, horizon: int = 1, activation: str = "tanh", predict_step: bool = True,
                         units: int = 32, center: float = 50.0, scale: float = 50.0):
    """A Keras model from windows of raw numbers (batch, lookback, 1) to the next `horizon` numbers.

    Inputs are rescaled inside the model to (x - center) / scale, so that the gates see values near
    [-1, 1] instead of 0..100. With `predict_step=True` the LSTM predicts the *change* from the last
    value (the output is last value + LSTM's answer); with False it predicts the *level* directly,
    which a tanh LSTM cannot extrapolate: its state is bounded, so its output is too.
    """
    import keras  # imported here so importing course_utils stays light

    lookback = check_int("lookback", lookback, minimum=1)
    horizon = check_int("horizon", horizon, minimum=1)
    units = check_int("units", units, minimum=1)
    center = check_float("center", center)
    scale = check_float("scale", scale, minimum=1e-12)
    if not isinstance(activation, str) or activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {ACTIVATIONS}, got {activation!r}")
    if not isinstance(predict_step, bool):
        raise TypeError(f"predict_step must be True or False, got {predict_step!r}")

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


def plot_extrapolation(inputs, predictions: dict, truth, train_max: float, ax=None, title: str = ""):
    """Plot each model's predictions against the truth over `inputs`, shading the training range.

    `predictions` maps a label to an array shaped like `inputs` (notebook 03). Returns the axes.
    """
    import matplotlib.pyplot as plt

    inputs = as_float_array("inputs", inputs, ndim=1)
    truth = as_float_array("truth", truth, ndim=1)
    train_max = check_float("train_max", train_max)
    ax = check_axes("ax", ax)
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
