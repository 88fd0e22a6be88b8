"""course_utils.exercises: the one checker helper every exercise uses (exercise, fail, number, integer, array, call,
keras_layers)."""

from typing import NoReturn, get_type_hints

import numpy as np
import pytest

from course_utils.exercises import (
    CORRECT,
    NOT_ATTEMPTED,
    CheckResult,
    array,
    call,
    exercise,
    fail,
    integer,
    keras_layers,
    number,
)


@exercise("Exercise 9.1 (double)", hint="Return twice the input.")
def check_double(function, value=3.0):
    """Docstring of the checker."""
    if number(call(function, value, what="double"), "double(3)") != 2 * value:
        fail("double(3) must be 6")


def test_none_is_not_attempted_and_prints_the_hint(capsys):
    result = check_double(None)
    assert result == CheckResult("Exercise 9.1 (double)", NOT_ATTEMPTED,
                                 "Exercise 9.1 (double): not attempted yet. Return twice the input.")
    assert capsys.readouterr().out == result.message + "\n"


def test_a_right_answer_is_correct_and_printed_once(capsys):
    result = check_double(lambda x: 2 * x)
    assert result.status == CORRECT and result.exercise == "Exercise 9.1 (double)"
    assert capsys.readouterr().out == "Exercise 9.1 (double): correct!\n"
    assert check_double(lambda x: 2 * x, value=5.0).status == CORRECT  # extra arguments reach the checker


def test_a_wrong_answer_raises_an_assertion_error_with_the_name_and_the_reason(capsys):
    with pytest.raises(AssertionError, match=r"^Exercise 9\.1 \(double\): not yet right\. double\(3\) must be 6$"):
        check_double(lambda x: x + 1)
    assert capsys.readouterr().out == ""  # nothing printed: the error is the message


@pytest.mark.parametrize("function, message", [
    (lambda x: 1 / 0, "double raised ZeroDivisionError: division by zero"),
    (lambda x: [][1], "double raised IndexError"),
    (lambda: 6.0, "double raised TypeError"),
    ("double", "pass a function, got str"),
])
def test_the_learners_exception_becomes_feedback(function, message):
    with pytest.raises(AssertionError, match=r"Exercise 9\.1 \(double\): not yet right\. " + message):
        check_double(function)


def test_a_bug_in_a_checker_is_not_hidden_as_feedback():
    @exercise("Exercise 9.2", hint="h")
    def broken(answer):
        raise KeyError("the checker's own bug")

    with pytest.raises(KeyError):
        broken(1)


def test_check_result_shows_nothing_in_jupyter():
    result = check_double(None)
    assert callable(result._ipython_display_) and result._ipython_display_() is None
    assert isinstance(result, tuple) and result.status == result[1]


def test_the_decorator_keeps_the_checkers_name_and_docstring():
    assert check_double.__name__ == "check_double" and check_double.__doc__ == "Docstring of the checker."


@pytest.mark.parametrize("name, hint", [("", "h"), (None, "h"), ("Exercise", None), (3, "h")])
def test_exercise_refuses_a_bad_name_or_hint(name, hint):
    with pytest.raises(TypeError, match="exercise needs a non-empty name and a hint as strings"):
        exercise(name, hint)


def test_exercise_refuses_to_decorate_something_else():
    with pytest.raises(TypeError, match="exercise must decorate a checker function, got str"):
        exercise("Exercise 9.3", "h")("not a function")


def test_fail_raises_an_assertion_error_and_never_returns():
    with pytest.raises(AssertionError, match="what is off"):
        fail("what is off")
    assert get_type_hints(fail)["return"] is NoReturn


@pytest.mark.parametrize("answer, expected", [(3, 3.0), (2.5, 2.5), (np.float32(0.5), 0.5), (np.array(4.0), 4.0),
                                              (np.int64(7), 7.0)])
def test_number_accepts_numbers(answer, expected):
    value = number(answer)
    assert value == expected and type(value) is float


