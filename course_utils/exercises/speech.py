"""Checkers for the exercises of notebook 08 (speech recognition)."""

from __future__ import annotations

import numpy as np

from course_utils.exercises import call, exercise, fail, keras_layers
from course_utils.speech import N_CLASSES, N_MELS, ctc_greedy_decode, error_rate

# Frame-by-frame best classes (0 = blank) and what greedy CTC decoding makes of them.
FRAME_PATHS = ([0, 5, 5, 0, 0, 8, 8, 8, 0, 8, 0],  # "4 7 7": a blank separates the two 7s
               [3, 3, 3, 3],
               [0, 0, 0],
               [1, 0, 1, 1, 2, 0, 0, 2, 10])


def _as_labels(value) -> list[int]:
    try:
        return [int(v) for v in np.asarray(value).ravel()]
    except (TypeError, ValueError):
        fail(f"return a list of class ids, got {type(value).__name__}")


@exercise("Exercise 08.1 (greedy CTC decoding)",
          hint="Merge runs of the same class first, then drop the blanks (class 0).")
def check_collapse(collapse):
    """`collapse(path)` -> the label list that one frame-by-frame path of best classes (0 = blank) stands for."""
    for path in FRAME_PATHS:
        expected = ctc_greedy_decode(np.eye(N_CLASSES)[path][None])[0]
        got = _as_labels(call(collapse, np.array(path), what="collapse"))
        if got == expected:
            continue
        no_blanks = [c for c in path if c != 0]
        merged_after = [c for i, c in enumerate(no_blanks) if i == 0 or c != no_blanks[i - 1]]
        if got == merged_after:
            fail("merge repeats BEFORE dropping blanks: the blank between two 7s is what lets CTC say 7 7")
        if got == no_blanks:
            fail("merge runs of the same class: one digit spans several frames")
        if 0 in got:
            fail("drop the blanks (class 0): they stand for 'no new label here'")
        fail(f"for the path {path} expected {expected}, got {got}")


REFERENCES = ["four seven seven", "two", "nine one", "zero zero five"]
HYPOTHESES = ["four seven", "three", "nine one one", "zero five"]


@exercise("Exercise 08.2 (word error rate)",
          hint="Edit distance over words (substitutions + insertions + deletions), summed, over the total "
               "number of reference words.")
def check_word_error_rate(word_error_rate):
    """`word_error_rate(references, hypotheses)` -> total word edits / total reference words."""
    expected = error_rate(REFERENCES, HYPOTHESES, unit="word")
    got = call(word_error_rate, list(REFERENCES), list(HYPOTHESES), what="word_error_rate")
    try:
        got = float(got)
    except (TypeError, ValueError):
        fail(f"return one number, got {type(got).__name__}")
    if np.isclose(got, expected):
        return
    per_utterance = np.mean([error_rate([r], [h]) for r, h in zip(REFERENCES, HYPOTHESES, strict=True)])
    if np.isclose(got, per_utterance):
        fail("sum the edits over all utterances, then divide by all reference words: averaging per-utterance "
             "rates gives short utterances too much weight")
    positional = sum(sum(a != b for a, b in zip(r.split(), h.split(), strict=False)) + abs(len(r.split()) -
                     len(h.split())) for r, h in zip(REFERENCES, HYPOTHESES, strict=True))
    if np.isclose(got, positional / sum(len(r.split()) for r in REFERENCES)):
        fail("compare with the edit distance, not word by word in place: one missing word shifts all the rest")
    if np.isclose(got, error_rate(REFERENCES, HYPOTHESES, unit="char")):
        fail("that is the character error rate: split the texts into words")
    fail(f"expected {expected:.3f}, got {got:.3f}")


@exercise("Exercise 08.3 (a deeper recogniser)",
          hint="Input -> Masking(mask_value=0.0) -> two Bidirectional(LSTM(UNITS, return_sequences=True)) -> "
               "Dense(11) -> keras.ops.log_softmax, as build_bilstm with one more Bidirectional layer.")
def check_deep_recogniser(build_deep_recogniser):
    """`build_deep_recogniser()` -> a Keras model of two bidirectional LSTM layers, (batch, frames, 32) ->
    (batch, frames, 11) log-probabilities, that reads an utterance inside a padded batch as it reads it alone."""
    import keras

    model = call(build_deep_recogniser, what="build_deep_recogniser")
    if not isinstance(model, keras.Model):
        fail(f"return a keras.Model, got {type(model).__name__}")
    rng = np.random.default_rng(0)
    short, long = rng.normal(size=(6, N_MELS)), rng.normal(size=(11, N_MELS))  # two utterances' features
    batch = np.zeros((2, 11, N_MELS), dtype=np.float32)  # the short one padded with zero frames
    batch[0, :6], batch[1] = short, long
    out = _output(model, batch, "a (2, 11, 32) batch")
    if out.ndim != 3 or out.shape[:2] != (2, 11):
        fail(f"give one output per frame, shape (batch, frames, 11): got {out.shape} (return_sequences=True on "
             "every LSTM layer)")
    if out.shape[2] != N_CLASSES:
        fail(f"{N_CLASSES} outputs per frame, the blank (class 0) and ten digits: got {out.shape[2]}")
    lstms = [layer for layer in keras_layers(model) if isinstance(layer, keras.layers.Bidirectional)
             and isinstance(layer.forward_layer, keras.layers.LSTM)]
    if len(lstms) < 2:
        fail(f"stack two Bidirectional(LSTM(...)) layers: found {len(lstms)}")
    if np.all(out >= 0) and np.allclose(out.sum(axis=-1), 1.0, atol=1e-3):
        fail("those are probabilities: the CTC loss and the decoder take log-probabilities (keras.ops.log_softmax)")
    if not np.allclose(np.log(np.exp(out).sum(axis=-1)), 0.0, atol=1e-3):
        fail("end with keras.ops.log_softmax: each frame's outputs must be log-probabilities over the 11 classes")
    alone = _output(model, short[None].astype(np.float32), "one unpadded utterance")
    if np.abs(alone[0] - out[0, :6]).max() > 1e-4:
        fail("the short utterance reads differently inside a padded batch than alone: put "
             "keras.layers.Masking(mask_value=0.0) right after the input, so the LSTMs skip the padding")
    # A last layer that supports masking (Dense, Activation, Softmax) hands the padding mask on with its output, and
    # Keras then weights CTC's one loss per utterance frame by frame (notebook 08, section 3). Keras keeps that mask
    # on the output as `_keras_mask`.
    if getattr(model(batch), "_keras_mask", None) is not None:
        fail("your model's output still carries the padding mask, which Keras would apply to the CTC loss frame by "
             "frame: end with the operation keras.ops.log_softmax, not a layer (section 3 says why)")


def _output(model, x, what: str) -> np.ndarray:
    try:
        return np.asarray(model(x))
    except Exception as error:  # the learner's model: its error is the feedback
        fail(f"your model failed on {what}: {type(error).__name__}: {str(error)[:200]}")
