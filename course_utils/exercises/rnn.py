"""Checkers for the exercises of notebook 01 (RNNs and the vanishing gradient)."""

from __future__ import annotations

import numbers

import numpy as np

from course_utils.exercises import correct, fail, not_attempted
from course_utils.rnn import bptt_step


def check_bptt_step(function) -> None:
    """Exercise 01.1: `function(grad_h, h, recurrent_kernel)` returns dL/dh_{t-1} from dL/dh_t and h_t.

    Compared with course_utils.rnn.bptt_step on random (batch, units) inputs of several sizes.
    """
    name = "Exercise 01.1 (one step of backpropagation through time)"
    if not_attempted(name, function, "Write my_bptt_step(grad_h, h, recurrent_kernel) and pass the function."):
        return
    if not callable(function):
        fail(name, f"pass a function, got {type(function).__name__}")
    rng = np.random.default_rng(101)
    for batch, units in [(1, 1), (2, 3), (4, 7), (3, 16)]:
        grad_h = rng.normal(size=(batch, units))
        h = np.tanh(rng.normal(size=(batch, units)))
        recurrent_kernel = rng.normal(size=(units, units)) / np.sqrt(units)
        try:
            answer = np.asarray(function(grad_h.copy(), h.copy(), recurrent_kernel.copy()), dtype=float)
        except Exception as error:  # the learner's code: report whatever it raised
            fail(name, f"your function raised {type(error).__name__}: {error}")
        expected = bptt_step(grad_h, h, recurrent_kernel)
        if answer.shape != expected.shape:
            fail(name, f"for batch={batch}, units={units} the result must have shape {expected.shape}, "
                       f"got {answer.shape}")
        if not np.allclose(answer, expected, rtol=1e-6, atol=1e-9):
            if np.allclose(answer, (grad_h * (1 - h**2)) @ recurrent_kernel, rtol=1e-6, atol=1e-9):
                fail(name, "close: multiply by the *transpose* of the recurrent kernel (z_t = ... + h_{t-1} @ U)")
            if np.allclose(answer, grad_h @ recurrent_kernel.T, rtol=1e-6, atol=1e-9):
                fail(name, "you forgot the derivative of tanh, 1 - h_t**2, before multiplying by U.T")
            fail(name, f"for batch={batch}, units={units} the largest error is "
                       f"{np.max(np.abs(answer - expected)):.3g}")
    correct(name)


def check_vanishing_guaranteed(answers) -> None:
    """Exercise 01.2: for each largest singular value, is vanishing *guaranteed* by the Pascanu bound?

    `answers` maps each of 0.5, 0.95, 1.0, 1.5, 3.0 to True (guaranteed to vanish) or False (not guaranteed).
    """
    name = "Exercise 01.2 (does the gradient have to vanish?)"
    if not_attempted(name, answers, "Fill in a dict {0.5: ..., 0.95: ..., 1.0: ..., 1.5: ..., 3.0: ...}."):
        return
    expected = {0.5: True, 0.95: True, 1.0: False, 1.5: False, 3.0: False}
    if not isinstance(answers, dict) or set(answers) != set(expected):
        fail(name, f"answer with a dict whose keys are exactly {sorted(expected)}, got {answers!r}")
    for sigma, guaranteed in expected.items():
        if not isinstance(answers[sigma], bool):
            fail(name, f"answer True or False for {sigma}, got {answers[sigma]!r}")
        if answers[sigma] != guaranteed:
            if guaranteed:
                fail(name, f"for sigma_max = {sigma} < 1 every Jacobian shrinks the gradient: "
                           f"its norm is at most sqrt(units) * {sigma}**lag, which goes to 0")
            fail(name, f"for sigma_max = {sigma} >= 1 the bound sqrt(units) * {sigma}**lag does not go to 0, "
                       "so nothing *guarantees* vanishing (it may still vanish, as section 3 showed)")
    correct(name)


def check_bound_after_lag(value) -> None:
    """Exercise 01.3: the Pascanu bound on the gradient norm after 50 steps, for sigma_max 0.9 and 16 units.

    sqrt(16) * 0.9 ** 50 = 0.0206...; accepted within 1 %.
    """
    name = "Exercise 01.3 (the bound after 50 steps)"
    if not_attempted(name, value, "Compute the bound for sigma_max = 0.9, 16 units, 50 steps, as a number."):
        return
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        fail(name, f"answer with a number, got {type(value).__name__} {value!r}")
    expected = np.sqrt(16) * 0.9**50
    if abs(value - 0.9**50) <= 0.01 * 0.9**50:
        fail(name, "you have 0.9**50: the gradient starts at norm sqrt(units) at the last step, not 1")
    if abs(value - expected) > 0.01 * expected:
        fail(name, f"got {value:.4g}; start from the norm at the last step and shrink it 50 times")
    correct(name)
