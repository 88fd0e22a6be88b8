"""Checkers for the exercises of notebook 00 (start here: the training primer of its section 6)."""

from __future__ import annotations

import numpy as np

from course_utils.exercises import call, exercise, fail, number
from course_utils.training import line_data


def _step(w, b, x, y, learning_rate, factor=2.0, mean=True, sign=-1.0, x_in_b=False):
    """One step of gradient descent on the mean squared error of w * x + b, and the slips a learner makes."""
    error = w * x + b - y  # (n,)
    reduce = np.mean if mean else np.sum
    dw, db = reduce(factor * error * x), reduce(factor * error * (x if x_in_b else 1.0))
    return w + sign * learning_rate * dw, b + sign * learning_rate * db


# The usual slips, each with the feedback that points at it (checked in order).
_MISTAKES = [
    (dict(sign=1.0), "you stepped uphill: subtract the learning rate times the gradient, w - learning_rate * dL/dw"),
    (dict(factor=1.0), "the derivative of the squared error e**2 is 2 * e: the gradient has a factor 2"),
    (dict(mean=False), "the loss is the mean of the squared errors, so its gradient is a mean too, not a sum"),
    (dict(x_in_b=True), "the intercept's gradient is mean(2 * error), without x: b adds 1 to the line's answer, "
                        "whatever x is"),
]


@exercise("Exercise 00.1 (one step of gradient descent)",
          hint="Write gradient_step(w, b, x, y, learning_rate) returning the new (w, b): compute the gradient of the "
               "mean squared error (section 6.2), then step against it (section 6.3).")
def check_gradient_step(gradient_step) -> None:
    """Exercise 00.1: the learner's `gradient_step(w, b, x, y, learning_rate) -> (w, b)` on data of its own."""
    for seed, (w, b, learning_rate, n) in enumerate([(-1.0, 0.0, 0.3, 64), (0.5, 2.0, 0.1, 7), (3.0, -1.5, 0.05, 20)]):
        x, y = line_data(n, seed=1000 + seed)  # (n,), (n,): points around y = 2x + 1
        result = call(gradient_step, w, b, x.copy(), y.copy(), learning_rate, what="gradient_step")
        if not isinstance(result, (tuple, list)) or len(result) != 2:
            fail(f"gradient_step must return the pair (w, b), got {type(result).__name__}")
        answer = np.array([number(result[0], what="the new w"), number(result[1], what="the new b")])
        right = np.array(_step(w, b, x, y, learning_rate))
        if np.allclose(answer, right, rtol=1e-6, atol=1e-9):
            continue
        if np.allclose(answer, [w, b]):
            fail("w and b did not change: return the parameters after the step")
        for slip, feedback in _MISTAKES:
            if np.allclose(answer, _step(w, b, x, y, learning_rate, **slip), rtol=1e-6, atol=1e-9):
                fail(feedback)
        fail(f"for w = {w}, b = {b}, learning rate {learning_rate} and {n} points the step should give "
             f"w = {right[0]:.4f}, b = {right[1]:.4f}, got w = {answer[0]:.4f}, b = {answer[1]:.4f}")
