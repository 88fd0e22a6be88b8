"""Checkers for the exercises of notebook 06 (sentiment analysis): a stacked LSTM, a masked mean."""

from __future__ import annotations

import numpy as np

from course_utils.exercises import array, call, exercise, fail, keras_layers

CHECK_VOCABULARY = 50  # token ids 1..49 in the checker's random reviews; 0 is padding
CHECK_LENGTHS = (12, 30)  # the same reviews padded to two lengths


def _padded_reviews(seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Six random reviews of 3..10 tokens, padded with zeros to each of CHECK_LENGTHS."""
    rng = np.random.default_rng(seed)
    short = np.zeros((6, CHECK_LENGTHS[0]), dtype="int32")
    for row, length in enumerate(rng.integers(3, 11, size=6)):
        short[row, :length] = rng.integers(1, CHECK_VOCABULARY, size=length)
    long = np.zeros((6, CHECK_LENGTHS[1]), dtype="int32")
    long[:, : CHECK_LENGTHS[0]] = short
    return short, long


@exercise("Exercise 06.1 (a second LSTM layer)",
          hint="Write build(vocabulary_size) returning a Keras model: Embedding(mask_zero=True), "
               "LSTM(..., return_sequences=True), LSTM(...), Dense(1, sigmoid).")
def check_stacked_lstm(build):
    """`build(vocabulary_size)` must give a model with two stacked LSTM layers that ignores padding and ends in a
    sigmoid (P(fresh))."""
    import keras

    model = call(build, CHECK_VOCABULARY, what="build(vocabulary_size)")
    if not isinstance(model, keras.Model):
        fail(f"build must return a Keras model, got {type(model).__name__}")
    lstms = [layer for layer in keras_layers(model) if isinstance(layer, keras.layers.LSTM)]
    lstms = [layer for layer in lstms if not getattr(layer, "go_backwards", False)]  # a Bidirectional's counts once
    if len(lstms) < 2:
        fail(f"the model has {len(lstms)} LSTM layer(s); stack two, the first with return_sequences=True")
    if not lstms[0].return_sequences:
        fail("the first LSTM must return its whole sequence (return_sequences=True) so the second has one to read")
    short, long = _padded_reviews()
    scores_short = array(call(lambda x: np.asarray(model(x)), short, what="the model"), what="the model's output")
    scores_long = array(call(lambda x: np.asarray(model(x)), long, what="the model"), what="the model's output")
    if scores_short.shape != (6, 1):
        fail(f"the model must output one score per review, shape (batch, 1), got {scores_short.shape}")
    final = getattr(model.layers[-1], "activation", None)  # Dense(1, activation="sigmoid") or Activation("sigmoid")
    if getattr(final, "__name__", None) != "sigmoid":
        fail(f"the last layer must end in a sigmoid (Dense(1, activation=\"sigmoid\")), got activation "
             f"{getattr(final, '__name__', None)!r}: binary cross-entropy needs P(fresh) between 0 and 1, "
             "not a raw score")
    gap = float(np.max(np.abs(scores_short - scores_long)))
    if gap > 1e-4:
        fail(f"the same reviews padded to {CHECK_LENGTHS[0]} and {CHECK_LENGTHS[1]} tokens get scores up to "
             f"{gap:.3g} apart: the LSTMs read the padding. Give the Embedding mask_zero=True")


@exercise("Exercise 06.2 (a masked mean)",
          hint="masked_mean(embeddings, mask): sum the embeddings where mask is True, divide by the number of "
               "True entries of each row.")
def check_masked_mean(masked_mean):
    """`masked_mean(embeddings (b, T, d), mask (b, T) bool)` must average over the real tokens only."""
    rng = np.random.default_rng(6)
    for batch, steps, dim in [(1, 5, 3), (4, 7, 2), (3, 12, 8)]:
        embeddings = rng.normal(size=(batch, steps, dim))
        lengths = rng.integers(1, steps + 1, size=batch)
        lengths[0] = max(1, steps - 3)  # at least one row with padding
        mask = np.arange(steps)[None, :] < lengths[:, None]  # (batch, steps) True on real tokens
        expected = np.stack([embeddings[i, : lengths[i]].mean(axis=0) for i in range(batch)])
        answer = array(call(masked_mean, embeddings.copy(), mask.copy(), what="masked_mean(embeddings, mask)"),
                       shape=(batch, dim), what="masked_mean's result")
        if np.allclose(answer, embeddings.mean(axis=1)) and not np.allclose(expected, embeddings.mean(axis=1)):
            fail("that is the mean over all T steps, padding included: use the mask")
        if np.allclose(answer, (embeddings * mask[..., None]).sum(axis=1) / steps):
            fail("the padding is zeroed but you still divide by T: divide by the number of real tokens per row")
        if not np.allclose(answer, expected):
            fail(f"for embeddings of shape {embeddings.shape}, expected {np.round(expected[0], 3)} in row 0, "
                 f"got {np.round(answer[0], 3)}")
