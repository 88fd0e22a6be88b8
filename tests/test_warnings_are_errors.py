"""pyproject's filterwarnings turn a warning raised inside course_utils into an error of the test that caused it.

Without them an overflow to inf inside a helper passes unnoticed (the RuntimeWarning only shows in the summary).
"""

import warnings

import numpy as np
import pytest

from course_utils.forecasting import metrics


def test_an_overflow_inside_a_course_utils_function_fails():
    """rmse is the one-liner its docstring promises (no overflow guards since issue 26: the course never feeds it
    values near 1e308); if it ever overflows, the RuntimeWarning raised inside course_utils fails the test."""
    with pytest.raises(RuntimeWarning, match="overflow"):
        metrics.rmse([1e308, -1e308], [-1e308, 1e308])


def test_a_runtime_warning_of_a_numpy_function_called_by_course_utils_fails():
    with pytest.raises(RuntimeWarning, match="overflow"):
        np.corrcoef([1e308, -1e308, 1e308], [1.0, 2.0, 4.0])


def test_the_filters_leave_other_warnings_alone():
    with pytest.warns(UserWarning, match="not from course_utils"):
        warnings.warn("not from course_utils", UserWarning, stacklevel=1)
