"""Checkers of notebook 08: the right answer passes, the typical wrong answers fail, None is "not attempted"."""

from __future__ import annotations

import pytest

from course_utils.exercises import CORRECT, NOT_ATTEMPTED
from course_utils.exercises.speech import check_collapse, check_word_error_rate


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
