"""Tune notebook 09's LSTM and MLP on the same small grid of learning rate x dropout, on the validation chorales.

    python -m scripts.music_tuning   (seed offset 0 only: about 3 minutes on 2 cores, 4 CPU minutes)

Notebook 09 trains its chorale LSTM (section 5) and its two-beat MLP once each, with a learning rate set by hand
and no dropout; the LSTM ends far below its validation loss on the training windows. This script gives both the
same grid, LEARNING_RATES x DROPOUTS, the notebook's data, split, seed (42, set before every fit as the notebook's
seed_everything does), batch sizes, early-stopping rule (PATIENCE epochs, best weights restored) and sizes, with one
Dropout layer before the output layer (after the LSTM, after the MLP's hidden layer). Each run is scored on the
validation chorales as the notebook scores it (NLL per voice and beat, the LSTM reading each chorale from its
first beat, the MLP its last two beats); the test chorales are not touched. It writes docs/music_tuning.json,
which notebook 09 prints as a run it did not make.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")  # as in the notebook

import numpy as np

from course_utils.music import (
    beat_windows,
    encode,
    load_chorales,
    next_beat_targets,
    nll_per_voice,
    pitch_classes,
    previous_beats,
    split_chorales,
)

OUT = Path(__file__).resolve().parent.parent / "docs" / "music_tuning.json"
SETTINGS = {"seed": 42, "learning_rates": [1e-3, 3e-3], "dropouts": [0.0, 0.2], "patience": 3, "max_epochs": 40,
            "lstm": {"units": 128, "embedding_dim": 16, "window": 32, "stride": 4, "batch_size": 32},
            "mlp": {"hidden": 512, "context": 2, "batch_size": 128}}


def lstm_model(n_classes: int, learning_rate: float, dropout: float):
    """Notebook 09's build_chorale_lstm, with a Dropout layer between the LSTM and the Dense layer."""
    import keras

    s = SETTINGS["lstm"]
    model = keras.Sequential([
        keras.Input(shape=(None, 4), dtype="int32"),  # (batch, T, 4) class ids
        keras.layers.Embedding(n_classes, s["embedding_dim"]),  # (batch, T, 4, embedding_dim)
        keras.layers.Reshape((-1, 4 * s["embedding_dim"])),  # (batch, T, 4 * embedding_dim)
        keras.layers.LSTM(s["units"], return_sequences=True),  # (batch, T, units)
        keras.layers.Dropout(dropout),  # (batch, T, units): rate 0 is the notebook's model
        keras.layers.Dense(4 * n_classes),  # (batch, T, 4 * K)
        keras.layers.Reshape((-1, 4, n_classes)),  # (batch, T, 4, K)
    ])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate, clipnorm=1.0),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    return model


def mlp_model(n_classes: int, learning_rate: float, dropout: float):
    """Notebook 09's two-beat MLP, with a Dropout layer after its hidden layer."""
    import keras

    s = SETTINGS["mlp"]
    model = keras.Sequential([
        keras.Input(shape=(s["context"] * 4 * n_classes,)),  # (batch, 376): two beats, one-hot
        keras.layers.Dense(s["hidden"], activation="relu"),  # (batch, 512)
        keras.layers.Dropout(dropout),  # (batch, 512): rate 0 is the notebook's model
        keras.layers.Dense(4 * n_classes),  # (batch, 188)
        keras.layers.Reshape((4, n_classes)),  # (batch, 4, 47)
    ])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    return model


def lstm_validation_nll(model, sequences) -> float:
    """Mean NLL per voice and beat, each chorale read from its first beat (the notebook's lstm_predictions)."""
    import tensorflow as tf

    padded = np.zeros((len(sequences), max(len(s) for s in sequences), 4), dtype=np.int32)  # (chorales, T, 4)
    for i, sequence in enumerate(sequences):
        padded[i, :len(sequence)] = sequence  # padding at the end never affects the beats before it
    probabilities = tf.nn.softmax(model.predict(padded, verbose=0)).numpy()  # (chorales, T, 4, K)
    predictions = np.concatenate([probabilities[i, :len(s) - 1] for i, s in enumerate(sequences)])  # (N, 4, K)
    return float(nll_per_voice(predictions, next_beat_targets(sequences)).mean())


