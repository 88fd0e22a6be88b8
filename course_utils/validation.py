"""Argument checks shared by every public helper: clear TypeError/ValueError messages.

Each check names the argument, what was expected and what was given, so a learner who passes
the wrong thing reads what to fix instead of a NumPy traceback from deep inside a helper.
A public function states its arguments once, with `@checked(...)`, and its body is the algorithm.
"""

from __future__ import annotations

import functools
import inspect
import numbers
import os
import re
import sys
from pathlib import Path
from typing import NamedTuple

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
_SIZE = re.compile(rf"(?:(\d+)\s*\*\s*)?({_NAME})(?:\s*>=\s*({_NAME}|\d+))?|(\d+)")  # k*name >= least, or size
_KINDS = "floats|ints|0/1|strings"  # the kinds of arrays a spec can ask for


class _Range(NamedTuple):
    """A range of values: bounds are numbers, names or sums like 'n - lookback' (read at call time), None if open."""

    low: object
    high: object
    strict: bool = False  # '> a', '< b' and 'in (a, b)' (floats): the bounds themselves are refused


def _parse_range(argument: str, text: str | None, number) -> _Range:
    """The _Range of '>= a', '<= b', 'in [a, b]', (ints) 'in [a, b)', or (floats) '> a', '< b', 'in (a, b)'."""
    term = rf"(?:{_NUMBERS[number]}|{_NAME})"
    bound = rf"({term}(?:\s*[-+]\s*{term})*)"  # a sum of terms
    strict = "|>|<" if number is float else ""
    pattern = (rf"(>=|<={strict})\s*{bound}|in\s*\[\s*{bound}\s*,\s*{bound}\s*({'[])]' if number is int else ']'})"
               + (rf"|in\s*\(\s*{bound}\s*,\s*{bound}\s*\)" if number is float else ""))
    match = re.fullmatch(pattern, text.strip()) if text else None
    if text and not match:
        raise TypeError(f"{argument}'s range must be '>= a', '<= b', 'in [a, b]', (ints) 'in [a, b)', or (floats) "
                        f"'> a', '< b', 'in (a, b)', got {text!r}")
    if not match:
        return _Range(None, None)
    groups = match.groups()
    read = lambda b: b if b is None or not re.fullmatch(_NUMBERS[number], b) else number(b)  # noqa: E731
    if number is float and groups[5]:
        return _Range(read(groups[5]), read(groups[6]), strict=True)
    if groups[0]:
        side = {">=": (groups[1], None), "<=": (None, groups[1]), ">": (groups[1], None), "<": (None, groups[1])}
        return _Range(*map(read, side[groups[0]]), strict=groups[0] in "<>")
    high = read(groups[3])
    if groups[4] == ")":  # [a, b) of integers: at most b - 1
        high = high - 1 if isinstance(high, int) else f"{high} - 1"
    return _Range(read(groups[2]), high)


def _bound(text, dims: dict) -> tuple:
    """(value, shown) of a bound: a number ('0', shown '0'), or a name bound before or a sum of names and numbers,
    shown by name and value ('lower_hz (3900.0)', 'n - lookback (4)')."""
    if text is None or not isinstance(text, str):
        return text, str(text)
    value = 0
    for sign, term in re.findall(r"([-+]?)\s*(\d[\w.]*|[A-Za-z_]\w*)", text):
        if re.fullmatch(_NAME, term) and term not in dims:
            raise TypeError(f"a range names {term}, which no argument before it fixes")
        value += (-1 if sign == "-" else 1) * (dims[term] if re.fullmatch(_NAME, term) else int(term))
    return value, f"{text} ({value})"


