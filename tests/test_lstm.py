"""course_utils.lstm: the NumPy LSTM and GRU cells equal Keras's layers, and the NumPy BPTT equals tf.GradientTape."""

from __future__ import annotations

import numpy as np
import pytest

from course_utils.lstm import (
    GRUTrace,
    LSTMTrace,
    chrono_forget_bias,
    gru_forward,
    gru_parameter_count,
    lstm_forward,
    lstm_gradient_norms,
    lstm_parameter_count,
    set_lstm_biases,
)

keras = pytest.importorskip("keras")

# (batch, T, input, units): edge cases first (T=1, batch=1, units=1), then random shapes from a seeded loop.
EDGE_SHAPES = [(1, 1, 1, 1), (1, 5, 3, 1), (4, 1, 2, 3), (1, 1, 4, 6), (3, 7, 1, 1)]
_shape_rng = np.random.default_rng(2026)
RANDOM_SHAPES = [tuple(int(v) for v in _shape_rng.integers(1, [6, 12, 5, 9])) for _ in range(10)]
SHAPES = EDGE_SHAPES + RANDOM_SHAPES


def _random_weights(layer, rng, scale=0.8):
    """Replace a built layer's weights with random ones (so the test does not rest on the initialiser)."""
    weights = [rng.normal(0.0, scale, size=w.shape).astype(np.float32) for w in layer.get_weights()]
    layer.set_weights(weights)
    return weights


@pytest.mark.parametrize("initial_states", [False, True], ids=["zero-state", "given-state"])
@pytest.mark.parametrize("shape", SHAPES, ids=[f"b{b}-T{t}-in{i}-u{u}" for b, t, i, u in SHAPES])
def test_lstm_forward_equals_keras(shape, initial_states):
    batch, steps, inputs, units = shape
    rng = np.random.default_rng(hash(shape) % 2**32 + initial_states)
    layer = keras.layers.LSTM(units, return_sequences=True, return_state=True)
    x = rng.normal(size=(batch, steps, inputs)).astype(np.float32)
    layer.build((batch, steps, inputs))
    kernel, recurrent_kernel, bias = _random_weights(layer, rng)
    if initial_states:
        h0 = rng.normal(size=(batch, units)).astype(np.float32)
        c0 = rng.normal(size=(batch, units)).astype(np.float32)
        sequence, last_h, last_c = layer(x, initial_state=[h0, c0])
        trace = lstm_forward(x, kernel, recurrent_kernel, bias, h0=h0, c0=c0)
    else:
        sequence, last_h, last_c = layer(x)
        trace = lstm_forward(x, kernel, recurrent_kernel, bias)
    assert isinstance(trace, LSTMTrace)
    for array in trace:
        assert array.shape == (batch, steps, units)
    np.testing.assert_allclose(trace.h, np.asarray(sequence), atol=1e-5)
    np.testing.assert_allclose(trace.h[:, -1], np.asarray(last_h), atol=1e-5)
    np.testing.assert_allclose(trace.c[:, -1], np.asarray(last_c), atol=1e-5)
    # The trace is self-consistent: the gates in range, and c, h recomputed from them.
    for gate in (trace.i, trace.f, trace.o):
        assert np.all((gate >= 0) & (gate <= 1))
    previous_c = np.concatenate([c0[:, None] if initial_states else np.zeros((batch, 1, units)), trace.c[:, :-1]], 1)
    np.testing.assert_allclose(trace.c, trace.f * previous_c + trace.i * trace.g, atol=1e-12)
    np.testing.assert_allclose(trace.h, trace.o * np.tanh(trace.c), atol=1e-12)


