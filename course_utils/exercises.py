"""Exercise checkers: "not attempted yet", "correct", or an AssertionError that says what is off.

An exercise cell leaves its answer as None. The checker then prints a hint instead of failing,
so the stored notebook (and CI) shows the unattempted state, and the solutions notebook shows
"correct". Checkers for each notebook sit at the end of this module, under its heading.
"""

from __future__ import annotations

import numpy as np


def _not_attempted(name: str, answer, hint: str) -> bool:
    """Print a hint and return True when the learner has not filled in `answer` yet."""
    if answer is None:
        print(f"{name}: not attempted yet. {hint}")
        return True
    return False


def _fail(name: str, message: str) -> None:
    raise AssertionError(f"{name}: not yet right. {message}")


def _correct(name: str) -> bool:
    print(f"{name}: correct!")
    return True


# --- Notebook 03: the Keras counting example -------------------------------------------------


def check_window_length(model, lookback) -> bool:
    """Exercise 03.1: a model trained on windows of `lookback` numbers predicts the next one.

    `model` maps (batch, lookback, 1) windows of *raw* numbers to the next number; it must
    predict 101 from the window ending at 100 within 0.5, and lookback must differ from 3.
    """
    name = "Exercise 03.1 (window length)"
    if _not_attempted(name, model, "Train a model on windows of another length and pass it here."):
        return False
    if isinstance(lookback, bool) or not isinstance(lookback, (int, np.integer)) or lookback < 1:
        _fail(name, f"lookback must be a positive integer, got {lookback!r}")
    if lookback == 3:
        _fail(name, "use a window length other than the notebook's 3")
    window = np.arange(101 - lookback, 101, dtype=np.float32).reshape((1, lookback, 1))
    prediction = float(np.ravel(model.predict(window, verbose=0))[0])
    if abs(prediction - 101.0) > 0.5:
        _fail(name, f"after [..., 99, 100] the model predicts {prediction:.3f}, expected 101 +/- 0.5")
    return _correct(name)


def check_next_two(model) -> bool:
    """Exercise 03.2: a model maps a window of 3 raw numbers to the next two numbers.

    From [98, 99, 100] it must predict [101, 102] within 0.5 each; output shape (1, 2).
    """
    name = "Exercise 03.2 (predict the next two numbers)"
    if _not_attempted(name, model, "Build windows with make_windows(..., horizon=2) and train a model."):
        return False
    window = np.array([98.0, 99.0, 100.0], dtype=np.float32).reshape((1, 3, 1))
    prediction = np.asarray(model.predict(window, verbose=0))
    if prediction.shape != (1, 2):
        _fail(name, f"the model must output shape (1, 2) for one window, got {prediction.shape}")
    error = np.abs(prediction[0] - np.array([101.0, 102.0]))
    if np.any(error > 0.5):
        _fail(name, f"from [98, 99, 100] the model predicts {np.round(prediction[0], 3)}, expected [101, 102]")
    return _correct(name)
