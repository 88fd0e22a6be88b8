"""The next-beat LSTM (notebook 09): the Keras model, and its predictions for every scored beat, run in NumPy.

The model reads a chorale beat by beat, (batch, T, 4) class ids, and gives four softmaxes a beat, one per voice of
the next beat: logits (batch, T, 4, K). Its predictions are computed in NumPy from the trained weights with
course_utils.generation.run_embedding_lstm (notebook 02's lstm_forward), which also lets a run start from a state.
"""

from __future__ import annotations

import numpy as np

from course_utils.generation import embedding_lstm, run_embedding_lstm
from course_utils.music.baselines import N_CLASSES
from course_utils.music.encoding import encoded_chorales, previous_beats
from course_utils.validation import checked


def chorale_lstm(name: str, value, dims: dict):
    """The @checked spec of a model argument (model, sampling): the LSTM of build_chorale_lstm (or its weights, from
    embedding_lstm_weights), given as it is; fixes n_classes for the arguments after it."""
    model = embedding_lstm(name, value, dims)  # a model reading other than four ids a beat fails when it is run
    dims["n_classes"] = dims["vocabulary"]
    return model


@checked(n_classes=N_CLASSES, units="int in [1, 4096]", embedding_dim="int in [1, 1024]",
         learning_rate="float in [1e-9, 1]")
def build_chorale_lstm(n_classes: int, units: int = 128, embedding_dim: int = 16, learning_rate: float = 3e-3):
    """Beats (batch, T, 4) of class ids -> logits (batch, T, 4, K) for the next beat, compiled (notebook 09).

    One embedding shared by the voices, the four vectors of a beat side by side (so the LSTM knows which voice is
    which), an LSTM over the beats, and a Dense layer giving four softmaxes: the voices of the next beat are
    predicted from everything before it, independently of each other.
    """
    import keras

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


@checked(model=chorale_lstm, sequences=encoded_chorales, memory="int in [1, 64] or None")
def lstm_predictions(model, sequences, memory: int | None = None) -> np.ndarray:
    """The LSTM's distributions (N, 4, K) for every beat of `next_beat_targets(sequences)` (notebook 09).

    memory=None: each chorale is read from its first beat, so the prediction of a beat has seen every beat before
    it. memory=m: each prediction reads only the m beats before it, from a fresh state (the LSTM with its
    memory cut, for comparison with models that see m beats back).
    """
    padded = np.zeros((len(sequences), max(len(s) for s in sequences), 4), dtype=np.int64)  # (chorales, T, 4)
    for i, sequence in enumerate(sequences):
        padded[i, :len(sequence)] = sequence  # padding at the end: it never affects the beats before it
    probabilities = run_embedding_lstm(model, padded).probabilities  # (chorales, T, 4, K)
    predictions = np.concatenate([probabilities[i, :len(s) - 1] for i, s in enumerate(sequences)])  # (N, 4, K)
    if memory is not None:  # beats with more than `memory` beats before them: read the last `memory` only
        windows = previous_beats(sequences, memory)  # (N, memory, 4)
        cut = np.flatnonzero(np.concatenate([np.arange(len(s) - 1) >= memory for s in sequences]))  # rows to redo
        for start in range(0, len(cut), 256):  # 256 windows at a time
            rows = cut[start:start + 256]
            predictions[rows] = run_embedding_lstm(model, windows[rows]).probabilities[:, -1]
    return predictions