@pytest.mark.parametrize("initial_states", [False, True], ids=["zero-state", "given-state"])
@pytest.mark.parametrize("shape", SHAPES, ids=[f"b{b}-T{t}-in{i}-u{u}" for b, t, i, u in SHAPES])
def test_gru_forward_equals_keras(shape, initial_states):
    batch, steps, inputs, units = shape
    rng = np.random.default_rng(hash(shape) % 2**32 + 7 + initial_states)
    layer = keras.layers.GRU(units, return_sequences=True, return_state=True)
    x = rng.normal(size=(batch, steps, inputs)).astype(np.float32)
    layer.build((batch, steps, inputs))
    kernel, recurrent_kernel, bias = _random_weights(layer, rng)
    assert bias.shape == (2, 3 * units)  # reset_after=True, Keras's default
    if initial_states:
        h0 = rng.normal(size=(batch, units)).astype(np.float32)
        sequence, last_h = layer(x, initial_state=[h0])
        trace = gru_forward(x, kernel, recurrent_kernel, bias, h0=h0)
    else:
        sequence, last_h = layer(x)
        trace = gru_forward(x, kernel, recurrent_kernel, bias)
    assert isinstance(trace, GRUTrace)
    np.testing.assert_allclose(trace.h, np.asarray(sequence), atol=1e-5)
    np.testing.assert_allclose(trace.h[:, -1], np.asarray(last_h), atol=1e-5)
    assert np.all((trace.z >= 0) & (trace.z <= 1)) and np.all((trace.r >= 0) & (trace.r <= 1))


