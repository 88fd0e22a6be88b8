"""Checkers of notebook 02: None -> "not attempted", right -> "correct", wrong -> AssertionError saying what is off."""

from __future__ import annotations

import numpy as np
import pytest

from course_utils.exercises import CORRECT, NOT_ATTEMPTED
from course_utils.exercises.lstm import check_gru_parameters, check_hand_set_adder, check_keras_adder, check_lstm_step
from course_utils.lstm import gru_parameter_count, lstm_parameter_count


def _sigmoid(values):
    return 1.0 / (1.0 + np.exp(-values))


def right_step(x_t, h, c, kernel, recurrent_kernel, bias):
    units = h.shape[1]
    z = x_t @ kernel + h @ recurrent_kernel + bias
    i, f = _sigmoid(z[:, :units]), _sigmoid(z[:, units : 2 * units])
    g, o = np.tanh(z[:, 2 * units : 3 * units]), _sigmoid(z[:, 3 * units :])
    c_new = f * c + i * g
    return o * np.tanh(c_new), c_new


def swapped_gates_step(x_t, h, c, kernel, recurrent_kernel, bias):
    units = h.shape[1]
    z = x_t @ kernel + h @ recurrent_kernel + bias
    f, i = _sigmoid(z[:, :units]), _sigmoid(z[:, units : 2 * units])  # i and f swapped
    g, o = np.tanh(z[:, 2 * units : 3 * units]), _sigmoid(z[:, 3 * units :])
    c_new = f * c + i * g
    return o * np.tanh(c_new), c_new


def slip(order="ifco", forget=True, candidate=np.tanh, recurrent=True, with_bias=True, h_rule="o*tanh(c_new)"):
    """A step with one usual slip, written as a learner would write it."""
    def step(x_t, h, c, kernel, recurrent_kernel, bias):
        units = h.shape[1]
        z = x_t @ kernel + (h @ recurrent_kernel if recurrent else 0) + (bias if with_bias else 0)
        gates = {name: z[:, k * units : (k + 1) * units] for k, name in enumerate(order)}
        i, f, o = _sigmoid(gates["i"]), _sigmoid(gates["f"]), _sigmoid(gates["o"])
        c_new = (f * c if forget else c) + i * candidate(gates["c"])
        h_new = {"o*tanh(c_new)": o * np.tanh(c_new), "o*c_new": o * c_new, "tanh(o*c_new)": np.tanh(o * c_new),
                 "o*tanh(c)": o * np.tanh(c)}[h_rule]
        return h_new, c_new
    return step


def no_forget_step(x_t, h, c, kernel, recurrent_kernel, bias):
    h_new, c_new = right_step(x_t, h, c, kernel, recurrent_kernel, bias)
    units = h.shape[1]
    z = x_t @ kernel + h @ recurrent_kernel + bias
    c_new = c + _sigmoid(z[:, :units]) * np.tanh(z[:, 2 * units : 3 * units])  # forgot the forget gate
    return h_new, c_new


@pytest.mark.parametrize("checker", [check_lstm_step, check_hand_set_adder, check_keras_adder, check_gru_parameters])
def test_none_is_not_attempted(checker, capsys):
    assert checker(None).status == NOT_ATTEMPTED
    assert "not attempted yet" in capsys.readouterr().out


def test_the_hand_set_adder_hint_does_not_give_the_answer_away(capsys):
    """The hint is printed before any attempt: it may point at the latch, not say which gate does what."""
    message = check_hand_set_adder(None).message.lower()
    assert "latch" in message
    for answer in ("always open", "0.1", "tanh(", "markers only", "forget gate"):
        assert answer not in message, answer


def test_a_right_lstm_step_is_correct():
    assert check_lstm_step(right_step).status == CORRECT


