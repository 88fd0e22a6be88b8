"""Checkers for the exercises of notebook 05 (text generation): temperature, bits per character, the model."""

from __future__ import annotations

import numpy as np

from course_utils.exercises import array, call, exercise, fail, keras_layers, number
from course_utils.generation import apply_temperature
from course_utils.text import bits_per_character

# Distributions the temperature checker feeds to the learner's function: skewed, with a zero, and flat.
_TEMPERATURE_CASES = (
    (np.array([0.5, 0.3, 0.15, 0.05]), 0.5),
    (np.array([0.5, 0.3, 0.15, 0.05]), 2.0),
    (np.array([0.7, 0.2, 0.1, 0.0]), 0.7),
    (np.array([0.25, 0.25, 0.25, 0.25]), 1.3),
    (np.array([0.6, 0.4]), 1.0),
)


@exercise("Exercise 05.1 (temperature)",
          hint="Write temperature(probabilities, T): section 7 gives P_T(c) in one line; write it for a whole array "
               "in NumPy. Then test it yourself: the result must sum to 1, and a low T must sharpen the distribution.")
def check_temperature(function):
    """Exercise 05.1: `function(probabilities, temperature)` returns the reweighted distribution."""
    for probabilities, temperature in _TEMPERATURE_CASES:
        expected = apply_temperature(probabilities, temperature)
        returned = call(function, probabilities.copy(), temperature, what="temperature(probabilities, T)")
        result = array(returned, shape=probabilities.shape, what=f"temperature(p, {temperature})")
        if np.allclose(result, expected, atol=1e-6):
            continue
        if not np.isclose(result.sum(), 1.0, atol=1e-6):
            fail(f"for T = {temperature} your distribution sums to {result.sum():.4f}, not 1: normalise it")
        multiplied = apply_temperature(probabilities, 1.0 / temperature)  # p ** T: log-probabilities times T
        if np.allclose(result, multiplied, atol=1e-6):
            fail(f"for T = {temperature} you multiplied the log-probabilities by T: a low temperature must sharpen "
                 "the distribution, not flatten it; reread which way section 7's exponent goes")
        scaled = probabilities * temperature / np.sum(probabilities * temperature)
        if np.allclose(result, scaled, atol=1e-6):
            fail("scaling the probabilities by a constant changes nothing once they are normalised: "
                 "the temperature acts on the log-probabilities")
        fail(f"for p = {probabilities.tolist()} and T = {temperature} expected {np.round(expected, 4).tolist()}, "
             f"got {np.round(result, 4).tolist()}")


@exercise("Exercise 05.2 (bits per character)",
          hint="Average, over the characters, minus the base-2 logarithm of the probability the model gave "
               "to the character that really came.")
def check_bits_per_character(answer, probabilities):
    """Exercise 05.2: the bits per character of a model that gave `probabilities` to the actual characters."""
    value = number(answer, "bits per character")
    expected = bits_per_character(probabilities)
    if np.isclose(value, expected, rtol=1e-4):
        return
    probabilities = np.asarray(probabilities, dtype=np.float64)
    if np.isclose(value, expected * np.log(2), rtol=1e-4):
        fail(f"{value:.4f} is in nats (natural logarithm): use np.log2, or divide by ln 2")
    if np.isclose(value, -expected, rtol=1e-4):
        fail("a probability below 1 has a negative logarithm: bits are minus the mean of log2 p")
    if np.isclose(value, expected * len(probabilities), rtol=1e-4):
        fail("that is the total over all characters: take the mean, per character")
    if np.isclose(value, -np.log2(np.mean(probabilities)), rtol=1e-4):
        fail("average the logarithms, not the probabilities: -mean(log2 p), not -log2(mean p)")
    fail(f"{value:.4f} is not the bits per character of these probabilities: -mean(log2 p) over every character")


# The checker builds the learner's model small and feeds it ids of this shape: (batch, steps).
_MODEL_VOCABULARY, _MODEL_UNITS, _MODEL_BATCH, _MODEL_STEPS = 11, 8, 3, 7


@exercise("Exercise 05.3 (a deeper character model)",
          hint="Write char_model(vocabulary_size, units): start from the model of section 4 and put a second LSTM "
               "layer of `units` on the first. Then ask what each LSTM must hand on: the next layer needs an input at "
               "every step, and the model predicts the next character at every step (section 2).")
def check_char_model(function):
    """Exercise 05.3: `function(vocabulary_size, units)` gives a Keras model, (batch, T) ids -> (batch, T, V) logits."""
    import keras

    try:
        model = call(function, _MODEL_VOCABULARY, _MODEL_UNITS, what="char_model(vocabulary_size, units)")
    except AssertionError as failure:
        if "expected ndim=3, found ndim=2" in str(failure):  # Keras's words for an LSTM fed one vector per sequence
            fail("the second LSTM got one vector per sequence, not a sequence: the LSTM before it needs "
                 "return_sequences=True too")
        raise
    if not isinstance(model, keras.Model):
        fail(f"char_model must return a Keras model, got {type(model).__name__}")
    layers = keras_layers(model)
    lstm_units = [layer.units for layer in layers if isinstance(layer, keras.layers.LSTM)]
    if len(lstm_units) < 2:
        fail("stack two keras.layers.LSTM layers (a deeper model), each with return_sequences=True")
    if any(width != _MODEL_UNITS for width in lstm_units):
        fail(f"called with units={_MODEL_UNITS}, your LSTMs have {lstm_units} units: use the argument `units`")
    ids = np.random.default_rng(0).integers(0, _MODEL_VOCABULARY, size=(_MODEL_BATCH, _MODEL_STEPS))
    output = call(lambda: keras.ops.convert_to_numpy(model(ids)), what="your model on ids of shape (3, 7)")
    if output.shape == (_MODEL_BATCH, _MODEL_VOCABULARY):
        fail("the model gives one prediction per sequence, shape (3, 11): set return_sequences=True on every "
             "LSTM, so that it predicts the next character at every step")
    if output.shape != (_MODEL_BATCH, _MODEL_STEPS, _MODEL_VOCABULARY):
        fail(f"for ids of shape (3, 7) and a vocabulary of 11 the output must have shape (3, 7, 11) (one row of "
             f"logits per step), got {output.shape}")
    if np.all(output >= 0) and np.allclose(output.sum(axis=-1), 1.0, atol=1e-4):
        fail("the rows sum to 1: leave the last Dense without softmax, the loss takes logits (from_logits=True)")
    changed = ids.copy()
    changed[:, -1] = (changed[:, -1] + 1) % _MODEL_VOCABULARY  # a different last character
    earlier = keras.ops.convert_to_numpy(model(changed))[:, :-1]
    if not np.allclose(earlier, output[:, :-1], atol=1e-5):
        fail("changing the last character changed the predictions for earlier steps: the model reads the "
             "future (a Bidirectional layer?), so it cannot generate text one character at a time")
