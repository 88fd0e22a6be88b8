"""Fast training for tiny datasets: many full-batch steps per call instead of one step per epoch."""

from __future__ import annotations

import numpy as np

from course_utils.validation import as_float_array, check_int


def fit_full_batch(model, X, y, steps: int, steps_per_call: int = 250):
    """Train a compiled Keras `model` for `steps` full-batch gradient steps (notebook 03).

    `model.fit` costs ~20 ms of bookkeeping per epoch, more than a step of a tiny model. Here the
    whole dataset is one batch, repeated `steps_per_call` times per epoch, and the model must be
    compiled with `steps_per_execution=steps_per_call` so those steps run in one compiled call. The gradient
    steps are exactly those of `fit(X, y, batch_size=len(X), shuffle=False, epochs=steps)`.
    Returns the History of the call (one loss entry per `steps_per_call` steps).
    """
    X = as_float_array("X", X)
    y = as_float_array("y", y)
    steps = check_int("steps", steps, minimum=1)
    steps_per_call = check_int("steps_per_call", steps_per_call, minimum=1)
    if X.ndim < 2 or y.ndim < 1 or len(X) != len(y):
        raise ValueError(f"X and y must hold the same number of samples, got shapes {X.shape} and {y.shape}")
    if steps % steps_per_call:
        raise ValueError(f"steps must be a multiple of steps_per_call={steps_per_call}, got {steps}")
    if getattr(model, "optimizer", None) is None:
        raise TypeError(f"model must be a compiled keras.Model, got {type(model).__name__} with no optimizer")
    if model.steps_per_execution != steps_per_call:
        raise ValueError(f"compile the model with steps_per_execution={steps_per_call} (got "
                         f"{model.steps_per_execution}) so that many steps run in one call")
    repeated_X = np.tile(X.astype(np.float32), (steps_per_call,) + (1,) * (X.ndim - 1))
    repeated_y = np.tile(y.astype(np.float32), (steps_per_call,) + (1,) * (y.ndim - 1))
    return model.fit(repeated_X, repeated_y, batch_size=len(X), epochs=steps // steps_per_call,
                     shuffle=False, verbose=0)
