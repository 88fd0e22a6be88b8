"""scripts/music_tuning.py (notebook 09's learning rate x dropout grid): its copy of the notebook's settings, and the
committed results file that notebook 09 reads. Nothing here trains a model."""

from __future__ import annotations

import itertools
import json
import re

from scripts import music_tuning

NOTEBOOK = music_tuning.OUT.parent.parent / "notebooks" / "09_music_composition.ipynb"
RESULTS = json.loads(music_tuning.OUT.read_text())


def notebook_code() -> str:
    cells = json.loads(NOTEBOOK.read_text())["cells"]
    return "\n".join("".join(cell["source"]) for cell in cells if cell["cell_type"] == "code")


def stated(code: str, name: str) -> float:
    """The value a notebook line `NAME = value` gives."""
    match = re.search(rf"^{name} = ([0-9.e-]+)", code, flags=re.MULTILINE)
    assert match, f"notebook 09 no longer sets {name}"
    return float(match.group(1))


def test_the_script_copies_the_notebooks_settings():
    code, s = notebook_code(), music_tuning.SETTINGS
    assert "SEED = seed_everything(42)" in code and s["seed"] == 42
    assert stated(code, "PATIENCE") == s["patience"] and stated(code, "MAX_EPOCHS") == s["max_epochs"]
    for name, key in (("UNITS", "units"), ("EMBEDDING_DIM", "embedding_dim"), ("WINDOW", "window"),
                      ("STRIDE", "stride"), ("BATCH_SIZE", "batch_size")):
        assert stated(code, name) == s["lstm"][key], name
    assert stated(code, "HIDDEN") == s["mlp"]["hidden"] and "batch_size=128," in code  # the MLP's fit
    assert stated(code, "LEARNING_RATE") in s["learning_rates"]  # the notebook's rates are in the grid
    assert stated(code, "MLP_LEARNING_RATE") in s["learning_rates"]


def test_the_results_file_holds_the_whole_grid_once_for_the_scripts_settings():
    assert RESULTS["settings"] == music_tuning.SETTINGS
    grid = [(run["model"], run["learning_rate"], run["dropout"]) for run in RESULTS["runs"]]
    expected = itertools.product(("LSTM", "MLP"), music_tuning.SETTINGS["learning_rates"],
                                 music_tuning.SETTINGS["dropouts"])
    assert sorted(grid) == sorted(expected)
    for run in RESULTS["runs"]:
        assert 1 <= run["kept_epoch"] <= run["epochs"] <= music_tuning.SETTINGS["max_epochs"]
        assert run["epochs"] < music_tuning.SETTINGS["max_epochs"]  # stopped by the rule, not by the cap
        assert 1.0 < run["validation_nll"] < 3.0 and run["training_loss_at_kept_epoch"] > 0
