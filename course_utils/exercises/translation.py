"""Checkers for the exercises of notebook 07 (machine translation)."""

from __future__ import annotations

import numpy as np

from course_utils.exercises import call, exercise, fail, keras_layers
from course_utils.translation import END_ID, PAD_ID, START_ID, greedy_decode, reverse_source


class _TooManySteps(RuntimeError):
    """Raised by the checkers' toy decoder when a decoding loop does not stop."""


def _toy_decoder(table: np.ndarray, end_after: int | None = 3, call_limit: int = 60):
    """A decoder step for the checkers: next-token log-probabilities depend on the last token and the state.

    The state is one integer per row, the number of steps taken; from step `end_after` on it favours <end>
    (never, if None), so a decoder that does not pass the new state on never stops where the reference
    does, and one that ignores max_length runs on. After `call_limit` calls it raises _TooManySteps.
    """
    calls = 0

    def step(tokens, state):
        nonlocal calls
        calls += 1
        if calls > call_limit:
            raise _TooManySteps(f"step was called {calls} times: stop after max_length steps")
        (steps_taken,) = state
        tokens = np.asarray(tokens, dtype=np.int64)
        steps_taken = np.asarray(steps_taken, dtype=np.int64)
        log_probs = table[tokens].copy()
        ends = steps_taken >= end_after if end_after is not None else np.zeros(len(tokens), dtype=bool)
        log_probs[:, END_ID] += np.where(ends, 10.0, -10.0)
        return log_probs, (steps_taken + 1,)
    return step


def _toy_table(seed: int, vocabulary: int = 9) -> np.ndarray:
    logits = np.random.default_rng(seed).normal(size=(vocabulary, vocabulary)) * 3
    logits[:, PAD_ID] = -np.inf  # the toy never emits padding, so the learner need not handle it
    return logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))


def _simulate(step, feed_back: bool, carry_state: bool, max_length: int = 12) -> list[int]:
    """What a greedy decoder with one of the two typical mistakes returns."""
    state, token, output = (np.zeros(1, dtype=np.int64),), START_ID, []
    for _ in range(max_length):
        log_probs, new_state = step(np.array([token if feed_back else START_ID]), state)
        state = new_state if carry_state else state
        token = int(np.argmax(log_probs[0]))
        if token == END_ID:
            break
        output.append(token)
    return output


def _greedy_answer(greedy_translate, table, end_after, max_length):
    """(expected ids, the learner's ids) for one toy decoder; fails if the answer is not a list of ids."""
    expected = greedy_decode(_toy_decoder(table, end_after), (np.zeros(1, dtype=np.int64),), 1, START_ID, END_ID,
                             max_length)[0]
    expected = [int(t) for t in expected if t not in (PAD_ID, END_ID)]
    got = call(greedy_translate, _toy_decoder(table, end_after), (np.zeros(1, dtype=np.int64),), START_ID, END_ID,
               max_length, what="greedy_translate")
    try:
        return expected, [int(t) for t in np.asarray(got).ravel()]
    except (TypeError, ValueError):
        fail(f"return a list of token ids, got {type(got).__name__}")


@exercise("Exercise 07.1 (greedy decoding)",
          hint="Start from <start>, call step, take the argmax, feed it back with the new state, stop at <end> "
               "or after max_length steps.")
def check_greedy_translate(greedy_translate):
    """`greedy_translate(step, state, start_id, end_id, max_length)` -> list of ids of ONE sentence, no <end>."""
    for seed in range(5):
        table = _toy_table(seed)
        expected, got = _greedy_answer(greedy_translate, table, 3, 12)
        if got == expected:
            continue
        if got == expected + [END_ID]:
            fail("leave <end> (id 2) out of the translation: it only says where to stop")
        if got and got[0] == START_ID:
            fail("leave <start> (id 1) out of the translation: it is the first input, not an output")
        if got == _simulate(_toy_decoder(table), feed_back=False, carry_state=True):
            fail("feed back the token you just predicted: you keep giving the decoder <start>")
        if got == _simulate(_toy_decoder(table), feed_back=True, carry_state=False):
            fail("carry the state: pass the state that step returns into the next call")
        fail(f"for a toy decoder expected {expected}, got {got}")
    # A decoder that never chooses <end>: the translation must stop after max_length tokens.
    expected, got = _greedy_answer(greedy_translate, _toy_table(5), None, 6)
    if len(got) > 6:
        fail(f"stop after max_length steps: with max_length=6 your translation has {len(got)} tokens")
    if got != expected:
        fail(f"for a toy decoder that never ends, expected the first 6 greedy tokens {expected}, got {got}")


