"""pyproject's filterwarnings turn a warning raised inside course_utils into an error of the test that caused it.

Without them an overflow to inf inside a helper passes unnoticed (the RuntimeWarning only shows in the summary).
"""

import types
import warnings

import numpy as np
import pytest

from course_utils.forecasting import metrics


def test_an_overflow_inside_a_course_utils_function_fails(monkeypatch):
    """rmse, with the guard that keeps its last multiplication quiet taken away, overflows inside course_utils."""
    numpy_without_errstate = types.SimpleNamespace(**{name: getattr(np, name) for name in dir(np) if name[0] != "_"})
    numpy_without_errstate.errstate = lambda **kwargs: warnings.catch_warnings()  # a guard that guards nothing
    monkeypatch.setattr(metrics, "np", numpy_without_errstate)
    with pytest.raises(RuntimeWarning, match="overflow"):
        metrics.rmse([1e308, -1e308], [-1e308, 1e308])


def test_a_runtime_warning_of_a_numpy_function_called_by_course_utils_fails():
    with pytest.raises(RuntimeWarning, match="overflow"):
        np.corrcoef([1e308, -1e308, 1e308], [1.0, 2.0, 4.0])


def test_the_filters_leave_other_warnings_alone():
    with pytest.warns(UserWarning, match="not from course_utils"):
        warnings.warn("not from course_utils", UserWarning, stacklevel=1)


def test_the_guarded_rmse_refuses_an_overflow_with_a_clear_error():
    """The real rmse: finite inputs whose RMSE exceeds float64 give a ValueError, never inf and a warning."""
    with pytest.raises(ValueError, match="RMSE of these values overflows float64"):
        metrics.rmse([1e308, -1e308], [-1e308, 1e308])
    assert metrics.rmse([1e308, -1e308], [1e308, -1e308]) == 0.0
    assert metrics.rmse([1e308], [0.0]) == pytest.approx(1e308)  # the squares would overflow, the scaled ones do not
