"""Checkers for the exercises of notebook 01 (RNNs and the vanishing gradient)."""

from __future__ import annotations

import numpy as np

from course_utils.exercises import array, call, exercise, fail, keras_layers, number
from course_utils.rnn import bptt_step, first_value_task, pascanu_bound


@exercise("Exercise 01.1 (one step of backpropagation through time)",
          hint="Write my_bptt_step(grad_h, h, recurrent_kernel) and pass the function.")
def check_bptt_step(function) -> None:
    """Exercise 01.1: `function(grad_h, h, recurrent_kernel)` returns dL/dh_{t-1} from dL/dh_t and h_t.

    Compared with course_utils.rnn.bptt_step on random (batch, units) inputs of several sizes.
    """
    rng = np.random.default_rng(101)
    for batch, units in [(1, 1), (2, 3), (4, 7), (3, 16)]:
        grad_h = rng.normal(size=(batch, units))
        h = np.tanh(rng.normal(size=(batch, units)))
        recurrent_kernel = rng.normal(size=(units, units)) / np.sqrt(units)
        answer = array(call(function, grad_h.copy(), h.copy(), recurrent_kernel.copy()), what="the result")
        expected = bptt_step(grad_h, h, recurrent_kernel)
        if answer.shape != expected.shape:
            fail(f"for batch={batch}, units={units} the result must have shape {expected.shape}, got {answer.shape}")
        if not np.allclose(answer, expected, rtol=1e-6, atol=1e-9):
            if np.allclose(answer, (grad_h * (1 - h**2)) @ recurrent_kernel, rtol=1e-6, atol=1e-9):
                fail("close: multiply by the *transpose* of the recurrent kernel (z_t = ... + h_{t-1} @ U)")
            if np.allclose(answer, grad_h @ recurrent_kernel.T, rtol=1e-6, atol=1e-9):
                fail("you forgot the derivative of tanh, 1 - h_t**2, before multiplying by U.T")
            fail(f"for batch={batch}, units={units} the largest error is {np.max(np.abs(answer - expected)):.3g}")


VANISHING_CASES = (0.5, 0.95, 1.0, 1.5, 3.0)


@exercise("Exercise 01.2 (does the gradient have to vanish?)",
          hint="Fill in a dict {0.5: ..., 0.95: ..., 1.0: ..., 1.5: ..., 3.0: ...}.")
def check_vanishing_guaranteed(answers) -> None:
    """Exercise 01.2: for each largest singular value, is vanishing *guaranteed* by the Pascanu bound?

    `answers` maps each of 0.5, 0.95, 1.0, 1.5, 3.0 to True (guaranteed to vanish) or False (not guaranteed).
    Guaranteed means the bound sqrt(units) * sigma**lag (course_utils.rnn.pascanu_bound) goes to 0 with the lag.
    """
    if not isinstance(answers, dict) or set(answers) != set(VANISHING_CASES):
        fail(f"answer with a dict whose keys are exactly {list(VANISHING_CASES)}, got {answers!r}"[:300])
    for sigma in VANISHING_CASES:
        if not isinstance(answers[sigma], bool):
            fail(f"answer True or False for {sigma}, got {answers[sigma]!r}")
        # The bound goes to 0 with the lag exactly when one step's factor, the bound at lag 1 for one unit, is < 1.
        guaranteed = bool(pascanu_bound(sigma, [1], units=1)[0] < 1.0)
        if answers[sigma] != guaranteed:
            if guaranteed:
                fail(f"for sigma_max = {sigma} < 1 every Jacobian shrinks the gradient: "
                     f"its norm is at most sqrt(units) * {sigma}**lag, which goes to 0")
            fail(f"for sigma_max = {sigma} >= 1 the bound sqrt(units) * {sigma}**lag does not go to 0, "
                 "so nothing *guarantees* vanishing (it may still vanish, as section 4 showed)")


@exercise("Exercise 01.3 (the bound after 50 steps)",
          hint="Compute the bound for sigma_max = 0.9, 16 units, 50 steps, as a number.")
