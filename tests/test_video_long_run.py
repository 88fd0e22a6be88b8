"""scripts.video_long_run's grid reads notebook 10's early-stopping rule off one longer fit: each patience must stop
where keras's EarlyStopping stops and keep the weights it restores."""

import numpy as np
import pytest

from scripts import video_long_run as script

keras = pytest.importorskip("keras")


def _fit(callbacks, epochs=20):
    """A tiny classifier whose validation labels are noise, so its validation loss soon stops improving."""
    rng = np.random.default_rng(0)
    x, x_validation = rng.normal(size=(64, 3)).astype("float32"), rng.normal(size=(32, 3)).astype("float32")
    y, y_validation = (x[:, 0] > 0).astype("int64"), rng.integers(0, 2, size=32)
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, activation="softmax")])
    model.compile(optimizer=keras.optimizers.Adam(0.1), loss="sparse_categorical_crossentropy")
    history = model.fit(x, y, validation_data=(x_validation, y_validation), epochs=epochs, batch_size=16, verbose=0,
                        callbacks=callbacks)
    return model, len(history.history["loss"])


def test_each_patience_stops_and_keeps_what_early_stopping_would():
    patiences = [1, 3]
    rules = script.rule_callbacks(patiences)
    _, ran = _fit(rules)
    assert ran == max(rule.ended_after for rule in rules[:2])  # the fit went on until the longest patience stopped
    for patience, rule in zip(patiences, rules[:2], strict=True):
        stopping = keras.callbacks.EarlyStopping(patience=patience, min_delta=script.RULE["min_gain"],
                                                 start_from_epoch=script.RULE["warm_up"], restore_best_weights=True)
        model, epochs = _fit([stopping])
        assert epochs < 20 and rule.ended_after == epochs, patience  # stopped by the rule, where the rule stops
        assert rule.best_epoch == stopping.best_epoch, patience
        for kept, restored in zip(rule.best_weights, model.get_weights(), strict=True):
            np.testing.assert_allclose(kept, restored, rtol=0, atol=1e-6)
