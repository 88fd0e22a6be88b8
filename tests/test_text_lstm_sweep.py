"""scripts/text_lstm_sweep.py (notebook 05's LSTM settings searched on validation): its summary and verdict, its
settings against notebook 05's, and the committed results file that the notebook reads. Nothing here trains."""

from __future__ import annotations

import json

import pytest

from scripts import text_lstm_sweep as sweep


def run(units, learning_rate, offset, bits):
    return {"units": units, "learning_rate": learning_rate, "offset": offset, "validation_bits": bits}


def runs(*rows):
    return {sweep.key(u, lr, k): run(u, lr, k, bits) for u, lr, k, bits in rows}


def test_summary_averages_the_seeds_of_each_setting_best_first():
    rows = sweep.summary(runs((256, 1e-2, 0, 2.50), (256, 1e-2, 1, 2.54), (128, 3e-3, 0, 2.70), (128, 3e-3, 1, 2.60)))
    assert [(row["units"], row["learning rate"]) for row in rows] == [(256, 1e-2), (128, 3e-3)]
    assert rows[0]["mean"] == pytest.approx(2.52) and rows[0]["spread"] == pytest.approx(0.04)
    assert (rows[1]["min"], rows[1]["max"], rows[1]["seeds"]) == (2.60, 2.70, 2)


@pytest.mark.parametrize("other, best, clearly", [
    ((2.40, 2.44), (128, 3e-3), True),  # both seeds below both of the notebook's: clearly better
    ((2.45, 2.58), (128, 3e-3), False),  # better on average, but the seed ranges overlap
    ((2.60, 2.70), (256, 1e-2), False),  # the notebook's setting is the best
])
def test_verdict_calls_a_setting_clearly_better_only_beyond_the_seed_spread(other, best, clearly):
    rows = sweep.summary(runs((256, 1e-2, 0, 2.50), (256, 1e-2, 1, 2.54), (128, 3e-3, 0, other[0]),
                              (128, 3e-3, 1, other[1])))
    found = sweep.verdict(rows)
    assert found["best"] == best and found["another_clearly_better"] is clearly
    assert found["notebook_is_best"] is (best == sweep.NOTEBOOK_SETTING)
    assert found["gain"] == pytest.approx(2.52 - min(2.52, sum(other) / 2))


def test_the_settings_are_notebook_05s():
    """The sweep's fixed settings are the notebook's (its sweep cell checks them against its own variables too)."""
    from tests.notebook_files import NOTEBOOKS, load

    path = next(p for p in NOTEBOOKS if p.name.startswith("05_"))
    code = "\n".join("".join(cell["source"]) for cell in load(path)["cells"] if cell["cell_type"] == "code")
    s = sweep.SETTINGS
    for line in (f"EPOCHS = {s['epochs']}\n", f"STEPS_PER_EPOCH = {s['steps_per_epoch']}  ",
                 f"BATCH_SIZE = {s['batch_size']}\n", f"SEQUENCE_LENGTH = {s['sequence_length']}  ",
                 f"WINDOW_STRIDE = {s['window_stride']}  ", f"EMBEDDING_DIM = {s['embedding_dim']}\n",
                 f"UNITS = {sweep.NOTEBOOK_SETTING[0]}\n", "LEARNING_RATE = 1e-2  ",
                 f"validation_start - {s['read_before_validation']}, validation_start)"):
        assert line in code, line


def test_the_results_file_holds_the_whole_grid_and_its_summary():
    stored = json.loads(sweep.OUT.read_text())
    assert stored["settings"] == sweep.SETTINGS
    grid = {sweep.key(u, lr, k) for u in sweep.GRID["units"] for lr in sweep.GRID["learning_rate"]
            for k in sweep.GRID["offsets"]}
    assert grid <= set(stored["runs"]), sorted(grid - set(stored["runs"]))
    for name, one in stored["runs"].items():
        assert name == sweep.key(one["units"], one["learning_rate"], one["offset"])
        assert one["seed"] == 42 + one["offset"]
        assert one["steps"] == sweep.SETTINGS["epochs"] * sweep.SETTINGS["steps_per_epoch"]
        assert len(one["val_window_bits"]) == sweep.SETTINGS["epochs"] and 0 < one["validation_bits"] < 6.1
        assert one["training_cpu_seconds"] > 0 and one["cpu"]["model"] and one["versions"]["tensorflow"]
    assert stored["summary"] == json.loads(json.dumps(sweep.summary(stored["runs"])))
    assert stored["verdict"] == json.loads(json.dumps(sweep.verdict(stored["summary"])))
