"""The Keras LSTM forecaster of notebook 04."""

from __future__ import annotations

from course_utils.validation import check_float, check_int


def build_lstm_forecaster(lookback: int, horizon: int = 1, units: int = 16, n_features: int = 1,
                          learning_rate: float = 1e-2, steps_per_execution: int = 1):
    """A small compiled Keras LSTM (notebook 04): (batch, lookback, n_features) -> (batch, horizon).

    Trained with Adam on the mean squared error; `steps_per_execution` > 1 runs several gradient steps
    per compiled call (see `course_utils.runtime.fit_full_batch`).
    """
    import keras  # imported here so importing course_utils stays light

    lookback = check_int("lookback", lookback, minimum=1)
    horizon = check_int("horizon", horizon, minimum=1)
    units = check_int("units", units, minimum=1)
    n_features = check_int("n_features", n_features, minimum=1)
    learning_rate = check_float("learning_rate", learning_rate, minimum=1e-12)
    steps_per_execution = check_int("steps_per_execution", steps_per_execution, minimum=1)
    model = keras.Sequential([
        keras.Input(shape=(lookback, n_features), name="window"),  # (batch, lookback, n_features)
        keras.layers.LSTM(units, name="lstm"),  # (batch, units)
        keras.layers.Dense(horizon, name="forecast"),  # (batch, horizon)
    ])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="mse", steps_per_execution=steps_per_execution)
    return model