@pytest.mark.parametrize("step, message", [
    (swapped_gates_step, r"the gate order: Keras's blocks are i, f, c, o \(you read them as f, i, c, o\)"),
    (slip(order="ifoc"), r"the gate order: .*you read them as i, f, o, c"),
    (no_forget_step, r"the forget gate is missing: c_new = f \* c \+ i \* g, not c \+ i \* g"),
    (slip(forget=False), "the forget gate is missing"),
    (slip(candidate=_sigmoid), "the candidate g takes tanh"),
    (slip(recurrent=False), "the recurrent term is missing"),
    (slip(with_bias=False), "the bias is missing"),
    (slip(h_rule="o*c_new"), r"the tanh is of the cell, then the output gate multiplies"),
    (slip(h_rule="tanh(o*c_new)"), r"tanh of the cell alone, not of o \* c_new"),
    (slip(h_rule="o*tanh(c)"), "reads the NEW cell state"),
    (lambda *args: (right_step(*args)[0], right_step(*args)[1] + 0.01), r"c_new differs .* Check the gate order"),
    (lambda *args: right_step(*args)[0], r"return a tuple \(h_new, c_new\), got ndarray"),
    (lambda *args: tuple(v[0] for v in right_step(*args)), r"c_new must have shape \(3, 4\)"),
    (lambda *args: (right_step(*args)[0] * 0.5, right_step(*args)[1]), r"h_new differs .* h_new = o \* tanh\(c_new\)"),
    (lambda x_t, h, c, kernel, recurrent_kernel, bias: (x_t.reshape(7), c), "lstm_step raised ValueError"),
    (3, "pass a function, got int"),
])
def test_wrong_lstm_steps_fail_with_a_reason(step, message):
    wrong_answer = r"Exercise 02\.1 \(one LSTM step\): not yet right\. .*"
    with pytest.raises(AssertionError, match=wrong_answer + message):
        check_lstm_step(step)


def test_right_number_answers_are_correct():
    assert check_gru_parameters(3 * (2 * 32 + 32 * 32 + 64)).status == CORRECT  # written out, not the package's formula
    assert check_gru_parameters(3 * (5 * 8 + 8 * 8 + 16), input_size=5, units=8).status == CORRECT


@pytest.mark.parametrize("answer, message", [
    (lstm_parameter_count(2, 32), "That is an LSTM's count"),
    (gru_parameter_count(2, 32) - 3 * 32, "two bias vectors per gate"),
    (1, r"got 1\.$"),
    ("3456", "answer must be a number, got str"),
    (True, "answer must be a number, got bool"),
    (float("nan"), "answer must be finite"),
])
def test_wrong_gru_counts_fail_with_a_reason(answer, message):
    with pytest.raises(AssertionError, match="not yet right\\. .*" + message):
        check_gru_parameters(answer)


# Exercise 02.2: a one-unit LSTM set by hand. Kernel rows: value, marker; columns: gates i, f, c (g), o.
ADDER_KERNEL = np.array([[0.0, 0.0, 0.1, 0.0], [20.0, 0.0, 0.0, 0.0]])
ADDER_BIAS = np.array([-10.0, 10.0, 0.0, 10.0])
NO_FEEDBACK = np.zeros((1, 4))


def test_a_hand_set_adder_is_correct():
    assert check_hand_set_adder((ADDER_KERNEL, NO_FEEDBACK, ADDER_BIAS)).status == CORRECT
    assert check_hand_set_adder([ADDER_KERNEL * 2, NO_FEEDBACK, ADDER_BIAS * 1.5]).status == CORRECT  # steeper, too


@pytest.mark.parametrize("kernel, bias, message", [
    # the latch copied as is: its forget gate closes on a write, so X2 replaces X1
    ([[0, 0, 0.1, 0], [20, -20, 0, 0]], ADDER_BIAS, "forget gate closes on a marker"),
    (ADDER_KERNEL, [-10, 2, 0, 10], r"forget gate leaks: at its lowest it keeps 0\.88"),  # sigmoid(2) per step
    ([[0, 0, 6, 0], [20, 0, 0, 0]], ADDER_BIAS, "tanh saturates"),  # the latch's candidate weight
    (ADDER_KERNEL, [10, 10, 0, 10], "input gate is open on unmarked steps"),  # adds every value
    ([[0, 0, 0.1, 0], [1, 0, 0, 0]], [-12, 10, 0, 10], "input gate hardly opens on the markers"),
    ([[0, 0, 0, 0], [20, 0, 0, 0]], ADDER_BIAS, "c_T is the same for every sequence"),  # g ignores the value
])
def test_hand_set_adder_slips_fail_with_a_reason(kernel, bias, message):
    with pytest.raises(AssertionError, match=r"Exercise 02\.2 .*not yet right\. .*" + message):
        check_hand_set_adder((np.array(kernel, float), NO_FEEDBACK, np.array(bias, float)))


