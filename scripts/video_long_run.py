"""Train notebook 10's CNN + LSTM and temporal convolution for one fixed, equal budget of epochs, past its rule.

    python -m scripts.video_long_run --offset 0   (then 1, 2, 3: one seed offset per run, about 2 CPU minutes each)

Notebook 10 trains every model under one early-stopping rule (patience 4 epochs), which stops its CNN + LSTM on a
plateau. This script asks what a longer budget changes, the same for both order-reading models: the notebook's
clips, models and seeds (seed 42 + offset, exactly as `seed_everything` gives them in the notebook), trained for
EPOCHS epochs each with no early stopping, keeping the weights of the epoch with the lowest validation loss
(best weights restored, chosen on validation only). Per epoch it records the training and validation loss and,
on the validation clips, the direction right given the axis for each reversal pair; at the end, once, the test
accuracy and test directions of the kept weights, and the training seconds. It writes them to
docs/video_long_run.json (merged: other offsets are kept), which notebook 10 plots as a run it did not make.
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

from course_utils.video import build_video_model, direction_counts, make_motion_clips

OUT = Path(__file__).resolve().parent.parent / "docs" / "video_long_run.json"
SETTINGS = {"frames": 8, "size": 24, "noise": 0.1, "distractors": 1, "train_clips": 3000, "validation_clips": 600,
            "test_clips": 1200, "units": 32, "learning_rate": 3e-3, "batch_size": 64, "epochs": 30}
MODELS = {"CNN + LSTM": "cnn_lstm", "temporal conv": "temporal_conv"}


def train_one(kind: str, seed: int, data: dict) -> dict:
    """Fit one model for SETTINGS["epochs"] epochs; keep the best validation-loss weights; score them on test."""
    import keras

    keras.utils.set_random_seed(seed)  # what seed_everything(SEED) does in the notebook before each fit
    model = build_video_model(kind, SETTINGS["size"], units=SETTINGS["units"],
                              learning_rate=SETTINGS["learning_rate"])
    record = {"loss": [], "val_loss": [], "val_direction": []}
    best = {"loss": np.inf, "weights": None, "epoch": -1}

    def on_epoch_end(epoch, logs):
        record["loss"].append(float(logs["loss"]))
        record["val_loss"].append(float(logs["val_loss"]))
        called = model.predict(data["validation"].clips, verbose=0).argmax(axis=1)
        counts = direction_counts(data["validation"].labels, called)
        record["val_direction"].append({pair: right / axis if axis else None for pair, (right, axis) in counts.items()})
        if logs["val_loss"] < best["loss"]:
            best.update(loss=float(logs["val_loss"]), weights=model.get_weights(), epoch=epoch)

    start = time.perf_counter()
    model.fit(data["train"].clips, data["train"].labels, epochs=SETTINGS["epochs"],
              validation_data=(data["validation"].clips, data["validation"].labels),
              batch_size=SETTINGS["batch_size"], verbose=0,
              callbacks=[keras.callbacks.LambdaCallback(on_epoch_end=on_epoch_end)])
    record["training_seconds"] = time.perf_counter() - start  # includes the per-epoch validation predictions
    model.set_weights(best["weights"])
    called = model.predict(data["test"].clips, verbose=0).argmax(axis=1)
    counts = direction_counts(data["test"].labels, called)
    record.update(kept_epoch=best["epoch"] + 1, test_accuracy=float(np.mean(called == data["test"].labels)),
                  test_direction={pair: right / axis if axis else None for pair, (right, axis) in counts.items()})
    return record


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--offset", type=int, required=True, help="seed offset: the notebook's seed is 42 + offset")
    args = parser.parse_args()
    seed = 42 + args.offset
    s = SETTINGS
    data = {part: make_motion_clips(n, s["frames"], s["size"], s["noise"], s["distractors"], seed=seed + shift)
            for part, n, shift in (("train", s["train_clips"], 0), ("validation", s["validation_clips"], 1),
                                   ("test", s["test_clips"], 2))}
    runs = {name: train_one(kind, seed, data) for name, kind in MODELS.items()}
    for name, run in runs.items():
        print(f"offset {args.offset} {name}: kept epoch {run['kept_epoch']}, test accuracy {run['test_accuracy']:.3f},"
              f" {run['training_seconds']:.0f} s, test directions {run['test_direction']}")
    stored = json.loads(OUT.read_text()) if OUT.exists() else {"settings": SETTINGS, "offsets": {}}
    if stored["settings"] != SETTINGS:
        stored = {"settings": SETTINGS, "offsets": {}}  # other settings: earlier offsets no longer comparable
    stored["script"] = "python -m scripts.video_long_run --offset N"
    stored["offsets"][str(args.offset)] = runs
    OUT.write_text(json.dumps(stored, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
