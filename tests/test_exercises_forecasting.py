"""Exercise checkers of notebook 04: None is 'not attempted', a right answer passes, a wrong one says why."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np
import pytest

from course_utils.exercises import CORRECT, NOT_ATTEMPTED
from course_utils.exercises.forecasting import check_added_feature, check_lstm_horizon
from course_utils.forecasting import chronological_split, fit_scaler, load_rdataset, load_stock, make_windows

HORIZON = 6
LOOKBACK = 24


def test_unattempted_exercises_print_a_hint(capsys):
    assert check_lstm_horizon(None, None).status == NOT_ATTEMPTED
    assert check_lstm_horizon(None, 6).status == NOT_ATTEMPTED  # the horizon set, the model not yet
    assert check_added_feature(None, None, None).status == NOT_ATTEMPTED
    assert capsys.readouterr().out.count("not attempted yet") == 3


# ---- Exercise 04.1: an LSTM for another horizon ------------------------------------------------------------

def relative_training_windows(horizon=HORIZON, lookback=LOOKBACK, months=132):
    """The learner's data: (n, lookback, 1) log sales minus the last month -> next months minus the last month."""
    _, sales = load_rdataset()
    log_sales = np.log(sales[:months])  # the training months of section 5 (132), unless a test says otherwise
    windows, targets = make_windows(log_sales, lookback, horizon)
    return windows - windows[:, -1:], targets - windows[:, -1, :]


def lstm_model(inputs_shape, horizon=HORIZON, units=8):
    import keras

    return keras.Sequential([keras.Input(shape=inputs_shape), keras.layers.LSTM(units), keras.layers.Dense(horizon)])


@pytest.fixture(scope="module")
def fitted_lstm():
    """The right answer, as a learner writes it: an LSTM on 3-D windows, fitted with model.fit."""
    import keras

    keras.utils.set_random_seed(0)
    X, y = relative_training_windows()
    model = lstm_model((LOOKBACK, 1))
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="mse")
    model.fit(X, y, epochs=60, batch_size=16, verbose=0)
    return model


def fitted_with_zero_learning_rate(model):
    """Compile with SGD(0) and fit one step: 'trained' as far as the optimizer knows, the weights unchanged."""
    import keras

    model.compile(optimizer=keras.optimizers.SGD(0.0), loss="mse")
    inputs = np.zeros((2,) + tuple(model.input_shape[1:]), dtype="float32")
    model.fit(inputs, np.zeros((2, model.output_shape[-1]), dtype="float32"), epochs=1, verbose=0)
    return model


def test_a_fitted_lstm_passes(fitted_lstm, capsys):
    assert check_lstm_horizon(fitted_lstm, HORIZON, *relative_training_windows()).status == CORRECT
    output = capsys.readouterr().out
    assert f"horizon {HORIZON}, lookback {LOOKBACK}: your LSTM's MAPE on the validation origins" in output
    assert "correct!" in output


def test_the_checker_judges_on_the_validation_origins_and_only_prints_the_test_score(fitted_lstm, capsys):
    """Seasonal naive's MAPE, computed by hand on origins 132 .. 168 - h (judged) and 168 .. 204 - h (printed)."""
    _, sales = load_rdataset()
    steps = np.arange(HORIZON)

    def seasonal_naive_mape(first, end):
        months = np.arange(first, end - HORIZON + 1)[:, None] + steps  # (origins, HORIZON) months forecast
        return 100 * np.mean(np.abs(sales[months] - sales[months - 12]) / sales[months])

    check_lstm_horizon(fitted_lstm, HORIZON, *relative_training_windows())
    output = capsys.readouterr().out
    assert f"vs seasonal naive {seasonal_naive_mape(132, 168):.1f} % (judged)" in output
    assert f"vs {seasonal_naive_mape(168, 204):.1f} % (for information" in output


def test_a_dense_model_on_flat_windows_fails():
    import keras

    model = keras.Sequential([keras.Input(shape=(LOOKBACK,)), keras.layers.Dense(HORIZON)])
    model.compile(optimizer="adam", loss="mse")
    X, y = relative_training_windows()
    model.fit(X[:, :, 0], y, epochs=1, verbose=0)
    with pytest.raises(AssertionError, match="no LSTM layer"):
        check_lstm_horizon(model, HORIZON)


