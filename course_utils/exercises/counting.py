"""Checkers for the exercises of notebook 03 (the Keras counting example)."""

from __future__ import annotations

import numpy as np

from course_utils.exercises import array, call, exercise, fail, integer


@exercise("Exercise 03.1 (window length)", hint="Train a model on windows of another length and pass it here.")
def check_window_length(model, lookback) -> None:
    """Exercise 03.1: a model trained on windows of `lookback` numbers predicts the next one.

    `model` maps (batch, lookback, 1) windows of *raw* numbers to the next number; it must
    predict 101 from the window ending at 100 within 0.5, and lookback must differ from 3.
    """
    lookback = integer(lookback, "lookback")
    if lookback < 1:
        fail(f"lookback must be a positive integer, got {lookback!r}")
    if lookback == 3:
        fail("use a window length other than the notebook's 3")
    window = np.arange(101 - lookback, 101, dtype=np.float32).reshape((1, lookback, 1))
    predicted = call(getattr(model, "predict", None), window, what="model.predict", verbose=0)
    prediction = array(predicted, what="the prediction")
    prediction = float(np.ravel(prediction)[0])
    if abs(prediction - 101.0) > 0.5:
        fail(f"after [..., 99, 100] the model predicts {prediction:.3f}, expected 101 +/- 0.5")


@exercise("Exercise 03.2 (predict the next two numbers)",
          hint="Build windows with make_windows(..., horizon=2) and train a model.")
def check_next_two(model) -> None:
    """Exercise 03.2: a model maps a window of 3 raw numbers to the next two numbers.

    From [98, 99, 100] it must predict [101, 102] within 0.5 each; output shape (1, 2).
    """
    window = np.array([98.0, 99.0, 100.0], dtype=np.float32).reshape((1, 3, 1))
    predicted = call(getattr(model, "predict", None), window, what="model.predict", verbose=0)
    prediction = array(predicted, what="the prediction")
    if prediction.shape != (1, 2):
        fail(f"the model must output shape (1, 2) for one window, got {prediction.shape}")
    error = np.abs(prediction[0] - np.array([101.0, 102.0]))
    if np.any(error > 0.5):
        fail(f"from [98, 99, 100] the model predicts {np.round(prediction[0], 3)}, expected [101, 102]")
