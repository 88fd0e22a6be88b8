"""course_utils.rnn against Keras and TensorFlow: the forward pass equals keras.layers.SimpleRNN, the BPTT
gradient norms equal tf.GradientTape, on many random shapes; bad arguments raise clear errors."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from course_utils.rnn import (
    bptt_gradient_norms,
    bptt_gradients,
    bptt_step,
    first_value_task,
    largest_singular_value,
    pascanu_bound,
    scale_to_singular_value,
    simple_rnn_forward,
    spectral_radius,
)

# Edge sizes first (batch 1, T 1, units 1, features 1), then random ones: a seeded loop over shapes.
EDGE_SHAPES = [(1, 1, 1, 1), (1, 1, 3, 1), (1, 5, 1, 1), (3, 1, 1, 2), (1, 1, 1, 4), (2, 7, 1, 1)]
_rng = np.random.default_rng(2013)
RANDOM_SHAPES = [tuple(int(v) for v in (_rng.integers(1, 6), _rng.integers(1, 16), _rng.integers(1, 9),
                                        _rng.integers(1, 6))) for _ in range(24)]
SHAPES = EDGE_SHAPES + RANDOM_SHAPES  # (batch, T, units, features)


def random_case(batch, steps, units, features, seed, scale=None):
    """Random inputs and weights of the given sizes; recurrent matrix scaled to a random singular value."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(batch, steps, features))
    kernel = rng.normal(size=(features, units)) / np.sqrt(features)
    recurrent = rng.normal(size=(units, units))
    recurrent = scale_to_singular_value(recurrent, rng.uniform(0.3, 1.6) if scale is None else scale)
    bias = rng.normal(scale=0.3, size=units)
    h0 = rng.uniform(-0.9, 0.9, size=(batch, units))
    return x, kernel, recurrent, bias, h0


def keras_simple_rnn(units, weights, dtype="float32"):
    import keras

    layer = keras.layers.SimpleRNN(units, return_sequences=True, dtype=dtype)
    layer.build((None, None, weights[0].shape[0]))
    layer.set_weights([w.astype(dtype) for w in weights])
    return layer


@pytest.mark.parametrize("shape", SHAPES, ids=[f"b{b}-T{t}-u{u}-f{f}" for b, t, u, f in SHAPES])
def test_forward_equals_keras_simple_rnn(shape):
    batch, steps, units, features = shape
    x, kernel, recurrent, bias, h0 = random_case(*shape, seed=sum(shape))
    layer = keras_simple_rnn(units, [kernel, recurrent, bias])
    ours = simple_rnn_forward(x, kernel, recurrent, bias)
    theirs = np.asarray(layer(x.astype("float32")))
    assert ours.shape == theirs.shape == (batch, steps, units)
    np.testing.assert_allclose(ours, theirs, atol=1e-5, rtol=0)
    ours_h0 = simple_rnn_forward(x, kernel, recurrent, bias, h0=h0)
    theirs_h0 = np.asarray(layer(x.astype("float32"), initial_state=[h0.astype("float32")]))
    np.testing.assert_allclose(ours_h0, theirs_h0, atol=1e-5, rtol=0)
    if steps > 1 or np.any(np.abs(h0) > 1e-3):  # a nonzero initial state must change the answer
        assert np.max(np.abs(ours_h0 - ours)) > 1e-6


def test_forward_with_keras_default_initialisation():
    """The weights a fresh Keras layer draws (glorot, orthogonal, zeros) go through unchanged."""
    import keras

    keras.utils.set_random_seed(7)
    layer = keras.layers.SimpleRNN(6, return_sequences=True)
    x = np.random.default_rng(7).normal(size=(4, 20, 3)).astype("float32")
    theirs = np.asarray(layer(x))
    np.testing.assert_allclose(simple_rnn_forward(x, *layer.get_weights()), theirs, atol=1e-5, rtol=0)


