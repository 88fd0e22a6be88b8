"""Junk a learner might pass by mistake, and the check that it is refused clearly (a test helper, not a test module)."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

# Anything a learner might pass by mistake: wrong types, wrong ranks, NaN, empty, strings, None.
junk = st.one_of(
    st.none(), st.booleans(), st.text(max_size=5), st.floats(allow_nan=True), st.integers(-10**6, 10**6),
    st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
    hnp.arrays(hnp.array_dtypes(), hnp.array_shapes(min_dims=0, max_dims=3, max_side=4)),
    hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=1, max_side=30),
               elements=st.floats(allow_nan=True, allow_infinity=True)),
)


def realistic(value, largest: float = 1e6) -> bool:
    """Junk a learner might pass, but no finite number beyond `largest` in size, nor one between 0 and 1e-6: the
    helpers are the textbook formulas, with no float64-overflow guards, and values near 1e308, or dividing by
    2e-309 (MAPE of a subnormal true value overflowed, in a 3.12 run on 2026-12-07), are not inputs anybody gives
    them. Zeros stay, and so does junk of every other kind (strings, None, NaN, wrong shapes, ragged lists)."""
    try:
        array = np.asarray(value)
    except Exception:  # ragged lists and the like
        return True
    if array.dtype.kind not in "iuf":  # strings, dicts, booleans, complex or datetime arrays: junk to refuse
        return True
    array = array.astype(float)
    sizes = np.abs(array[np.isfinite(array)])
    return not np.any((sizes > largest) | ((sizes > 0) & (sizes < 1e-6)))


# What the property tests draw: junk of every kind, with realistic magnitudes.
realistic_junk = junk.filter(realistic)


def raises_clearly(function, *args, expected_words=(), **kwargs):
    """Call `function`; it may succeed, or raise TypeError/ValueError naming the argument, nothing else.

    Returns the result, or None when the call was refused.
    """
    try:
        return function(*args, **kwargs)
    except (TypeError, ValueError) as error:
        message = str(error)
        assert " must " in message and "got" in message, f"unclear message: {message!r}"
        assert any(word in message for word in expected_words), f"message names no argument: {message!r}"
        return None
