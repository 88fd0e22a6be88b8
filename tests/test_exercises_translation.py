"""Checkers of notebook 07: the right answer passes, the typical wrong answers fail, None is "not attempted"."""

from __future__ import annotations

import numpy as np
import pytest

from course_utils.exercises import CORRECT, NOT_ATTEMPTED
from course_utils.exercises.translation import check_additive_translator, check_greedy_translate, check_reverse_source


def greedy_right(step, state, start_id, end_id, max_length):
    token, output = start_id, []
    for _ in range(max_length):
        log_probs, state = step(np.array([token]), state)
        token = int(np.argmax(log_probs[0]))
        if token == end_id:
            break
        output.append(token)
    return output


def greedy_keeps_end(step, state, start_id, end_id, max_length):
    token, output = start_id, []
    for _ in range(max_length):
        log_probs, state = step(np.array([token]), state)
        token = int(np.argmax(log_probs[0]))
        output.append(token)
        if token == end_id:
            break
    return output


def greedy_never_feeds_back(step, state, start_id, end_id, max_length):
    output = []
    for _ in range(max_length):
        log_probs, state = step(np.array([start_id]), state)
        token = int(np.argmax(log_probs[0]))
        if token == end_id:
            break
        output.append(token)
    return output


def greedy_drops_state(step, state, start_id, end_id, max_length):
    token, output = start_id, []
    for _ in range(max_length):
        log_probs, _ = step(np.array([token]), state)
        token = int(np.argmax(log_probs[0]))
        if token == end_id:
            break
        output.append(token)
    return output


def test_greedy_checker_states():
    assert check_greedy_translate(None).status == NOT_ATTEMPTED
    assert check_greedy_translate(greedy_right).status == CORRECT


@pytest.mark.parametrize(("wrong", "message"), [
    (greedy_keeps_end, "<end>"), (greedy_never_feeds_back, "feed back"), (greedy_drops_state, "state"),
    (lambda *args: 1 / 0, "ZeroDivisionError"), ("not a function", "function"),
])
def test_greedy_checker_rejects_typical_mistakes(wrong, message):
    with pytest.raises(AssertionError, match=message):
        check_greedy_translate(wrong)


def reverse_right(ids):
    out = np.zeros_like(ids)
    for row, tokens in enumerate(ids):
        real = tokens[tokens != 0]
        out[row, : len(real)] = real[::-1]
    return out


def test_reverse_checker_states():
    assert check_reverse_source(None).status == NOT_ATTEMPTED
    assert check_reverse_source(reverse_right).status == CORRECT


@pytest.mark.parametrize(("wrong", "message"), [
    (lambda ids: ids[:, ::-1], "padding to the front"), (lambda ids: ids, "unchanged"),
    (lambda ids: ids[:, ::-1][:, :4], "same shape"), (lambda ids: np.sort(ids, axis=1), "differ"),
])
def test_reverse_checker_rejects_typical_mistakes(wrong, message):
    with pytest.raises(AssertionError, match=message):
        check_reverse_source(wrong)


def greedy_ignores_max_length(step, state, start_id, end_id, max_length):
    token, output = start_id, []
    while True:  # the usual slip: only <end> stops it
        log_probs, state = step(np.array([token]), state)
        token = int(np.argmax(log_probs[0]))
        if token == end_id:
            return output
        output.append(token)


def greedy_fixed_budget(step, state, start_id, end_id, max_length):
    return greedy_right(step, state, start_id, end_id, 50)  # its own limit instead of max_length


@pytest.mark.parametrize("wrong", [greedy_ignores_max_length, greedy_fixed_budget])
def test_greedy_checker_rejects_a_decoder_that_ignores_max_length(wrong):
    with pytest.raises(AssertionError, match="max_length"):
        check_greedy_translate(wrong)


# ----------------------------------------------------------------------------- 07.3: additive attention


def attention_translator(attention="additive", step_mask=True, shared=True, use_english=True, vocabulary=12, units=8):
    """(training model, encoder, decoder step) shaped like the notebook's, with one usual mistake switched on."""
    import keras
    from keras import layers

    def make_layers():
        return dict(source=layers.Embedding(vocabulary, 4, mask_zero=True),
                    encoder=layers.LSTM(units, return_sequences=True, return_state=True),
                    target=layers.Embedding(vocabulary, 4, mask_zero=True),
                    decoder=layers.LSTM(units, return_sequences=True, return_state=True),
                    attend=layers.AdditiveAttention() if attention == "additive" else layers.Attention(),
                    combine=layers.Dense(units, activation="tanh"), next_word=layers.Dense(vocabulary))

    def decode(parts, french_ids, h, c, encoder_outputs, mask):
        outputs, h, c = parts["decoder"](parts["target"](french_ids), initial_state=[h, c])
        context = parts["attend"]([outputs, encoder_outputs], mask=mask)
        return parts["next_word"](parts["combine"](keras.ops.concatenate([outputs, context], axis=-1))), h, c

    trained = make_layers()
    english, french_in = keras.Input((None,), dtype="int32"), keras.Input((None,), dtype="int32")
    encoder_outputs, h, c = trained["encoder"](trained["source"](english))
    if not use_english:
        encoder_outputs, h, c = (keras.ops.zeros_like(x) for x in (encoder_outputs, h, c))
    source_mask = keras.ops.not_equal(english, 0)
    logits, _, _ = decode(trained, french_in, h, c, encoder_outputs, [None, source_mask])
    training_model = keras.Model([english, french_in], logits)
    encoder = keras.Model(english, [encoder_outputs, h, c])
    step = make_layers() if not shared else trained
    token, h_in, c_in = keras.Input((1,), dtype="int32"), keras.Input((units,)), keras.Input((units,))
    memory, memory_mask = keras.Input((None, units)), keras.Input((None,), dtype="bool")
    step_logits, h_out, c_out = decode(step, token, h_in, c_in, memory, [None, memory_mask] if step_mask else None)
    decoder_step = keras.Model([token, h_in, c_in, memory, memory_mask], [step_logits, h_out, c_out])
    return training_model, encoder, decoder_step


def test_additive_translator_checker_states():
    import keras

    keras.utils.set_random_seed(0)
    assert check_additive_translator(None).status == NOT_ATTEMPTED
    assert check_additive_translator(attention_translator()).status == CORRECT


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"attention": "dot"}, "AdditiveAttention"), ({"step_mask": False}, "source mask"),
    ({"shared": False}, "same layer objects"), ({"use_english": False}, "English"),
])
def test_additive_translator_checker_rejects_typical_mistakes(kwargs, message):
    import keras

    keras.utils.set_random_seed(0)
    with pytest.raises(AssertionError, match=message):
        check_additive_translator(attention_translator(**kwargs))


@pytest.mark.parametrize("wrong", ["a model", (1, 2, 3)])
def test_additive_translator_checker_rejects_what_is_not_three_models(wrong):
    with pytest.raises(AssertionError, match="three keras.Model"):
        check_additive_translator(wrong)