def _check_range(argument: str, low_value, high_value, limits: _Range, dims: dict, got: str,
                 array: bool = False) -> None:
    """Raise ValueError unless the values from low_value to high_value lie in `limits`; `got`
    describes them; for an array, a range closed on both sides is named whole ('in [0, 3]')."""
    (low, low_shown), (high, high_shown) = _bound(limits.low, dims), _bound(limits.high, dims)
    if limits.strict:
        if (low is not None and low_value <= low) or (high is not None and high_value >= high):
            wanted = f"> {low_shown}" if high is None else f"< {high_shown}" if low is None else \
                f"strictly between {low_shown} and {high_shown}"
            raise ValueError(f"{argument} must be {wanted}, got {got}")
    elif (low is not None and low_value < low) or (high is not None and high_value > high):
        wanted = f">= {low_shown}" if low is not None and low_value < low else f"<= {high_shown}"
        if array and low is not None and high is not None:
            wanted = f"in [{low_shown}, {high_shown}]"
        raise ValueError(f"{argument} must be {wanted}, got {got}")


def _parse_shape(argument: str, text: str) -> list:
    """'(..., T >= 2, 4*units)' -> ['...', (1, 'T', 2), (4, 'units', None)]: (factor, name, least size); a literal
    size is (size, None, None); '...' first or last."""
    parts = [p.strip() for p in text.split(",") if p.strip()]
    shape = []
    for k, part in enumerate(parts):
        match = _SIZE.fullmatch(part)
        if part == "..." and k in (0, len(parts) - 1):
            shape.append("...")
        elif part == "1?" and 0 < k == len(parts) - 1 and "..." not in parts:
            shape.append("1?")  # an optional last axis of size 1: '(n, lookback, 1?)' takes (n, lookback) too
        elif match:
            least = int(match.group(3)) if (match.group(3) or "").isdigit() else match.group(3)  # a number or a name
            shape.append((int(match.group(4)), None, None) if match.group(4) else
                         (int(match.group(1) or 1), match.group(2), least))
        else:
            raise TypeError(f"{argument}'s shape must list sizes, names, k*name or name >= least (and ... first or "
                            f"last), got {part!r}")
    return shape


def _match_shape(argument: str, array: np.ndarray, shape: list, dims: dict) -> None:
    """Bind `shape`'s names to `array`'s sizes, left to right, or raise ValueError showing the shape wanted."""
    trailing = ", ..." if "..." in shape[1:] else ""  # '...' last: any trailing sizes
    if trailing:
        sizes, shape, wanted = array.shape[: len(shape) - 1], shape[:-1], []
    elif shape[:1] == ["..."]:
        sizes, shape, wanted = array.shape[array.ndim - len(shape) + 1 :], shape[1:], ["..."]
    else:
        sizes, wanted = array.shape, []
    binding, ok = dict(dims), True
    for size, (factor, name, least) in zip(sizes, shape, strict=True):
        if ok and name is not None and name not in binding and size % factor == 0:
            binding[name] = size // factor  # bound by the first size met, until the first mismatch
        expected = factor if name is None else factor * binding[name] if name in binding else None
        least, shown = _bound(least, binding)  # '(samples >= frame_length,)': (256, 'frame_length (256)')
        ok = ok and expected == size and (least is None or size >= least)
        wanted.append(f"{name} >= {shown}" if least is not None else str(expected) if expected is not None else
                      "any" if factor == 1 else f"{factor}*{name}")
    if not ok:
        raise ValueError(f"{argument} must have shape ({', '.join(wanted)}{trailing}), got {array.shape}")
    dims.update(binding)


