"""Argument checks shared by every public helper: clear TypeError/ValueError messages.

Each check names the argument, what was expected and what was given, so a learner who passes
the wrong thing reads what to fix instead of a NumPy traceback from deep inside a helper.
A public function states its arguments once, with `@checked(...)`, and its body is the algorithm.
"""

from __future__ import annotations

import functools
import inspect
import numbers
import re
import sys

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


# --------------------------------------------------------------------------- @checked: the declarative form

_NAME = r"[A-Za-z_]\w*"
_NUMBERS = {int: r"-?\d+", float: r"-?\d+(?:\.\d*)?(?:e-?\d+)?"}
_SIZE = re.compile(rf"(?:(\d+)\s*\*\s*)?({_NAME})|(\d+)")


def _parse_range(argument: str, text: str | None, number) -> tuple:
    """(low, high, closed) of '>= a', '<= b', 'in [a, b]' or (ints) 'in [a, b)': numbers or names, None if open."""
    bound = rf"({_NUMBERS[number]}|{_NAME})"
    pattern = rf"(>=|<=)\s*{bound}|in\s*\[\s*{bound}\s*,\s*{bound}\s*({'[])]' if number is int else ']'})"
    match = re.fullmatch(pattern, text.strip()) if text else None
    if text and not match:
        raise TypeError(f"{argument}'s range must be '>= a', '<= b', 'in [a, b]' or (ints) 'in [a, b)', got {text!r}")
    if not match:
        return None, None, True
    low, high = {">=": (match.group(2), None), "<=": (None, match.group(2))}.get(match.group(1), match.group(3, 4))
    read = lambda b: b if b is None or re.fullmatch(_NAME, b) else number(b)  # noqa: E731 (names: read at call time)
    return read(low), read(high), match.group(5) != ")"


def _limits(limits: tuple, dims: dict) -> tuple:
    """The (lowest, highest) values allowed, inclusive, with names read from the bound sizes."""
    low, high, closed = limits
    unbound = [b for b in (low, high) if isinstance(b, str) and b not in dims]
    if unbound:
        raise TypeError(f"a range names {unbound[0]}, which no argument before it fixes")
    low, high = (dims[b] if isinstance(b, str) else b for b in (low, high))
    return low, high if high is None or closed else high - 1


def _parse_shape(argument: str, text: str) -> list:
    """'(..., T, 4*units)' -> ['...', (1, 'T'), (4, 'units')]; a literal size is (size, None)."""
    shape = []
    for part in (p.strip() for p in text.split(",") if p.strip()):
        match = _SIZE.fullmatch(part)
        if part == "..." and not shape:
            shape.append("...")
        elif match:
            shape.append((int(match.group(3)), None) if match.group(3) else (int(match.group(1) or 1), match.group(2)))
        else:
            raise TypeError(f"{argument}'s shape must list sizes, names or k*name (and ... first), got {part!r}")
    return shape


def _match_shape(argument: str, array: np.ndarray, shape: list, dims: dict) -> None:
    """Bind `shape`'s names to `array`'s sizes, left to right, or raise ValueError showing the shape wanted."""
    leading = shape[:1] == ["..."]
    sizes, shape = (array.shape[array.ndim - len(shape) + 1:], shape[1:]) if leading else (array.shape, shape)
    wanted, binding, ok = ["..."] * leading, dict(dims), True
    for size, (factor, name) in zip(sizes, shape, strict=True):
        if ok and name is not None and name not in binding and size % factor == 0:
            binding[name] = size // factor  # bound by the first size met, until the first mismatch
        expected = factor if name is None else factor * binding[name] if name in binding else None
        ok = ok and expected == size
        wanted.append(str(expected) if expected is not None else "any" if factor == 1 else f"{factor}*{name}")
    if not ok:
        raise ValueError(f"{argument} must have shape ({', '.join(wanted)}), got {array.shape}")
    dims.update(binding)


