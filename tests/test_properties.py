"""Property tests (hypothesis) for course_utils: random valid input gives documented shapes and no NaN;
random invalid input raises TypeError/ValueError whose message names what was expected. Nothing else.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from course_utils.data import adding_problem, counting_data, make_windows
from course_utils.validation import as_float_array, check_float, check_int, check_shape

# Anything a learner might pass by mistake: wrong types, wrong ranks, NaN, empty, strings, None.
junk = st.one_of(
    st.none(), st.booleans(), st.text(max_size=5), st.floats(allow_nan=True), st.integers(-10**6, 10**6),
    st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
    hnp.arrays(hnp.array_dtypes(), hnp.array_shapes(min_dims=0, max_dims=3, max_side=4)),
    hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=1, max_side=30),
               elements=st.floats(allow_nan=True, allow_infinity=True)),
)


def raises_clearly(function, *args, expected_words=(), **kwargs):
    """Call `function`; it may succeed, or raise TypeError/ValueError naming the argument, nothing else."""
    try:
        return function(*args, **kwargs)
    except (TypeError, ValueError) as error:
        message = str(error)
        assert " must " in message and "got" in message, f"unclear message: {message!r}"
        assert any(word in message for word in expected_words), f"message names no argument: {message!r}"
        return None


@settings(max_examples=200, deadline=None)
@given(value=junk)
def test_make_windows_on_any_series(value):
    result = raises_clearly(make_windows, value, 2, 1, expected_words=("series", "lookback", "horizon"))
    if result is not None:
        X, y = result
        series = np.asarray(value, dtype=float)
        assert X.shape == (len(series) - 2, 2, 1) and y.shape == (len(series) - 2, 1)
        assert np.all(np.isfinite(X)) and np.all(np.isfinite(y))


@settings(max_examples=200, deadline=None)
@given(lookback=junk, horizon=junk)
def test_make_windows_on_any_sizes(lookback, horizon):
    result = raises_clearly(make_windows, np.arange(20.0), lookback, horizon,
                            expected_words=("lookback", "horizon"))
    if result is not None:
        X, y = result
        assert X.shape[1:] == (lookback, 1) and y.shape[1:] == (horizon,)


@settings(max_examples=100, deadline=None)
@given(n=junk)
def test_counting_data_on_any_n(n):
    result = raises_clearly(counting_data, n, expected_words=("n must",))
    if result is not None:
        data, target = result
        assert data.shape == (n, 1, 1) and target.shape == (n, 1)


@settings(max_examples=60, deadline=None)
@given(n=st.one_of(junk, st.integers(1, 5)), T=st.one_of(junk, st.integers(20, 40)),
       seed=st.one_of(junk, st.integers(0, 99)))
def test_adding_problem_on_any_arguments(n, T, seed):
    result = raises_clearly(adding_problem, n, T, seed, expected_words=("n must", "T must", "seed must"))
    if result is not None:
        x, y = result
        assert x.shape == (n, T + T // 10, 2) and y.shape == (n,)
        assert not np.isnan(x).any() and not np.isnan(y).any()


@settings(max_examples=300, deadline=None)
@given(value=junk, ndim=st.integers(0, 3))
def test_as_float_array_on_anything(value, ndim):
    result = raises_clearly(as_float_array, "x", value, ndim=ndim, expected_words=("x must",))
    if result is not None:
        assert result.dtype == np.float64 and result.ndim == ndim and np.all(np.isfinite(result))


@settings(max_examples=200, deadline=None)
@given(value=junk)
def test_scalar_checks_on_anything(value):
    as_int = raises_clearly(check_int, "k", value, minimum=0, expected_words=("k must",))
    assert as_int is None or (isinstance(as_int, int) and as_int >= 0)
    as_float = raises_clearly(check_float, "r", value, minimum=0.0, expected_words=("r must",))
    assert as_float is None or (isinstance(as_float, float) and np.isfinite(as_float) and as_float >= 0)


@given(shape=hnp.array_shapes(min_dims=0, max_dims=4, max_side=5), expected=st.lists(st.one_of(
    st.none(), st.integers(0, 5)), max_size=4))
def test_check_shape_agrees_with_the_rule(shape, expected):
    matches = len(shape) == len(expected) and all(e is None or e == s for e, s in zip(expected, shape, strict=False))
    if matches:
        check_shape("w", np.zeros(shape), tuple(expected))
    else:
        with pytest.raises(ValueError, match=r"w must have shape \("):
            check_shape("w", np.zeros(shape), tuple(expected))


@settings(max_examples=60)
@given(lookback=st.one_of(junk, st.integers(1, 4)), horizon=st.one_of(junk, st.integers(1, 3)),
       units=st.one_of(junk, st.integers(1, 3)), activation=st.one_of(junk, st.sampled_from(["tanh", "relu"])),
       predict_step=st.one_of(junk, st.booleans()))
def test_build_counting_model_on_any_arguments(lookback, horizon, units, activation, predict_step):
    from course_utils.counting import build_counting_model

    model = raises_clearly(build_counting_model, lookback, horizon=horizon, activation=activation,
                           predict_step=predict_step, units=units,
                           expected_words=("lookback", "horizon", "units", "activation", "predict_step"))
    if model is not None:
        output = model(np.zeros((2, lookback, 1), dtype="float32"))
        assert output.shape == (2, horizon) and not np.isnan(output).any()


@settings(max_examples=40)
@given(X=junk, y=junk, steps=st.one_of(junk, st.just(4)))
def test_fit_full_batch_on_any_data(X, y, steps):
    import keras

    from course_utils.training import fit_full_batch

    model = keras.Sequential([keras.Input((3, 1)), keras.layers.Flatten(), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse", steps_per_execution=2)
    try:
        history = fit_full_batch(model, X, y, steps=steps, steps_per_call=2)
    except (TypeError, ValueError) as error:
        assert " must " in str(error) or "compile the model" in str(error), str(error)
        assert "got" in str(error), str(error)
    else:  # junk that happens to be valid data trains without NaN
        assert len(history.history["loss"]) == steps // 2


@settings(max_examples=60)
@given(inputs=junk, truth=junk, train_max=junk)
def test_plot_extrapolation_on_any_arguments(inputs, truth, train_max):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from course_utils.plots import plot_extrapolation

    raises_clearly(plot_extrapolation, inputs, {"model": inputs}, truth, train_max,
                   expected_words=("inputs", "truth", "train_max", "predictions"))
    plt.close("all")


@settings(max_examples=60)
@given(seed=junk)
def test_seed_everything_on_any_seed(seed):
    from course_utils.runtime import seed_everything

    result = raises_clearly(seed_everything, seed, expected_words=("seed must",))
    assert result is None or result == seed
