"""Checkers for the exercises of notebook 02 (LSTM gates from scratch)."""

from __future__ import annotations

import numpy as np

from course_utils.adding_problem import adding_problem, solved_fraction
from course_utils.exercises import array, call, exercise, fail, keras_layers, number
from course_utils.lstm import gru_parameter_count, lstm_forward, lstm_parameter_count


def _usual_slips(x_t, h, c, kernel, recurrent_kernel, bias) -> list[tuple[str, np.ndarray | None, np.ndarray]]:
    """One step as the usual slips compute it: (feedback, h_new, c_new); h_new is None where c_new tells the slip."""
    from scipy.special import expit as sigmoid  # the logistic function; imported here: importing stays light

    units = h.shape[1]

    def step(z, order="ifco", forget=True, candidate=np.tanh):
        gates = dict(zip(order, (z[:, k * units : (k + 1) * units] for k in range(4)), strict=True))
        i, f, o = sigmoid(gates["i"]), sigmoid(gates["f"]), sigmoid(gates["o"])
        c_new = (f * c if forget else c) + i * candidate(gates["c"])
        return o * np.tanh(c_new), c_new, o

    z = x_t @ kernel + h @ recurrent_kernel + bias
    _, c_right, o = step(z)
    slips = [(f"the gate order: Keras's blocks are i, f, c, o (you read them as {', '.join(order)})",
              None, step(z, order)[1]) for order in ("fico", "icfo", "ifoc", "oifc", "ofic")]  # other layouts
    slips += [
        ("the forget gate is missing: c_new = f * c + i * g, not c + i * g", None, step(z, forget=False)[1]),
        ("the candidate g takes tanh, not the sigmoid of the gates", None, step(z, candidate=sigmoid)[1]),
        ("the recurrent term is missing: every gate adds h @ recurrent_kernel", None, step(x_t @ kernel + bias)[1]),
        ("the bias is missing: every gate adds its slice of bias", None, step(z - bias)[1]),
        ("h_new is o * tanh(c_new): the tanh is of the cell, then the output gate multiplies", o * c_right, c_right),
        ("h_new is o * tanh(c_new), with tanh of the cell alone, not of o * c_new", np.tanh(o * c_right), c_right),
        ("h_new reads the NEW cell state c_new, not the old c", o * np.tanh(c), c_right),
    ]
    return slips


@exercise("Exercise 02.1 (one LSTM step)", hint="Write lstm_step, with the forget-gate line c_new = f * c + i * g.")
def check_lstm_step(lstm_step) -> None:
    """Exercise 02.1: `lstm_step(x_t, h, c, kernel, recurrent_kernel, bias)` -> (h_new, c_new), Keras's layout.

    Compared with `course_utils.lstm.lstm_forward` on random weights and states, to 1e-6; a wrong answer is
    compared with the usual slips (gate order, missing forget gate, recurrent term or bias, tanh misplaced)
    and the feedback names the one it matches.
    """
    rng = np.random.default_rng(2)
    for batch, inputs, units in ((3, 2, 4), (5, 4, 2), (1, 1, 1)):
        x_t = rng.normal(size=(batch, inputs))
        h, c = rng.normal(size=(batch, units)), rng.normal(size=(batch, units))
        kernel, recurrent_kernel = rng.normal(size=(inputs, 4 * units)), rng.normal(size=(units, 4 * units))
        bias = rng.normal(size=4 * units)
        result = call(lstm_step, x_t, h, c, kernel, recurrent_kernel, bias, what="lstm_step")
        if not isinstance(result, tuple) or len(result) != 2:
            fail(f"return a tuple (h_new, c_new), got {type(result).__name__}")
        expected = lstm_forward(x_t[:, None, :], kernel, recurrent_kernel, bias, h0=h, c0=c)
        h_want, c_want = expected.h[:, 0], expected.c[:, 0]
        c_got = array(result[1], shape=c_want.shape, what="c_new")
        h_got = array(result[0], shape=h_want.shape, what="h_new")
        if np.allclose(c_got, c_want, atol=1e-6) and np.allclose(h_got, h_want, atol=1e-6):
            continue
        for feedback, h_slip, c_slip in _usual_slips(x_t, h, c, kernel, recurrent_kernel, bias):
            if np.allclose(c_got, c_slip, atol=1e-6) and (h_slip is None or np.allclose(h_got, h_slip, atol=1e-6)):
                fail(f"this looks like a usual slip: {feedback}.")
        if not np.allclose(c_got, c_want, atol=1e-6):
            fail(f"c_new differs from Keras's LSTM by {np.max(np.abs(c_got - c_want)):.3g}. Check the gate order "
                 "(i, f, c, o) and the line c_new = f * c + i * g.")
        fail(f"h_new differs from Keras's LSTM by {np.max(np.abs(h_got - h_want)):.3g}. h_new = o * tanh(c_new).")


@exercise("Exercise 02.2 (the adding problem, solved by hand)",
          hint="Start from the latch of section 1 and ask, gate by gate, what must change when the cell has to add "
               "two values instead of holding one; a wrong answer is told which gate does not do its job.")
