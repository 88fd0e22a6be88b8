"""course_utils.adding_problem (notebook 02): the task of Hochreiter & Schmidhuber (1997) and its training harness."""

import keras
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_utils.adding_problem import AddingProblemStream, adding_problem, solved_fraction


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


def test_adding_problem_stream_replays_the_generator():
    stream = AddingProblemStream(20, chunk_size=8, seed=2)
    x_chunk, y_chunk = adding_problem(8, 20, seed=2 * 10**6 + 1)
    x, y = stream.batch(3, 4)  # sequences 12..15: the second half of chunk 1
    np.testing.assert_array_equal(x, x_chunk[4:])
    np.testing.assert_array_equal(y, y_chunk[4:])
    again = stream.batch(3, 4)
    np.testing.assert_array_equal(again[0], x)  # replayed: the same sequences, not new ones
    np.testing.assert_array_equal(again[1], y)
    assert AddingProblemStream(20, chunk_size=8, seed=3).batch(3, 4)[1].tolist() != y.tolist()  # another seed
    assert not np.array_equal(stream.batch(0, 4)[1], y)
    with pytest.raises(ValueError, match="batch_size must divide chunk_size=8"):
        stream.batch(0, 3)
    with pytest.raises(ValueError, match="T must be >= 20"):
        AddingProblemStream(10)
    with pytest.raises(ValueError, match="index must be >= 0"):
        stream.batch(-1, 4)


def test_adding_problem_stream_batches_feed_fit():
    stream = AddingProblemStream(20, chunk_size=8, seed=2)
    batches = stream.batches(4)
    for index in range(5):  # across the chunk boundary (two batches per chunk)
        x, y = next(batches)
        x_expected, y_expected = stream.batch(index, 4)
        np.testing.assert_array_equal(x, x_expected)
        assert y.shape == (4, 1)  # the model's output shape: no (batch, batch) broadcasting in a metric
        np.testing.assert_array_equal(y[:, 0], y_expected)
    with pytest.raises(ValueError, match="batch_size must divide chunk_size=8, got 3"):
        stream.batches(3)  # raised at the call, not at the first next()
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((None, 2)), keras.layers.LSTM(2), keras.layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    history = model.fit(stream.batches(4), steps_per_epoch=3, epochs=2, shuffle=False, verbose=0)
    assert len(history.history["loss"]) == 2 and np.all(np.isfinite(history.history["loss"]))

def test_solved_fraction():
    assert solved_fraction([0.5, 0.5, 0.5, 0.5], [0.5, 0.53, 0.55, 0.0]) == 0.5
    assert solved_fraction(np.zeros((3, 1)), np.zeros(3)) == 1.0
    assert solved_fraction([0.0], [0.05], tolerance=0.1) == 1.0
    with pytest.raises(ValueError, match="as many values"):
        solved_fraction([0.1, 0.2], [0.1])
    with pytest.raises(ValueError, match="tolerance must be >= 0"):
        solved_fraction([0.1], [0.1], tolerance=-1.0)
