"""Checkers for the exercises of notebook 05 (text generation): temperature and bits per character."""

from __future__ import annotations

import numpy as np

from course_utils.exercises import array, call, exercise, fail, number
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
          hint="Write temperature(probabilities, T): raise each probability to the power 1 / T (the same as "
               "dividing the log-probabilities by T) and normalise so the result sums to 1.")
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
            fail(f"for T = {temperature} you multiplied the log-probabilities by T (p ** T): divide them by T "
                 "(p ** (1 / T)), so that a low temperature sharpens the distribution")
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
    fail(f"expected a number near {expected:.2f} bits, got {value:.4f}")
