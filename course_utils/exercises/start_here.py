"""Checkers for the exercises of notebook 00 (start here)."""

from __future__ import annotations

import numpy as np

from course_utils.exercises import array, call, exercise, fail


def _memory_step_reference(c_prev, f, i, g, o):
    """The deck's two equations: c_t = f * c_{t-1} + i * g,  h_t = o * tanh(c_t)."""
    c = f * c_prev + i * g
    return c, o * np.tanh(c)


def _memory_step_case(seed: int, shape: tuple[int, ...]):
    """Gates in (0, 1) as sigmoids give them, candidate and old memory of either sign."""
    rng = np.random.default_rng(seed)
    c_prev = rng.normal(0.0, 2.0, shape)
    f, i, o = (rng.uniform(0.05, 0.95, shape) for _ in range(3))
    g = rng.uniform(-0.95, 0.95, shape)
    return c_prev, f, i, g, o


# The usual slips, each with the feedback that points at it (checked in order on the first case).
_C_MISTAKES = [
    (lambda c_prev, f, i, g: c_prev + i * g, "the forget gate f must scale the old memory: f * c_prev"),
    (lambda c_prev, f, i, g: f * c_prev * i * g, "the two terms are added, not multiplied: f * c_prev + i * g"),
    (lambda c_prev, f, i, g: f * c_prev + g, "the input gate i decides how much of the candidate g is written: i * g"),
    (lambda c_prev, f, i, g: i * c_prev + f * g, "f scales the old memory, i the candidate: not the other way round"),
]
_H_MISTAKES = [
    (lambda c, c_prev, o: o * c, "h squashes the memory first: o * tanh(c)"),
    (lambda c, c_prev, o: np.tanh(o * c), "tanh applies to c, then o multiplies the result: o * tanh(c)"),
    (lambda c, c_prev, o: o * np.tanh(c_prev), "h reads the NEW memory c_t, not c_prev"),
]


@exercise("Exercise 00.1 (one step of LSTM memory)",
          hint="Write memory_step(c_prev, f, i, g, o) returning (c, h) with the two equations of the deck's slide.")
def check_memory_step(memory_step) -> None:
    """Exercise 00.1: the learner's `memory_step(c_prev, f, i, g, o) -> (c, h)` on arrays of several shapes."""
    for seed, shape in enumerate([(3,), (2, 5), (4, 1, 3)]):
        c_prev, f, i, g, o = _memory_step_case(seed, shape)
        result = call(memory_step, c_prev, f, i, g, o, what="memory_step")
        if not isinstance(result, tuple) or len(result) != 2:
            fail(f"memory_step must return a pair (c, h), got {type(result).__name__}")
        c = array(result[0], shape=shape, what="c")
        h = array(result[1], shape=shape, what="h")
        c_right, h_right = _memory_step_reference(c_prev, f, i, g, o)
        if not np.allclose(c, c_right, rtol=1e-5, atol=1e-6):
            for mistake, feedback in _C_MISTAKES:
                if np.allclose(c, mistake(c_prev, f, i, g), rtol=1e-5, atol=1e-6):
                    fail(feedback)
            fail("c is off: the new memory is what the forget gate keeps plus what the input gate writes")
        if not np.allclose(h, h_right, rtol=1e-5, atol=1e-6):
            for mistake, feedback in _H_MISTAKES:
                if np.allclose(h, mistake(c_right, c_prev, o), rtol=1e-5, atol=1e-6):
                    fail(feedback)
            fail("c is right but h is off: the output gate o lets through a squashed copy of the memory")
