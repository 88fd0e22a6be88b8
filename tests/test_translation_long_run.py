"""scripts/translation_long_run.py (notebook 07's longer and wider plain runs): its copy of the notebook's stopping
rule, its data, and the committed results file that notebook 07 reads. Nothing here trains a model."""

from __future__ import annotations

import json

import numpy as np
import pytest

from scripts import translation_long_run as long_run

RESULTS = json.loads(long_run.OUT.read_text())


class _Model:  # what EarlyStopping touches of a model when it does not restore weights
    stop_training = False


def keras_stops_after(curve, rule):
    """Epochs after which keras's own EarlyStopping, as notebook 07 sets it up, stops on this curve (None: never)."""
    import keras

    stopper = keras.callbacks.EarlyStopping(monitor="val_exact_match", mode="max", min_delta=rule["min_delta"],
                                            patience=rule["patience"], start_from_epoch=rule["warm_up_epochs"])
    stopper.set_model(_Model())
    stopper.on_train_begin()
    for epoch, value in enumerate(curve):
        stopper.on_epoch_end(epoch, {"val_exact_match": value})
        if stopper.model.stop_training:
            return epoch + 1
    return None


@pytest.mark.parametrize("curve", [
    [0, 0, 0, 0.03, 0.31, 0.68, 0.89],  # still rising: never stops
    [0, 0.5, 0.9, 0.93, 0.93, 0.935, 0.94],  # the attention model's kind of curve: stops after 6 epochs
    [0, 0, 0, 0.5, 0.9, 0.905, 0.906, 0.99],  # stops before a late rise
    [0.9, 0.1, 0.1, 0.2, 0.2, 0.215, 0.22, 0.4, 0.4],  # the warm-up epochs do not count
    [0.5] * 8,  # flat: stops after warm-up + 1 + patience epochs
])
def test_the_scripts_stopping_rule_is_keras_early_stopping(curve):
    rule = long_run.SETTINGS["rule"]
    assert long_run.notebook_rule(curve) == keras_stops_after(curve, rule)


def test_the_recorded_curves_give_the_recorded_stops():
    for run in RESULTS["runs"].values():
        stop = keras_stops_after(run["val_exact_match"], RESULTS["settings"]["rule"])
        epoch = long_run.SETTINGS["steps_per_epoch"]
        assert run["rule_stops_after_updates"] == (None if stop is None else stop * epoch)


def test_the_data_is_the_notebooks():
    data = long_run.make_data(42)
    assert (data["source_length"], data["target_length"]) == (19, 22)  # notebook 07 prints these at seed 42
    assert len(data["english"]) == 107 and len(data["french"]) == 102
    assert data["train"]["english"][0].tolist() == [7, 5, 4, 82, 6, 9, 5, 4, 11, 4, 50] + [0] * 8
    assert np.array_equal(data["train"]["french_in"][:, 1:], data["train"]["french_out"][:, :-1])


def test_the_results_file_holds_complete_runs_of_the_scripts_settings():
    assert RESULTS["settings"] == long_run.SETTINGS
    assert RESULTS["runs"], "no runs recorded"
    epoch = long_run.SETTINGS["steps_per_epoch"]
    for key, run in RESULTS["runs"].items():
        assert key == long_run.run_key(run["units"], run["updates"], run["offset"])
        assert run["seed"] == 42 + run["offset"]
        epochs = run["updates"] // epoch
        assert len(run["val_exact_match"]) == len(run["val_exact_by_length"]) == len(run["val_loss"]) == epochs
        if "train_exact_match" in run:  # the runs that also decoded a training sample after every epoch
            assert run["train_sample"] == long_run.TRAIN_SAMPLE
            assert len(run["train_exact_match"]) == len(run["train_exact_by_length"]) == epochs
        assert run["val_exact_match"][run["kept_updates"] // epoch - 1] == max(run["val_exact_match"])
        assert len(run["test_exact_by_length"]) == len(long_run.SETTINGS["length_edges"]) - 1
        assert 0 <= run["test_exact_match"] <= 1 and run["training_seconds"] > 0
        assert run["cpu"]["model"] and run["versions"]["tensorflow"]