def fit(model, train, validation, batch_size: int) -> dict:
    """model.fit with the notebook's early stopping; the epochs, seconds and the losses at the kept epoch."""
    import keras

    stop = keras.callbacks.EarlyStopping(patience=SETTINGS["patience"], restore_best_weights=True)
    start = time.perf_counter()
    history = model.fit(*train, batch_size=batch_size, epochs=SETTINGS["max_epochs"], validation_data=validation,
                        callbacks=[stop], verbose=0).history
    best = int(np.argmin(history["val_loss"]))
    return {"epochs": len(history["loss"]), "kept_epoch": best + 1, "seconds": time.perf_counter() - start,
            "training_loss_at_kept_epoch": float(history["loss"][best]),
            "validation_loss_at_kept_epoch": float(history["val_loss"][best])}


def main() -> None:
    # No options; a parser all the same, so that --help explains instead of starting four minutes of training.
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    import keras

    chorales = load_chorales()
    train, validation, _ = split_chorales(chorales, validation_fraction=0.1, test_fraction=0.1, seed=0)
    classes = pitch_classes(chorales)
    train_ids = [encode(c.steps, classes) for c in train]
    validation_ids = [encode(c.steps, classes) for c in validation]
    s_lstm, s_mlp = SETTINGS["lstm"], SETTINGS["mlp"]
    windows = {part: beat_windows(ids, s_lstm["window"], s_lstm["stride"])
               for part, ids in (("train", train_ids), ("validation", validation_ids))}
    one_hot = np.eye(classes.size, dtype="float32")

    def two_beats(ids):  # (N, 2 * 4 * 47): the MLP's input
        return one_hot[previous_beats(ids, s_mlp["context"])].reshape(len(next_beat_targets(ids)), -1)

    mlp_data = {part: (two_beats(ids), next_beat_targets(ids))
                for part, ids in (("train", train_ids), ("validation", validation_ids))}
    runs = []
    for learning_rate in SETTINGS["learning_rates"]:
        for dropout in SETTINGS["dropouts"]:
            keras.utils.set_random_seed(SETTINGS["seed"])
            model = lstm_model(classes.size, learning_rate, dropout)
            run = fit(model, windows["train"], windows["validation"], s_lstm["batch_size"])
            run |= {"model": "LSTM", "learning_rate": learning_rate, "dropout": dropout,
                    "validation_nll": lstm_validation_nll(model, validation_ids)}
            runs.append(run)
            keras.utils.set_random_seed(SETTINGS["seed"])
            model = mlp_model(classes.size, learning_rate, dropout)
            run = fit(model, mlp_data["train"], mlp_data["validation"], s_mlp["batch_size"])
            predictions = keras.ops.convert_to_numpy(keras.ops.softmax(model.predict(
                mlp_data["validation"][0], batch_size=1024, verbose=0)))  # (N, 4, K)
            run |= {"model": "MLP", "learning_rate": learning_rate, "dropout": dropout,
                    "validation_nll": float(nll_per_voice(predictions, mlp_data["validation"][1]).mean())}
            runs.append(run)
            for run in runs[-2:]:
                print(f"{run['model']:4} lr {run['learning_rate']:g} dropout {run['dropout']}: "
                      f"{run['epochs']} epochs ({run['seconds']:.0f} s), kept {run['kept_epoch']}, training loss "
                      f"{run['training_loss_at_kept_epoch']:.3f}, validation NLL {run['validation_nll']:.3f}",
                      flush=True)
    OUT.write_text(json.dumps({"script": "python -m scripts.music_tuning", "settings": SETTINGS, "runs": runs},
                              indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
