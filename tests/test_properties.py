"""Property tests (hypothesis) for course_utils: random valid input gives documented shapes and no NaN;
random invalid input raises TypeError/ValueError whose message names what was expected. Nothing else.

Each test that mixes valid and junk input counts how often each branch ran and asserts that both did,
so a strategy that only ever produces junk (testing error messages alone) fails the test.
"""

from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from course_utils.adding_problem import adding_problem
from course_utils.counting import counting_data
from course_utils.forecasting import make_windows
from course_utils.validation import as_float_array, check_float, check_int, check_shape
from tests.junk import junk, raises_clearly


def both_branches_ran(outcomes: Counter) -> None:
    assert outcomes["valid"] >= 1 and outcomes["refused"] >= 1, f"one branch never ran: {dict(outcomes)}"


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
        assert x.shape == (n, T + T // 10, 2) and y.shape == (n,) and np.all((y >= 0) & (y <= 1))
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


# check_shape, without restating its rule: build shapes that match by construction (each None replaced
# by any size) and shapes that cannot (one more or one fewer dimension, or one fixed size changed).
expected_shapes = st.lists(st.one_of(st.none(), st.integers(0, 5)), max_size=4).map(tuple)


@settings(max_examples=100, deadline=None)
@given(expected=expected_shapes, data=st.data())
def test_check_shape_accepts_every_shape_built_to_match(expected, data):
    shape = tuple(data.draw(st.integers(0, 5)) if size is None else size for size in expected)
    assert check_shape("w", np.zeros(shape), expected) is None


@settings(max_examples=100, deadline=None)
@given(expected=expected_shapes, data=st.data())
def test_check_shape_refuses_every_shape_built_not_to_match(expected, data):
    shape = [data.draw(st.integers(0, 5)) if size is None else size for size in expected]
    fixed = [position for position, size in enumerate(expected) if size is not None]
    how = data.draw(st.sampled_from(["extra dimension", "missing dimension", "changed size"]))
    if how == "extra dimension" or (how == "changed size" and not fixed) or (how == "missing dimension" and not shape):
        shape.insert(data.draw(st.integers(0, len(shape))), data.draw(st.integers(0, 5)))
    elif how == "missing dimension":
        shape.pop(data.draw(st.integers(0, len(shape) - 1)))
    else:
        position = data.draw(st.sampled_from(fixed))
        shape[position] = expected[position] + data.draw(st.integers(1, 3))
    with pytest.raises(ValueError, match=rf"w must have shape \(.*\), got {re_escape(tuple(shape))}"):
        check_shape("w", np.zeros(shape), expected)


def re_escape(value) -> str:
    import re

    return re.escape(str(value))


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


@st.composite
def full_batch_data(draw):
    """Valid data for the (3, 1) -> 1 model below: X (n, 3, 1) and y (n, 1), finite, n from 1 to 6."""
    n = draw(st.integers(1, 6))
    values = st.floats(-10, 10, allow_nan=False)
    return draw(hnp.arrays(np.float64, (n, 3, 1), elements=values)), draw(hnp.arrays(np.float64, (n, 1),
                                                                                       elements=values))


def test_fit_full_batch_on_any_data():
    import keras

    from course_utils.runtime import fit_full_batch

    model = keras.Sequential([keras.Input((3, 1)), keras.layers.Flatten(), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse", steps_per_execution=2)
    outcomes = Counter()

    # Junk steps stay small: a large valid step count (junk holds integers up to 10**6) would train for hours.
    small_junk_steps = junk.filter(lambda value: not isinstance(value, int) or isinstance(value, bool) or value <= 8)

    @settings(max_examples=30)
    @given(data=st.one_of(full_batch_data(), st.tuples(junk, junk)), steps=st.one_of(st.just(4), small_junk_steps))
    def check(data, steps):
        X, y = data
        try:
            history = fit_full_batch(model, X, y, steps=steps, steps_per_call=2)
        except (TypeError, ValueError) as error:
            assert " must " in str(error) or "compile the model" in str(error), str(error)
            assert "got" in str(error), str(error)
            outcomes["refused"] += 1
        else:  # valid data trains, one loss entry per call of steps_per_call steps
            assert len(history.history["loss"]) == steps // 2
            outcomes["valid"] += 1

    check()
    both_branches_ran(outcomes)


@st.composite
def extrapolation_arguments(draw):
    """Valid inputs, predictions and truth of one length, and a training maximum."""
    n = draw(st.integers(1, 8))
    values = hnp.arrays(np.float64, n, elements=st.floats(-100, 100, allow_nan=False))
    return draw(values), draw(values), draw(st.floats(-100, 100, allow_nan=False))


def test_plot_extrapolation_on_any_arguments():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from course_utils.counting import plot_extrapolation

    outcomes = Counter()

    @settings(max_examples=40)
    @given(arguments=st.one_of(extrapolation_arguments(), st.tuples(junk, junk, junk)))
    def check(arguments):
        inputs, truth, train_max = arguments
        try:
            ax = raises_clearly(plot_extrapolation, inputs, {"model": inputs}, truth, train_max,
                                expected_words=("inputs", "truth", "train_max", "predictions"))
        finally:
            plt.close("all")
        if ax is None:
            outcomes["refused"] += 1
        else:
            assert [line.get_label() for line in ax.get_lines()] == ["model", "truth"]
            outcomes["valid"] += 1

    check()
    both_branches_ran(outcomes)


@settings(max_examples=60)
@given(seed=st.one_of(junk, st.integers(0, 2**32 - 1)))
def test_seed_everything_on_any_seed(seed):
    from course_utils.runtime import seed_everything, seed_offset

    result = raises_clearly(seed_everything, seed, expected_words=("seed must", "seed + COURSE_SEED_OFFSET"))
    assert result is None or result == seed + seed_offset()  # offset 0 unless COURSE_SEED_OFFSET is set