def test_an_lstm_inside_a_nested_model_is_found():
    """Past "no LSTM layer" (the walker opens nested models) to the next check: this one is not trained."""
    import keras

    inner = keras.Sequential([keras.Input((LOOKBACK, 1)), keras.layers.LSTM(4)])
    model = keras.Sequential([keras.Input((LOOKBACK, 1)), inner, keras.layers.Dense(HORIZON)])
    with pytest.raises(AssertionError, match="not been trained"):
        check_lstm_horizon(model, HORIZON)


def test_windows_reshaped_to_one_time_step_fail():
    """The typical wrong reshape: (n, 1, lookback) is one step of `lookback` features; nothing is recurrent."""
    model = fitted_with_zero_learning_rate(lstm_model((1, LOOKBACK)))
    with pytest.raises(AssertionError, match="one time step"):
        check_lstm_horizon(model, HORIZON)


def test_an_unfitted_lstm_fails():
    import keras

    model = lstm_model((LOOKBACK, 1))
    with pytest.raises(AssertionError, match="not been trained"):
        check_lstm_horizon(model, HORIZON)
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="mse")
    with pytest.raises(AssertionError, match="not been trained"):
        check_lstm_horizon(model, HORIZON)


def test_an_lstm_that_forecasts_no_change_fails():
    """Outputs 0 are persistence in disguise: worse than seasonal naive on a10."""
    model = lstm_model((LOOKBACK, 1))
    model.layers[-1].set_weights([np.zeros((8, HORIZON)), np.zeros(HORIZON)])
    with pytest.raises(AssertionError, match="on the validation origins your LSTM's MAPE .* beat the baseline"):
        check_lstm_horizon(fitted_with_zero_learning_rate(model), HORIZON, *relative_training_windows())


def test_a_model_trained_on_the_test_months_fails(fitted_lstm):
    """What the checker exists for: windows cut from the whole series, test months included, fail whatever the
    score (the model here was trained on the training months; the checker judges the arrays it is given)."""
    every_month = relative_training_windows(months=204)
    with pytest.raises(AssertionError, match="training target comes from month 203: the validation months start"):
        check_lstm_horizon(fitted_lstm, HORIZON, *every_month)
    up_to_validation = relative_training_windows(months=168)
    with pytest.raises(AssertionError, match="comes from month 167"):
        check_lstm_horizon(fitted_lstm, HORIZON, *up_to_validation)


def test_training_arrays_must_be_given_and_be_relative_windows(fitted_lstm):
    X, y = relative_training_windows()
    with pytest.raises(AssertionError, match="pass the arrays the model was fitted on"):
        check_lstm_horizon(fitted_lstm, HORIZON)
    with pytest.raises(AssertionError, match="not a window of log sales minus its last input month"):
        check_lstm_horizon(fitted_lstm, HORIZON, X * 2.0, y * 2.0)  # scaled: not the windows the checker expects
    with pytest.raises(AssertionError, match=r"train_targets .* must have shape"):
        check_lstm_horizon(fitted_lstm, HORIZON, X, y[:, :3])


@pytest.mark.parametrize("horizon, model, message", [
    (12, lambda: fitted_with_zero_learning_rate(lstm_model((LOOKBACK, 1), 12)), "other than the notebook's 12"),
    (0, lambda: None, None),  # None: not attempted, whatever the horizon
    (25, lambda: "model", "integer from 1 to 24"),
    (True, lambda: "model", "horizon must be an integer, got bool"),
    (6.0, lambda: "model", "horizon must be an integer, got float"),
    (6, lambda: np.ones((31, 6)), "pass a Keras model"),
    (6, lambda: fitted_with_zero_learning_rate(lstm_model((LOOKBACK, 1), 7)), r"shape \(31, 6\)"),
    (6, lambda: fitted_with_zero_learning_rate(lstm_model((LOOKBACK, 2))), "one feature"),
    (6, lambda: fitted_with_zero_learning_rate(lstm_model((6, 1))), "lookback from 12"),
])
def test_wrong_lstm_answers_fail_with_a_reason(horizon, model, message):
    answer = model()
    if message is None:
        assert check_lstm_horizon(answer, horizon).status == NOT_ATTEMPTED
        return
    with pytest.raises(AssertionError, match=message):
        check_lstm_horizon(answer, horizon, *relative_training_windows())


# ---- Exercise 04.2: a second feature, scaled on the training days only ------------------------------------

