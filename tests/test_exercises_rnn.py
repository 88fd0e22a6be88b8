"""Notebook 01's exercise checkers: None is 'not attempted', a right answer passes, wrong ones fail clearly."""

import numpy as np
import pytest

from course_utils.exercises import CORRECT, NOT_ATTEMPTED
from course_utils.exercises.rnn import (
    MEMORY_LAG,
    check_bound_after_lag,
    check_bptt_step,
    check_memory_model,
    check_vanishing_guaranteed,
)
from course_utils.rnn import bptt_step, first_value_task

RIGHT_SIGMAS = {0.5: True, 0.95: True, 1.0: False, 1.5: False, 3.0: False}


def test_unattempted_exercises_print_a_hint(capsys):
    results = [check_bptt_step(None), check_vanishing_guaranteed(None), check_bound_after_lag(None),
               check_memory_model(None)]
    assert {result.status for result in results} == {NOT_ATTEMPTED}
    assert capsys.readouterr().out.count("not attempted yet") == 4


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


# Exercise 01.4: the learner's Keras model on the memory task at lag MEMORY_LAG (30).
def memory_model(make_layer, inputs=(MEMORY_LAG + 1, 1), epochs=30, head=None):
    """A model as a learner writes it, trained like the worked solution (epochs=0: untrained).

    The layer is made after seeding (a Keras layer draws its initial weights' seed when it is made), so the
    result does not depend on the tests that ran before."""
    import keras

    keras.utils.set_random_seed(0)
    layer = make_layer()
    model = keras.Sequential([keras.Input(inputs), layer, *(head or [keras.layers.Dense(1, activation="sigmoid")])])
    model.compile(optimizer=keras.optimizers.Adam(0.005, global_clipnorm=1.0), loss="binary_crossentropy")
    if epochs:
        x, y = first_value_task(1024, MEMORY_LAG, seed=52, noise=2.0)  # (1024, 31, 1), as in the notebook
        model.fit(x.reshape((-1, *inputs)), y, epochs=epochs, batch_size=64, validation_split=0.2, verbose=0)
    return model


def test_a_trained_lstm_passes():
    import keras

    assert check_memory_model(memory_model(lambda: keras.layers.LSTM(16))).status == CORRECT


@pytest.mark.parametrize("epochs", [0, 30])
def test_a_simple_rnn_fails_with_the_reason(epochs):
    """The typical wrong answer: the SimpleRNN of section 6, trained or not (at lag 30 it stayed at chance in 01)."""
    import keras

    with pytest.raises(AssertionError, match="all SimpleRNNs"):
        check_memory_model(memory_model(lambda: keras.layers.SimpleRNN(8), epochs=epochs))


def test_an_untrained_lstm_fails():
    import keras

    with pytest.raises(AssertionError, match="did you fit"):
        check_memory_model(memory_model(lambda: keras.layers.LSTM(16), epochs=0))


def test_one_step_of_21_features_fails():
    """The reshape mistake: (samples, 1, 31) is one time step of 31 features, not 31 steps of one value."""
    import keras

    with pytest.raises(AssertionError, match=f"one step of {MEMORY_LAG + 1} features"):
        check_memory_model(memory_model(lambda: keras.layers.LSTM(16), inputs=(1, MEMORY_LAG + 1), epochs=2))


@pytest.mark.parametrize("kind, message", [
    ("flatten", "no recurrent layer"),
    ("sequences", "one probability per sequence"),
    ("string", "pass your trained keras model"),
])
def test_models_of_the_wrong_form_fail(kind, message):
    import keras

    if kind == "flatten":  # sees all steps at once: it would solve the task, but it is not what the exercise is about
        answer = memory_model(lambda: keras.layers.Flatten(), epochs=0)
    elif kind == "sequences":  # return_sequences=True: one output per step
        answer = memory_model(lambda: keras.layers.LSTM(4, return_sequences=True), epochs=0)
    else:
        answer = "my model"
    with pytest.raises(AssertionError, match=message):
        check_memory_model(answer)