def check_bound_after_lag(value) -> None:
    """Exercise 01.3: the Pascanu bound on the gradient norm after 50 steps, for sigma_max 0.9 and 16 units.

    sqrt(16) * 0.9 ** 50 = 0.0206... (course_utils.rnn.pascanu_bound); accepted within 1 %.
    """
    value = number(value)
    expected = float(pascanu_bound(0.9, [50], units=16)[0])
    without_start = float(pascanu_bound(0.9, [50], units=1)[0])  # forgot the sqrt(units) at the last step
    if abs(value - without_start) <= 0.01 * without_start:
        fail("you have 0.9**50: the gradient starts at norm sqrt(units) at the last step, not 1")
    if abs(value - expected) > 0.01 * expected:
        fail(f"got {value:.4g}; start from the norm at the last step and shrink it 50 times")


MEMORY_LAG = 30  # exercise 01.4: notebook 01's SimpleRNN was at chance here at every seed offset 0-3, the LSTM not
MEMORY_ACCURACY = 0.75  # accuracy the trained model must reach on fresh sequences (chance is 0.5)
_MEMORY_TEST_SEED = 20_261  # the checker's own test sequences, never shown to the learner


@exercise("Exercise 01.4 (an LSTM that remembers across 30 steps)",
          hint="Reshape x_table to 3-D (samples, timesteps, 1), build a keras.Sequential with a keras.layers.LSTM "
               "and a Dense(1, activation='sigmoid'), fit it, and pass the trained model.")
def check_memory_model(model) -> None:
    """Exercise 01.4: a trained Keras model with an LSTM (or GRU) layer that solves first_value_task at lag 30.

    The checker draws its own 1,000 test sequences (course_utils.rnn.first_value_task, lag 30, noise 2), feeds
    them as (1000, 31, 1), and wants one probability per sequence and an accuracy of at least 75 %.
    """
    import keras  # imported here: importing course_utils stays light

    if not isinstance(model, keras.Model):
        fail(f"pass your trained keras model (e.g. a keras.Sequential), got {type(model).__name__}")
    recurrent = [layer for layer in keras_layers(model) if isinstance(layer, keras.layers.RNN)]
    if not recurrent:
        fail("your model has no recurrent layer (keras.layers.LSTM, GRU or SimpleRNN): this exercise is about one "
             "that reads the sequence step by step")
    if not any(isinstance(layer, (keras.layers.LSTM, keras.layers.GRU)) for layer in recurrent):
        fail("your model's recurrent layers are all SimpleRNNs: section 6 showed where a SimpleRNN starts to fail, "
             "and at this lag it stayed at chance in every seed; this exercise asks for keras.layers.LSTM (or GRU)")
    inputs = getattr(model, "inputs", None)
    if inputs and len(inputs[0].shape) != 3:
        fail(f"your model takes inputs of shape {tuple(inputs[0].shape)}; a recurrent layer reads 3-D arrays "
             f"(samples, timesteps, features): reshape the table to (samples, {MEMORY_LAG + 1}, 1)")
    if inputs and tuple(inputs[0].shape[1:]) not in ((MEMORY_LAG + 1, 1), (None, 1)):
        fail(f"your model reads sequences of shape {tuple(inputs[0].shape[1:])} (timesteps, features); these are "
             f"{MEMORY_LAG + 1} steps of one value each, ({MEMORY_LAG + 1}, 1). Reshaping to (samples, 1, "
             f"{MEMORY_LAG + 1}) makes one step of {MEMORY_LAG + 1} features, and then nothing is recurrent")
    x_test, y_test = first_value_task(1000, MEMORY_LAG, seed=_MEMORY_TEST_SEED, noise=2.0)  # (1000, 31, 1)
    output = array(call(lambda: np.asarray(model(x_test, training=False))), what="your model's output")
    if output.shape not in ((len(x_test), 1), (len(x_test),)):
        fail(f"for {len(x_test)} sequences your model returns shape {output.shape}; it must return one probability "
             "per sequence, (samples, 1): end with Dense(1, activation='sigmoid') after a recurrent layer "
             "without return_sequences=True")
    accuracy = float(np.mean((output.reshape(-1) > 0.5) == (y_test > 0.5)))
    if accuracy < MEMORY_ACCURACY:
        fail(f"accuracy {accuracy:.3f} on fresh sequences, below {MEMORY_ACCURACY}: did you fit the model? "
             "Train longer (more epochs), or with Adam(0.005): the loss often sits near ln 2 for a few epochs")
