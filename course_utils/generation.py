"""Running a trained Embedding -> LSTM -> Dense model in NumPy, and sampling from it with a temperature (05, 09).

Notebooks 05 (text) and 09 (music) train such a model in Keras, then generate one step at a time: the model's
weights are read once (`embedding_lstm_weights`), run in NumPy with notebook 02's `lstm_forward`
(`run_embedding_lstm`, which also returns the cell states and takes the last state back, so sampling reads one
step at a time), and each next symbol is drawn from the softmax reweighted by a temperature
(`apply_temperature`, `sample_with_temperature`).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from course_utils.lstm import lstm_forward
from course_utils.validation import as_float_array, checked, spec

# --------------------------------------------------------------------------- softmax and temperature


@checked(logits="(..., classes) floats")
def softmax(logits) -> np.ndarray:
    """exp(logits) / sum(exp(logits)) along the last axis, computed without overflow (notebooks 05, 09)."""
    from scipy.special import softmax as scipy_softmax  # imported here: importing course_utils stays light

    return scipy_softmax(logits, axis=-1)


def _distributions(name: str, value, dims: dict) -> np.ndarray:
    """Weights (..., classes), none negative and some positive in every row: what a temperature can reweight."""
    weights = as_float_array(name, value)
    if weights.ndim == 0 or weights.min() < 0 or np.any(weights.sum(axis=-1) <= 0):
        raise ValueError(f"{name} must be distributions (..., classes), none negative and none all zeros, got "
                         f"shape {weights.shape} with values from {weights.min()} to {weights.max()}")
    return weights


@checked(probabilities=_distributions, temperature="float >= 1e-6")
def apply_temperature(probabilities, temperature: float) -> np.ndarray:
    """Reweight a distribution: p_i ** (1 / T), normalised, along the last axis (notebooks 05, 09).

    T < 1 sharpens (T -> 0 is argmax), T = 1 leaves it unchanged, T > 1 flattens (T -> infinity is uniform).
    """
    from scipy.special import softmax as scipy_softmax  # imported here: importing course_utils stays light

    with np.errstate(divide="ignore"):
        logits = np.log(probabilities) / temperature  # -inf where p = 0: it stays impossible
    return scipy_softmax(logits, axis=-1)


@checked(probabilities=_distributions, temperature="float >= 1e-6", rng=np.random.Generator)
def sample_with_temperature(probabilities, temperature: float, rng: np.random.Generator) -> np.ndarray:
    """Draw one index per row of probabilities (..., classes) after `apply_temperature` (notebooks 05, 09)."""
    reweighted = apply_temperature(probabilities, temperature)
    cumulative = np.cumsum(reweighted, axis=-1)  # (..., classes)
    draws = rng.random(reweighted.shape[:-1] + (1,)) * cumulative[..., -1:]  # uniform in [0, total)
    return np.minimum((cumulative <= draws).sum(axis=-1), reweighted.shape[-1] - 1)


# --------------------------------------------------------------------------- Embedding -> LSTM -> Dense, in NumPy

class EmbeddingLSTMWeights(NamedTuple):
    """The weights of an Embedding -> LSTM -> Dense model as float64 arrays, in Keras's layout (notebooks 05, 09)."""

    embedding: np.ndarray  # (V, embedding_dim)
    kernel: np.ndarray  # (k * embedding_dim, 4 units) for k ids a step, gates i, f, c, o as in Keras
    recurrent_kernel: np.ndarray  # (units, 4 units)
    bias: np.ndarray  # (4 units,)
    dense_kernel: np.ndarray  # (units, k * K) for k softmaxes of K classes a step
    dense_bias: np.ndarray  # (k * K,)


class EmbeddingLSTMTrace(NamedTuple):
    """A NumPy run of an Embedding -> LSTM -> Dense model: h, c (batch, T, units), probabilities (batch, T[, k], K)."""

    h: np.ndarray
    c: np.ndarray
    probabilities: np.ndarray


@checked(embedding="(vocabulary, embedding_dim) floats", recurrent_kernel="(units, 4*units) floats",
         kernel="(inputs, 4*units) floats", bias="(4*units,) floats", dense_kernel="(units, outputs) floats",
         dense_bias="(outputs,) floats")
def _checked_weights(embedding, kernel, recurrent_kernel, bias, dense_kernel, dense_bias) -> EmbeddingLSTMWeights:
    return EmbeddingLSTMWeights(embedding, kernel, recurrent_kernel, bias, dense_kernel, dense_bias)


_LAYERS = ("embedding", "lstm", "logits")  # the layers' names, as build_char_lstm and build_chorale_lstm give them


