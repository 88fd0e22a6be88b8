"""Train notebook 10's order-reading models past its rule: one long, equal budget, or a small grid chosen on validation.

    python -m scripts.video_long_run --offset 0   (then 1, 2, 3: one seed offset per run, about 2 CPU minutes each)
    python -m scripts.video_long_run --grid --offset 0   (then 1: the grid below, about 3 CPU minutes per offset)

Notebook 10 trains every model under one early-stopping rule (patience 4 epochs), which stops its CNN + LSTM on a
plateau. This script asks what a longer budget changes, the same for both order-reading models: the notebook's
clips, models and seeds (seed 42 + offset, exactly as `seed_everything` gives them in the notebook), trained for
EPOCHS epochs each with no early stopping, keeping the weights of the epoch with the lowest validation loss
(best weights restored, chosen on validation only). Per epoch it records the training and validation loss and,
on the validation clips, the direction right given the axis for each reversal pair; at the end, once, the test
accuracy and test directions of the kept weights, and the training seconds. It writes them to
docs/video_long_run.json (merged: other offsets are kept), which notebook 10 plots as a run it did not make.

With --grid it gives each order-reading model of the notebook (the CNN + LSTM, the temporal convolution and the
LSTM given frame differences) the same small grid, learning rate in GRID["learning_rate"] x patience of the
notebook's early-stopping rule in GRID["patience"] (its warm-up, minimum gain and cap of epochs unchanged). The
patiences cost one training per learning rate: early stopping does not change the training, only where it ends,
so one fit runs until the longest patience would stop and each shorter rule is read off where it would have
stopped, with the weights it would have kept. Per model and seed, the setting whose kept weights score the best
validation accuracy (ties: the lower validation loss) is chosen, and only that one is scored on the test clips.
The records go to the "grid" entry of the same file (merged per offset; the long runs above are kept).
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
GRID = {"learning_rate": [1e-3, 3e-3], "patience": [4, 10]}
RULE = {"max_epochs": 30, "warm_up": 4, "min_gain": 0.01}  # the notebook's MAX_EPOCHS, WARM_UP, MIN_GAIN
GRID_MODELS = {"CNN + LSTM": ("cnn_lstm", False), "temporal conv": ("temporal_conv", False),
               "LSTM, differences": ("cnn_lstm", True)}  # name in the notebook: (kind, frame_differences)


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


def rule_callbacks(patiences: list[int]) -> list:
    """The notebook's early-stopping rule once per patience; each notes where it would stop, and training goes on."""
    import keras

    class WouldStop(keras.callbacks.EarlyStopping):
        """keras's EarlyStopping as the notebook sets it, except that it records its stop instead of making it."""

        def __init__(self, patience: int):
            super().__init__(patience=patience, min_delta=RULE["min_gain"], start_from_epoch=RULE["warm_up"],
                             restore_best_weights=True)
            self.ended_after = None  # epochs it would have run; None while it would go on

        def on_epoch_end(self, epoch, logs=None):
            if self.ended_after is None:
                super().on_epoch_end(epoch, logs)
                if self.model.stop_training:  # here the notebook's fit would have stopped
                    self.ended_after, self.model.stop_training = epoch + 1, False

        def on_train_end(self, logs=None):  # the weights are put back by hand, per patience
            pass

    rules = [WouldStop(patience) for patience in patiences]

    def stop_when_every_rule_would(epoch, logs):
        if all(rule.ended_after is not None for rule in rules):
            rules[0].model.stop_training = True

    return [*rules, keras.callbacks.LambdaCallback(on_epoch_end=stop_when_every_rule_would)]


