"""Checkers of notebook 08: the right answer passes, the typical wrong answers fail, None is "not attempted"."""

from __future__ import annotations

import pytest

from course_utils.exercises import CORRECT, NOT_ATTEMPTED
from course_utils.exercises.speech import check_collapse, check_deep_recogniser, check_word_error_rate


def collapse_right(path):
    labels = [int(c) for i, c in enumerate(path) if i == 0 or c != path[i - 1]]
    return [c for c in labels if c != 0]


def collapse_blanks_first(path):
    no_blanks = [int(c) for c in path if c != 0]
    return [c for i, c in enumerate(no_blanks) if i == 0 or c != no_blanks[i - 1]]


def collapse_no_merge(path):
    return [int(c) for c in path if c != 0]


def collapse_keeps_blanks(path):
    return [int(c) for i, c in enumerate(path) if i == 0 or c != path[i - 1]]


def test_collapse_checker():
    assert check_collapse(None).status == NOT_ATTEMPTED
    assert check_collapse(collapse_right).status == CORRECT
    for wrong, message in ((collapse_blanks_first, "BEFORE"), (collapse_no_merge, "merge runs"),
                           (collapse_keeps_blanks, "drop the blanks")):
        with pytest.raises(AssertionError, match=message):
            check_collapse(wrong)
    with pytest.raises(AssertionError, match="raised"):
        check_collapse(lambda path: 1 / 0)


def edit(a, b):
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        new = [i]
        for j, y in enumerate(b, 1):
            new.append(min(row[j] + 1, new[j - 1] + 1, row[j - 1] + (x != y)))
        row = new
    return row[-1]


def wer_right(references, hypotheses):
    return sum(edit(r.split(), h.split()) for r, h in zip(references, hypotheses, strict=False)) / sum(
        len(r.split()) for r in references)


def wer_averaged(references, hypotheses):
    rates = [edit(r.split(), h.split()) / len(r.split()) for r, h in zip(references, hypotheses, strict=True)]
    return sum(rates) / len(references)


def wer_positional(references, hypotheses):
    wrong = sum(sum(a != b for a, b in zip(r.split(), h.split(), strict=False)) + abs(len(r.split()) - len(h.split()))
                for r, h in zip(references, hypotheses, strict=False))
    return wrong / sum(len(r.split()) for r in references)


def wer_characters(references, hypotheses):
    return sum(edit(r, h) for r, h in zip(references, hypotheses, strict=False)) / sum(len(r) for r in references)


def test_word_error_rate_checker():
    assert check_word_error_rate(None).status == NOT_ATTEMPTED
    assert check_word_error_rate(wer_right).status == CORRECT
    for wrong, message in ((wer_averaged, "averaging"), (wer_positional, "in place"),
                           (wer_characters, "character error rate")):
        with pytest.raises(AssertionError, match=message):
            check_word_error_rate(wrong)
    with pytest.raises(AssertionError, match="one number"):
        check_word_error_rate(lambda r, h: "four")


def deep_recogniser(masking=True, classes=11, second_sequences=True, layers=2, ending="log_softmax"):
    """A learner's build_deep_recogniser, right by default, with one of the usual mistakes on request."""
    import keras

    def build():
        features = keras.Input((None, 32))
        hidden = keras.layers.Masking(mask_value=0.0)(features) if masking else features
        for layer in range(layers):
            last = layer == layers - 1
            lstm = keras.layers.LSTM(4, return_sequences=second_sequences or not last)
            hidden = keras.layers.Bidirectional(lstm)(hidden)
        scores = keras.layers.Dense(classes)(hidden)
        out = {"log_softmax": keras.ops.log_softmax, "softmax": keras.ops.softmax, "none": lambda x: x,
               "log_softmax layer": keras.layers.Activation("log_softmax")}[ending](scores)
        return keras.Model(features, out)

    return build


def test_deep_recogniser_checker():
    import keras

    keras.utils.set_random_seed(0)
    assert check_deep_recogniser(None).status == NOT_ATTEMPTED
    assert check_deep_recogniser(deep_recogniser()).status == CORRECT
    for wrong, message in ((deep_recogniser(masking=False), "Masking"),
                           (deep_recogniser(classes=10), "the blank"),
                           (deep_recogniser(second_sequences=False), "return_sequences=True"),
                           (deep_recogniser(layers=1), "stack two"),
                           (deep_recogniser(ending="softmax"), "those are probabilities"),
                           (deep_recogniser(ending="none"), "log_softmax"),
                           (deep_recogniser(ending="log_softmax layer"), "still carries the padding mask")):
        with pytest.raises(AssertionError, match=message):
            check_deep_recogniser(wrong)
    with pytest.raises(AssertionError, match="return a keras.Model"):
        check_deep_recogniser(lambda: "a model")