def tape_gradient_norms(x, kernel, recurrent, bias, h0):
    """Reference: the norm of d(sum h_T[b]) / d h_t[b] from tf.GradientTape through the Keras layer.

    For each t < T-1, run the float64 Keras layer from the state h_t on the remaining inputs and
    differentiate the sum of its last output with respect to that initial state.
    """
    import tensorflow as tf

    batch, steps, _ = x.shape
    units = kernel.shape[1]
    layer = keras_simple_rnn(units, [kernel, recurrent, bias], dtype="float64")
    states = np.asarray(layer(x, initial_state=[h0]))  # (batch, T, units)
    norms = np.empty((batch, steps))
    norms[:, steps - 1] = np.sqrt(units)  # d h_T / d h_T is the identity
    for t in range(steps - 1):
        start = tf.constant(states[:, t, :])
        with tf.GradientTape() as tape:
            tape.watch(start)
            rest = layer(tf.constant(x[:, t + 1 :, :]), initial_state=[start])  # (batch, T-1-t, units)
            total = tf.reduce_sum(rest[:, -1, :])
        norms[:, t] = np.linalg.norm(tape.gradient(total, start).numpy(), axis=1)
    return norms


@pytest.mark.parametrize("shape", SHAPES, ids=[f"b{b}-T{t}-u{u}-f{f}" for b, t, u, f in SHAPES])
def test_gradient_norms_equal_gradient_tape(shape):
    x, kernel, recurrent, bias, h0 = random_case(*shape, seed=100 + sum(shape))
    ours = bptt_gradient_norms(x, kernel, recurrent, bias, h0=h0)
    theirs = tape_gradient_norms(x, kernel, recurrent, bias, h0)
    assert ours.shape == (shape[0], shape[1])
    np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=0)
    np.testing.assert_allclose(ours[:, -1], np.sqrt(shape[2]))