def grid_one(kind: str, differences: bool, seed: int, data: dict) -> dict:
    """One model's grid at one seed: a fit per learning rate, each rule read off it; the best on validation tested."""
    import keras

    configs, histories, kept = [], {}, {}
    for learning_rate in GRID["learning_rate"]:
        keras.utils.set_random_seed(seed)  # as seed_everything(SEED) before each fit in the notebook
        model = build_video_model(kind, SETTINGS["size"], units=SETTINGS["units"], learning_rate=learning_rate,
                                  frame_differences=differences)
        callbacks = rule_callbacks(GRID["patience"])
        ends = []  # seconds since the start of the fit, at the end of each epoch
        start = time.perf_counter()
        callbacks.append(keras.callbacks.LambdaCallback(
            on_epoch_end=lambda epoch, logs, ends=ends, start=start: ends.append(time.perf_counter() - start)))
        history = model.fit(data["train"].clips, data["train"].labels, epochs=RULE["max_epochs"],
                            validation_data=(data["validation"].clips, data["validation"].labels),
                            batch_size=SETTINGS["batch_size"], verbose=0, callbacks=callbacks)
        histories[str(learning_rate)] = {key: [float(v) for v in history.history[key]] for key in ("loss", "val_loss")}
        for rule in callbacks[:len(GRID["patience"])]:
            epochs = rule.ended_after or len(ends)  # None: the cap ended it
            model.set_weights(rule.best_weights)
            validation = model.evaluate(data["validation"].clips, data["validation"].labels, verbose=0,
                                        return_dict=True)
            configs.append({"learning_rate": learning_rate, "patience": rule.patience, "epochs": epochs,
                            "cap reached": rule.ended_after is None, "kept_epoch": rule.best_epoch + 1,
                            "validation_loss": float(validation["loss"]),
                            "validation_accuracy": float(validation["accuracy"]),
                            "training_seconds": ends[epochs - 1]})
            kept[(learning_rate, rule.patience)] = (model, rule.best_weights)
    best = max(configs, key=lambda c: (c["validation_accuracy"], -c["validation_loss"]))
    model, weights = kept[(best["learning_rate"], best["patience"])]
    model.set_weights(weights)
    called = model.predict(data["test"].clips, verbose=0).argmax(axis=1)  # the test clips, once per model and seed
    counts = direction_counts(data["test"].labels, called)
    chosen = {"learning_rate": best["learning_rate"], "patience": best["patience"],
              "test_accuracy": float(np.mean(called == data["test"].labels)),
              "test_direction": {pair: right / axis if axis else None for pair, (right, axis) in counts.items()}}
    return {"configs": configs, "histories": histories, "chosen": chosen}


def clips_for(seed: int) -> dict:
    """The notebook's training, validation and test clips at this seed."""
    s = SETTINGS
    return {part: make_motion_clips(n, s["frames"], s["size"], s["noise"], s["distractors"], seed=seed + shift)
            for part, n, shift in (("train", s["train_clips"], 0), ("validation", s["validation_clips"], 1),
                                   ("test", s["test_clips"], 2))}


def run_grid(offset: int) -> None:
    """The grid at one seed offset, merged into the "grid" entry of OUT."""
    seed, data = 42 + offset, clips_for(42 + offset)
    start = time.process_time()
    runs = {name: grid_one(kind, differences, seed, data) for name, (kind, differences) in GRID_MODELS.items()}
    for name, run in runs.items():
        print(f"offset {offset} {name}: chosen {run['chosen']}")
        for config in run["configs"]:
            print("   ", config)
    print(f"CPU seconds of the grid at this offset: {time.process_time() - start:.0f}")
    settings = {key: value for key, value in SETTINGS.items() if key not in ("learning_rate", "epochs")}
    settings.update(grid=GRID, rule=RULE)
    stored = json.loads(OUT.read_text())
    grid = stored.get("grid", {})
    if grid.get("settings") != settings:
        grid = {"settings": settings, "offsets": {}}  # other settings: earlier offsets no longer comparable
    grid["script"] = "python -m scripts.video_long_run --grid --offset N"
    grid["offsets"][str(offset)] = runs
    stored["grid"] = grid
    OUT.write_text(json.dumps(stored, indent=1, sort_keys=True) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--offset", type=int, required=True, help="seed offset: the notebook's seed is 42 + offset")
    parser.add_argument("--grid", action="store_true", help="the validation grid instead of the long run")
    args = parser.parse_args()
    if args.grid:
        return run_grid(args.offset)
    seed = 42 + args.offset
    data = clips_for(seed)
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