def embedding_lstm(name: str, value, dims: dict):
    """The @checked spec of a model argument (generation, music): a Keras model with layers named embedding, lstm and
    logits, given as it is (the function reads its weights), or weights read from one (EmbeddingLSTMWeights, checked
    and given as float64 arrays); fixes vocabulary, units and ids_per_step for the arguments after it."""
    if isinstance(value, EmbeddingLSTMWeights):
        value = _checked_weights(*value)
        shapes = [weights.shape for weights in value]
    else:
        shapes, problem = _layer_shapes(value)
        if len(shapes) != len(EmbeddingLSTMWeights._fields):
            raise TypeError(f"{name} must be a Keras model with layers named embedding, lstm and logits (as "
                            f"build_char_lstm and build_chorale_lstm make), got {type(value).__name__}: {problem}")
    (vocabulary, embedding_dim), (inputs, units4), outputs = shapes[0], shapes[1], shapes[-1][0]
    if inputs % embedding_dim or outputs % (inputs // embedding_dim):
        raise ValueError(f"kernel must have shape (k * embedding_dim {embedding_dim}, 4 * units {units4}) for a "
                         f"model reading k ids a step into k softmaxes, got {(inputs, units4)}")
    dims.update(vocabulary=vocabulary, units=units4 // 4, ids_per_step=inputs // embedding_dim)
    return value


def _layer_shapes(model) -> tuple[list, str]:
    """The shapes of the weights that a Keras model's layers embedding, lstm and logits hold (their values are not
    read), and what is wrong if they are not the six of EmbeddingLSTMWeights."""
    try:
        shapes = [tuple(variable.shape) for layer in _LAYERS for variable in model.get_layer(layer).weights]
    except (AttributeError, TypeError, ValueError) as error:
        return [], str(error)
    return shapes, f"its layers hold {len(shapes)} weights, not {len(EmbeddingLSTMWeights._fields)}"


def _read_weights(model) -> EmbeddingLSTMWeights:
    """The weights of a model checked by embedding_lstm, as float64 arrays: as given, or read from its Keras layers
    and checked as given ones are (their values are known only now: a training that diverged leaves NaN)."""
    if isinstance(model, EmbeddingLSTMWeights):
        return model
    return _checked_weights(*(weights for layer in _LAYERS for weights in model.get_layer(layer).get_weights()))


def _model_ids(name: str, value, dims: dict) -> np.ndarray:
    """Integer ids (batch, T), or (batch, T, k) for a model reading k ids a step, below the model's vocabulary."""
    ids = spec("(batch, T, ...) ints in [0, vocabulary)")(name, value, dims)
    if ids.ndim > 3 or (ids.shape[2] if ids.ndim == 3 else 1) != dims["ids_per_step"]:
        raise ValueError(f"{name} must hold {dims['ids_per_step']} ids a step for this model ((batch, T, k), or "
                         f"(batch, T) for one), got shape {ids.shape}")
    return ids


@checked(model=embedding_lstm)
def embedding_lstm_weights(model) -> EmbeddingLSTMWeights:
    """The weights of a Keras model with layers named embedding, lstm and logits, or checked ones (notebooks 05, 09).

    Such models are made by `course_utils.text.build_char_lstm` and `course_utils.music.build_chorale_lstm`;
    an `EmbeddingLSTMWeights` is checked and returned as float64 arrays, so they can be read once and reused.
    """
    return _read_weights(model)


@checked(model=embedding_lstm, ids=_model_ids, h0="(batch, units) floats or zeros",
         c0="(batch, units) floats or zeros")
def run_embedding_lstm(model, ids, h0=None, c0=None) -> EmbeddingLSTMTrace:
    """Run an Embedding -> LSTM -> Dense model in NumPy on ids (batch, T[, k]) from the state h0, c0 (notebooks 05, 09).

    `model` is a Keras model or its `embedding_lstm_weights`. With k ids a step (notebook 09: the four voices of a
    beat) their embeddings are read side by side and the logits split into k softmaxes, as the model's Reshape
    layers do. Uses `lstm_forward`, so it also returns the cell states, which Keras does not, and the last state
    can be passed back in: sampling then reads one step at a time instead of re-reading the whole sequence.
    """
    batch, steps = ids.shape[:2]
    weights = _read_weights(model)  # from the Keras layers, or as given
    inputs = weights.embedding[ids].reshape(batch, steps, -1)  # (batch, T, k * embedding_dim): side by side
    # lstm_forward's checks would repeat those above, at every step of a generation: its body alone (.unchecked)
    trace = lstm_forward.unchecked(inputs, weights.kernel, weights.recurrent_kernel, weights.bias, h0, c0)
    logits = trace.h @ weights.dense_kernel + weights.dense_bias  # (batch, T, k * K)
    return EmbeddingLSTMTrace(trace.h, trace.c, softmax(logits.reshape(ids.shape + (-1,))))
