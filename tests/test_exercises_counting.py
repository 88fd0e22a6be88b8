"""Exercise checkers: None is 'not attempted', a right answer passes, a wrong one fails clearly."""

import numpy as np
import pytest

from course_utils.exercises.counting import check_next_two, check_window_length


class LinearNextModel:
    """A stand-in for a Keras model: predicts last + 1 (and last + 2), like the exact linear baseline."""

    def __init__(self, horizon=1, offset=0.0):
        self.horizon, self.offset = horizon, offset

    def predict(self, windows, verbose=0):
        last = np.asarray(windows)[:, -1, 0]
        return np.stack([last + step + self.offset for step in range(1, self.horizon + 1)], axis=1)


def test_unattempted_exercises_print_a_hint(capsys):
    check_window_length(None, None)
    check_next_two(None)
    assert capsys.readouterr().out.count("not attempted yet") == 2


def test_right_answers_pass(capsys):
    check_window_length(LinearNextModel(), 5)
    check_next_two(LinearNextModel(horizon=2))
    assert capsys.readouterr().out.count("correct!") == 2


@pytest.mark.parametrize("model, lookback, message", [
    (LinearNextModel(), 3, "other than the notebook's 3"),
    (LinearNextModel(offset=1.0), 4, "expected 101"),
    (LinearNextModel(), 0, "positive integer"),
])
def test_wrong_window_answers_fail_with_a_reason(model, lookback, message):
    with pytest.raises(AssertionError, match=message):
        check_window_length(model, lookback)


@pytest.mark.parametrize("model, message", [
    (LinearNextModel(horizon=1), "shape \\(1, 2\\)"),
    (LinearNextModel(horizon=2, offset=0.8), "expected \\[101, 102\\]"),
])
def test_wrong_next_two_answers_fail_with_a_reason(model, message):
    with pytest.raises(AssertionError, match=message):
        check_next_two(model)


def test_slowest_notebook_checker(capsys):
    from course_utils.course_map import load_benchmark
    from course_utils.exercises.start_here import check_slowest_notebook

    times = {name: figures["seconds"] for name, figures in load_benchmark()["notebooks"].items()}
    slowest = max(times, key=times.get)
    check_slowest_notebook(None)
    check_slowest_notebook(slowest)
    output = capsys.readouterr().out
    assert "not attempted yet" in output and "correct!" in output
    fastest = min(times, key=times.get)
    if fastest != slowest:
        with pytest.raises(AssertionError, match="another notebook took longer"):
            check_slowest_notebook(fastest)
    with pytest.raises(AssertionError, match="not a measured notebook"):
        check_slowest_notebook("99_nothing.ipynb")
    with pytest.raises(AssertionError, match="as a string"):
        check_slowest_notebook(3)
