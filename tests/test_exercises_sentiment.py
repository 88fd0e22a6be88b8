"""Exercise checkers of notebook 06: None is 'not attempted', a right answer passes, the typical wrong one fails."""

import numpy as np
import pytest

from course_utils.exercises.sentiment import check_masked_mean, check_stacked_lstm


def test_unattempted_exercises_print_a_hint(capsys):
    check_stacked_lstm(None)
    check_masked_mean(None)
    assert capsys.readouterr().out.count("not attempted yet") == 2


def stacked(mask_zero=True, return_sequences=True, second_layer=True, activation="sigmoid"):
    import keras

    def build(vocabulary_size):
        layers = [keras.Input(shape=(None,), dtype="int32"),
                  keras.layers.Embedding(vocabulary_size, 8, mask_zero=mask_zero),
                  keras.layers.LSTM(6, return_sequences=return_sequences)]
        if second_layer:
            layers.append(keras.layers.LSTM(6))
        layers.append(keras.layers.Dense(1, activation=activation))
        return keras.Sequential(layers)

    return build


def test_a_masked_stacked_lstm_passes(capsys):
    check_stacked_lstm(stacked())
    assert "correct!" in capsys.readouterr().out


def test_a_separate_sigmoid_layer_passes(capsys):
    import keras

    def build(vocabulary_size):
        return keras.Sequential([keras.Input(shape=(None,), dtype="int32"),
                                 keras.layers.Embedding(vocabulary_size, 8, mask_zero=True),
                                 keras.layers.LSTM(6, return_sequences=True), keras.layers.LSTM(6),
                                 keras.layers.Dense(1), keras.layers.Activation("sigmoid")])

    check_stacked_lstm(build)
    assert "correct!" in capsys.readouterr().out


@pytest.mark.parametrize("build, message", [
    (stacked(mask_zero=False), "mask_zero=True"),  # the typical wrong answer: padding is read
    (stacked(return_sequences=False), "raised"),  # Keras refuses a 2-D input to the second LSTM
    (stacked(second_layer=False), "1 LSTM layer"),
    (stacked(activation=None), "sigmoid"),  # a raw score: binary cross-entropy needs a probability
    (stacked(activation="relu"), "sigmoid"),
    (lambda vocabulary_size: "a model", "Keras model"),
    ("not a function", "pass a function"),
])
def test_wrong_stacked_lstms_fail_with_a_reason(build, message):
    with pytest.raises(AssertionError, match=message):
        check_stacked_lstm(build)


def test_the_first_lstm_must_return_sequences_when_keras_accepts_the_model():
    import keras

    def build(vocabulary_size):  # a functional model whose second LSTM reads a repeated last state
        inputs = keras.Input(shape=(None,), dtype="int32")
        embedded = keras.layers.Embedding(vocabulary_size, 8, mask_zero=True)(inputs)
        last = keras.layers.LSTM(6)(embedded)
        repeated = keras.layers.RepeatVector(3)(last)
        outputs = keras.layers.Dense(1, activation="sigmoid")(keras.layers.LSTM(6)(repeated))
        return keras.Model(inputs, outputs)

    with pytest.raises(AssertionError, match="return_sequences=True"):
        check_stacked_lstm(build)


def right_masked_mean(embeddings, mask):
    weights = mask[..., None].astype(float)
    return (embeddings * weights).sum(axis=1) / weights.sum(axis=1)


def test_a_right_masked_mean_passes(capsys):
    check_masked_mean(right_masked_mean)
    assert "correct!" in capsys.readouterr().out


@pytest.mark.parametrize("masked_mean, message", [
    (lambda embeddings, mask: embeddings.mean(axis=1), "padding included"),  # the typical wrong answer
    (lambda embeddings, mask: (embeddings * mask[..., None]).mean(axis=1), "still divide by T"),
    (lambda embeddings, mask: right_masked_mean(embeddings, ~mask), "NaN|expected"),  # the inverted mask
    (lambda embeddings, mask: right_masked_mean(embeddings, mask)[:, :1], "shape"),
    (lambda embeddings, mask: np.linalg.inv(embeddings), "raised"),
])
def test_wrong_masked_means_fail_with_a_reason(masked_mean, message):
    with pytest.raises(AssertionError, match=message):
        check_masked_mean(masked_mean)
