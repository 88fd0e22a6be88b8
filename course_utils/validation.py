"""Argument checks shared by every public helper: clear TypeError/ValueError messages.

Each check names the argument, what was expected and what was given, so a learner who passes
the wrong thing reads what to fix instead of a NumPy traceback from deep inside a helper.
"""

from __future__ import annotations

import numbers

import numpy as np


def _describe(value) -> str:
    """Short description of a value for error messages: its type, and shape for arrays."""
    if isinstance(value, np.ndarray):
        return f"array of shape {value.shape} and dtype {value.dtype}"
    return f"{type(value).__name__} {value!r}"[:120]


def check_int(name: str, value, minimum: int | None = None, maximum: int | None = None) -> int:
    """Return `value` as an int, or raise TypeError (not an integer) / ValueError (out of range)."""
    # bool is an int subclass, but `lookback=True` is always a mistake.
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {_describe(value)}")
    value = int(value)
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be <= {maximum}, got {value}")
    return value


def check_float(name: str, value, minimum: float | None = None, maximum: float | None = None) -> float:
    """Return `value` as a finite float, or raise TypeError / ValueError."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {_describe(value)}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be <= {maximum}, got {value}")
    return value


def as_float_array(name: str, value, ndim: int | None = None, allow_empty: bool = False) -> np.ndarray:
    """Return `value` as a finite float64 array of rank `ndim`, or raise TypeError / ValueError.

    Accepts NumPy arrays, lists and tensors that convert with np.asarray; refuses strings,
    booleans, objects and complex numbers, which NumPy would otherwise coerce silently.
    """
    if isinstance(value, (str, bytes)):
        raise TypeError(f"{name} must be an array of numbers, got {_describe(value)}")
    try:
        array = np.asarray(value)
    except Exception as error:  # ragged lists and the like
        raise TypeError(f"{name} must be an array of numbers, got {type(value).__name__}: {error}") from None
    if array.dtype == bool or not (np.issubdtype(array.dtype, np.integer) or np.issubdtype(array.dtype, np.floating)):
        raise TypeError(f"{name} must hold integers or floats, got dtype {array.dtype}")
    if ndim is not None and array.ndim != ndim:
        raise ValueError(f"{name} must have {ndim} dimension(s), got shape {array.shape}")
    if array.size == 0 and not allow_empty:
        raise ValueError(f"{name} must not be empty, got shape {array.shape}")
    array = array.astype(np.float64)
    if not np.all(np.isfinite(array)):
        bad = int(np.sum(~np.isfinite(array)))
        raise ValueError(f"{name} must be finite, got {bad} NaN or infinite value(s) in shape {array.shape}")
    return array


def as_array(name: str, value, expected: str = "an array") -> np.ndarray:
    """np.asarray(value) of any dtype, with a TypeError naming `name` and `expected` for what NumPy cannot convert
    (ragged lists and the like), instead of NumPy's own ValueError."""
    try:
        return np.asarray(value)
    except (TypeError, ValueError) as error:
        raise TypeError(f"{name} must be {expected}, got {type(value).__name__}: {str(error)[:80]}") from None


def check_axes(name: str, ax):
    """Return `ax` if it is None or a matplotlib Axes (the plot helpers' optional target), else raise TypeError."""
    if ax is None:
        return None
    from matplotlib.axes import Axes  # imported here: only the plot helpers, which load matplotlib, pass an ax

    if not isinstance(ax, Axes):
        raise TypeError(f"{name} must be a matplotlib Axes or None, got {_describe(ax)}")
    return ax


def check_shape(name: str, array: np.ndarray, expected: tuple) -> None:
    """Raise ValueError unless `array.shape` matches `expected` (None matches any size); TypeError if not an array."""
    if not isinstance(array, np.ndarray):
        raise TypeError(f"{name} must be a NumPy array, got {_describe(array)}")
    if not isinstance(expected, tuple) or not all(e is None or isinstance(e, int) for e in expected):
        raise TypeError(f"expected must be a tuple of sizes (int or None), got {expected!r}")
    ok = array.ndim == len(expected) and all(e is None or e == s for e, s in zip(expected, array.shape, strict=False))
    if not ok:
        wanted = "(" + ", ".join("any" if e is None else str(e) for e in expected) + ")"
        raise ValueError(f"{name} must have shape {wanted}, got {array.shape}")