def _as_kind(argument: str, value, kind: str, rank: int | None) -> np.ndarray:
    """`value` as an array of `kind` (floats: finite float64; ints; 0/1: int64 from 0/1 or False/True) of that rank."""
    if kind == "floats":
        return as_float_array(argument, value, ndim=rank)
    wanted = "an array of integers" if kind == "ints" else "an array of 0/1 (or False/True)"
    array = as_array(argument, value, wanted)
    if array.dtype.kind not in ("iu" if kind == "ints" else "biuf"):
        raise TypeError(f"{argument} must be {wanted}, got dtype {array.dtype}")
    if rank is not None and array.ndim != rank:
        raise ValueError(f"{argument} must have {rank} dimension(s), got shape {array.shape}")
    if array.size == 0:
        raise ValueError(f"{argument} must not be empty, got shape {array.shape}")
    if kind == "0/1" and not np.isin(array, (0, 1)).all():
        raise ValueError(f"{argument} must hold only 0/1 (or False/True), got values from {array.min()} to "
                         f"{array.max()}")
    return array.astype(np.int64) if kind == "0/1" else array


def _array_check(argument: str, shape: list | None, kind: str, like: str | None, limits: _Range,
                 varied: bool = False):
    """The converter of '(shape) floats', 'floats shaped like y_true', '(n,) ints in [0, V)', '(n,) 0/1'...; varied:
    'not constant', two different values at least."""
    optional = shape is not None and shape[-1:] == ["1?"]  # '(n, lookback, 1?)': the body gets (n, lookback)
    shape = shape[:-1] if optional else shape
    rank = None if shape is None or "..." in shape else len(shape)

    def convert(value, dims):
        array = _as_kind(argument, value, kind, None if optional else rank)
        if optional and array.ndim == rank + 1 and array.shape[-1] == 1:
            array = array[..., 0]  # the optional last axis of size 1, dropped
        if optional and array.ndim != rank:
            sizes = ", ".join(str(factor) if name is None else name if factor == 1 else f"{factor}*{name}"
                              for factor, name, _ in shape)
            raise ValueError(f"{argument} must have shape ({sizes}) or ({sizes}, 1), got {array.shape}")
        if shape is not None and array.ndim < len(shape) - 1:
            raise ValueError(f"{argument} must have at least {len(shape) - 1} dimension(s), got shape {array.shape}")
        if shape is not None:
            _match_shape(argument, array, shape, dims)
        if like is not None and f"shape of {like}" not in dims:
            raise TypeError(f"{argument}'s spec names {like}, which no array argument before it fixes")
        if like is not None and array.shape != dims[f"shape of {like}"]:
            raise ValueError(f"{argument} must have the shape of {like} {dims[f'shape of {like}']}, got {array.shape}")
        dims[f"shape of {argument}"] = array.shape  # for the arrays 'shaped like' it
        _check_range(argument, array.min(), array.max(), limits, dims, f"values from {array.min()} to {array.max()}",
                     array=True)
        if varied and array.min() == array.max():
            raise ValueError(f"{argument} must not be constant (two different values at least), got {array.size} "
                             f"value(s), all {array.flat[0]}")
        return array

    def zeros(dims):  # the value of "or zeros"
        if shape is None or "..." in shape or any(name is not None and name not in dims for _, name, _ in shape):
            raise TypeError(f"{argument} cannot default to zeros: no argument before it fixes its shape")
        return np.zeros([factor * dims[name] if name else factor for factor, name, _ in shape])

    convert.zeros = zeros
    return convert


