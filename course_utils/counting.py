"""The counting task of the seed deck (notebook 03): models that predict the next number."""

from __future__ import annotations

from course_utils.validation import check_float, check_int

ACTIVATIONS = ("tanh", "relu")


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
    if activation not in ACTIVATIONS:
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