def test_gradient_norms_equal_manual_tape_without_initial_state():
    """A second reference, independent of Keras: the recurrence written in TensorFlow, taped whole."""
    import tensorflow as tf

    for seed in range(6):
        rng = np.random.default_rng(seed)
        shape = (int(rng.integers(1, 4)), int(rng.integers(1, 30)), int(rng.integers(1, 7)), int(rng.integers(1, 4)))
        x, kernel, recurrent, bias, _ = random_case(*shape, seed=seed)
        with tf.GradientTape(persistent=True) as tape:
            h = tf.zeros((shape[0], shape[2]), dtype=tf.float64)
            tape.watch(h)  # the tape records only what depends on a watched tensor
            states = []
            for t in range(shape[1]):
                h = tf.tanh(x[:, t, :] @ kernel + h @ recurrent + bias)
                states.append(h)
            total = tf.reduce_sum(states[-1])
        gradients = np.stack([g.numpy() for g in tape.gradient(total, states)], axis=1)  # (batch, T, units)
        np.testing.assert_allclose(bptt_gradients(x, kernel, recurrent, bias), gradients, rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(bptt_gradient_norms(x, kernel, recurrent, bias),
                                   np.linalg.norm(gradients, axis=-1), rtol=1e-5, atol=0)


def test_bptt_step_is_one_step_of_bptt_gradients():
    x, kernel, recurrent, bias, h0 = random_case(3, 9, 5, 2, seed=3)
    states = simple_rnn_forward(x, kernel, recurrent, bias, h0)
    gradients = bptt_gradients(x, kernel, recurrent, bias, h0)
    for t in range(1, 9):
        np.testing.assert_allclose(bptt_step(gradients[:, t], states[:, t], recurrent), gradients[:, t - 1])


def test_gradient_norms_obey_the_pascanu_bound():
    """||d h_T / d h_t|| <= sqrt(units) * sigma_max(U) ** (T-1-t) for tanh, whatever the inputs."""
    for seed in range(20):
        rng = np.random.default_rng(seed)
        shape = (int(rng.integers(1, 5)), int(rng.integers(1, 40)), int(rng.integers(1, 10)), 2)
        x, kernel, recurrent, bias, h0 = random_case(*shape, seed=seed)
        norms = bptt_gradient_norms(x, kernel, recurrent, bias, h0)
        lags = np.arange(shape[1])[::-1]  # lag of step t is T-1-t
        bound = pascanu_bound(largest_singular_value(recurrent), lags, shape[2])
        assert np.all(norms <= bound * (1 + 1e-9) + 1e-300)


def test_vanishing_below_one_and_a_linear_rnn_at_one_keeps_the_norm():
    x, kernel, recurrent, bias, _ = random_case(2, 60, 8, 1, seed=5, scale=0.5)
    norms = bptt_gradient_norms(x, kernel, recurrent, bias)
    assert np.all(norms[:, 0] < 1e-10 * norms[:, -1])
    # Orthogonal U, tiny inputs: tanh is nearly linear and the norm stays close to sqrt(units).
    orthogonal, _ = np.linalg.qr(np.random.default_rng(0).normal(size=(8, 8)))
    norms = bptt_gradient_norms(1e-6 * x, kernel, orthogonal, 0 * bias)
    np.testing.assert_allclose(norms, np.sqrt(8), rtol=1e-6)


def test_singular_value_helpers():
    rng = np.random.default_rng(1)
    for _ in range(30):
        n = int(rng.integers(1, 12))
        matrix = rng.normal(size=(n, n))
        target = float(rng.uniform(0.1, 3.0))
        scaled = scale_to_singular_value(matrix, target)
        assert largest_singular_value(scaled) == pytest.approx(target, rel=1e-12)
        assert largest_singular_value(scaled) == pytest.approx(np.linalg.svd(scaled, compute_uv=False)[0])
        assert spectral_radius(scaled) <= target * (1 + 1e-12)
        np.testing.assert_allclose(scaled / target, matrix / largest_singular_value(matrix))
    np.testing.assert_allclose(pascanu_bound(0.5, [0, 1, 2], 4), [2.0, 1.0, 0.5])
    np.testing.assert_allclose(pascanu_bound(2.0, [3], 1, gamma=0.25), [0.125])
    assert largest_singular_value(np.full((3, 3), 1e150)) == pytest.approx(3e150)  # large but representable


GOOD = random_case(2, 4, 3, 5, seed=0)  # x (2, 4, 5), kernel (5, 3), recurrent (3, 3), bias (3,), h0 (2, 3)


@pytest.mark.parametrize("function", [simple_rnn_forward, bptt_gradient_norms, bptt_gradients])
@pytest.mark.parametrize("position, bad, error, message", [
    (0, np.zeros((2, 4)), ValueError, r"x must have 3 dimension\(s\), got shape \(2, 4\)"),
    (0, np.zeros((2, 0, 5)), ValueError, r"x must not be empty, got shape \(2, 0, 5\)"),
    (0, np.full((2, 4, 5), np.nan), ValueError, "x must be finite"),
    (0, np.zeros((2, 4, 5), dtype=bool), TypeError, "x must hold integers or floats, got dtype bool"),
    (0, "sequence", TypeError, "x must be an array of numbers"),
    (1, np.zeros((4, 3)), ValueError, r"kernel must have shape \(5, any\), got \(4, 3\)"),
    (1, np.zeros((5, 3), dtype=complex), TypeError, "kernel must hold integers or floats, got dtype complex"),
    (2, np.zeros((3, 4)), ValueError, r"recurrent_kernel must have shape \(3, 3\), got \(3, 4\)"),
    (2, np.zeros(3), ValueError, r"recurrent_kernel must have 2 dimension\(s\), got shape \(3,\)"),
    (3, np.zeros(4), ValueError, r"bias must have shape \(3\), got \(4,\)"),
    (3, np.zeros((1, 3)), ValueError, r"bias must have 1 dimension\(s\), got shape \(1, 3\)"),
    (4, np.zeros((1, 3)), ValueError, r"h0 must have shape \(2, 3\), got \(1, 3\)"),
    (4, np.zeros(3), ValueError, r"h0 must have 2 dimension\(s\), got shape \(3,\)"),
    (4, np.array([["a", "b", "c"]] * 2), TypeError, "h0 must hold integers or floats"),
])
def test_bad_arguments_raise_naming_expected_and_actual(function, position, bad, error, message):
    arguments = list(GOOD)
    arguments[position] = bad
    with pytest.raises(error, match=message):
        function(*arguments)


def test_bad_arguments_of_the_small_helpers():
    with pytest.raises(ValueError, match=r"h must have shape \(2, 3\), got \(2, 4\)"):
        bptt_step(np.ones((2, 3)), np.ones((2, 4)), np.eye(3))
    with pytest.raises(ValueError, match=r"recurrent_kernel must have shape \(3, 3\), got \(2, 2\)"):
        bptt_step(np.ones((2, 3)), np.ones((2, 3)), np.eye(2))
    with pytest.raises(ValueError, match=r"matrix must have shape \(2, 2\), got \(2, 3\)"):
        spectral_radius(np.ones((2, 3)))
    with pytest.raises(ValueError, match="matrix must have a nonzero singular value"):
        scale_to_singular_value(np.zeros((3, 3)), 1.0)
    with pytest.raises(ValueError, match="target must be >= 0.0, got -1.0"):
        scale_to_singular_value(np.eye(3), -1.0)
    with pytest.raises(TypeError, match="target must be a real number"):
        scale_to_singular_value(np.eye(3), "1")
    with pytest.raises(ValueError, match="lags must be >= 0"):
        pascanu_bound(0.9, [-1, 2], 3)
    with pytest.raises(TypeError, match="units must be an integer"):
        pascanu_bound(0.9, [1, 2], 3.0)
    with pytest.raises(ValueError, match=r"matrix must have 2 dimension\(s\)"):
        largest_singular_value(np.ones(3))


def test_inputs_are_not_modified_and_lists_and_float32_work():
    x, kernel, recurrent, bias, h0 = random_case(2, 5, 3, 2, seed=9)
    copies = [a.copy() for a in (x, kernel, recurrent, bias, h0)]
    expected = simple_rnn_forward(x, kernel, recurrent, bias, h0)
    bptt_gradient_norms(x, kernel, recurrent, bias, h0)
    for original, copy in zip((x, kernel, recurrent, bias, h0), copies, strict=True):
        np.testing.assert_array_equal(original, copy)
    as_lists = simple_rnn_forward(x.tolist(), kernel.tolist(), recurrent.tolist(), bias.tolist(), h0.tolist())
    np.testing.assert_allclose(as_lists, expected)
    as_float32 = simple_rnn_forward(*(a.astype(np.float32) for a in (x, kernel, recurrent, bias, h0)))
    np.testing.assert_allclose(as_float32, expected, atol=1e-5)


# ----------------------------------------------------------------------------- the memory task


@given(n=st.integers(1, 60), lag=st.integers(0, 40), seed=st.integers(0, 10**6),
       noise=st.floats(0.0, 5.0, allow_nan=False))
def test_first_value_task_shapes_and_contents(n, lag, seed, noise):
    x, y = first_value_task(n, lag, seed, noise=noise)
    assert x.shape == (n, lag + 1, 1) and y.shape == (n,)
    assert x.dtype == np.float32 and y.dtype == np.float32
    assert set(np.unique(y)) <= {0.0, 1.0}
    np.testing.assert_array_equal(x[:, 0, 0], 2.0 * y - 1.0)  # the first value is the label's sign
    if noise == 0.0:
        assert np.all(x[:, 1:, :] == 0.0)


def test_first_value_task_is_balanced_seeded_and_noise_is_uninformative():
    x, y = first_value_task(20000, 5, seed=1)
    assert abs(y.mean() - 0.5) < 0.02  # chance accuracy is 50 %
    assert abs(np.std(x[:, 1:, 0]) - 2.0) < 0.05
    # The distractors carry no information: their correlation with the label is ~0.
    assert np.max(np.abs([np.corrcoef(x[:, t, 0], y)[0, 1] for t in range(1, 6)])) < 0.03
    np.testing.assert_array_equal(first_value_task(9, 3, seed=2)[0], first_value_task(9, 3, seed=2)[0])
    assert not np.array_equal(first_value_task(9, 3, seed=2)[0], first_value_task(9, 3, seed=3)[0])


@pytest.mark.parametrize("kwargs, error, message", [
    ({"n": 0, "lag": 5, "seed": 0}, ValueError, "n must be >= 1, got 0"),
    ({"n": 5, "lag": -1, "seed": 0}, ValueError, "lag must be >= 0, got -1"),
    ({"n": 5, "lag": 2.5, "seed": 0}, TypeError, "lag must be an integer"),
    ({"n": 5, "lag": 5, "seed": -2}, ValueError, "seed must be >= 0"),
    ({"n": 5, "lag": 5, "seed": 0, "noise": -1.0}, ValueError, "noise must be >= 0.0"),
    ({"n": 5, "lag": 5, "seed": 0, "noise": "loud"}, TypeError, "noise must be a real number"),
])
def test_first_value_task_rejects_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        first_value_task(**kwargs)


def test_draw_unrolled_rnn_labels_every_step_with_the_same_weights():
    import matplotlib.pyplot as plt

    from course_utils.rnn import draw_unrolled_rnn

    for steps in (1, 3, 5):
        ax = draw_unrolled_rnn(steps=steps)
        labels = [text.get_text() for text in ax.texts]
        assert labels.count("W") == labels.count("U") == steps  # the same two matrices at every step
        assert [label for label in labels if label.startswith("$x_")] == [f"$x_{{{t}}}$" for t in range(steps)]
        assert f"$h_{{{steps - 1}}}$" in labels and "$h_{-1} = 0$" in labels
        plt.close(ax.figure)


@pytest.mark.parametrize("steps, error", [(0, ValueError), (-2, ValueError), ("3", TypeError), (2.5, TypeError)])
def test_draw_unrolled_rnn_rejects_bad_steps(steps, error):
    from course_utils.rnn import draw_unrolled_rnn

    with pytest.raises(error, match="steps"):
        draw_unrolled_rnn(steps=steps)


def test_train_at_lag_runs_what_fit_runs_and_keeps_the_best_weights():
    """train_at_lag's speed tricks change the speed, not the method: its steps are model.fit's, full batch, from the
    initial weights and a fresh Adam, and the weights it keeps are those of the lowest validation loss."""
    import keras

    from course_utils.rnn import compiled_memory_model, probabilities, train_at_lag

    keras.utils.set_random_seed(3)
    model, initial = compiled_memory_model(keras.layers.SimpleRNN(3), 0.05, 1.0, 5)
    model.fit(*first_value_task(8, 2, seed=9), epochs=5, verbose=0)  # Adam is not fresh: train_at_lag resets it
    samples = (16, 12, 20)
    accuracy, curves = train_at_lag(model, initial, lag=2, steps=10, seed=4, noise=1.0, samples=samples)
    kept = model.get_weights()

    keras.utils.set_random_seed(3)
    reference, start = compiled_memory_model(keras.layers.SimpleRNN(3), 0.05, 1.0, 1)  # one step per call
    reference.set_weights(initial)
    x, y = first_value_task(16, 2, seed=4, noise=1.0)
    x_val, y_val = first_value_task(12, 2, seed=6, noise=1.0)
    losses = [reference.evaluate(x_val, y_val, batch_size=12, verbose=0)]
    weights = [reference.get_weights()]
    for _ in range(2):  # 2 x 5 full-batch steps of plain model.fit
        reference.fit(x, y, batch_size=len(x), epochs=5, shuffle=False, verbose=0)
        losses.append(reference.evaluate(x_val, y_val, batch_size=12, verbose=0))
        weights.append(reference.get_weights())
    np.testing.assert_allclose(curves["val_loss"], losses, rtol=1e-4)
    assert len(curves["loss"]) == 2
    best = int(np.argmin(losses))
    for mine, theirs in zip(kept, weights[best], strict=True):
        np.testing.assert_allclose(mine, theirs, rtol=1e-4, atol=1e-6)
    x_test, y_test = first_value_task(20, 2, seed=5, noise=1.0)
    assert accuracy == np.mean((probabilities(model, x_test) > 0.5) == y_test)
