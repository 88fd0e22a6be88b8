"""Checkers for the exercises of notebook 01 (RNNs and the vanishing gradient)."""

from __future__ import annotations

import numpy as np

from course_utils.exercises import array, call, exercise, fail, number
from course_utils.rnn import bptt_step, pascanu_bound


@exercise("Exercise 01.1 (one step of backpropagation through time)",
          hint="Write my_bptt_step(grad_h, h, recurrent_kernel) and pass the function.")
def check_bptt_step(function) -> None:
    """Exercise 01.1: `function(grad_h, h, recurrent_kernel)` returns dL/dh_{t-1} from dL/dh_t and h_t.

    Compared with course_utils.rnn.bptt_step on random (batch, units) inputs of several sizes.
    """
    rng = np.random.default_rng(101)
    for batch, units in [(1, 1), (2, 3), (4, 7), (3, 16)]:
        grad_h = rng.normal(size=(batch, units))
        h = np.tanh(rng.normal(size=(batch, units)))
        recurrent_kernel = rng.normal(size=(units, units)) / np.sqrt(units)
        answer = array(call(function, grad_h.copy(), h.copy(), recurrent_kernel.copy()), what="the result")
        expected = bptt_step(grad_h, h, recurrent_kernel)
        if answer.shape != expected.shape:
            fail(f"for batch={batch}, units={units} the result must have shape {expected.shape}, got {answer.shape}")
        if not np.allclose(answer, expected, rtol=1e-6, atol=1e-9):
            if np.allclose(answer, (grad_h * (1 - h**2)) @ recurrent_kernel, rtol=1e-6, atol=1e-9):
                fail("close: multiply by the *transpose* of the recurrent kernel (z_t = ... + h_{t-1} @ U)")
            if np.allclose(answer, grad_h @ recurrent_kernel.T, rtol=1e-6, atol=1e-9):
                fail("you forgot the derivative of tanh, 1 - h_t**2, before multiplying by U.T")
            fail(f"for batch={batch}, units={units} the largest error is {np.max(np.abs(answer - expected)):.3g}")


VANISHING_CASES = (0.5, 0.95, 1.0, 1.5, 3.0)


@exercise("Exercise 01.2 (does the gradient have to vanish?)",
          hint="Fill in a dict {0.5: ..., 0.95: ..., 1.0: ..., 1.5: ..., 3.0: ...}.")
def check_vanishing_guaranteed(answers) -> None:
    """Exercise 01.2: for each largest singular value, is vanishing *guaranteed* by the Pascanu bound?

    `answers` maps each of 0.5, 0.95, 1.0, 1.5, 3.0 to True (guaranteed to vanish) or False (not guaranteed).
    Guaranteed means the bound sqrt(units) * sigma**lag (course_utils.rnn.pascanu_bound) goes to 0 with the lag.
    """
    if not isinstance(answers, dict) or set(answers) != set(VANISHING_CASES):
        fail(f"answer with a dict whose keys are exactly {list(VANISHING_CASES)}, got {answers!r}"[:300])
    for sigma in VANISHING_CASES:
        if not isinstance(answers[sigma], bool):
            fail(f"answer True or False for {sigma}, got {answers[sigma]!r}")
        # The bound goes to 0 with the lag exactly when one step's factor, the bound at lag 1 for one unit, is < 1.
        guaranteed = bool(pascanu_bound(sigma, [1], units=1)[0] < 1.0)
        if answers[sigma] != guaranteed:
            if guaranteed:
                fail(f"for sigma_max = {sigma} < 1 every Jacobian shrinks the gradient: "
                     f"its norm is at most sqrt(units) * {sigma}**lag, which goes to 0")
            fail(f"for sigma_max = {sigma} >= 1 the bound sqrt(units) * {sigma}**lag does not go to 0, "
                 "so nothing *guarantees* vanishing (it may still vanish, as section 3 showed)")


@exercise("Exercise 01.3 (the bound after 50 steps)",
          hint="Compute the bound for sigma_max = 0.9, 16 units, 50 steps, as a number.")
def check_bound_after_lag(value) -> None:
    """Exercise 01.3: the Pascanu bound on the gradient norm after 50 steps, for sigma_max 0.9 and 16 units.

    sqrt(16) * 0.9 ** 50 = 0.0206... (course_utils.rnn.pascanu_bound); accepted within 1 %.
    """
    value = number(value)
    expected = float(pascanu_bound(0.9, [50], units=16)[0])
    without_start = float(pascanu_bound(0.9, [50], units=1)[0])  # forgot the sqrt(units) at the last step
    if abs(value - without_start) <= 0.01 * without_start:
        fail("you have 0.9**50: the gradient starts at norm sqrt(units) at the last step, not 1")
    if abs(value - expected) > 0.01 * expected:
        fail(f"got {value:.4g}; start from the norm at the last step and shrink it 50 times")