def test_forward_is_not_trivially_equal_to_a_wrong_layout():
    """Swapping two gate slices must change the output: the comparison above really tests the order."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2, 6, 3))
    kernel, recurrent_kernel, bias = rng.normal(size=(3, 8)), rng.normal(size=(2, 8)), rng.normal(size=8)
    weights = (kernel, recurrent_kernel, bias)
    swapped = [np.concatenate([w[..., 2:4], w[..., 0:2], w[..., 4:]], axis=-1) for w in weights]  # f, i swapped
    assert np.max(np.abs(lstm_forward(x, kernel, recurrent_kernel, bias).h - lstm_forward(x, *swapped).h)) > 1e-3


def _tape_gradient_norms(x, kernel, recurrent_kernel, bias, h0, c0, wrt):
    """d(sum h_T)/d h_t (or c_t) with tf.GradientTape, independently of the NumPy backward pass.

    wrt="h": keras.layers.LSTMCell step by step, h_t held as an independent variable (c_t fixed).
    wrt="c": the equations in TensorFlow, c_t held as a variable and h_t = o_t * tanh(c_t) made from it.
    """
    import tensorflow as tf

    units = recurrent_kernel.shape[0]
    cell = keras.layers.LSTMCell(units, dtype="float64")
    cell.build((None, x.shape[2]))
    cell.set_weights([kernel, recurrent_kernel, bias])
    watched = []
    with tf.GradientTape() as tape:
        h, c = tf.constant(h0), tf.constant(c0)
        for t in range(x.shape[1]):
            if wrt == "h":
                _, (h, c) = cell(tf.constant(x[:, t]), [h, c])
                h = tf.identity(h)  # every later step uses this tensor: it stands for h_t
                tape.watch(h)
                watched.append(h)
            else:
                pre = tf.constant(x[:, t]) @ kernel + h @ recurrent_kernel + bias
                i, f, g, o = tf.split(pre, 4, axis=1)
                c = tf.sigmoid(f) * c + tf.sigmoid(i) * tf.tanh(g)
                tape.watch(c)
                watched.append(c)
                h = tf.sigmoid(o) * tf.tanh(c)
        target = tf.reduce_sum(h)
    gradients = tape.gradient(target, watched)
    return np.stack([np.linalg.norm(np.asarray(g), axis=1) for g in gradients], axis=1)


@pytest.mark.parametrize("wrt", ["h", "c"])
@pytest.mark.parametrize("shape", SHAPES[:9], ids=[f"b{b}-T{t}-in{i}-u{u}" for b, t, i, u in SHAPES[:9]])
def test_lstm_gradient_norms_equal_gradient_tape(shape, wrt):
    batch, steps, inputs, units = shape
    rng = np.random.default_rng(hash(shape) % 2**32 + 11)
    x = rng.normal(size=(batch, steps, inputs))
    kernel = rng.normal(0, 0.7, size=(inputs, 4 * units))
    recurrent_kernel = rng.normal(0, 0.7, size=(units, 4 * units))
    bias = rng.normal(0, 0.7, size=4 * units)
    h0, c0 = rng.normal(size=(batch, units)), rng.normal(size=(batch, units))
    norms = lstm_gradient_norms(x, kernel, recurrent_kernel, bias, h0=h0, c0=c0, wrt=wrt)
    assert norms.shape == (batch, steps)
    expected = _tape_gradient_norms(x, kernel, recurrent_kernel, bias, h0, c0, wrt)
    np.testing.assert_allclose(norms, expected, rtol=1e-7, atol=1e-10)
    if wrt == "h":
        np.testing.assert_allclose(norms[:, -1], np.sqrt(units))


def test_forget_gate_open_keeps_the_cell_gradient():
    """With f = 1 (huge forget bias) and no write, d c_T / d c_t stays 1 per unit at every lag: the carousel."""
    units, steps = 3, 40
    kernel = np.zeros((1, 4 * units))
    recurrent_kernel = np.zeros((units, 4 * units))
    bias = np.zeros(4 * units)
    bias[units : 2 * units] = 50.0  # f = 1
    bias[3 * units :] = 50.0  # o = 1 and c stays 0: h_T = tanh(c_T), so d sum h_T / d c_T = 1 per unit
    c0 = np.zeros((1, units))
    norms = lstm_gradient_norms(np.zeros((1, steps, 1)), kernel, recurrent_kernel, bias, c0=c0, wrt="c")
    np.testing.assert_allclose(norms, np.sqrt(units), rtol=1e-9)
    bias[units : 2 * units] = -50.0  # f = 0: the cell forgets, and so does the gradient
    norms = lstm_gradient_norms(np.zeros((1, steps, 1)), kernel, recurrent_kernel, bias, c0=c0, wrt="c")
    assert norms[0, 0] < 1e-12 and norms[0, -1] == pytest.approx(np.sqrt(units))


@pytest.mark.parametrize("units,inputs", [(1, 1), (4, 2), (16, 3), (32, 2)])
def test_parameter_counts_equal_keras(units, inputs):
    for layer_type, count in ((keras.layers.LSTM, lstm_parameter_count), (keras.layers.GRU, gru_parameter_count)):
        model = keras.Sequential([keras.Input((5, inputs)), layer_type(units)])
        assert model.count_params() == count(inputs, units)


GOOD = dict(x=np.zeros((2, 3, 4)), kernel=np.zeros((4, 20)), recurrent_kernel=np.zeros((5, 20)), bias=np.zeros(20))


@pytest.mark.parametrize(
    "changes,error,words",
    [
        (dict(x=np.zeros((3, 4))), ValueError, "x must have 3 dimension"),
        (dict(x="abc"), TypeError, "x must be an array"),
        (dict(x=np.full((2, 3, 4), np.nan)), ValueError, "x must be finite"),
        (dict(kernel=np.zeros((3, 20))), ValueError, "kernel must have shape (4, 20)"),
        (dict(kernel=np.zeros((4, 16))), ValueError, "kernel must have shape (4, 20)"),
        (dict(recurrent_kernel=np.zeros((5, 15))), ValueError, "recurrent_kernel must have shape (5, 20)"),
        (dict(bias=np.zeros(15)), ValueError, "bias must have shape (20)"),
        (dict(bias=np.zeros((2, 10))), ValueError, "bias must have 1 dimension"),
        (dict(h0=np.zeros((2, 4))), ValueError, "h0 must have shape (2, 5)"),
        (dict(c0=np.zeros(5)), ValueError, "c0 must have 2 dimension"),
        (dict(c0=[[None] * 5] * 2), TypeError, "c0 must hold integers or floats"),
    ],
)
def test_lstm_bad_arguments_raise_clearly(changes, error, words):
    arguments = {**GOOD, **changes}
    with pytest.raises(error, match=words.replace("(", r"\(").replace(")", r"\)")):
        lstm_forward(**arguments)
    with pytest.raises(error, match=words.replace("(", r"\(").replace(")", r"\)")):
        lstm_gradient_norms(**arguments)


def test_gradient_norms_bad_wrt():
    with pytest.raises(ValueError, match="wrt must be 'h' or 'c'"):
        lstm_gradient_norms(**GOOD, wrt="x")


@pytest.mark.parametrize(
    "changes,error,words",
    [
        (dict(bias=np.zeros(15)), ValueError, "bias must have 2 dimension"),
        (dict(bias=np.zeros((2, 12))), ValueError, r"bias must have shape \(2, 15\)"),
        (dict(kernel=np.zeros((4, 20))), ValueError, r"recurrent_kernel must have shape \(5, 15\)"),
        (dict(h0=np.zeros((3, 5))), ValueError, r"h0 must have shape \(2, 5\)"),
        (dict(x=None), TypeError, "x must hold integers or floats"),
    ],
)
def test_gru_bad_arguments_raise_clearly(changes, error, words):
    good = dict(x=np.zeros((2, 3, 4)), kernel=np.zeros((4, 15)), recurrent_kernel=np.zeros((5, 15)),
                bias=np.zeros((2, 15)))
    if "kernel" in changes:  # a 4-gate kernel with a 3-gate GRU: name the mismatch
        good["recurrent_kernel"] = np.zeros((5, 20))
        changes = {}
        words = r"recurrent_kernel must have shape \(5, 15\)"
    with pytest.raises(error, match=words):
        gru_forward(**{**good, **changes})


@pytest.mark.parametrize("function", [lstm_parameter_count, gru_parameter_count])
def test_parameter_count_bad_arguments(function):
    with pytest.raises(ValueError, match="units must be >= 1"):
        function(2, 0)
    with pytest.raises(TypeError, match="input_size must be an integer"):
        function(2.5, 3)


# --------------------------------------------------------------------------- a Keras LSTM's gate biases (01, 02)


def test_set_lstm_biases_changes_only_the_chosen_slices():
    layer = keras.layers.LSTM(5)
    layer.build((None, 3, 2))
    before = layer.get_weights()[2].copy()
    np.testing.assert_allclose(before[5:10], 1.0)  # Keras's unit_forget_bias=True default
    set_lstm_biases(layer, 3.0)
    after = layer.get_weights()[2]
    np.testing.assert_allclose(after[5:10], 3.0)
    np.testing.assert_allclose(np.delete(after, np.s_[5:10]), np.delete(before, np.s_[5:10]))
    spans = np.arange(5.0)
    set_lstm_biases(layer, forget=spans, input=-spans)
    after = layer.get_weights()[2]
    np.testing.assert_allclose(after[:10], np.r_[-spans, spans])
    np.testing.assert_allclose(after[10:], before[10:])
    gru = keras.layers.GRU(5)
    gru.build((None, 3, 2))
    with pytest.raises(TypeError, match="layer must be a built keras.layers.LSTM with a bias, got GRU"):
        set_lstm_biases(gru, 1.0)
    with pytest.raises(TypeError, match="layer must be a built keras.layers.LSTM with a bias, got ndarray"):
        set_lstm_biases(np.zeros(20), 1.0)
    with pytest.raises(TypeError, match="forget must be an array of numbers"):
        set_lstm_biases(layer, "1")
    with pytest.raises(ValueError, match=r"input must have shape \(5\), got \(4,\)"):
        set_lstm_biases(layer, 1.0, input=np.zeros(4))
    with pytest.raises(ValueError, match=r"forget must have 1 dimension\(s\), got shape \(5, 1\)"):
        set_lstm_biases(layer, np.zeros((5, 1)))
    with pytest.raises(TypeError, match="layer must be a built keras.layers.LSTM with a bias, got LSTM"):
        set_lstm_biases(keras.layers.LSTM(5), 1.0)  # not built: no weights yet
    no_bias = keras.layers.LSTM(5, use_bias=False)
    no_bias.build((None, 3, 2))
    with pytest.raises(TypeError, match="layer must be a built keras.layers.LSTM with a bias, got LSTM"):
        set_lstm_biases(no_bias, 1.0)


def test_chrono_forget_bias():
    for units, max_lag in ((1, 3), (7, 20), (64, 110)):
        bias = chrono_forget_bias(units, max_lag, seed=3)
        assert bias.shape == (units,)
        assert np.all(bias >= 0) and np.all(bias <= np.log(max_lag - 1))
        np.testing.assert_array_equal(bias, chrono_forget_bias(units, max_lag, seed=3))
    assert np.ptp(chrono_forget_bias(64, 110)) > 2  # spread over time scales, not one value
    with pytest.raises(ValueError, match="max_lag must be >= 3"):
        chrono_forget_bias(4, 2)
    with pytest.raises(TypeError, match="units must be an integer"):
        chrono_forget_bias(4.0, 10)


def _texts(ax) -> dict[str, float]:
    """Every label of a drawing, with its alpha (1 when not faded)."""
    return {text.get_text(): (1.0 if text.get_alpha() is None else text.get_alpha()) for text in ax.texts}


def test_draw_lstm_cell_draws_every_gate_and_fades_all_but_the_part_shown():
    import matplotlib.pyplot as plt

    from course_utils.lstm import draw_lstm_cell

    gates = {"forget": "$f_t$\nσ", "input": "$i_t$\nσ", "output": "$o_t$\nσ"}
    labels = _texts(draw_lstm_cell())
    assert {*gates.values(), "$g_t$\ntanh", "$c_{t-1}$", "$c_t$", "$h_{t-1}$", "$x_t$", "$h_t$"} <= set(labels)
    assert set(labels.values()) == {1.0}  # nothing faded in the whole picture
    for part, label in gates.items():
        labels = _texts(draw_lstm_cell(part))
        assert labels[label] == 1.0 and all(labels[other] < 0.5 for other in gates.values() if other != label), part
        assert labels["$x_t$"] == labels["$h_{t-1}$"] == 1.0  # the inputs feed every gate: never faded
        assert 0.15 < labels["$c_t$"] < 1.0  # the cell state stays in view, half faded
    labels = _texts(draw_lstm_cell("state"))
    assert labels["$c_t$"] == 1.0 and all(labels[label] < 0.5 for label in gates.values())
    assert labels["+"] < 0.5 and labels["×"] < 0.5  # the conveyor belt alone: its operations belong to the gates
    plt.close("all")


def test_draw_gru_cell_follows_keras_convention():
    import matplotlib.pyplot as plt

    from course_utils.lstm import draw_gru_cell

    labels = _texts(draw_gru_cell())
    assert {"$z_t$\nσ", "$r_t$\nσ", "$\\tilde h_t$\ntanh", "$h_{t-1} U_h$", "1−", "$h_t$"} <= set(labels)
    labels = _texts(draw_gru_cell("reset"))
    assert labels["$r_t$\nσ"] == labels["$h_{t-1} U_h$"] == 1.0 and labels["$z_t$\nσ"] < 0.5 and labels["1−"] < 0.5
    labels = _texts(draw_gru_cell("update"))
    assert labels["$z_t$\nσ"] == labels["1−"] == 1.0 and labels["$r_t$\nσ"] < 0.5
    plt.close("all")


@pytest.mark.parametrize("function, highlight", [("draw_lstm_cell", "update"), ("draw_gru_cell", "forget"),
                                                 ("draw_lstm_cell", 1), ("draw_gru_cell", "cell")])
def test_drawings_reject_a_part_they_do_not_have(function, highlight):
    import course_utils.lstm

    with pytest.raises(ValueError, match="highlight must be None or"):
        getattr(course_utils.lstm, function)(highlight)