def notebook_split():
    """Section 4 of the notebook, written out again here as the oracle: windows, masks, n_train, log volume."""
    _, prices = load_stock("MSFT", "adj_close")
    _, volume = load_stock("MSFT", "volume")
    train_prices, validation_prices, _ = chronological_split(prices, 0.15, 0.15)
    n_train = len(train_prices)
    test_start = n_train + len(validation_prices)
    log_returns = np.diff(np.log(prices))
    return_day = np.arange(1, len(prices))
    return_scaler = fit_scaler(log_returns[return_day < n_train])
    return_windows, _ = make_windows(return_scaler.transform(log_returns), 10)  # (3259, 10, 1)
    target_day = return_day[10:]
    return (return_windows, target_day < n_train, target_day >= test_start, return_day < n_train,
            np.log(volume[1:]))


def feature_answer(train_mean, train_std, test_mean=None, test_std=None, raw=None):
    """(train windows, test windows, raw feature) for log volume scaled with the given statistics."""
    return_windows, in_train, in_test, _, log_volume = notebook_split()
    raw = log_volume if raw is None else raw
    test_mean = train_mean if test_mean is None else test_mean
    test_std = train_std if test_std is None else test_std
    train_feature, _ = make_windows((log_volume - train_mean) / train_std, 10)
    test_feature, _ = make_windows((log_volume - test_mean) / test_std, 10)
    train = np.concatenate([return_windows, train_feature], axis=2)[in_train]
    test = np.concatenate([return_windows, test_feature], axis=2)[in_test]
    return train, test, raw


def honest_statistics(ddof=0):
    _, _, _, training_day, log_volume = notebook_split()
    return log_volume[training_day].mean(), log_volume[training_day].std(ddof=ddof)


@pytest.fixture(scope="module")
def two_feature_model():
    """A model reading (batch, 10, 2), 'trained' (one step at learning rate 0): the checker's model argument."""
    from course_utils.forecasting import build_lstm_forecaster

    return fitted_with_zero_learning_rate(build_lstm_forecaster(10, horizon=1, units=4, n_features=2))


@pytest.mark.parametrize("ddof", [0, 1])
def test_a_feature_scaled_on_the_training_days_passes(ddof, two_feature_model, capsys):
    assert check_added_feature(*feature_answer(*honest_statistics(ddof)), two_feature_model).status == CORRECT
    output = capsys.readouterr().out
    assert "training days' mean" in output and "RMSE of the training mean" in output


def test_float32_windows_and_a_train_scaler_pass(two_feature_model):
    _, _, _, training_day, log_volume = notebook_split()
    scaler = fit_scaler(log_volume[training_day])  # the notebook's own tool
    train, test, raw = feature_answer(scaler.mean, scaler.scale)
    result = check_added_feature(train.astype("float32"), test.astype("float32"), raw, two_feature_model)
    assert result.status == CORRECT


def test_a_feature_from_the_future_fails(two_feature_model):
    """What the checker exists for: tomorrow's return as the 'feature', honestly scaled on the training days,
    has correlation 1 with the target on its window's last day; the old checker printed 'correct!'."""
    _, prices = load_stock("MSFT", "adj_close")
    log_returns = np.diff(np.log(prices))  # (3269,)
    tomorrow = np.append(log_returns[1:], 0.0)  # tomorrow[k] = log_returns[k + 1]: not known on day k + 1
    _, _, _, training_day, _ = notebook_split()
    mean, std = tomorrow[training_day].mean(), tomorrow[training_day].std()
    return_windows, in_train, in_test, _, _ = notebook_split()
    feature, _ = make_windows((tomorrow - mean) / std, 10)
    both = np.concatenate([return_windows, feature], axis=2)
    with pytest.raises(AssertionError, match=r"correlates with the return to forecast \(corr 1\.00\): it comes from "
                                             "the future"):
        check_added_feature(both[in_train], both[in_test], tomorrow, two_feature_model)


@pytest.mark.parametrize("later", ["volume", "size of the return", "high - low range"])
def test_a_feature_of_the_forecast_day_fails_although_it_does_not_predict_the_sign(later, two_feature_model):
    """Review 03_04 item 11: off-by-one features carry the size of tomorrow's move, not its sign (|corr| with the
    return < 0.03), so the correlation test missed them; the honest alignment of the same series passes."""
    _, prices = load_stock("MSFT", "adj_close")
    high, low = load_stock("MSFT", "high")[1], load_stock("MSFT", "low")[1]
    honest = {"volume": np.log(load_stock("MSFT", "volume")[1][1:]),  # value k belongs to day k + 1, like log_returns
              "size of the return": np.abs(np.diff(np.log(prices))), "high - low range": np.log(high - low)[1:]}[later]
    return_windows, in_train, in_test, training_day, _ = notebook_split()
    for raw, passes in [(honest, True), (np.append(honest[1:], honest[-1]), False)]:  # day k + 2: the forecast day
        feature, _ = make_windows((raw - raw[training_day].mean()) / raw[training_day].std(), 10)
        both = np.concatenate([return_windows, feature], axis=2)
        if passes:
            assert check_added_feature(both[in_train], both[in_test], raw, two_feature_model).status == CORRECT
        else:
            with pytest.raises(AssertionError, match=f"{later[:6]}.* of day k \\+ 1 \\+ 1"):
                check_added_feature(both[in_train], both[in_test], raw, two_feature_model)


