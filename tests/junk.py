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
