"""Checkers for the exercises of notebook 11 (trade-offs, measured)."""

from __future__ import annotations

import numpy as np

from course_utils.exercises import call, exercise, fail, keras_layers, number
from course_utils.lstm import lstm_parameter_count
from course_utils.tradeoffs import loglog_slope

# Exercise 11.2's measurements: the cost of some layer at four sequence lengths.
SLOPE_LENGTHS = (100, 200, 400, 800)
SLOPE_SECONDS = (0.01, 0.04, 0.16, 0.64)
SLOPE_TOLERANCE = 0.05  # 2.00 +- 0.05: a slope read off two points of the table is exact here

# Exercise 11.3: the dilated causal CNN must see the first step of the memory task at lag 60 from its last step.
TCN_REACH = 61  # steps: the value to remember and the 60 after it
TCN_MAX_LAYERS = 5
TCN_TEST_LENGTH = 64  # steps of the random sequences the checker feeds in
TCN_LAYERS = ("InputLayer", "Conv1D", "Activation", "Dropout", "SpatialDropout1D", "Add", "LayerNormalization",
              "BatchNormalization")  # a CNN, residual connections and normalisation allowed; no recurrence, no Lambda

# Exercise 11.4: which layer to try first. The choices a reader of the notebook's measurements can defend.
LAYERS = ("LSTM", "GRU", "TCN", "attention")
SENSOR_LOG_STEPS = 10_000
SCENARIOS = {
    "keyboard": ({"LSTM", "GRU"}, "a phone predicts the next word as each word is typed: a recurrent layer keeps a "
                                  "fixed state of one or two vectors (Table 2's state column); attention keeps a key "
                                  "and a value for every word so far"),
    "sensor logs": ({"TCN"}, f"{SENSOR_LOG_STEPS:,} steps a log on a CPU: a recurrent layer pays its fixed cost per "
                             f"step {SENSOR_LOG_STEPS:,} times in a row (Figure 1), attention's cost grows as T^2 "
                             "(slope 2); a TCN covers a few hundred steps with a few layers (its reach doubles with "
                             "each layer)"),
    "documents": ({"attention"}, "millions of sentence pairs on GPU servers: attention does its work as large "
                                 "operations over the whole sequence (GFLOP/CPU s column; O(1) sequential operations "
                                 "in Vaswani et al.'s Table 1) and reaches any word in one step (Figure 2)"),
}


@exercise("Exercise 11.1 (LSTM parameters)",
          hint="Four gate blocks, each with an input kernel, a recurrent kernel and a bias.")
def check_lstm_parameters(answer, input_size: int = 3, units: int = 10) -> None:
    """Exercise 11.1: trainable parameters of keras.layers.LSTM(units) on `input_size` features."""
    value = number(answer)
    expected = lstm_parameter_count(input_size, units)
    slips = {
        expected - 4 * units: "You left out the biases.",
        expected + 4 * units: "One bias per block in Keras's LSTM (it is the GRU that has two).",
        expected // 4: "That is one gate; an LSTM has four blocks (i, f, c, o).",
        4 * (input_size * units + units + units): "The recurrent kernel maps units to 4*units: units*units per block.",
        2 * expected: "That is a bidirectional LSTM: one direction has half as many.",
    }
    if value != expected:
        fail(f"got {value:g}. {slips.get(value, '')}".rstrip())


@exercise("Exercise 11.2 (a slope on log-log axes)",
          hint="Fit log(seconds) against log(length); for cost = a * length**k the slope is k.")
def check_cost_slope(answer) -> None:
    """Exercise 11.2: the log-log slope of SLOPE_SECONDS against SLOPE_LENGTHS (quadratic: 2)."""
    value = number(answer)
    if abs(value - loglog_slope(SLOPE_LENGTHS, SLOPE_SECONDS)) > SLOPE_TOLERANCE:
        linear = np.polyfit(SLOPE_LENGTHS, SLOPE_SECONDS, 1)[0]
        slips = {linear: "That is the slope on linear axes (seconds per step): take logarithms first.",
                 SLOPE_SECONDS[1] / SLOPE_SECONDS[0]: "That is the factor per doubling of the length, 2**slope: the "
                                                      "slope is its logarithm to base 2.",
                 0.5: "That is length against seconds: the slope is log(seconds) over log(length)."}
        hint = next((f" {text}" for slip, text in slips.items() if abs(value - slip) < 1e-3), "")
        fail(f"got {value:.3g}.{hint}")


def _require_cnn_layers(model) -> None:
    """Fail unless every layer is in TCN_LAYERS and there are 1 to TCN_MAX_LAYERS Conv1D layers of kernel size 3."""
    import keras

    layers = [layer for layer in keras_layers(model) if not isinstance(layer, keras.Model)]  # nested models: walked
    others = sorted({type(layer).__name__ for layer in layers} - set(TCN_LAYERS))
    if others:
        fail(f"a CNN only: got {', '.join(others)}; use Conv1D layers (with {', '.join(TCN_LAYERS[2:])} between "
             "them if you like), no recurrent, attention or Lambda layer")
    convolutions = [layer for layer in layers if isinstance(layer, keras.layers.Conv1D)]
    if not 1 <= len(convolutions) <= TCN_MAX_LAYERS or any(layer.kernel_size != (3,) for layer in convolutions):
        fail(f"use 1 to {TCN_MAX_LAYERS} Conv1D layers of kernel size 3, got kernel sizes "
             f"{[layer.kernel_size[0] for layer in convolutions]}")


