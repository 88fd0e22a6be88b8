"""The next-beat LSTM (notebook 09): the Keras model, and its predictions for every scored beat, run in NumPy.

The model reads a chorale beat by beat, (batch, T, 4) class ids, and gives four softmaxes a beat, one per voice of
the next beat: logits (batch, T, 4, K). Its predictions are computed in NumPy from the trained weights with
course_utils.lstm.run_embedding_lstm (notebook 02's lstm_forward), which also lets a run start from a given state.
"""

from __future__ import annotations

import numpy as np

from course_utils.lstm import embedding_lstm_weights, run_embedding_lstm
from course_utils.music.encoding import _check_classes_size, _check_sequences, previous_beats
from course_utils.validation import check_float, check_int


def build_chorale_lstm(n_classes: int, units: int = 128, embedding_dim: int = 16, learning_rate: float = 3e-3):
    """Beats (batch, T, 4) of class ids -> logits (batch, T, 4, K) for the next beat, compiled (notebook 09).

    One embedding shared by the voices, the four vectors of a beat side by side (so the LSTM knows which voice is
    which), an LSTM over the beats, and a Dense layer giving four softmaxes: the voices of the next beat are
    predicted from everything before it, independently of each other.
    """
    import keras

    n_classes = _check_classes_size(n_classes)
    units = check_int("units", units, minimum=1, maximum=4096)
    embedding_dim = check_int("embedding_dim", embedding_dim, minimum=1, maximum=1024)
    learning_rate = check_float("learning_rate", learning_rate, minimum=1e-9, maximum=1.0)
    model = keras.Sequential([
        keras.Input(shape=(None, 4), dtype="int32"),  # (batch, T, 4) class ids of S, A, T, B
        keras.layers.Embedding(n_classes, embedding_dim, name="embedding"),  # (batch, T, 4, embedding_dim)
        keras.layers.Reshape((-1, 4 * embedding_dim)),  # (batch, T, 4 * embedding_dim): the voices side by side
        keras.layers.LSTM(units, return_sequences=True, name="lstm"),  # (batch, T, units)
        keras.layers.Dense(4 * n_classes, name="logits"),  # (batch, T, 4 * K)
        keras.layers.Reshape((-1, 4, n_classes)),  # (batch, T, 4, K): one softmax per voice
    ], name="chorale_lstm")
    model.compile(optimizer=keras.optimizers.Adam(learning_rate, clipnorm=1.0),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=[keras.metrics.SparseCategoricalAccuracy(name="accuracy")])
    return model


def lstm_predictions(model, sequences, memory: int | None = None) -> np.ndarray:
    """The LSTM's distributions (N, 4, K) for every beat of `next_beat_targets(sequences)` (notebook 09).

    memory=None: each chorale is read from its first beat, so the prediction of a beat has seen every beat before
    it. memory=m: each prediction reads only the m beats before it, from a fresh state (the LSTM with its
    memory cut, for comparison with models that see m beats back).
    """
    weights = embedding_lstm_weights(model)
    sequences = _check_sequences(sequences, len(weights.embedding))
    memory = None if memory is None else check_int("memory", memory, minimum=1, maximum=64)
    padded = np.zeros((len(sequences), max(len(s) for s in sequences), 4), dtype=np.int64)  # (chorales, T, 4)
    for i, sequence in enumerate(sequences):
        padded[i, :len(sequence)] = sequence  # padding at the end: it never affects the beats before it
    probabilities = run_embedding_lstm(weights, padded).probabilities  # (chorales, T, 4, K)
    predictions = np.concatenate([probabilities[i, :len(s) - 1] for i, s in enumerate(sequences)])  # (N, 4, K)
    if memory is not None:  # beats with more than `memory` beats before them: read the last `memory` only
        windows = previous_beats(sequences, memory)  # (N, memory, 4)
        cut = np.flatnonzero(np.concatenate([np.arange(len(s) - 1) >= memory for s in sequences]))  # rows to redo
        for start in range(0, len(cut), 256):  # 256 windows at a time
            rows = cut[start:start + 256]
            predictions[rows] = run_embedding_lstm(weights, windows[rows]).probabilities[:, -1]
    return predictions