@pytest.mark.parametrize("answer, message", [
    ("3", "the count must be a number, got str '3'"), (True, "must be a number, got bool"),
    (None, "must be a number, got NoneType"), ([3.0], "must be a number, got list"),
    (np.array([1.0, 2.0]), "must be a number, got ndarray"), (float("nan"), "the count must be finite"),
    (float("inf"), "must be finite"), (1 + 2j, "must be a number, got complex"),
])
def test_number_refuses_what_is_not_one_number(answer, message):
    with pytest.raises(AssertionError, match=message.replace("[", r"\[").replace("]", r"\]")):
        number(answer, "the count")


def test_integer():
    assert integer(3) == 3 and type(integer(np.int32(3))) is int
    for bad, message in ((3.0, "lookback must be an integer, got float 3.0"), (True, "got bool"), ("3", "got str")):
        with pytest.raises(AssertionError, match=message):
            integer(bad, "lookback")


def test_array_accepts_numbers_of_the_right_shape():
    values = array([[1, 2], [3, 4]], shape=(2, None))
    assert values.dtype == np.float64 and values.shape == (2, 2)
    assert array(np.float32([0.5]), shape=(1,)).tolist() == [0.5]
    assert array(5).shape == ()  # no shape asked: any shape


@pytest.mark.parametrize("answer, shape, message", [
    (np.zeros((3, 2)), (2, None), r"the forecasts must have shape \(2, any\), got \(3, 2\)"),
    (np.zeros(4), (4, 1), r"must have shape \(4, 1\), got \(4,\)"),
    ([[1.0], [2.0, 3.0]], None, "the forecasts must be an array of numbers, got list"),
    ("1, 2", None, "must be an array of numbers, got str"),
    (np.array([1 + 2j]), (1,), "must be an array of numbers, got ndarray with dtype complex128"),
    (np.array([True, False]), (2,), "dtype bool"),
    ([1.0, None], (2,), "dtype object"),
    (np.array([1.0, np.nan]), (2,), "the forecasts holds NaN or infinite values"),
])
def test_array_refuses_what_is_not_numbers_of_that_shape(answer, shape, message):
    with pytest.raises(AssertionError, match=message):
        array(answer, shape=shape, what="the forecasts")


def test_array_with_a_bad_shape_is_the_checkers_mistake():
    with pytest.raises(TypeError, match="shape must be a tuple of sizes"):
        array([1.0], shape=[1])


def test_call_returns_the_result_or_reports_the_exception():
    assert call(divmod, 7, 2) == (3, 1)
    assert call(sorted, [3, 1], reverse=True) == [3, 1]
    with pytest.raises(AssertionError, match="my_step raised ValueError: bad shape"):
        call(lambda: (_ for _ in ()).throw(ValueError("bad shape")), what="my_step")
    with pytest.raises(AssertionError, match="pass a function, got NoneType"):
        call(None)


def test_keras_layers_opens_nested_models_and_wrappers():
    keras = pytest.importorskip("keras")

    inner = keras.Sequential([keras.Input((5, 2)), keras.layers.LSTM(3, return_sequences=True)], name="inner")
    wrapped = keras.layers.Bidirectional(keras.layers.GRU(2, return_sequences=True))
    per_step = keras.layers.TimeDistributed(keras.layers.Dense(4))
    inputs = keras.Input((5, 2))
    model = keras.Model(inputs, keras.layers.Dense(1)(per_step(wrapped(inner(inputs)))))
    layers = keras_layers(model)
    kinds = [type(layer).__name__ for layer in layers]
    assert kinds.count("LSTM") == 1 and kinds.count("GRU") == 2  # inside the nested model; forward and backward
    assert inner in layers and wrapped.forward_layer in layers and wrapped.backward_layer in layers
    assert per_step.layer in layers and kinds.count("Dense") == 2
    assert len({id(layer) for layer in layers}) == len(layers)  # each once
    convolutional = keras.Sequential([keras.Input((4, 6, 1)), keras.layers.ConvLSTM1D(2, 3)])
    assert not any(isinstance(layer, keras.layers.LSTM) for layer in keras_layers(convolutional))  # not an LSTM
    assert keras_layers(None) == keras_layers("model") == keras_layers(keras.layers.Dense(1)) == []
