"""Checkers of notebook 11: None -> "not attempted", right -> "correct", wrong -> AssertionError saying what is off."""

from __future__ import annotations

import numpy as np
import pytest

from course_utils.exercises import CORRECT, NOT_ATTEMPTED
from course_utils.exercises.tradeoffs import (
    check_bidirectional_parameters,
    check_cost_slope,
    check_lstm_parameters,
)

CHECKERS = [check_lstm_parameters, check_cost_slope, check_bidirectional_parameters]


@pytest.mark.parametrize("checker", CHECKERS)
def test_none_is_not_attempted(checker, capsys):
    assert checker(None).status == NOT_ATTEMPTED
    assert "not attempted yet" in capsys.readouterr().out


def test_right_answers_are_correct():
    assert check_lstm_parameters(4 * (3 * 10 + 10 * 10 + 10)).status == CORRECT  # written out: 560
    assert check_lstm_parameters(4 * (5 * 2 + 2 * 2 + 2), input_size=5, units=2).status == CORRECT
    assert check_cost_slope(2.0).status == CORRECT
    assert check_cost_slope(np.log(64) / np.log(8)).status == CORRECT
    assert check_bidirectional_parameters(2 * 560).status == CORRECT


@pytest.mark.parametrize("checker, answer, message", [
    (check_lstm_parameters, 4 * (3 * 10 + 10 * 10), "left out the biases"),
    (check_lstm_parameters, 3 * 10 + 10 * 10 + 10, "That is one gate"),
    (check_lstm_parameters, 4 * (3 * 10 + 10 + 10), "recurrent kernel"),
    (check_lstm_parameters, "560", "must be a number"),
    (check_cost_slope, (0.64 - 0.01) / 700, "slope on linear axes"),
    (check_cost_slope, 1.0, "got 1"),
    (check_bidirectional_parameters, 560, "one direction only"),
    (check_bidirectional_parameters, 4 * 560, "got 2240"),
])
def test_typical_wrong_answers_fail_with_a_reason(checker, answer, message):
    with pytest.raises(AssertionError, match=r"Exercise 11\.\d .*: not yet right\. .*" + message):
        checker(answer)


def test_the_slope_data_really_is_quadratic():
    from course_utils.exercises.tradeoffs import SLOPE_LENGTHS, SLOPE_SECONDS

    lengths, seconds = np.array(SLOPE_LENGTHS), np.array(SLOPE_SECONDS)
    assert np.allclose(seconds / lengths**2, seconds[0] / lengths[0] ** 2)