def _strings_check(argument: str, shape: list, pattern: str | None = None):
    """The converter of '(n,) strings' (and '(n,) strings matching [0-9]+'): a non-empty list (or tuple, or array)
    of strings, not one string, each matching `pattern` whole if given."""
    if len(shape) != 1 or shape[0] == "..." or shape[0][2] is not None:  # no least size either
        raise TypeError(f"{argument}'s strings must have one size, as in '(n,) strings', got {shape}")
    factor, name, _ = shape[0]
    matches = _pattern(argument, pattern)

    def convert(value, dims):
        texts = list(value) if hasattr(value, "__iter__") and not isinstance(value, (str, bytes)) else None
        if texts is None or not all(isinstance(text, str) for text in texts):
            raise TypeError(f"{argument} must be a list of strings, got {type(value).__name__}")
        if not texts:
            raise ValueError(f"{argument} must not be empty, got 0 strings")
        expected = factor if name is None else factor * dims.setdefault(name, len(texts) // factor)
        if expected != len(texts):
            raise ValueError(f"{argument} must have {expected} entries, one per example, got {len(texts)}")
        wrong = [text for text in texts if not matches(text)]
        if wrong:
            raise ValueError(f"{argument} must hold only strings matching {pattern!r}, got {wrong[0]!r}"[:160])
        return [str(text) for text in texts]

    return convert


def _pattern(argument: str, pattern: str | None):
    """A test text -> bool: whether `text` matches the regular expression `pattern` whole (None: any text)."""
    if pattern is None:
        return lambda text: True
    try:
        return re.compile(pattern).fullmatch
    except re.error as error:
        raise TypeError(f"{argument}'s spec must give a regular expression after 'matching', got {pattern!r}: "
                        f"{error}") from None


def _string_check(argument: str, pattern: str | None):
    """The converter of 'str' and 'str matching <regex>': a string, that the regular expression matches whole."""
    matches = _pattern(argument, pattern)

    def convert(value, dims):
        if not isinstance(value, str):
            raise TypeError(f"{argument} must be a string, got {_describe(value)}")
        if not matches(value):
            raise ValueError(f"{argument} must match {pattern!r}, got {value!r}"[:160])
        return value

    return convert


def _keras_check(argument: str, path: str):
    """The converter of 'keras.Model', 'keras.layers.LSTM'...: an instance of that class (Keras is not imported);
    'compiled keras.Model': one with an optimizer."""
    compiled = path.startswith("compiled ")

    def convert(value, dims):
        keras = sys.modules.get("keras")  # Keras not loaded: the value cannot be a Keras object
        kind = functools.reduce(getattr, path.split(".")[1:], keras) if keras else None  # 'compiled keras' dropped
        if kind is None or not isinstance(value, kind) or (compiled and getattr(value, "optimizer", None) is None):
            raise TypeError(f"{argument} must be a {path}, got {_describe(value)}")
        return value

    return convert


def _histories(argument: str, value, dims: dict) -> dict:
    """The converter of 'histories': a non-empty dict label -> Keras History (or its .history dict) with a 'loss'
    list, as {label: history dict}."""
    if not isinstance(value, dict) or not value:
        raise TypeError(f"{argument} must be a non-empty dict label -> Keras History (or its .history dict), got "
                        f"{type(value).__name__}")
    curves = {label: getattr(history, "history", history) for label, history in value.items()}
    for label, curve in curves.items():
        if not isinstance(curve, dict) or len(curve.get("loss", ())) == 0:
            raise TypeError(f"{argument}[{label!r}] must be a Keras History (or its .history dict) with a 'loss' "
                            f"list, got {type(curve).__name__}")
    return curves


def _parse_one(argument: str, text: str):
    """The converter convert(value, dims) -> value of one alternative of a spec string."""
    array = re.fullmatch(rf"(?:\((.*)\)\s*)?({_KINDS})(?:\s+shaped like\s+({_NAME}))?(?:\s+(.+))?", text)
    scalar = re.fullmatch(r"(int|float)(?:\s+(.+))?", text)
    string = re.fullmatch(r"str(?:\s+matching\s+(\S.*))?", text)
    if array:
        shape = None if array.group(1) is None else _parse_shape(argument, array.group(1))
        if array.group(2) == "strings":
            matching = re.fullmatch(r"matching\s+(\S.*)", array.group(4) or "matching .*")
            if not matching:
                raise TypeError(f"{argument}'s strings take no range, only 'matching <regular expression>', "
                                f"got {array.group(4)!r}")
            return _strings_check(argument, shape or [], None if array.group(4) is None else matching.group(1))
        rest, varied = re.subn(r",?\s*not constant$", "", array.group(4) or "")  # '> 0, not constant'
        limits = _parse_range(argument, rest or None, int if array.group(2) in ("ints", "0/1") else float)
        return _array_check(argument, shape, array.group(2), array.group(3), limits, bool(varied))
    if scalar:
        check, number = (check_int, int) if scalar.group(1) == "int" else (check_float, float)
        limits = _parse_range(argument, scalar.group(2), number)

        def scalar_check(value, dims):
            value = check(argument, value)
            _check_range(argument, value, value, limits, dims, str(value))
            if number is int and dims.setdefault(argument, value) != value:  # an int names a size too
                raise ValueError(f"{argument} must be {dims[argument]}, the size the arguments before it have, "
                                 f"got {value}")
            dims[argument] = value  # for the shapes and ranges after it that name it ('int in [1, n]', '> lower_hz')
            return value
        return scalar_check
    if string:
        return _string_check(argument, string.group(1))
    if text in ("any", "path"):
        def any_or_path(value, dims):
            if text == "path" and not isinstance(value, (str, os.PathLike)):
                raise TypeError(f"{argument} must be a file path (str or pathlib.Path), got {type(value).__name__}")
            return Path(value) if text == "path" else value
        return any_or_path
    if text == "Axes":
        return lambda value, dims: check_axes(argument, value)
    if text == "histories":
        return lambda value, dims: _histories(argument, value, dims)
    if re.fullmatch(r"(compiled )?keras(\.\w+)+", text):
        return _keras_check(argument, text)
    raise TypeError(f"{argument}'s spec must be '(shape) floats', '(shape) ints', '(n,) 0/1', '(n,) strings', "
                    f"'floats shaped like x', 'int', 'float', 'str', 'str matching <regex>', 'path', 'any', 'Axes', "
                    f"'histories' or '(compiled) keras.Class', with an optional range and ' or None' / ' or zeros', "
                    f"got {text!r}")


def _parse(argument: str, spec):
    """The converter convert(value, dims) -> value that `spec` describes; TypeError for a spec it cannot read. Read
    once per argument and spec (a check function reads its specs at each call)."""
    try:
        hash(spec)
    except TypeError:
        raise TypeError(f"{argument}'s spec must be a string, a class, a tuple of choices or a function, got "
                        f"{spec!r}") from None
    return _read_spec(argument, spec)


@functools.lru_cache(maxsize=4096)
def _read_spec(argument: str, spec):
    classes = (spec,) if isinstance(spec, type) else spec if isinstance(spec, tuple) and spec and \
        all(isinstance(choice, type) for choice in spec) else None
    if classes:
        def instance(value, dims):
            if not isinstance(value, classes):
                raise TypeError(f"{argument} must be a {' or '.join(c.__name__ for c in classes)}, got "
                                f"{_describe(value)}")
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
    alternatives = [_parse_one(argument, text) for text in texts if text not in ("None", "zeros", "empty")]
    if not alternatives or ("zeros" in texts and not hasattr(alternatives[0], "zeros")):
        raise TypeError(f"{argument}'s spec must say what a value must be ('zeros' after an array), got {spec!r}")

    def convert(value, dims):
        if value is None and "None" in texts:
            return None
        if value is None and "zeros" in texts:
            return alternatives[0].zeros(dims)
        if "empty" in texts and isinstance(value, (list, tuple, np.ndarray)) and len(value) == 0 \
                and np.ndim(value) == 1:
            return np.asarray(value)
        for alternative in alternatives:
            try:
                return alternative(value, dims)
            except (TypeError, ValueError) as error:  # when all fail, the last one's error is raised
                last = error
        raise last

    return convert


def name_among(choices, what: str):
    """A spec for @checked: a string among `choices()`, a function read at each call, for names known only then
    (`@checked(name=name_among(expected_checksums, "bundled data file"))`: the files a manifest lists). TypeError for
    a value that is not a string, ValueError "no bundled data file named 'x': name must be one of [...]"."""
    if not callable(choices):
        raise TypeError(f"choices must be a function returning the choices, got {_describe(choices)}")
    if not isinstance(what, str):
        raise TypeError(f"what must be a str naming the choices ('bundled data file'), got {_describe(what)}")

    def check(name, value, dims):
        if not isinstance(value, str):
            raise TypeError(f"{name} must be a string, got {_describe(value)}")
        known = sorted(choices())
        if value not in known:
            raise ValueError(f"no {what} named {value!r}: {name} must be one of {known}")
        return value

    return check


def spec(text):
    """The check that a spec states (a string, a class, a tuple or a function), as a function check(name, value, dims)
    -> value: for a check function built from specs. The spec is read now, its errors raised now."""
    _parse("value", text)
    return lambda name, value, dims: _parse(name, text)(value, dims)


def checked(**specs):
    """Check a public function's arguments, as declared, before its body runs; the body gets the converted values.
    This docstring is the reference of the spec language: every form, one example each.

        @checked(x="(batch, T, features) floats", kernel="(features, units) floats",
                 recurrent_kernel="(units, units) floats", bias="(units,) floats", h0="(batch, units) floats or zeros")
        def simple_rnn_forward(x, kernel, recurrent_kernel, bias, h0=None): ...

    Every argument is named, and checked in the order listed. A spec is a string:
    - arrays: "(batch, units) floats" (finite float64), "(n,) ints" (integers), "(n,) 0/1" (0/1 or False/True, as
      int64), "(n,) strings" (a list of strings, not one string), never empty. A size is a number, a name or k*name
      ("(4*units,) floats"), a name with a least size if need be ("(samples >= frame_length,) floats", "(T_i >= 2,
      4) ints"); a name is bound by the first size it meets and must agree in every later shape; "..."
      first or last allows any leading or trailing sizes ("(..., V) floats"); a last size "1?" is optional and
      dropped ("(n, lookback, 1?) floats" takes (n, lookback) too). Without a shape, any shape: "floats", or the
      shape of an array argument before: "floats shaped like y_true";
    - scalars: "int" and "float" (a Python or NumPy number, never a bool; an int binds its name as a size, and both
      can be named by the ranges after them), "str", "str matching [0-9]+" and "(n,) strings matching [0-9]+" (a
      regular expression that matches whole), "path" (str or os.PathLike, given as a pathlib.Path), "any"
      (unchecked), "Axes" (matplotlib), "histories" (label -> Keras History or its .history dict, with a 'loss'
      list, given as {label: dict}), "keras.Model" or "keras.layers.LSTM" (an instance of that class),
      "compiled keras.Model" (one with an optimizer);
    - a number or an array of numbers followed by a range: ">= 0", "<= 1", "in [1, n]", for ints "in [0, V)", for
      floats "> 0", "< 0", "in (0, 1)". A bound is a number, a name bound before, or a sum of them
      ("int in [1, n - lookback]"); a message shows a named bound by name and value: "horizon must be <=
      n - lookback (2), got 3". An array may then be "not constant" (two different values at least): "floats not
      constant", "(n,) floats > 0, not constant";
    - alternatives joined by " or ": "float or None" (None passes), "(batch, units) floats or zeros" (None becomes
      zeros of that shape), "(n,) ints or empty" (an empty 1-D list passes, as an array), "float or (units,) floats"
      (tried in turn; when all fail, the last one's error is raised: put the most general last).
    Or it is not a string:
    - a class, or a tuple of classes: an instance of it, of one of them (np.random.Generator; (str, list, tuple));
    - a tuple of choices: one of them, of the same type ("h", "c");
    - a check function check(name, value, dims) -> value, for a check that no string states, written in the module
      that uses it: it raises TypeError/ValueError naming `name`, may read or bind names in dims (an argument checked
      before it is dims["values of lower"], as converted), and returns the value the body gets
      (course_utils.speech.features._upper_hz: above lower_hz, at most sample_rate / 2).
    Four functions make specs: record(Chorale, tonic="int in [0, 11]") (a NamedTuple whose fields pass theirs),
    each("(frames_i, n_mels) floats", "feature arrays") (a non-empty list whose items pass it; a name ending in _i
    is each item's own), name_among(function, "bundled data file") (a string among choices known only at call
    time), and spec("(samples,) floats") (any spec as a check function, for a check function to use).
    Errors keep the one grammar, "h0 must have shape (2, 5), got (2, 4)": TypeError for a wrong kind of value,
    ValueError for a wrong shape or range. A spec that cannot be read raises TypeError when the module loads.
    `function.unchecked` is the body without the checks, for a loop that checked its arguments once before it (a
    generation step: `run_embedding_lstm.unchecked(weights, ids, h, c)`); it must be given what the checks would
    have given it (float64 arrays, zeros for None).
    """
    converters = {name: _parse(name, text) for name, text in specs.items()}

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
            for name, convert in converters.items():  # dims["values of x"]: x as converted, for the checks after it
                bound.arguments[name] = dims[f"values of {name}"] = convert(bound.arguments[name], dims)
            return function(*bound.args, **bound.kwargs)

        with_checks.unchecked = function  # the body alone, for a loop whose arguments were checked once before it
        return with_checks

    return decorate


def record(kind: type, **fields):
    """The check of a record, for @checked: an instance of the NamedTuple class `kind` whose named fields pass their
    specs (the others are not checked), given to the body with the fields converted. A field's error names it:
    "chorale.tonic must be <= 11, got 12". A field reads the names bound before the record; those it binds stay
    inside it.

        CHORALE = record(Chorale, steps="(T, 4) ints in [0, 127]", tonic="int in [0, 11]", mode=("major", "minor"))
    """
    if not (isinstance(kind, type) and issubclass(kind, tuple) and hasattr(kind, "_fields")) or not fields \
            or not set(fields) <= set(kind._fields):
        raise TypeError(f"record needs a NamedTuple class and specs of some of its fields, got {kind!r} and "
                        f"{list(fields)}")
    for field, text in fields.items():
        _parse(field, text)  # read now, its errors raised now

    def check(name, value, dims):
        if not isinstance(value, kind):
            raise TypeError(f"{name} must be a {kind.__name__} record, got {_describe(value)}")
        inside = dict(dims)
        return value._replace(**{field: _parse(f"{name}.{field}", text)(getattr(value, field), inside)
                                 for field, text in fields.items()})

    return check


def each(item, items: str = "items"):
    """The check of a non-empty list (or tuple) whose every item passes the spec `item` (a string, a class, a tuple
    or a check function), for @checked; given to the body as a list. An item's error names it:
    "features[3] must have shape (any, 32), got (40, 31)". Each item reads the names bound before the list; a name
    ending in _i is each item's own size ("(frames_i, n_mels) floats": lengths differ), any other name must agree
    across the items and is bound for the arguments after. `items` says what the items are in the error for a wrong
    container: "chorales must be a non-empty list of Chorale records, got str 'x'".
    """
    _parse("item", item)  # read now, its errors raised now
    if not isinstance(items, str) or not items:
        raise TypeError(f"items must be a non-empty string, got {_describe(items)}")

    def check(name, value, dims):
        if not isinstance(value, (list, tuple)):
            raise TypeError(f"{name} must be a non-empty list of {items}, got {_describe(value)}")
        if not value:
            raise ValueError(f"{name} must be a non-empty list of {items}, got an empty {type(value).__name__}")
        converted = []
        for i, one in enumerate(value):
            own = {key: size for key, size in dims.items() if not key.endswith("_i")}
            converted.append(_parse(f"{name}[{i}]", item)(one, own))
            dims.update({key: size for key, size in own.items() if re.fullmatch(_NAME, key)
                         and not key.endswith("_i")})  # the shared sizes, as the first item bound them
        return converted

    return check