def _array_check(argument: str, shape: list, kind: str, limits: tuple):
    """The converter of '(shape) floats' or '(shape) ints', with an optional range of the values."""
    leading, rank = shape[:1] == ["..."], len(shape) - (shape[:1] == ["..."])

    def convert(value, dims):
        if kind == "floats":
            array = as_float_array(argument, value, ndim=None if leading else rank)
        else:
            array = as_array(argument, value, "an array of integers")
            if array.dtype == bool or not np.issubdtype(array.dtype, np.integer):
                raise TypeError(f"{argument} must be an array of integers, got dtype {array.dtype}")
            if array.ndim != rank and not leading:
                raise ValueError(f"{argument} must have {rank} dimension(s), got shape {array.shape}")
            if array.size == 0:
                raise ValueError(f"{argument} must not be empty, got shape {array.shape}")
        if array.ndim < rank:
            raise ValueError(f"{argument} must have at least {rank} dimension(s), got shape {array.shape}")
        _match_shape(argument, array, shape, dims)
        low, high = _limits(limits, dims)
        if (low is not None and array.min() < low) or (high is not None and array.max() > high):
            wanted = f">= {low}" if high is None else f"<= {high}" if low is None else f"in [{low}, {high}]"
            raise ValueError(f"{argument} must be {wanted}, got values from {array.min()} to {array.max()}")
        return array

    def zeros(dims):  # the value of "or zeros"
        if any(name is not None and name not in dims for _, name in shape[leading:]) or leading:
            raise TypeError(f"{argument} cannot default to zeros: no argument before it fixes its shape")
        return np.zeros([factor * dims[name] if name else factor for factor, name in shape])

    convert.zeros = zeros
    return convert


def _keras_check(argument: str, path: str):
    """The converter of 'keras.Model', 'keras.layers.LSTM'...: an instance of that class (Keras is not imported)."""

    def convert(value, dims):
        keras = sys.modules.get("keras")  # Keras not loaded: the value cannot be a Keras object
        kind = functools.reduce(getattr, path.split(".")[1:], keras) if keras else None
        if kind is None or not isinstance(value, kind):
            raise TypeError(f"{argument} must be a {path}, got {_describe(value)}")
        return value

    return convert


def _parse_one(argument: str, text: str):
    """The converter convert(value, dims) -> value of one alternative of a spec string."""
    array = re.fullmatch(r"\((.*)\)\s*(floats|ints)(?:\s+(.+))?", text)
    scalar = re.fullmatch(r"(int|float)(?:\s+(.+))?", text)
    if array:
        limits = _parse_range(argument, array.group(3), int if array.group(2) == "ints" else float)
        return _array_check(argument, _parse_shape(argument, array.group(1)), array.group(2), limits)
    if scalar:
        check, number = (check_int, int) if scalar.group(1) == "int" else (check_float, float)
        limits = _parse_range(argument, scalar.group(2), number)

        def scalar_check(value, dims):
            value = check(argument, value, *_limits(limits, dims))
            if number is int and dims.setdefault(argument, value) != value:  # an int names a size too
                raise ValueError(f"{argument} must be {dims[argument]}, the size the arguments before it have, "
                                 f"got {value}")
            return value
        return scalar_check
    if text in ("str", "any"):
        def string(value, dims):
            if text == "str" and not isinstance(value, str):
                raise TypeError(f"{argument} must be a string, got {_describe(value)}")
            return value
        return string
    if text == "Axes":
        return lambda value, dims: check_axes(argument, value)
    if re.fullmatch(r"keras(\.\w+)+", text):
        return _keras_check(argument, text)
    raise TypeError(f"{argument}'s spec must be '(shape) floats', '(shape) ints', 'int', 'float', 'str', 'any', 'Axes' "
                    f"or 'keras.Class', with an optional range and ' or None' / ' or zeros', got {text!r}")


