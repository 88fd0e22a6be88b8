"""Checkers for the exercises of notebook 03 (the Keras counting example)."""

from __future__ import annotations

import numpy as np

from course_utils.counting import arithmetic_windows
from course_utils.exercises import array, call, exercise, fail, integer, keras_layers

ANY_STEP_TOLERANCE = 0.02  # root-mean-square error; a window of one number cannot beat about 0.115
NEXT_TWO_WINDOWS = ((3.0, 4.0, 5.0), (50.0, 51.0, 52.0), (98.0, 99.0, 100.0))  # one early, one middle, one last
NEXT_TWO_TOLERANCE = 0.5


def _keras_lstm(model, lookback: int | None) -> None:
    """Fail unless `model` is a Keras model with an LSTM layer reading (batch, lookback, 1) windows (a model built
    for any number of time steps, (batch, None, 1), reads them too)."""
    import keras  # imported here: importing the checkers must stay light

    if not isinstance(model, keras.Model):
        fail(f"pass a Keras model (keras.Sequential or keras.Model) with an LSTM layer, got {type(model).__name__}")
    if not any(isinstance(layer, keras.layers.LSTM) for layer in keras_layers(model)):
        fail("the model has no LSTM layer: this exercise is about an LSTM (keras.layers.LSTM)")
    shape = tuple(model.input_shape) if isinstance(model.input_shape, (tuple, list)) else ()
    if len(shape) != 3 or shape[2] != 1 or (lookback is not None and shape[1] not in (lookback, None)):
        wanted = lookback or "lookback"
        fail(f"the model reads inputs of shape {shape}: it must read windows of shape (batch, {wanted}, 1), one "
             f"number per time step")


@exercise("Exercise 03.1 (count by any step)",
          hint="X, y = arithmetic_windows(2000, lookback); reshape X to (samples, lookback, 1), write a Keras "
               "model with an LSTM, fit it, and pass it here with its window length. Which lookback is enough?")
def check_any_step(model, lookback) -> None:
    """Exercise 03.1: a Keras model continues arithmetic sequences whose step it must read from the window.

    `model.predict` takes (batch, lookback, 1) windows from `arithmetic_windows` and returns the next
    number; it must be a Keras model with an LSTM layer, and its root-mean-square error on 500 fresh windows
    must be below ANY_STEP_TOLERANCE. With lookback 1 no model can pass: one number does not tell the step.
    """
    lookback = integer(lookback, "lookback")
    if lookback < 1:
        fail(f"lookback must be a positive integer, got {lookback!r}")
    _keras_lstm(model, lookback)
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
          hint="Build windows with make_windows(..., horizon=2), build_counting_model(3, horizon=2), train it.")
def check_next_two(model) -> None:
    """Exercise 03.2: a Keras LSTM model maps a window of 3 raw numbers to the next two numbers.

    From each of NEXT_TWO_WINDOWS ([3, 4, 5], [50, 51, 52], [98, 99, 100]) it must predict the next two
    within NEXT_TWO_TOLERANCE each, so a model that always answers [101, 102] fails; output shape (3, 2).
    """
    _keras_lstm(model, 3)
    windows = np.array(NEXT_TWO_WINDOWS, dtype=np.float32)[:, :, None]  # (3, 3, 1)
    expected = windows[:, -1, :] + np.array([1.0, 2.0])  # (3, 2)
    predicted = call(getattr(model, "predict", None), windows, what="model.predict", verbose=0)
    prediction = array(predicted, what="the prediction")
    if prediction.shape != expected.shape:
        fail(f"the model must output shape (batch, 2): for 3 windows (3, 2), got {prediction.shape}")
    wrong = np.any(np.abs(prediction - expected) > NEXT_TWO_TOLERANCE, axis=1)  # (3,)
    if np.any(wrong):
        k = int(np.argmax(wrong))
        fail(f"from {[int(v) for v in NEXT_TWO_WINDOWS[k]]} the model predicts {np.round(prediction[k], 3)}, "
             f"expected {[int(v) for v in expected[k]]} (checked on {len(windows)} windows, not only the last)")
