"""Property tests (hypothesis) for the recurrent cells in NumPy: course_utils.rnn and course_utils.lstm.

Random valid shapes and weights give arrays of the documented shapes, finite and inside the ranges the
equations allow (tanh states in [-1, 1], gates in [0, 1]); junk in any argument raises TypeError or
ValueError whose message names the argument. The agreement with Keras is tested in test_rnn/test_lstm.
"""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from course_utils.lstm import gru_forward, lstm_forward, lstm_gradient_norms
from course_utils.rnn import (
    bptt_gradient_norms,
    largest_singular_value,
    pascanu_bound,
    scale_to_singular_value,
    simple_rnn_forward,
    spectral_radius,
)
from tests.junk import junk, raises_clearly, realistic, realistic_junk

sizes = st.fixed_dictionaries({
    "batch": st.integers(1, 4), "steps": st.integers(1, 8), "features": st.integers(1, 3),
    "units": st.integers(1, 5), "scale": st.floats(0.01, 3.0), "seed": st.integers(0, 2**16),
})


def random_weights(size, gates, bias_shape=None):
    """x (batch, T, features) and Keras-layout weights for a cell with `gates` blocks of `units`."""
    rng = np.random.default_rng(size["seed"])
    units, scale = size["units"], size["scale"]
    x = rng.normal(size=(size["batch"], size["steps"], size["features"]))
    kernel = scale * rng.normal(size=(size["features"], gates * units))
    recurrent_kernel = scale * rng.normal(size=(units, gates * units))
    bias = rng.normal(size=bias_shape or (gates * units,))
    return x, kernel, recurrent_kernel, bias


@settings(max_examples=80, deadline=None)
@given(size=sizes)
def test_simple_rnn_shapes_ranges_and_gradient_norms(size):
    x, kernel, recurrent_kernel, bias = random_weights(size, gates=1)
    states = simple_rnn_forward(x, kernel, recurrent_kernel, bias)
    norms = bptt_gradient_norms(x, kernel, recurrent_kernel, bias)
    assert states.shape == (size["batch"], size["steps"], size["units"])
    assert np.all(np.abs(states) <= 1.0)
    assert norms.shape == (size["batch"], size["steps"]) and np.all(np.isfinite(norms)) and np.all(norms >= 0)
    np.testing.assert_allclose(norms[:, -1], np.sqrt(size["units"]))  # d(sum h_T)/d h_T is a vector of ones


@settings(max_examples=80, deadline=None)
@given(size=sizes)
def test_lstm_trace_shapes_and_ranges(size):
    x, kernel, recurrent_kernel, bias = random_weights(size, gates=4)
    trace = lstm_forward(x, kernel, recurrent_kernel, bias)
    for name, values in trace._asdict().items():
        assert values.shape == (size["batch"], size["steps"], size["units"]), name
        assert np.all(np.isfinite(values)), name
    for gate in (trace.i, trace.f, trace.o):
        assert np.all((gate >= 0) & (gate <= 1))
    assert np.all(np.abs(trace.g) <= 1) and np.all(np.abs(trace.h) <= 1)
    # |c_t| <= |c_{t-1}| + 1 at every step, from c = f c + i g with f, i in [0, 1] and |g| <= 1
    assert np.all(np.abs(trace.c) <= np.arange(1, size["steps"] + 1)[None, :, None] + 1e-9)
    for wrt in ("h", "c"):
        norms = lstm_gradient_norms(x, kernel, recurrent_kernel, bias, wrt=wrt)
        assert norms.shape == (size["batch"], size["steps"]) and np.all(np.isfinite(norms)) and np.all(norms >= 0)


@settings(max_examples=80, deadline=None)
@given(size=sizes)
def test_gru_trace_shapes_and_ranges(size):
    x, kernel, recurrent_kernel, bias = random_weights(size, gates=3, bias_shape=(2, 3 * size["units"]))
    trace = gru_forward(x, kernel, recurrent_kernel, bias)
    for name, values in trace._asdict().items():
        assert values.shape == (size["batch"], size["steps"], size["units"]), name
        assert np.all(np.isfinite(values)), name
    assert np.all(np.abs(trace.h) <= 1)  # a convex mix of h0 = 0 and tanh candidates


# One junk argument at a time, the others valid: a clear TypeError/ValueError, or (if the junk happens
# to be valid) a finite result.
ARGUMENT_NAMES = ("x", "kernel", "recurrent_kernel", "bias", "h0")


@settings(max_examples=150, deadline=None)
@given(position=st.integers(0, 4), value=realistic_junk)
def test_simple_rnn_junk_argument(position, value):
    arguments = list(random_weights({"batch": 2, "steps": 3, "features": 2, "units": 3, "scale": 0.5,
                                     "seed": 0}, gates=1)) + [None]
    arguments[position] = value
    states = raises_clearly(simple_rnn_forward, *arguments, expected_words=ARGUMENT_NAMES)
    if states is not None:
        assert states.ndim == 3 and np.all(np.isfinite(states))
    raises_clearly(bptt_gradient_norms, *arguments, expected_words=ARGUMENT_NAMES)


@settings(max_examples=150, deadline=None)
@given(position=st.integers(0, 5), value=realistic_junk)
def test_lstm_and_gru_junk_argument(position, value):
    size = {"batch": 2, "steps": 3, "features": 2, "units": 3, "scale": 0.5, "seed": 0}
    arguments = list(random_weights(size, gates=4)) + [None, None]
    arguments[position] = value
    trace = raises_clearly(lstm_forward, *arguments, expected_words=ARGUMENT_NAMES + ("c0",))
    if trace is not None:
        assert all(np.all(np.isfinite(values)) for values in trace)
    gru_arguments = list(random_weights(size, gates=3, bias_shape=(2, 9))) + [None]
    if position < 5:
        gru_arguments[position] = value
        raises_clearly(gru_forward, *gru_arguments, expected_words=ARGUMENT_NAMES)