def _parse(argument: str, spec):
    """The converter convert(value, dims) -> value that `spec` describes; TypeError for a spec it cannot read."""
    if isinstance(spec, type):
        def instance(value, dims):
            if not isinstance(value, spec):
                raise TypeError(f"{argument} must be a {spec.__name__}, got {_describe(value)}")
            return value
        return instance
    if callable(spec):
        return lambda value, dims: spec(argument, value, dims)
    if isinstance(spec, tuple) and spec:
        def choose(value, dims):
            if not any(type(value) is type(choice) and value == choice for choice in spec):
                raise ValueError(f"{argument} must be {' or '.join(map(repr, spec))}, got {_describe(value)}")
            return value
        return choose
    if not isinstance(spec, str):
        raise TypeError(f"{argument}'s spec must be a string, a class, a tuple of choices or a function, got {spec!r}")
    texts = [text.strip() for text in spec.split(" or ")]
    alternatives = [_parse_one(argument, text) for text in texts if text not in ("None", "zeros")]
    if not alternatives or ("zeros" in texts and not hasattr(alternatives[0], "zeros")):
        raise TypeError(f"{argument}'s spec must say what a value must be ('zeros' after an array), got {spec!r}")

    def convert(value, dims):
        if value is None and "None" in texts:
            return None
        if value is None and "zeros" in texts:
            return alternatives[0].zeros(dims)
        for alternative in alternatives:
            try:
                return alternative(value, dims)
            except (TypeError, ValueError) as error:  # when all fail, the last one's error is raised
                last = error
        raise last

    return convert


def checked(**specs):
    """Check a public function's arguments, as declared, before its body runs; the body gets the converted values.

        @checked(x="(batch, T, features) floats", kernel="(features, units) floats",
                 recurrent_kernel="(units, units) floats", bias="(units,) floats", h0="(batch, units) floats or zeros")
        def simple_rnn_forward(x, kernel, recurrent_kernel, bias, h0=None): ...

    Every argument is named, and checked in the order listed. A spec is one of
    - "(d, ...) floats": a finite float64 array of that shape; "(d, ...) ints": a non-empty array of integers.
      A size is a number, a name or k*name (k times a name). A name is bound by the first size it meets (or by the
      "int" argument of that name) and must agree in every later shape; "..." first allows any leading sizes.
    - "int" or "float" (a Python or NumPy number, never a bool), "str", "any" (unchecked), "Axes" (matplotlib),
      "keras.Model", "keras.layers.LSTM"... (an instance of that class);
    - either followed by a range of the values: ">= a", "<= b", "in [a, b]", for ints also "in [a, b)"; a bound
      is a number or a name bound before;
    - alternatives joined by " or ": "None" passes None, "zeros" fills the array's shape with zeros, the others
      are tried in turn (when all fail, the last one's error is raised: put the most general last);
    - a class (an instance of it), a tuple of choices ("h", "c"), or a function check(name, value, dims) -> value,
      which may bind names in dims.
    Errors keep the one grammar, "h0 must have shape (2, 5), got (2, 4)": TypeError for a wrong kind of value,
    ValueError for a wrong shape or range. A spec that cannot be read raises TypeError when the module loads.
    """
    converters = {name: _parse(name, spec) for name, spec in specs.items()}

    def decorate(function):
        if not callable(function):
            raise TypeError(f"checked must decorate a function, got {_describe(function)}")
        signature = inspect.signature(function)
        named = [p.name for p in signature.parameters.values()
                 if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD) and p.name not in ("self", "cls")]
        if sorted(named) != sorted(specs):
            raise TypeError(f"checked must name every argument of {function.__name__} once: expected {named}, "
                            f"got {list(specs)}")

        @functools.wraps(function)
        def with_checks(*args, **kwargs):
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            dims: dict = {}
            for name, convert in converters.items():
                bound.arguments[name] = convert(bound.arguments[name], dims)
            return function(*bound.args, **bound.kwargs)

        return with_checks

    return decorate
