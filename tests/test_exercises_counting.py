"""Checkers of notebook 03: None is 'not attempted', a right answer is 'correct', a wrong one fails saying why."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np
import pytest

from course_utils.exercises import CORRECT, NOT_ATTEMPTED
from course_utils.exercises.counting import check_any_step, check_next_two


def rule_model(lookback, weights, bias=0.0, lstm=True, features=1):
    """A Keras model with an exact linear rule on the window (Flatten -> Dense with `weights` (lookback, horizon))
    plus, if `lstm`, an LSTM branch whose read-out is zero: it computes the rule and it has an LSTM layer."""
    import keras

    weights = np.asarray(weights, dtype="float32").reshape(lookback * features, -1)  # (lookback, horizon)
    horizon = weights.shape[1]
    windows = keras.Input(shape=(lookback, features))
    rule = keras.layers.Dense(horizon, name="rule")(keras.layers.Flatten()(windows))
    outputs = rule
    if lstm:
        read_out = keras.layers.Dense(horizon, name="read_out")(keras.layers.LSTM(2)(windows))
        outputs = keras.layers.Add()([rule, read_out])
    model = keras.Model(windows, outputs)
    model.get_layer("rule").set_weights([weights, np.full(horizon, bias, dtype="float32")])
    if lstm:
        model.get_layer("read_out").set_weights([np.zeros((2, horizon)), np.zeros(horizon)])
    return model


def arithmetic_model(lookback, offset=0.0, lstm=True):
    """The exact rule for arithmetic sequences: last + (last - previous) (one number: repeat it)."""
    weights = np.zeros(lookback)
    weights[-1] = 2.0 if lookback > 1 else 1.0
    if lookback > 1:
        weights[-2] = -1.0
    return rule_model(lookback, weights, offset, lstm=lstm)


def next_model(lookback=3, horizon=1, offset=0.0, lstm=True):
    """last + 1 (and last + 2): the deck's '+1' rule."""
    weights = np.zeros((lookback, horizon))
    weights[-1] = 1.0
    model = rule_model(lookback, weights, lstm=lstm)
    rule = model.get_layer("rule")
    rule.set_weights([rule.get_weights()[0], np.arange(1, horizon + 1, dtype="float32") + offset])
    return model


class ExactRule:
    """Not a Keras model: the exact rule in NumPy, with a .predict. The checkers exist to reject it."""

    def predict(self, windows, verbose=0):
        windows = np.asarray(windows)
        return (2 * windows[:, -1, 0] - windows[:, -2, 0])[:, None]


def test_unattempted_exercises_print_a_hint(capsys):
    results = [check_any_step(None, None), check_next_two(None)]
    assert [result.status for result in results] == [NOT_ATTEMPTED, NOT_ATTEMPTED]
    assert capsys.readouterr().out.count("not attempted yet") == 2


@pytest.mark.parametrize("lookback", [2, 3, 5])
def test_a_right_any_step_answer_is_correct(lookback, capsys):
    assert check_any_step(arithmetic_model(lookback), lookback).status == CORRECT
    assert check_any_step(arithmetic_model(lookback, offset=0.015), lookback).status == CORRECT  # within tolerance
    assert "Exercise 03.1 (count by any step): correct!" in capsys.readouterr().out


def test_a_model_for_any_number_of_steps_is_accepted():
    """keras.Input(shape=(None, 1)) reads windows of every length, the checker's included."""
    import keras

    windows = keras.Input(shape=(None, 1))
    rule = keras.layers.Lambda(lambda w: 2 * w[:, -1, :] - w[:, -2, :])(windows)  # (batch, 1): the exact rule
    read_out = keras.layers.Dense(1, kernel_initializer="zeros")(keras.layers.LSTM(2)(windows))  # (batch, 1): zero
    model = keras.Model(windows, keras.layers.Add()([rule, read_out]))
    assert check_any_step(model, 3).status == CORRECT


def test_a_right_next_two_answer_is_correct():
    assert check_next_two(next_model(3, 2)).status == CORRECT
    assert check_next_two(next_model(3, 2, offset=0.4)).status == CORRECT  # within 0.5


def _constant_next_two():
    """A Keras LSTM model that answers [101, 102] whatever the window: right on the old checker's only window."""
    model = rule_model(3, np.zeros((3, 2)))
    rule = model.get_layer("rule")
    rule.set_weights([rule.get_weights()[0], np.array([101.0, 102.0], dtype="float32")])
    return model


@pytest.mark.parametrize("model, lookback, message", [
    # the typical wrong answer: a window of one number. Even the best such model (repeat the last) fails.
    (lambda: arithmetic_model(1), 1, "from one number no model can tell the step"),
    (lambda: next_model(3), 3, r"root-mean-square error 0\.\d+, needs at most 0\.02"),  # the deck's "+1" rule
    (lambda: arithmetic_model(3, offset=0.05), 3, "needs at most 0.02"),  # under-trained
    # what the checker exists for: an exact rule that is no LSTM, in NumPy or in Keras
    (lambda: ExactRule(), 3, "pass a Keras model .* got ExactRule"),
    (lambda: arithmetic_model(3, lstm=False), 3, "no LSTM layer"),
    # windows reshaped to (n, 1, 3): one step of three features
    (lambda: rule_model(1, [[0.0], [0.0], [1.0]], features=3), 3, r"must read windows of shape \(batch, 3, 1\)"),
    (lambda: arithmetic_model(3), 4, r"must read windows of shape \(batch, 4, 1\)"),  # the wrong lookback passed
    (lambda: arithmetic_model(3), 0, "positive integer"),
    (lambda: arithmetic_model(3), 4.0, "lookback must be an integer, got float"),
    (lambda: "a model", 4, "pass a Keras model"),
])
def test_wrong_any_step_answers_fail_with_a_reason(model, lookback, message):
    with pytest.raises(AssertionError, match=r"Exercise 03\.1 \(count by any step\): not yet right\. .*" + message):
        check_any_step(model(), lookback)


@pytest.mark.parametrize("model, message", [
    (lambda: next_model(3, 1), r"must output shape \(batch, 2\)"),  # still horizon 1
    (lambda: next_model(3, 2, offset=0.8), r"expected \[6, 7\]"),
    # what the checker exists for: a model right on [98, 99, 100] only
    (_constant_next_two, r"from \[3, 4, 5\] the model predicts \[101\. 102\.\], expected \[6, 7\]"),
    (lambda: ExactRule(), "pass a Keras model"),
    (lambda: next_model(3, 2, lstm=False), "no LSTM layer"),
])
def test_wrong_next_two_answers_fail_with_a_reason(model, message):
    with pytest.raises(AssertionError, match=r"Exercise 03\.2 .*not yet right\. .*" + message):
        check_next_two(model())
