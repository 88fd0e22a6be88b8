"""Checkers of notebook 11: None -> "not attempted", right -> "correct", wrong -> AssertionError saying what is off.

Each numeric checker is tried on both sides of the right answer (an under-count, an over-count, a near miss), so a
checker that accepted any over-count or a loose tolerance would fail here.
"""

from __future__ import annotations

import numpy as np
import pytest

from course_utils.exercises import CORRECT, NOT_ATTEMPTED
from course_utils.exercises.tradeoffs import (
    SCENARIOS,
    check_cost_slope,
    check_layer_choices,
    check_lstm_parameters,
    check_tcn,
)

CHECKERS = [check_lstm_parameters, check_cost_slope, check_tcn, check_layer_choices]


@pytest.mark.parametrize("checker", CHECKERS)
def test_none_is_not_attempted(checker, capsys):
    assert checker(None).status == NOT_ATTEMPTED
    assert "not attempted yet" in capsys.readouterr().out


def test_right_answers_are_correct():
    assert check_lstm_parameters(4 * (3 * 10 + 10 * 10 + 10)).status == CORRECT  # written out: 560
    assert check_lstm_parameters(4 * (5 * 2 + 2 * 2 + 2), input_size=5, units=2).status == CORRECT
    assert check_cost_slope(2.0).status == CORRECT
    assert check_cost_slope(np.log(64) / np.log(8)).status == CORRECT
    assert check_cost_slope(1.96).status == CORRECT  # within the tolerance of 0.05


def wrong(checker, answer, message):
    with pytest.raises(AssertionError, match=r"Exercise 11\.\d .*: not yet right\. .*" + message):
        checker(answer)


@pytest.mark.parametrize("checker, answer, message", [
    (check_lstm_parameters, 4 * (3 * 10 + 10 * 10), "left out the biases"),
    (check_lstm_parameters, 3 * 10 + 10 * 10 + 10, "That is one gate"),
    (check_lstm_parameters, 4 * (3 * 10 + 10 + 10), "recurrent kernel"),
    (check_lstm_parameters, "560", "must be a number"),
    (check_lstm_parameters, 4 * (3 * 10 + 10 * 10 + 2 * 10), "One bias per block"),  # an over-count: two biases
    (check_lstm_parameters, 2 * 560, "bidirectional"),  # an over-count: both directions
    (check_lstm_parameters, 561, "got 561"),  # an over-count by one
    (check_cost_slope, (0.64 - 0.01) / 700, "slope on linear axes"),
    (check_cost_slope, 1.0, "got 1"),
    (check_cost_slope, 2.1, "got 2.1"),  # a near miss: just outside the tolerance
    (check_cost_slope, 1.9, "got 1.9"),
    (check_cost_slope, 4.0, "factor per doubling"),  # the ratio of successive costs, not their slope
    (check_cost_slope, 0.5, "length against seconds"),  # the axes swapped
])
def test_typical_wrong_answers_fail_with_a_reason(checker, answer, message):
    wrong(checker, answer, message)


def test_the_slope_data_really_is_quadratic():
    from course_utils.exercises.tradeoffs import SLOPE_LENGTHS, SLOPE_SECONDS

    lengths, seconds = np.array(SLOPE_LENGTHS), np.array(SLOPE_SECONDS)
    assert np.allclose(seconds / lengths**2, seconds[0] / lengths[0] ** 2)


def tcn_builder(dilations=(1, 2, 4, 8, 16), padding="causal", kernel_size=3, channels=8):
    def build_tcn(features):
        import keras

        inputs = keras.Input((None, features))
        hidden = inputs
        for dilation in dilations:
            hidden = keras.layers.Conv1D(channels, kernel_size, padding=padding, dilation_rate=dilation,
                                         activation="relu")(hidden)
        return keras.Model(inputs, hidden)

    return build_tcn


def test_a_dilated_causal_stack_is_correct():
    assert check_tcn(tcn_builder()).status == CORRECT  # reach 63
    assert check_tcn(tcn_builder(dilations=(1, 2, 4, 8, 15))).status == CORRECT  # reach 1 + 2 * 30 = 61: just enough