def _outputs_and_steps_seen(model, x):
    """The model's outputs (batch, T, channels) for x (batch, T, 1), and which steps (T,) its last output depends on
    (where its gradient is not zero); fails unless the model keeps one output per step."""
    import tensorflow as tf

    with tf.GradientTape() as tape:
        tape.watch(x)
        outputs = call(model, x, what="your model")  # (32, 64, channels)
        last = outputs[:, -1, :] if len(outputs.shape) == 3 else None
    if len(outputs.shape) != 3 or outputs.shape[1] != TCN_TEST_LENGTH:
        fail(f"the model must keep one output per step, (batch, T, channels): got {tuple(outputs.shape)} for an "
             f"input of shape {tuple(x.shape)} (padding='causal' keeps T; 'valid' shortens it)")
    gradient = tape.gradient(last, x)  # (32, 64, 1); None if the last output ignores the input
    seen = np.zeros(TCN_TEST_LENGTH, bool) if gradient is None else np.abs(np.asarray(gradient)).sum(axis=(0, 2)) > 0
    return outputs, seen


def _require_causal(model, x, outputs) -> None:
    """Fail if changing steps 40 and later of x changes an output before step 40: the model looks ahead."""
    import tensorflow as tf

    changed = x + tf.cast(tf.range(TCN_TEST_LENGTH) >= 40, tf.float32)[None, :, None]  # steps 40.. moved by 1
    if not np.allclose(np.asarray(model(changed))[:, :40], np.asarray(outputs)[:, :40], atol=1e-5):
        fail("the outputs before step 40 changed when only steps 40 and later did: the model looks ahead "
             "(padding='same' centres the kernel; padding='causal' only looks back)")


def _require_reach(seen) -> None:
    """Fail unless the last output depends on every one of the last TCN_REACH steps; seen: (T,) booleans."""
    if not seen.any():
        fail("the last output does not depend on the input at all: connect the Conv1D layers to it")
    reach = TCN_TEST_LENGTH - int(np.flatnonzero(seen)[0])
    if reach < TCN_REACH:
        fail(f"the last output sees the last {reach} steps, fewer than {TCN_REACH}: each layer of kernel 3 and "
             "dilation d reaches 2*d steps further back, so let d double (1, 2, 4, ...)")
    holes = TCN_REACH - int(seen[-TCN_REACH:].sum())
    if holes:
        fail(f"the last output reaches {reach} steps back but skips {holes} of the last {TCN_REACH}: a dilation larger "
             "than the reach of the layers below it leaves holes; let d double (1, 2, 4, ...)")


@exercise("Exercise 11.3 (a dilated causal CNN)",
          hint="Stack causal Conv1D layers of kernel size 3 and let the dilation double from layer to layer.")
def check_tcn(build_tcn) -> None:
    """Exercise 11.3: build_tcn(features) -> a causal model (batch, T, features) -> (batch, T, channels) whose last
    output sees at least TCN_REACH steps, with at most TCN_MAX_LAYERS Conv1D layers of kernel size 3 and no layer
    outside TCN_LAYERS (an LSTM after a Conv1D is not a CNN)."""
    import keras
    import tensorflow as tf

    model = call(build_tcn, 1, what="build_tcn(1)")
    if not isinstance(model, keras.Model):
        fail(f"build_tcn must return a keras.Model, got {type(model).__name__}")
    _require_cnn_layers(model)  # 1 to 5 Conv1D layers of kernel 3, and nothing recurrent
    x = tf.constant(np.random.default_rng(0).normal(size=(32, TCN_TEST_LENGTH, 1)), tf.float32)  # (32, 64, 1)
    outputs, seen = _outputs_and_steps_seen(model, x)  # (32, 64, channels), (64,)
    _require_causal(model, x, outputs)  # no output looks at a later step
    _require_reach(seen)  # the last output sees each of the last 61 steps


@exercise("Exercise 11.4 (which layer first)",
          hint=f"Answer a dict scenario -> one of {', '.join(LAYERS)}, from the decision table's rows.")
def check_layer_choices(answer) -> None:
    """Exercise 11.4: for each of SCENARIOS, a layer a reader of the notebook's measurements can defend."""
    if not isinstance(answer, dict) or set(answer) != set(SCENARIOS):
        fail(f"answer must be a dict with the keys {sorted(SCENARIOS)}, got {answer!r}"[:200])
    for scenario, choice in answer.items():
        if choice not in LAYERS:
            fail(f"{scenario!r}: choose one of {LAYERS}, got {choice!r}")
        defensible, reason = SCENARIOS[scenario]
        if choice not in defensible:
            fail(f"{scenario!r}: not {choice} first: {reason}.")
