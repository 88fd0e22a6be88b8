"""course_utils.data: shapes, contents and clear errors, on random inputs (hypothesis)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_utils.data import adding_problem, counting_data, first_value_task, make_windows


@given(n=st.integers(1, 500))
def test_counting_data_is_the_decks(n):
    data, target = counting_data(n)
    assert data.shape == (n, 1, 1) and target.shape == (n, 1)
    np.testing.assert_array_equal(data.ravel(), np.arange(n))
    np.testing.assert_array_equal(target.ravel() - data.ravel(), np.ones(n))


def test_counting_data_default_matches_deck_literally():
    data, target = counting_data()
    deck_data = np.array([i for i in range(100)]).reshape((100, 1, 1))
    deck_target = np.array([i for i in range(1, 101)]).reshape((100, 1))
    np.testing.assert_array_equal(data, deck_data)
    np.testing.assert_array_equal(target, deck_target)


@pytest.mark.parametrize("bad, error", [(0, ValueError), (-3, ValueError), (2.5, TypeError), ("10", TypeError),
                                        (True, TypeError)])
def test_counting_data_rejects_bad_n(bad, error):
    with pytest.raises(error, match="n must be"):
        counting_data(bad)


@given(length=st.integers(2, 200), data=st.data())
def test_make_windows_shapes_and_contents(length, data):
    lookback = data.draw(st.integers(1, length - 1))
    horizon = data.draw(st.integers(1, length - lookback))
    series = np.random.default_rng(length).normal(size=length)
    X, y = make_windows(series, lookback, horizon)
    n = length - lookback - horizon + 1
    assert X.shape == (n, lookback, 1) and y.shape == (n, horizon)
    i = data.draw(st.integers(0, n - 1))
    np.testing.assert_array_equal(X[i, :, 0], series[i : i + lookback])
    np.testing.assert_array_equal(y[i], series[i + lookback : i + lookback + horizon])


def test_make_windows_counting_example():
    X, y = make_windows(np.arange(10), lookback=3, horizon=2)
    np.testing.assert_array_equal(X[0, :, 0], [0, 1, 2])
    np.testing.assert_array_equal(y[0], [3, 4])
    np.testing.assert_array_equal(X[-1, :, 0], [5, 6, 7])
    np.testing.assert_array_equal(y[-1], [8, 9])


@pytest.mark.parametrize(
    "series, lookback, horizon, error, message",
    [
        (np.arange(5), 5, 1, ValueError, "lookback \\+ horizon must be <= len\\(series\\)"),
        (np.arange(5), 3, 3, ValueError, "got lookback=3 \\+ horizon=3 > len\\(series\\)=5"),
        (np.ones((4, 2)), 1, 1, ValueError, "series must have 1 dimension\\(s\\), got shape \\(4, 2\\)"),
        (np.array([1.0, np.nan, 3.0, 4.0]), 1, 1, ValueError, "NaN"),
        ([], 1, 1, ValueError, "must not be empty"),
        (np.arange(5), 0, 1, ValueError, "lookback must be >= 1"),
        (np.arange(5), 1, 0, ValueError, "horizon must be >= 1"),
        (np.arange(5), 1.5, 1, TypeError, "lookback must be an integer"),
        ("12345", 1, 1, TypeError, "series must be an array of numbers"),
        (np.array(["a", "b"]), 1, 1, TypeError, "must hold integers or floats"),
        (np.array([True, False, True]), 1, 1, TypeError, "must hold integers or floats"),
    ],
)
def test_make_windows_rejects_bad_input(series, lookback, horizon, error, message):
    with pytest.raises(error, match=message):
        make_windows(series, lookback, horizon)


@settings(max_examples=25, deadline=None)
@given(n=st.integers(1, 40), T=st.integers(20, 150), seed=st.integers(0, 2**31))
def test_adding_problem_follows_the_paper(n, T, seed):
    x, y = adding_problem(n, T, seed)
    max_length = T + T // 10
    assert x.shape == (n, max_length, 2) and y.shape == (n,)
    assert x.dtype == np.float32 and y.dtype == np.float32
    for k in range(n):
        values, markers = x[k, :, 0], x[k, :, 1]
        started = np.flatnonzero(markers != 0)[0]  # pre-padding is all zeros
        length = max_length - started
        assert T <= length <= max_length
        assert np.all(x[k, :started] == 0)
        seq_values, seq_markers = values[started:], markers[started:]
        marked = np.flatnonzero(seq_markers == 1.0)
        assert len(marked) == 2, "exactly two marked pairs"
        a, b = marked
        assert (a < 10 and b < T // 2 - 1) or (b < 10 and a < T // 2 - 1), "X1 in the first 10, X2 in the first T/2-1"
        assert np.all(np.abs(seq_values) <= 1.0)
        unmarked_ends = [e for e in (0, length - 1) if e not in marked]
        assert np.all(seq_markers[unmarked_ends] == -1.0)
        middle = np.setdiff1d(np.arange(1, length - 1), marked)
        assert np.all(seq_markers[middle] == 0.0)
        if 0 in marked:
            assert seq_values[0] == 0.0
        np.testing.assert_allclose(y[k], 0.5 + seq_values[marked].sum() / 4, rtol=1e-6, atol=1e-6)  # float32
    assert np.all((0 <= y) & (y <= 1))


def test_adding_problem_is_seeded():
    a = adding_problem(8, 50, seed=3)
    b = adding_problem(8, 50, seed=3)
    c = adding_problem(8, 50, seed=4)
    np.testing.assert_array_equal(a[0], b[0])
    assert not np.array_equal(a[0], c[0])


@pytest.mark.parametrize("kwargs, error, message", [
    ({"n": 0, "T": 100, "seed": 0}, ValueError, "n must be >= 1"),
    ({"n": 5, "T": 10, "seed": 0}, ValueError, "T must be >= 20"),
    ({"n": 5, "T": 100, "seed": -1}, ValueError, "seed must be >= 0"),
    ({"n": 5, "T": 100.0, "seed": 0}, TypeError, "T must be an integer"),
])
def test_adding_problem_rejects_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        adding_problem(**kwargs)


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