@pytest.mark.parametrize("answer, message", [
    (tcn_builder(padding="same"), "looks ahead"),  # the usual mistake: a centred kernel
    (tcn_builder(dilations=(1, 1, 1, 1, 1)), "sees the last 11 steps"),  # the other one: no dilation
    (tcn_builder(dilations=(1, 2, 4, 8, 14)), "sees the last 59 steps"),  # a near miss
    (tcn_builder(padding="valid"), "one output per step"),
    (tcn_builder(dilations=(30,)), "skips 58 of the last 61"),  # reach 61 with holes: sees t, t - 30, t - 60
    (tcn_builder(dilations=(1, 30)), "skips 54 of the last 61"),  # reach 63, still with holes
    (tcn_builder(dilations=(1, 2, 4, 8, 32)), "skips"),  # the last dilation jumps past the 31 steps below it
    (tcn_builder(dilations=(1, 2, 4, 8, 16, 32)), "use 1 to 5 Conv1D layers"),
    (tcn_builder(kernel_size=5), "kernel size 3"),
    (tcn_builder(dilations=()), r"use 1 to 5 Conv1D layers of kernel size 3, got kernel sizes \[\]"),  # no Conv1D
    (lambda features: "a model", "must return a keras.Model"),
    (lambda: None, "build_tcn\\(1\\) raised TypeError"),
])
def test_wrong_models_fail_with_a_reason(answer, message):
    wrong(check_tcn, answer, message)


def test_a_model_that_ignores_its_input_is_refused():
    def build_tcn(features):
        import keras

        inputs = keras.Input((None, features))
        hidden = keras.layers.Conv1D(4, 3, padding="causal", kernel_initializer="zeros")(inputs)  # a constant
        return keras.Model(inputs, hidden)

    wrong(check_tcn, build_tcn, "does not depend on the input")


def test_a_recurrent_layer_after_a_causal_convolution_is_not_a_cnn():
    def build_tcn(features):  # the review's wrong answer: it reaches every step, through the LSTM
        import keras

        inputs = keras.Input((None, features))
        hidden = keras.layers.Conv1D(8, 3, padding="causal")(inputs)
        return keras.Model(inputs, keras.layers.LSTM(16, return_sequences=True)(hidden))

    wrong(check_tcn, build_tcn, "a CNN only: got LSTM")


def test_a_residual_tcn_is_correct():
    def build_tcn(features):  # Bai et al.'s kind: a skip added around each dilated convolution
        import keras

        inputs = keras.Input((None, features))
        hidden = keras.layers.Conv1D(8, 3, padding="causal", activation="relu")(inputs)
        for dilation in (2, 4, 8, 16):
            convolved = keras.layers.Conv1D(8, 3, padding="causal", dilation_rate=dilation, activation="relu")(hidden)
            hidden = keras.layers.Add()([hidden, convolved])
        return keras.Model(inputs, hidden)

    assert check_tcn(build_tcn).status == CORRECT


def test_a_model_that_looks_ahead_through_a_later_layer_is_caught():
    def build_tcn(features):
        import keras

        inputs = keras.Input((None, features))
        hidden = keras.layers.Conv1D(4, 3, padding="causal", dilation_rate=16)(inputs)
        hidden = keras.layers.Conv1D(4, 3, padding="causal", dilation_rate=8)(hidden)
        ahead = keras.layers.Conv1D(4, 3, padding="same", dilation_rate=4)(hidden)  # a centred kernel, one layer up
        return keras.Model(inputs, keras.layers.Add()([hidden, ahead]))

    wrong(check_tcn, build_tcn, "looks ahead")


def test_a_lambda_layer_is_refused():
    def build_tcn(features):
        import keras

        inputs = keras.Input((None, features))
        hidden = keras.layers.Conv1D(4, 3, padding="causal", dilation_rate=16)(inputs)
        return keras.Model(inputs, keras.layers.Lambda(lambda h: h[:, ::-1])(hidden))  # a bidirectional slip

    wrong(check_tcn, build_tcn, "a CNN only: got Lambda")


RIGHT_CHOICES = {"keyboard": "LSTM", "sensor logs": "TCN", "documents": "attention"}


def test_defensible_layer_choices_are_correct():
    assert check_layer_choices(RIGHT_CHOICES).status == CORRECT
    assert check_layer_choices({**RIGHT_CHOICES, "keyboard": "GRU"}).status == CORRECT
    assert set(SCENARIOS) == set(RIGHT_CHOICES)


@pytest.mark.parametrize("answer, message", [
    ({**RIGHT_CHOICES, "keyboard": "attention"}, "'keyboard': not attention first"),
    ({**RIGHT_CHOICES, "sensor logs": "LSTM"}, "'sensor logs': not LSTM first"),
    ({**RIGHT_CHOICES, "sensor logs": "attention"}, "'sensor logs': not attention first"),
    ({**RIGHT_CHOICES, "documents": "LSTM"}, "'documents': not LSTM first"),
    ({**RIGHT_CHOICES, "documents": "Transformer"}, "choose one of"),
    ({"keyboard": "LSTM"}, "must be a dict with the keys"),
    (["LSTM", "TCN", "attention"], "must be a dict"),
])
def test_indefensible_layer_choices_fail_with_a_reason(answer, message):
    wrong(check_layer_choices, answer, message)