@pytest.mark.parametrize("answer, message", [
    ((ADDER_KERNEL, NO_FEEDBACK), r"three weight arrays"),
    ((ADDER_KERNEL.T, NO_FEEDBACK, ADDER_BIAS), r"kernel must have shape \(2, 4\)"),
    ("weights", "three weight arrays"),
])
def test_hand_set_adder_bad_shapes_fail(answer, message):
    with pytest.raises(AssertionError, match=message):
        check_hand_set_adder(answer)


def keras_adder(return_sequences=False, trained=True):
    """The hand-set adder inside Keras, read out by a Dense layer: a model that solves the task with no training."""
    import keras

    inputs = keras.Input((None, 2))
    lstm = keras.layers.LSTM(1, return_sequences=return_sequences)
    dense = keras.layers.Dense(1)
    model = keras.Model(inputs, dense(lstm(inputs)))
    if trained:
        lstm.set_weights([ADDER_KERNEL, NO_FEEDBACK, ADDER_BIAS])
        # h = tanh(c) ~ c = 0.1 (X1 + X2), target 0.5 + (X1 + X2) / 4 = 0.5 + 2.5 h
        dense.set_weights([np.array([[2.5]]), np.array([0.5])])
    return model


def test_a_keras_model_that_solves_the_task_is_correct():
    assert check_keras_adder(keras_adder()).status == CORRECT


def test_keras_adder_mistakes_fail_with_a_reason():
    import keras

    wrong = r"Exercise 02\.3 .*not yet right\. .*"
    with pytest.raises(AssertionError, match=wrong + "answers at every step"):
        check_keras_adder(keras_adder(return_sequences=True))
    keras.utils.set_random_seed(0)
    with pytest.raises(AssertionError, match=wrong + r"solves \d+% of new sequences"):
        check_keras_adder(keras_adder(trained=False))
    flat = keras.Sequential([keras.Input((22, 2)), keras.layers.Flatten(), keras.layers.Dense(1)])
    with pytest.raises(AssertionError, match=wrong + "no LSTM layer"):
        check_keras_adder(flat)
    with pytest.raises(AssertionError, match=wrong + "pass the trained Keras model, got function"):
        check_keras_adder(lambda x: x)
    convolutional = keras.Sequential([keras.Input((22, 2, 1)), keras.layers.ConvLSTM1D(2, 1), keras.layers.Flatten(),
                                      keras.layers.Dense(1)])  # "LSTM" in its name, but not an LSTM
    with pytest.raises(AssertionError, match=wrong + "no LSTM layer .*ConvLSTM1D"):
        check_keras_adder(convolutional)


def test_an_lstm_inside_a_nested_model_or_a_wrapper_is_found():
    """Both get past "no LSTM layer" to the score on new sequences (untrained, they solve too few)."""
    import keras

    keras.utils.set_random_seed(1)
    inner = keras.Sequential([keras.Input((None, 2)), keras.layers.LSTM(2)])
    nested = keras.Sequential([keras.Input((None, 2)), inner, keras.layers.Dense(1)])
    wrapped = keras.Sequential([keras.Input((None, 2)), keras.layers.Bidirectional(keras.layers.LSTM(2)),
                                keras.layers.Dense(1)])
    for model in (nested, wrapped):
        with pytest.raises(AssertionError, match=r"solves \d+% of new sequences"):
            check_keras_adder(model)
