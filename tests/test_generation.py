"""course_utils.generation (notebooks 05, 09): softmax and temperature sampling, and the trained
Embedding -> LSTM -> Dense models run in NumPy, equal to Keras's predict on random shapes and weights."""

from __future__ import annotations

import functools
import re

import numpy as np
import pytest
from scipy.special import softmax as scipy_softmax

from course_utils.generation import (
    EmbeddingLSTMTrace,
    EmbeddingLSTMWeights,
    apply_temperature,
    embedding_lstm,
    embedding_lstm_weights,
    run_embedding_lstm,
    sample_with_temperature,
    softmax,
)

keras = pytest.importorskip("keras")

# --------------------------------------------------------------------------- softmax and temperature


def test_softmax_equals_scipy_and_keras_on_random_shapes():
    rng = np.random.default_rng(55)
    for _ in range(10):
        shape = tuple(int(n) for n in rng.integers(1, 5, size=rng.integers(0, 3))) + (int(rng.integers(2, 8)),)
        logits = rng.normal(scale=30, size=shape)  # (..., classes)
        np.testing.assert_allclose(softmax(logits), scipy_softmax(logits, axis=-1), rtol=1e-12)
        np.testing.assert_allclose(softmax(logits), np.asarray(keras.ops.softmax(logits, axis=-1)), rtol=1e-6)
    np.testing.assert_allclose(softmax([1000.0, 1000.0]), [0.5, 0.5])  # no overflow
    with pytest.raises(ValueError, match=re.escape("logits must have at least 1 dimension(s), got shape ()")):
        softmax(1.0)
    with pytest.raises(ValueError, match="logits must be finite"):
        softmax([0.0, np.inf])


def test_apply_temperature_matches_softmax_of_scaled_logs():
    rng = np.random.default_rng(4)
    for _ in range(20):
        probabilities = rng.dirichlet(np.ones(int(rng.integers(2, 30))), size=3)  # (3, V)
        temperature = float(rng.uniform(0.1, 3))
        reweighted = probabilities ** (1 / temperature)  # the definition, p_i ** (1 / T), normalised
        np.testing.assert_allclose(apply_temperature(probabilities, temperature),
                                   reweighted / reweighted.sum(axis=-1, keepdims=True), rtol=1e-9)
    p = np.array([0.5, 0.3, 0.2, 0.0])
    np.testing.assert_allclose(apply_temperature(p, 1.0), p)
    np.testing.assert_allclose(apply_temperature(p, 0.01), [1, 0, 0, 0], atol=1e-12)  # cold: the argmax
    np.testing.assert_allclose(apply_temperature(p, 1e4)[:3], [1 / 3] * 3, atol=1e-3)  # hot: uniform over the possible
    assert apply_temperature(p, 1e4)[3] == 0.0  # an impossible character stays impossible
    for bad, message in [((p, 0.0), "temperature must be >= 1e-06, got 0.0"),
                         ((p, -1.0), "temperature must be >= 1e-06, got -1.0"),
                         ((-p, 1.0), "probabilities must be distributions (..., classes), none negative"),
                         ((np.zeros((2, 3)), 1.0), "none all zeros, got shape (2, 3) with values from 0.0 to 0.0"),
                         ((0.5, 1.0), "probabilities must be distributions")]:
        with pytest.raises(ValueError, match=re.escape(message)):
            apply_temperature(*bad)


def test_sampling_is_seeded_and_follows_the_distribution():
    p = np.array([0.6, 0.25, 0.1, 0.05, 0.0])
    many = np.tile(p, (20_000, 1))
    draws = sample_with_temperature(many, 1.0, np.random.default_rng(5))
    assert draws.shape == (20_000,)
    frequencies = np.bincount(draws, minlength=5) / len(draws)
    np.testing.assert_allclose(frequencies, p, atol=0.015)
    cold = np.bincount(sample_with_temperature(many, 0.5, np.random.default_rng(6)), minlength=5) / len(draws)
    np.testing.assert_allclose(cold, apply_temperature(p, 0.5), atol=0.015)
    np.testing.assert_array_equal(sample_with_temperature(many[:50], 0.7, np.random.default_rng(7)),
                                  sample_with_temperature(many[:50], 0.7, np.random.default_rng(7)))
    with pytest.raises(TypeError, match="rng must be a Generator, got int 7"):
        sample_with_temperature(p, 1.0, 7)