def test_the_model_must_be_given_fitted_and_read_two_features(two_feature_model):
    from course_utils.forecasting import build_lstm_forecaster

    answer = feature_answer(*honest_statistics())
    cases = [(None, "pass your fitted model too"),
             (np.zeros(3), "model must be a Keras model"),
             (build_lstm_forecaster(10, n_features=2), "not been trained"),
             (fitted_with_zero_learning_rate(build_lstm_forecaster(10, n_features=1)), r"shape \(batch, 10, 2\)")]
    for model, message in cases:
        with pytest.raises(AssertionError, match=message):
            check_added_feature(*answer, model)


def test_a_feature_scaled_on_all_days_fails_although_its_training_windows_look_standard():
    """The leaky answer the exercise is about: the old tolerance check (mean 0 +/- 0.15, std 1 +/- 0.15) passed it."""
    _, _, _, _, log_volume = notebook_split()
    train, test, raw = feature_answer(log_volume.mean(), log_volume.std())
    assert abs(train[:, :, 1].mean()) < 0.15 and abs(train[:, :, 1].std() - 1) < 0.15  # looks fine ...
    with pytest.raises(AssertionError, match="ALL days.*leakage"):
        check_added_feature(train, test, raw)  # ... and is leakage


def test_other_leaks_and_mistakes_fail_with_a_reason():
    return_windows, in_train, in_test, training_day, log_volume = notebook_split()
    mean, std = honest_statistics()
    train, test, raw = feature_answer(mean, std)
    before_test = log_volume[: int(np.flatnonzero(in_test)[0]) + 9]  # training and validation days
    test_raw = log_volume[-len(test) - 9 :]
    cases = [
        (feature_answer(before_test.mean(), before_test.std()), "training days.*use those"),
        (feature_answer(mean, std, test_raw.mean(), test_raw.std()), "test windows must be scaled with the same"),
        (feature_answer(mean, std, log_volume.mean(), log_volume.std()), "test windows must be scaled with the same"),
        ((train, test, np.log(load_stock("MSFT", "volume")[1])), "one value per trading day"),
        ((train, test, log_volume[:-5]), r"shape \(3269,\)"),
        ((train, test, np.roll(log_volume, 1)), "same days as the returns"),
        ((train[:, :, :1], test, raw), r"shape \(2279, 10, 2\)"),
        ((train, test[:, :, :1], raw), r"test windows \(returns \+ one feature\) must have shape \(490, 10, 2\)"),
        ((train * [2.0, 1.0], test, raw), "feature 0 of the train"),
        ((train, test * [2.0, 1.0], raw), "feature 0 of the test"),
        ((np.concatenate([train[:, :, :1], np.zeros_like(train[:, :, :1])], 2), test, raw), "constant"),
        ((np.concatenate([train[:, :, :1], train[:, :, :1]], 2), test, raw), "copy of the returns"),
        ((np.where(train > 2, np.nan, train), test, raw), "NaN"),
        ((train, test, np.full_like(raw, 3.0)), "constant on the training days"),
    ]
    for arguments, message in cases:
        with pytest.raises(AssertionError, match=message):
            check_added_feature(*arguments)


def test_the_rank_check_is_spearmans_and_undefined_input_is_not_a_copy():
    """_same_ranks is SciPy's spearmanr (a monotone transform ranks the same, a reversal does not), guarded where the
    rank correlation is undefined: a constant or too short series is no copy, not SciPy's ConstantInputWarning."""
    from course_utils.exercises.forecasting import _same_ranks

    days = np.random.default_rng(0).normal(size=50)
    assert _same_ranks(days, np.exp(days)) and not _same_ranks(days, -days)
    assert not _same_ranks(np.full(50, 3.0), days) and not _same_ranks(days, np.full(50, 3.0))
    assert not _same_ranks(days[:2], days[:2])
