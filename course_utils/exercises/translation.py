"""Checkers for the exercises of notebook 07 (machine translation)."""

from __future__ import annotations

import numpy as np

from course_utils.exercises import call, exercise, fail
from course_utils.translation import greedy_decode, reverse_source


def toy_decoder(table: np.ndarray):
    """A decoder step for the checkers: next-token log-probabilities depend on the last token and the state.

    The state is one integer per row, the number of steps taken; from step 3 on it favours <end> (id 2),
    so a decoder that does not pass the new state on never stops where the reference does.
    """
    def step(tokens, state):
        (steps_taken,) = state
        tokens = np.asarray(tokens, dtype=np.int64)
        steps_taken = np.asarray(steps_taken, dtype=np.int64)
        log_probs = table[tokens].copy()
        log_probs[:, 2] += np.where(steps_taken >= 3, 10.0, -10.0)
        return log_probs, (steps_taken + 1,)
    return step


def _toy_table(seed: int, vocabulary: int = 9) -> np.ndarray:
    logits = np.random.default_rng(seed).normal(size=(vocabulary, vocabulary)) * 3
    return logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))


def _simulate(step, feed_back: bool, carry_state: bool, max_length: int = 12) -> list[int]:
    """What a greedy decoder with one of the two typical mistakes returns (start 1, end 2)."""
    state, token, output = (np.zeros(1, dtype=np.int64),), 1, []
    for _ in range(max_length):
        log_probs, new_state = step(np.array([token if feed_back else 1]), state)
        state = new_state if carry_state else state
        token = int(np.argmax(log_probs[0]))
        if token == 2:
            break
        output.append(token)
    return output


@exercise("Exercise 07.1 (greedy decoding)",
          hint="Start from <start>, call step, take the argmax, feed it back with the new state, stop at <end>.")
def check_greedy_translate(greedy_translate):
    """`greedy_translate(step, state, start_id, end_id, max_length)` -> list of ids of ONE sentence, no <end>."""
    for seed in range(5):
        table = _toy_table(seed)
        table[:, 0] = -np.inf  # the toy never emits padding, so the learner need not handle it
        step = toy_decoder(table)
        expected = greedy_decode(step, (np.zeros(1, dtype=np.int64),), 1, 1, 2, 12)[0]
        expected = [int(t) for t in expected if t not in (0, 2)]
        got = call(greedy_translate, step, (np.zeros(1, dtype=np.int64),), 1, 2, 12, what="greedy_translate")
        try:
            got = [int(t) for t in np.asarray(got).ravel()]
        except (TypeError, ValueError):
            fail(f"return a list of token ids, got {type(got).__name__}")
        if got == expected:
            continue
        if got == expected + [2]:
            fail("leave <end> (id 2) out of the translation: it only says where to stop")
        if got and got[0] == 1:
            fail("leave <start> (id 1) out of the translation: it is the first input, not an output")
        if got == _simulate(step, feed_back=False, carry_state=True):
            fail("feed back the token you just predicted: you keep giving the decoder <start>")
        if got == _simulate(step, feed_back=True, carry_state=False):
            fail("carry the state: pass the state that step returns into the next call")
        fail(f"for a toy decoder expected {expected}, got {got}")


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