# --------------------------------------------------------------------------- Embedding -> LSTM -> Dense, in NumPy


def _random_weights(layer, rng, scale=0.8):
    """Replace a built layer's weights with random ones (so the test does not rest on the initialiser)."""
    weights = [rng.normal(0.0, scale, size=w.shape).astype(np.float32) for w in layer.get_weights()]
    layer.set_weights(weights)
    return weights


# (batch, T, vocabulary, embedding_dim, units): edge cases first, then random shapes from a seeded loop.
_model_rng = np.random.default_rng(509)
MODEL_SHAPES = [(1, 1, 2, 1, 1), (2, 3, 2, 1, 4)] + [
    tuple(int(v) for v in _model_rng.integers([1, 1, 2, 1, 1], [5, 13, 12, 7, 10])) for _ in range(5)]
BUILDERS = ["char", "chorale"]  # notebook 05's model: ids (batch, T); notebook 09's: (batch, T, 4 voices)


def _built_model(builder, vocabulary, embedding_dim, units, rng):
    """A course model (build_char_lstm or build_chorale_lstm) with random weights, not the initialiser's."""
    from course_utils.music import build_chorale_lstm
    from course_utils.text import build_char_lstm

    build = build_char_lstm if builder == "char" else build_chorale_lstm
    model = build(vocabulary, units=units, embedding_dim=embedding_dim)
    for layer in model.layers:
        if layer.get_weights():
            _random_weights(layer, rng)
    return model


@pytest.mark.parametrize("builder", BUILDERS)
@pytest.mark.parametrize("shape", MODEL_SHAPES, ids=[f"b{b}-T{t}-V{v}-e{e}-u{u}" for b, t, v, e, u in MODEL_SHAPES])
def test_run_embedding_lstm_equals_model_predict(shape, builder):
    import tensorflow as tf

    batch, steps, vocabulary, embedding_dim, units = shape
    rng = np.random.default_rng([*shape, BUILDERS.index(builder)])
    model = _built_model(builder, vocabulary, embedding_dim, units, rng)
    ids = rng.integers(0, vocabulary, size=(batch, steps) if builder == "char" else (batch, steps, 4))
    expected = tf.nn.softmax(model.predict(ids, verbose=0)).numpy()  # (batch, T, V) or (batch, T, 4, V)
    trace = run_embedding_lstm(model, ids)
    assert isinstance(trace, EmbeddingLSTMTrace)
    assert trace.probabilities.shape == ids.shape + (vocabulary,)
    assert trace.h.shape == trace.c.shape == (batch, steps, units)
    np.testing.assert_allclose(trace.probabilities, expected, atol=1e-5)
    # The weights read once give the same run, and a run split in two carries its state across the cut.
    weights = embedding_lstm_weights(model)
    assert isinstance(weights, EmbeddingLSTMWeights) and all(w.dtype == np.float64 for w in weights)
    np.testing.assert_array_equal(run_embedding_lstm(weights, ids).probabilities, trace.probabilities)
    cut = steps // 2
    if cut:
        first = run_embedding_lstm(weights, ids[:, :cut])
        rest = run_embedding_lstm(weights, ids[:, cut:], first.h[:, -1], first.c[:, -1])
        np.testing.assert_allclose(rest.c, trace.c[:, cut:], atol=1e-12)
        np.testing.assert_allclose(rest.probabilities, trace.probabilities[:, cut:], atol=1e-12)


def test_run_embedding_lstm_reads_the_voices_side_by_side_in_order():
    """Swapping two voices of a beat changes the prediction: the comparison above really tests the layout."""
    rng = np.random.default_rng(3)
    model = _built_model("chorale", 6, 2, 3, rng)
    ids = rng.integers(0, 6, size=(2, 5, 4))
    swapped = ids[..., [1, 0, 2, 3]]
    assert np.max(np.abs(run_embedding_lstm(model, ids).h - run_embedding_lstm(model, swapped).h)) > 1e-3


