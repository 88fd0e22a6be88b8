"""The Keras LSTM forecaster of notebook 04."""

from __future__ import annotations

from course_utils.validation import checked


@checked(lookback="int >= 1", horizon="int >= 1", units="int >= 1", n_features="int >= 1", learning_rate="float > 0",
         steps_per_execution="int >= 1")
def build_lstm_forecaster(lookback: int, horizon: int = 1, units: int = 16, n_features: int = 1,
                          learning_rate: float = 1e-2, steps_per_execution: int = 1):
    """A small compiled Keras LSTM (notebook 04): (batch, lookback, n_features) -> (batch, horizon).

    Trained with Adam on the mean squared error; `steps_per_execution` > 1 runs several gradient steps
    per compiled call (see `course_utils.runtime.fit_full_batch`).
    """
    import keras  # imported here so importing course_utils stays light

    model = keras.Sequential([
        keras.Input(shape=(lookback, n_features), name="window"),  # (batch, lookback, n_features)
        keras.layers.LSTM(units, name="lstm"),  # (batch, units)
        keras.layers.Dense(horizon, name="forecast"),  # (batch, horizon)
    ])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="mse", steps_per_execution=steps_per_execution)
    return model