@exercise("Exercise 07.2 (reverse the input)",
          hint="Reverse only each row's real tokens (ids > 0); the padding 0s stay at the end.")
def check_reverse_source(reverse):
    """`reverse(ids)` -> the (batch, length) ids with each row's non-zero tokens reversed, padding last."""
    rng = np.random.default_rng(7)
    ids = np.zeros((6, 8), dtype=np.int64)
    for row, n in enumerate([8, 5, 1, 3, 7, 2]):
        ids[row, :n] = rng.integers(4, 60, size=n)
    expected = reverse_source(ids)
    got = call(reverse, ids.copy(), what="your reverse function")
    try:
        got = np.asarray(got)
    except (TypeError, ValueError):
        fail(f"return an array of ids, got {type(got).__name__}")
    if got.shape != ids.shape:
        fail(f"return an array of the same shape as ids, {ids.shape}, got {got.shape}")
    if np.array_equal(got, expected):
        return
    if np.array_equal(got, ids[:, ::-1]):
        fail("ids[:, ::-1] moves the padding to the front: the encoder then reads 0s first. Reverse only "
             "the real tokens of each row")
    if np.array_equal(got, ids):
        fail("the rows are unchanged: reverse the order of each row's tokens")
    fail("some rows differ from the expected reversal; compare one row by hand")


def _step_loop_logits(encoder, decoder_step, english, french_in):
    """Logits (batch, T, vocabulary) of the inference models, fed the French one token at a time."""
    encoder_outputs, h, c = (np.asarray(x) for x in encoder(english))
    logits = []
    for t in range(french_in.shape[1]):
        outputs = decoder_step([french_in[:, t : t + 1], h, c, encoder_outputs, english != PAD_ID])
        logits.append(np.asarray(outputs[0])[:, 0])
        h, c = np.asarray(outputs[1]), np.asarray(outputs[2])
    return np.stack(logits, axis=1)


@exercise("Exercise 07.3 (Bahdanau's additive attention)",
          hint="Copy build_attention_translator, use layers.AdditiveAttention, and make the training model and the "
               "inference models from the same layer objects, the source mask passed to the attention in both.")
def check_additive_translator(models):
    """`models`: (training_model, encoder, decoder_step) with the inputs and outputs of section 5's models:
    training_model([english, french_in]) -> logits; encoder(english) -> [encoder_outputs, h, c];
    decoder_step([token, h, c, encoder_outputs, source_mask]) -> [logits, h, c, ...]."""
    import keras

    if not isinstance(models, (tuple, list)) or len(models) < 3 or not all(
            isinstance(m, keras.Model) for m in models[:3]):
        fail("pass (training_model, encoder, decoder_step), three keras.Model objects, as build_attention_translator "
             "returns them")
    training_model, encoder, decoder_step = models[:3]
    if not any(isinstance(layer, keras.layers.AdditiveAttention) for layer in keras_layers(training_model)):
        fail("the training model has no keras.layers.AdditiveAttention layer: that is Bahdanau's score")
    rng = np.random.default_rng(0)
    english = rng.integers(4, 10, size=(2, 6)).astype(np.int32)
    french_in = np.concatenate([np.full((2, 1), START_ID), rng.integers(4, 10, size=(2, 3))], axis=1).astype(np.int32)
    padded = np.concatenate([english, np.full((2, 3), PAD_ID, dtype=np.int32)], axis=1)  # the same words + padding
    trained = np.asarray(call(training_model, [padded, french_in], what="your training model"))
    if trained.ndim != 3 or trained.shape[:2] != french_in.shape:
        fail(f"the training model must return logits (batch, French length, vocabulary), got shape {trained.shape}")
    if np.allclose(trained, np.asarray(training_model([padded[::-1], french_in])), atol=1e-6):
        fail("the output does not depend on the English sentence: attend over the encoder's outputs")
    loop_unpadded = call(_step_loop_logits, encoder, decoder_step, english, french_in, what="your inference models")
    loop_padded = _step_loop_logits(encoder, decoder_step, padded, french_in)
    if not np.allclose(loop_unpadded, np.asarray(training_model([english, french_in])), atol=1e-4):
        fail("the step-by-step decoder does not compute what the training model computes: build the encoder and "
             "decoder_step from the same layer objects as the training model")
    if not np.allclose(loop_padded, trained, atol=1e-4):
        fail("with padding after the English, the decoder step gives other logits than the training model: its "
             "attention reads the padded positions. Pass the source mask: mask=[None, source_mask]")