@functools.cache
def _small_weights():
    return embedding_lstm_weights(_built_model("chorale", 5, 2, 3, np.random.default_rng(4)))


@pytest.mark.parametrize("ids,error,words", [
    (np.zeros((2, 3, 4)), TypeError, "ids must be an array of integers, got dtype float64"),
    (np.zeros(4, dtype=int), ValueError, re.escape("ids must have at least 2 dimension(s), got shape (4,)")),
    ([[1, 2], [3]], TypeError, "ids must be an array"),
    (np.zeros((1, 0, 4), dtype=int), ValueError, re.escape("ids must not be empty, got shape (1, 0, 4)")),
    (np.full((1, 2, 4), 5), ValueError, re.escape("ids must be in [0, vocabulary - 1 (4)], got values from 5 to 5")),
    (np.full((1, 2, 4), -1), ValueError, re.escape("ids must be in [0, vocabulary - 1 (4)], got values from -1")),
    (np.zeros((1, 2), dtype=int), ValueError, re.escape("ids must hold 4 ids a step for this model ((batch, T, k), or "
                                                        "(batch, T) for one), got shape (1, 2)")),
    (np.zeros((1, 2, 3), dtype=int), ValueError, re.escape("ids must hold 4 ids a step for this model")),
    (np.zeros((1, 2, 2, 2), dtype=int), ValueError, re.escape("ids must hold 4 ids a step for this model")),
])
def test_run_embedding_lstm_rejects_bad_ids(ids, error, words):
    with pytest.raises(error, match=words):
        run_embedding_lstm(_small_weights(), ids)


def test_embedding_lstm_weights_rejects_other_models_and_bad_weights():
    with pytest.raises(TypeError, match="model must be a Keras model with layers named embedding, lstm and logits"):
        embedding_lstm_weights(keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)]))
    with pytest.raises(TypeError, match="model must be a Keras model"):
        embedding_lstm_weights(None)
    good = _small_weights()
    for field, value, words in [
        ("recurrent_kernel", np.zeros((3, 8)), r"recurrent_kernel must have shape \(3, 12\)"),
        ("bias", np.zeros(8), r"bias must have shape \(12\)"),
        ("dense_kernel", np.zeros((2, 20)), r"dense_kernel must have shape \(3, "),
        ("dense_bias", np.zeros(19), r"dense_bias must have shape \(20\)"),
        ("kernel", np.zeros((7, 12)), r"kernel must have shape \(k \* embedding_dim 2, 4 \* units 12\)"),
        ("embedding", np.full((5, 2), np.nan), "embedding must be finite"),
    ]:
        with pytest.raises(ValueError, match=words):
            embedding_lstm_weights(good._replace(**{field: value}))
    with pytest.raises(ValueError, match="h0 must have shape"):
        run_embedding_lstm(good, np.zeros((2, 3, 4), dtype=int), h0=np.zeros((1, 3)))


def test_the_model_check_reads_no_weight_and_the_functions_read_them_checked():
    """embedding_lstm, the spec, checks a Keras model by its layers' shapes and gives it as it is; the functions read
    its weights, checked as given weights are: a training that diverged (NaN) is refused."""
    model = _built_model("chorale", 5, 2, 3, np.random.default_rng(4))
    dims = {}
    assert embedding_lstm("model", model, dims) is model
    assert dims == {"vocabulary": 5, "units": 3, "ids_per_step": 4}
    kernel, recurrent_kernel, bias = model.get_layer("lstm").get_weights()
    model.get_layer("lstm").set_weights([kernel, recurrent_kernel, np.full_like(bias, np.nan)])
    for read in (embedding_lstm_weights, lambda m: run_embedding_lstm(m, np.zeros((1, 2, 4), dtype=int))):
        with pytest.raises(ValueError, match="bias must be finite"):
            read(model)
    unbuilt = keras.Sequential([keras.layers.Embedding(5, 2, name="embedding"), keras.layers.LSTM(3, name="lstm"),
                                keras.layers.Dense(5, name="logits")])
    with pytest.raises(TypeError, match="model must be a Keras model .* its layers hold 0 weights, not 6"):
        embedding_lstm_weights(unbuilt)
