"""Notebook 01's exercise checkers: None is 'not attempted', a right answer passes, wrong ones fail clearly."""

import numpy as np
import pytest

from course_utils.exercises import CORRECT, NOT_ATTEMPTED
from course_utils.exercises.rnn import check_bound_after_lag, check_bptt_step, check_vanishing_guaranteed
from course_utils.rnn import bptt_step

RIGHT_SIGMAS = {0.5: True, 0.95: True, 1.0: False, 1.5: False, 3.0: False}


def test_unattempted_exercises_print_a_hint(capsys):
    results = [check_bptt_step(None), check_vanishing_guaranteed(None), check_bound_after_lag(None)]
    assert {result.status for result in results} == {NOT_ATTEMPTED}
    assert capsys.readouterr().out.count("not attempted yet") == 3


def test_right_answers_are_correct():
    def by_hand(grad_h, h, recurrent_kernel):
        return (grad_h * (1 - h**2)) @ recurrent_kernel.T

    results = [check_bptt_step(by_hand), check_bptt_step(bptt_step), check_vanishing_guaranteed(dict(RIGHT_SIGMAS)),
               check_bound_after_lag(4 * 0.9**50), check_bound_after_lag(np.float32(4 * 0.9**50)),
               check_bound_after_lag(4 * 0.9**50 * 1.009)]  # within 1 %
    assert [result.status for result in results] == [CORRECT] * 6


@pytest.mark.parametrize("function, message", [
    (lambda g, h, u: (g * (1 - h**2)) @ u, "transpose"),
    (lambda g, h, u: g @ u.T, "derivative of tanh"),
    (lambda g, h, u: (g * (1 - h)) @ u.T, "largest error"),
    (lambda g, h, u: ((g * (1 - h**2)) @ u.T)[0], "must have shape"),
    (lambda g, h, u: 1 / 0, "raised ZeroDivisionError"),
    ("not a function", "pass a function"),
])
def test_wrong_bptt_steps_fail_with_a_reason(function, message):
    with pytest.raises(AssertionError, match=message):
        check_bptt_step(function)


@pytest.mark.parametrize("change, message", [
    ({0.95: False}, "0.95 < 1 every Jacobian shrinks"),
    ({1.0: True}, "1.0 >= 1 the bound"),
    ({3.0: True}, "3.0 >= 1 the bound"),
    ({0.5: "yes"}, "True or False"),
    ({0.5: 1}, "answer True or False for 0.5, got 1"),
])
def test_wrong_sigma_answers_fail_with_a_reason(change, message):
    answers = {**RIGHT_SIGMAS, **change}
    with pytest.raises(AssertionError, match=message):
        check_vanishing_guaranteed(answers)


@pytest.mark.parametrize("answers", [[True] * 5, {0.5: True}, {**RIGHT_SIGMAS, 2.0: False}])
def test_sigma_answers_of_the_wrong_form_fail(answers):
    with pytest.raises(AssertionError, match="keys are exactly"):
        check_vanishing_guaranteed(answers)


@pytest.mark.parametrize("value, message", [
    (0.9**50, "sqrt\\(units\\)"),
    (4 * 0.9**49, "got 0.02"),
    (16 * 0.9**50, "shrink it 50 times"),
    ("0.02", "answer must be a number, got str"),
    (True, "answer must be a number, got bool"),
    (4 * 0.9**50 * 1.02, "got 0.02"),  # 2 % off
])
def test_wrong_bounds_fail_with_a_reason(value, message):
    with pytest.raises(AssertionError, match=message):
        check_bound_after_lag(value)
