"""Checkers of notebook 07: the right answer passes, the typical wrong answers fail, None is "not attempted"."""

from __future__ import annotations

import numpy as np
import pytest

from course_utils.exercises import CORRECT, NOT_ATTEMPTED
from course_utils.exercises.translation import check_greedy_translate, check_reverse_source


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
