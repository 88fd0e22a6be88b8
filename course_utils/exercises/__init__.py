"""Exercise checkers: "not attempted yet", "correct", or an AssertionError that says what is off.

An exercise cell leaves its answer as None. The checker then prints a hint instead of failing, so
the stored notebook (and CI) shows the unattempted state and the solutions notebook shows "correct".
Every checker of the course is a function decorated with `exercise`, which handles the three states;
inside it, `fail` reports a wrong answer, `number`, `array` and `call` check the learner's answer
and run the learner's code, and `keras_layers` lists every layer inside a learner's Keras model.
Each notebook's checkers live in a module named for its concept (`counting` for notebook 03, ...).
A checker calls the package's own formulas for the right answer.

    @exercise("Exercise 02.4 (GRU parameters)", hint="Three gates, each with ...")
    def check_gru_parameters(answer):
        if number(answer) != gru_parameter_count(2, 32):
            fail("count the two bias vectors of each gate")
"""

from __future__ import annotations

import functools
import numbers
from typing import NamedTuple, NoReturn

import numpy as np

NOT_ATTEMPTED = "not attempted"
CORRECT = "correct"


class CheckResult(NamedTuple):
    """What a checker found, for tests and scripts: `status` is "not attempted" or "correct"."""

    exercise: str
    status: str
    message: str

    def _ipython_display_(self) -> None:
        """Show nothing in Jupyter: the checker has already printed `message`, once."""


class _WrongAnswer(AssertionError):
    """Raised by `fail` inside a checker; the `exercise` wrapper adds the exercise's name."""


def fail(message: str) -> NoReturn:
    """Reject the learner's answer with `message` (what is off, and a hint of how to fix it)."""
    raise _WrongAnswer(message)


def exercise(name: str, hint: str):
    """Make a checker of `check(answer, *args)`: None -> "not attempted", `fail(...)` -> AssertionError.

    The returned checker prints one line and returns a CheckResult; a wrong answer raises
    AssertionError("<name>: not yet right. <message>"), which is what a learner sees in the notebook.
    """
    if not isinstance(name, str) or not name or not isinstance(hint, str):
        raise TypeError(f"exercise needs a non-empty name and a hint as strings, got {name!r} and {hint!r}")

    def decorate(check):
        if not callable(check):
            raise TypeError(f"exercise must decorate a checker function, got {type(check).__name__}")

        @functools.wraps(check)
        def checker(answer, *args, **kwargs) -> CheckResult:
            if answer is None:
                message = f"{name}: not attempted yet. {hint}"
                print(message)
                return CheckResult(name, NOT_ATTEMPTED, message)
            try:
                check(answer, *args, **kwargs)
            except _WrongAnswer as wrong:
                raise AssertionError(f"{name}: not yet right. {wrong}") from None
            message = f"{name}: correct!"
            print(message)
            return CheckResult(name, CORRECT, message)

        return checker

    return decorate


def number(answer, what: str = "answer") -> float:
    """The learner's answer as a finite float, or `fail` saying that a number was expected."""
    if isinstance(answer, np.ndarray) and answer.shape == ():
        answer = answer.item()
    if isinstance(answer, bool) or not isinstance(answer, numbers.Real):
        fail(f"{what} must be a number, got {type(answer).__name__} {answer!r}"[:200])
    if not np.isfinite(float(answer)):
        fail(f"{what} must be finite, got {answer!r}")
    return float(answer)


def integer(answer, what: str = "answer") -> int:
    """The learner's answer as an int (an integral float such as 3.0 is refused: say what you mean)."""
    if isinstance(answer, bool) or not isinstance(answer, numbers.Integral):
        fail(f"{what} must be an integer, got {type(answer).__name__} {answer!r}"[:200])
    return int(answer)


def array(answer, shape: tuple | None = None, what: str = "answer") -> np.ndarray:
    """The learner's answer as a finite float array of `shape` (None in `shape` matches any size)."""
    if shape is not None and (not isinstance(shape, tuple) or
                              not all(s is None or (isinstance(s, int) and not isinstance(s, bool)) for s in shape)):
        raise TypeError(f"shape must be a tuple of sizes (int or None), got {shape!r}")  # the checker's own mistake
    if isinstance(answer, (str, bytes)):
        fail(f"{what} must be an array of numbers, got {type(answer).__name__}")
    try:
        values = np.asarray(answer)
    except (TypeError, ValueError):
        fail(f"{what} must be an array of numbers, got {type(answer).__name__}")
    numeric = np.issubdtype(values.dtype, np.integer) or np.issubdtype(values.dtype, np.floating)
    if values.dtype == bool or not numeric:
        fail(f"{what} must be an array of numbers, got {type(answer).__name__} with dtype {values.dtype}")
    values = values.astype(np.float64)
    if shape is not None:
        matches = values.ndim == len(shape) and all(s is None or s == v for s, v in zip(shape, values.shape,
                                                                                       strict=False))
        if not matches:
            wanted = "(" + ", ".join("any" if s is None else str(s) for s in shape) + ")"
            fail(f"{what} must have shape {wanted}, got {values.shape}")
    if not np.all(np.isfinite(values)):
        fail(f"{what} holds NaN or infinite values")
    return values


def call(function, *args, what: str = "your function", **kwargs):
    """Call the learner's `function(*args, **kwargs)`; whatever it raises becomes feedback, not a traceback."""
    if not callable(function):
        fail(f"pass a function, got {type(function).__name__}")
    try:
        return function(*args, **kwargs)
    except Exception as error:  # the learner's code: report whatever it raised, in one line
        fail(f"{what} raised {type(error).__name__}: {error}")


def keras_layers(model) -> list:
    """Every layer of a Keras model, depth first and each once, with what nested models and wrappers hold
    (Bidirectional's forward and backward layers, TimeDistributed's layer), for checks such as "has an LSTM layer":
    `any(isinstance(layer, keras.layers.LSTM) for layer in keras_layers(model))`. Anything else gives []."""
    found, seen = [], set()

    def visit(layer) -> None:
        if id(layer) in seen:
            return
        seen.add(id(layer))
        found.append(layer)
        for inner in [*getattr(layer, "layers", []), *(getattr(layer, name, None) for name in WRAPPED)]:
            if inner is not None:
                visit(inner)

    for layer in getattr(model, "layers", []):
        visit(layer)
    return found


WRAPPED = ("forward_layer", "backward_layer", "layer")  # where Keras's wrappers keep the layers they wrap