def check_hand_set_adder(weights) -> None:
    """Exercise 02.2: (kernel (2, 4), recurrent_kernel (1, 4), bias (4,)) of a one-unit LSTM whose final cell state
    c_T tracks X1 + X2 on the adding problem with T = 100: a straight line a * c_T + b must solve 99 % of 300
    sequences (|error| < 0.04). A wrong answer is told which gate does not do its job."""
    if not isinstance(weights, (tuple, list)) or len(weights) != 3:
        fail(f"give the three weight arrays (kernel, recurrent_kernel, bias), got {type(weights).__name__}")
    kernel = array(weights[0], shape=(2, 4), what="kernel")
    recurrent_kernel = array(weights[1], shape=(1, 4), what="recurrent_kernel")
    bias = array(weights[2], shape=(4,), what="bias")
    x, y = adding_problem(300, 100, seed=2024)  # (300, 110, 2), (300,)
    trace = lstm_forward(x, kernel, recurrent_kernel, bias)
    final_cell = trace.c[:, -1, 0]
    if np.ptp(final_cell) < 1e-9:
        fail("c_T is the same for every sequence: nothing of the values reaches the cell")
    slope, intercept = np.polyfit(final_cell, y, 1)
    solved = solved_fraction(slope * final_cell + intercept, y)
    if solved >= 0.99:
        return
    marked, unmarked = x[:, :, 1] == 1, x[:, :, 1] == 0
    i, f, g = trace.i[..., 0], trace.f[..., 0], trace.g[..., 0]  # each (300, 110)
    if np.mean(i[unmarked]) > 0.01:
        fail(f"the input gate is open on unmarked steps (mean {np.mean(i[unmarked]):.2f}): the cell adds every "
             f"value, not only the two marked ones (solved {solved:.0%})")
    if np.mean(i[marked]) < 0.9:
        fail(f"the input gate hardly opens on the markers (mean {np.mean(i[marked]):.2f}): the marked values are "
             f"not written (solved {solved:.0%})")
    if np.min(f[marked]) < 0.9 and np.min(f[unmarked]) > 0.99:
        fail(f"the forget gate closes on a marker (down to {np.min(f[marked]):.2f}), as the latch's did: the second "
             f"value replaces the first instead of adding to it (solved {solved:.0%})")
    if np.min(f) ** 100 < 0.9:
        fail(f"the forget gate leaks: at its lowest it keeps {np.min(f):.4f} per step, so after 100 steps "
             f"{np.min(f) ** 100:.2g} of the first value is left (solved {solved:.0%})")
    if np.mean(np.abs(g[marked])) > 0.5:
        fail(f"tanh saturates: g is near +-1 on the markers (mean |g| {np.mean(np.abs(g[marked])):.2f}), so it keeps "
             f"the sign of the value, not the value; keep its weight small, tanh(0.1 v) ~ 0.1 v (solved {solved:.0%})")
    fail(f"a straight line through c_T solves only {solved:.0%} of the sequences (99 % needed)")


@exercise("Exercise 02.3 (an LSTM in Keras, trained with fit)",
          hint="x is already 3-D (batch, timesteps, 2): keras.Input((None, 2)), an LSTM layer, Dense(1), then fit.")
def check_keras_adder(model) -> None:
    """Exercise 02.3: a trained Keras model with an LSTM layer that solves at least 40 % of 500 new adding-problem
    sequences with T = 20 (always answering 0.5 solves about 15 %)."""
    import keras  # imported here: importing the checkers stays light

    if not isinstance(model, keras.Model):
        fail(f"pass the trained Keras model, got {type(model).__name__}")
    layers = keras_layers(model)  # nested models and wrappers such as Bidirectional opened
    if not any(isinstance(layer, keras.layers.LSTM) for layer in layers):
        fail(f"the model has no LSTM layer (it has {', '.join(sorted({type(layer).__name__ for layer in layers}))})")
    x, y = adding_problem(500, 20, seed=2025)  # (500, 22, 2)
    predictions = np.asarray(call(model.predict, x, verbose=0, what="model.predict"))
    if predictions.ndim == 3:
        fail(f"the model answers at every step, shape {predictions.shape}: with return_sequences=True on the last "
             "LSTM the answer is not read at the end of the sequence")
    predictions = array(predictions.reshape(len(x), -1), shape=(len(x), 1), what="the model's predictions")
    solved = solved_fraction(predictions[:, 0], y)
    if solved < 0.4:
        fail(f"the model solves {solved:.0%} of new sequences (always answering 0.5 solves about 15 %, 40 % needed): "
             "train it on more sequences (e.g. 6,400 or more), or check the learning rate")


@exercise("Exercise 02.4 (GRU parameters)",
          hint="Work it out from the GRU equations of section 6: count every W, U and b.")
def check_gru_parameters(answer, input_size: int = 2, units: int = 32) -> None:
    """Exercise 02.4: the number of trainable parameters of keras.layers.GRU(units) on `input_size` features."""
    value = number(answer)
    expected = gru_parameter_count(input_size, units)
    if value != expected:
        hint = ""
        if value == lstm_parameter_count(input_size, units):
            hint = " That is an LSTM's count."
        elif value == expected - 3 * units:
            hint = " Keras's GRU (reset_after=True) has two bias vectors per gate."
        fail(f"got {value:g}.{hint}")