@settings(max_examples=100, deadline=None)
@given(n=st.one_of(realistic_junk, st.integers(1, 6)), lag=st.one_of(realistic_junk, st.integers(0, 30)),
       seed=st.one_of(realistic_junk, st.integers(0, 99)), noise=st.one_of(realistic_junk, st.floats(0, 5)))
def test_first_value_task_on_any_arguments(n, lag, seed, noise):
    from course_utils.rnn import first_value_task

    result = raises_clearly(first_value_task, n, lag, seed, noise,
                            expected_words=("n must", "lag must", "seed must", "noise must"))
    if result is not None:
        x, y = result
        assert x.shape == (n, lag + 1, 1) and y.shape == (n,) and np.all(np.isfinite(x))
        np.testing.assert_array_equal(x[:, 0, 0], 2 * y - 1)  # the first value is the label, as +1 / -1


@settings(max_examples=150, deadline=None)
@given(matrix=st.one_of(realistic_junk, hnp.arrays(np.float64, st.tuples(st.integers(1, 6), st.integers(1, 6)),
                                         elements=st.floats(-10, 10))),
       target=st.one_of(realistic_junk, st.floats(0.01, 3)))
def test_singular_value_helpers_on_any_matrix(matrix, target):
    words = ("matrix", "target")
    sigma = raises_clearly(largest_singular_value, matrix, expected_words=words)
    if sigma is None:
        return
    assert np.isfinite(sigma) and sigma >= 0
    radius = raises_clearly(spectral_radius, matrix, expected_words=words)
    assert radius is None or radius <= sigma * (1 + 1e-9) + 1e-12  # |eigenvalue| never exceeds the spectral norm
    scaled = raises_clearly(scale_to_singular_value, matrix, target, expected_words=words)
    if scaled is not None:
        np.testing.assert_allclose(largest_singular_value(scaled), target, rtol=1e-9)


@settings(max_examples=150, deadline=None)
@given(singular_value=st.one_of(realistic_junk, st.floats(0, 2)), units=st.one_of(realistic_junk, st.integers(1, 64)),
       # an exponent: lags up to 50, so that even a junk singular value of 1e6 gives a bound float64 holds (1e300)
       lags=st.one_of(junk.filter(lambda value: realistic(value, largest=50)),
                      hnp.arrays(np.float64, st.integers(1, 10), elements=st.floats(0, 50))))
def test_pascanu_bound_on_any_arguments(singular_value, lags, units):
    bound = raises_clearly(pascanu_bound, singular_value, lags, units,
                           expected_words=("singular_value", "lags", "units", "gamma"))
    if bound is not None:
        assert bound.shape == np.shape(lags) and np.all(np.isfinite(bound)) and np.all(bound >= 0)


@settings(max_examples=15, deadline=None)
@given(input_size=st.integers(1, 6), units=st.integers(1, 6))
def test_parameter_counts_equal_keras(input_size, units):
    import keras

    from course_utils.lstm import gru_parameter_count, lstm_parameter_count

    for layer, count in ((keras.layers.LSTM(units), lstm_parameter_count),
                         (keras.layers.GRU(units), gru_parameter_count)):
        layer.build((None, 3, input_size))
        assert layer.count_params() == count(input_size, units)


@settings(max_examples=100, deadline=None)
@given(units=st.one_of(realistic_junk, st.integers(1, 64)), max_lag=st.one_of(realistic_junk, st.integers(3, 500)),
       seed=st.one_of(realistic_junk, st.integers(0, 99)))
def test_chrono_forget_bias_on_any_arguments(units, max_lag, seed):
    from course_utils.lstm import chrono_forget_bias

    bias = raises_clearly(chrono_forget_bias, units, max_lag, seed, expected_words=("units", "max_lag", "seed"))
    if bias is not None:
        assert bias.shape == (units,) and np.all(bias >= 0) and np.all(bias <= np.log(max_lag - 1) + 1e-12)


@settings(max_examples=150, deadline=None)
@given(predictions=st.one_of(realistic_junk, hnp.arrays(np.float64, st.integers(1, 20), elements=st.floats(-2, 2))),
       tolerance=st.one_of(realistic_junk, st.floats(0, 1)))
def test_solved_fraction_on_any_arguments(predictions, tolerance):
    from course_utils.adding_problem import solved_fraction

    targets = np.zeros(np.shape(predictions)) if isinstance(predictions, np.ndarray) else np.zeros(3)
    fraction = raises_clearly(solved_fraction, predictions, targets, tolerance,
                              expected_words=("predictions", "targets", "tolerance"))
    assert fraction is None or 0.0 <= fraction <= 1.0


@settings(max_examples=30, deadline=None)
@given(index=st.one_of(realistic_junk, st.integers(0, 5)),
       batch_size=st.one_of(realistic_junk, st.sampled_from([1, 4, 8, 16, 5])))
def test_adding_problem_stream_on_any_arguments(index, batch_size):
    from course_utils.adding_problem import AddingProblemStream

    stream = AddingProblemStream(T=20, chunk_size=16, seed=1)
    batch = raises_clearly(stream.batch, index, batch_size, expected_words=("index", "batch_size"))
    if batch is not None:
        x, y = batch
        assert x.shape == (batch_size, 22, 2) and y.shape == (batch_size,)
        replay_x, _ = AddingProblemStream(T=20, chunk_size=16, seed=1).batch(index, batch_size)
        np.testing.assert_array_equal(x, replay_x)  # every model sees the same sequences
