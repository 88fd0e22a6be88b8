"""Checkers for the exercises of notebook 03 (the Keras counting example)."""

from __future__ import annotations

import numpy as np

from course_utils.counting import arithmetic_windows
from course_utils.exercises import array, call, exercise, fail, integer

ANY_STEP_TOLERANCE = 0.02  # root-mean-square error; a window of one number cannot beat about 0.115


@exercise("Exercise 03.1 (count by any step)",
          hint="X, y = arithmetic_windows(2000, lookback); reshape X to (samples, lookback, 1), write a Keras "
               "model with an LSTM, fit it, and pass it here with its window length. Which lookback is enough?")
def check_any_step(model, lookback) -> None:
    """Exercise 03.1: a Keras model continues arithmetic sequences whose step it must read from the window.

    `model.predict` takes (batch, lookback, 1) windows from `arithmetic_windows` and returns the next
    number; its root-mean-square error on 500 fresh windows must be below ANY_STEP_TOLERANCE. With
    lookback 1 no model can pass: one number does not tell the step.
    """
    lookback = integer(lookback, "lookback")
    if lookback < 1:
        fail(f"lookback must be a positive integer, got {lookback!r}")
    test_x, test_y = arithmetic_windows(500, lookback, seed=2024)  # fresh windows: (500, lookback), (500,)
    windows = test_x.reshape((len(test_x), lookback, 1))  # (samples, time steps, features)
    predicted = call(getattr(model, "predict", None), windows, what="model.predict", verbose=0)
    prediction = array(predicted, what="the prediction")
    if prediction.size != len(test_y):
        fail(f"for {len(test_y)} windows of shape (batch, {lookback}, 1) the model must return {len(test_y)} "
             f"numbers, got shape {prediction.shape}; did you reshape X to (samples, lookback, 1)?")
    error = float(np.sqrt(np.mean((prediction.ravel() - test_y) ** 2)))
    if error > ANY_STEP_TOLERANCE:
        if lookback == 1:
            fail(f"root-mean-square error {error:.3f}: from one number no model can tell the step "
                 "(is it counting up by 0.1 or down by 0.2?). Use a longer window.")
        fail(f"root-mean-square error {error:.3f}, needs at most {ANY_STEP_TOLERANCE}: train longer "
             "(more epochs) or check that the model was fitted on windows of the same length")


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
