"""course_utils.adding_problem (notebook 02): the task of Hochreiter & Schmidhuber (1997) and its training harness."""

import keras
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_utils.adding_problem import (
    AddingProblemStream,
    AddingRun,
    adding_problem,
    fit_until_solved,
    fresh_start,
    solved_fraction,
    solved_rate_metric,
)


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
    with pytest.raises(ValueError, match="T must be >= 20"):
        AddingProblemStream(10)
    with pytest.raises(ValueError, match="index must be >= 0"):
        stream.batch(-1, 4)


def test_a_batch_may_span_chunks():
    """Sequence k of the stream is sequence k % chunk_size of chunk k // chunk_size, whatever the batch size."""
    stream = AddingProblemStream(20, chunk_size=8, seed=2)
    chunks = [adding_problem(8, 20, seed=2 * 10**6 + chunk) for chunk in range(3)]
    every_x = np.concatenate([x for x, _ in chunks])  # (24, 22, 2): sequences 0..23 of the stream
    every_y = np.concatenate([y for _, y in chunks])
    for batch_size in (3, 5, 8, 11):
        for index in range(24 // batch_size):
            x, y = stream.batch(index, batch_size)
            np.testing.assert_array_equal(x, every_x[index * batch_size : (index + 1) * batch_size])
            np.testing.assert_array_equal(y, every_y[index * batch_size : (index + 1) * batch_size])


def test_adding_problem_stream_batches_feed_fit():
    stream = AddingProblemStream(20, chunk_size=8, seed=2)
    batches = stream.batches(4)
    for index in range(5):  # across the chunk boundary (two batches per chunk)
        x, y = next(batches)
        x_expected, y_expected = stream.batch(index, 4)
        np.testing.assert_array_equal(x, x_expected)
        assert y.shape == (4, 1)  # the model's output shape: no (batch, batch) broadcasting in a metric
        np.testing.assert_array_equal(y[:, 0], y_expected)
    with pytest.raises(ValueError, match="batch_size must be >= 1, got 0"):
        stream.batches(0)  # raised at the call, not at the first next()
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((None, 2)), keras.layers.LSTM(2), keras.layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    history = model.fit(stream.batches(4), steps_per_epoch=3, epochs=2, shuffle=False, verbose=0)
    assert len(history.history["loss"]) == 2 and np.all(np.isfinite(history.history["loss"]))


def test_solved_fraction():
    assert solved_fraction([0.5, 0.5, 0.5, 0.5], [0.5, 0.53, 0.55, 0.0]) == 0.5
    assert solved_fraction(np.zeros((3, 1)), np.zeros(3)) == 1.0  # a model's (n, 1) output against (n,) targets
    assert solved_fraction([0.0], [0.05], tolerance=0.1) == 1.0
    assert solved_fraction([0.0], [0.04]) == 0.0  # the paper's 0.04, strictly below
    with pytest.raises(ValueError, match=r"targets must have shape \(2\), got \(1,\)"):
        solved_fraction([0.1, 0.2], [0.1])
    with pytest.raises(ValueError, match="tolerance must be >= 0"):
        solved_fraction([0.1], [0.1], tolerance=-1.0)


def test_solved_rate_metric_counts_what_solved_fraction_counts():
    rng = np.random.default_rng(0)
    y_true = rng.uniform(size=(50, 1)).astype("float32")
    y_pred = (y_true + rng.uniform(-0.08, 0.08, size=(50, 1))).astype("float32")
    metric = solved_rate_metric()
    assert metric.__name__ == "solved_rate"  # the name fit logs: solved_rate, val_solved_rate
    expected = solved_fraction(y_pred, y_true)
    assert 0.2 < expected < 0.8  # the sample is neither all solved nor none
    assert float(metric(keras.ops.convert_to_tensor(y_true), keras.ops.convert_to_tensor(y_pred))) == pytest.approx(
        expected)
    assert float(solved_rate_metric(1.0)(y_true, y_pred)) == 1.0
    with pytest.raises(ValueError, match="tolerance must be >= 0"):
        solved_rate_metric(-0.1)


def tiny_model(units=2):
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((None, 2)), keras.layers.LSTM(units), keras.layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse", metrics=[solved_rate_metric()])
    return model


def test_fit_until_solved_stops_on_the_criterion_and_counts_the_sequences():
    stream = AddingProblemStream(20, chunk_size=16, seed=2)
    x_validation, y_validation = adding_problem(20, 20, seed=5)
    # A criterion every model meets (0 % solved) stops after the first epoch; one none meets runs the budget.
    run = fit_until_solved(tiny_model(), stream, x_validation, y_validation, max_sequences=64, batch_size=4,
                           check_every=2, target=0.0)
    assert isinstance(run, AddingRun) and run.reached and run.sequences == 8 and len(run.history["loss"]) == 1
    assert len(run.epoch_cpu_seconds) == 1 and run.epoch_cpu_seconds[0] > 0
    assert set(run.history) >= {"loss", "val_loss", "solved_rate", "val_solved_rate"}
    run = fit_until_solved(tiny_model(), stream, x_validation, y_validation, max_sequences=64, batch_size=4,
                           check_every=2, target=1.0)
    assert not run.reached and run.sequences == 64 and len(run.history["val_loss"]) == len(run.epoch_cpu_seconds) == 8
    assert run.history["val_solved_rate"][-1] < 1.0


def test_fit_until_solved_rejects_what_it_cannot_train():
    stream = AddingProblemStream(20, chunk_size=16, seed=2)
    x_validation, y_validation = adding_problem(20, 20, seed=5)
    with pytest.raises(TypeError, match="model must be a keras.Model"):
        fit_until_solved("model", stream, x_validation, y_validation, max_sequences=8)
    with pytest.raises(TypeError, match="stream must be a AddingProblemStream"):
        fit_until_solved(tiny_model(), iter([]), x_validation, y_validation, max_sequences=8)
    with pytest.raises(ValueError, match=r"y_validation must have shape \(20\), got \(5,\)"):
        fit_until_solved(tiny_model(), stream, x_validation, y_validation[:5], max_sequences=8)
    with pytest.raises(ValueError, match="target must be <= 1.0, got 99.0"):
        fit_until_solved(tiny_model(), stream, x_validation, y_validation, max_sequences=8, target=99.0)
    model = keras.Sequential([keras.Input((None, 2)), keras.layers.LSTM(2), keras.layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")  # without the metric the callback cannot read the criterion
    with pytest.raises(ValueError, match="needs the metric solved_rate_metric"):
        fit_until_solved(model, stream, x_validation, y_validation, max_sequences=8, batch_size=4, check_every=2)


def test_fresh_start_trains_like_a_new_model():
    """A model restarted by fresh_start, after training, follows the same trajectory as a new model of that seed."""
    stream = AddingProblemStream(20, chunk_size=16, seed=2)
    x_validation, y_validation = adding_problem(20, 20, seed=5)

    def train(model):
        return fit_until_solved(model, stream, x_validation, y_validation, max_sequences=24, batch_size=4,
                                check_every=2, target=1.0).history["loss"]

    used = tiny_model()
    optimizer = keras.optimizers.Adam(0.01, global_clipnorm=1.0)
    used.compile(optimizer=optimizer, loss="mse", metrics=[solved_rate_metric()])
    train(used)  # now trained: its weights and Adam's moments are far from a new model's
    keras.utils.set_random_seed(7)
    fresh_start(used)
    restarted_weights = used.get_weights()
    restarted = train(used)
    keras.utils.set_random_seed(7)
    new = keras.Sequential([keras.Input((None, 2)), keras.layers.LSTM(2), keras.layers.Dense(1)])  # seed 7's weights
    new.compile(optimizer=keras.optimizers.Adam(0.01, global_clipnorm=1.0), loss="mse",
                metrics=[solved_rate_metric()])
    for restarted_weight, new_weight in zip(restarted_weights, new.get_weights(), strict=True):
        np.testing.assert_array_equal(restarted_weight, new_weight)
    np.testing.assert_allclose(restarted, train(new), rtol=1e-5)
    assert float(used.optimizer.learning_rate) == pytest.approx(0.01)  # the learning rate is not reset
    with pytest.raises(TypeError, match="model must be a keras.Model"):
        fresh_start("model")
