"""Checkers for the exercises of notebook 08 (speech recognition)."""

from __future__ import annotations

import numpy as np

from course_utils.exercises import call, exercise, fail
from course_utils.speech import N_CLASSES, ctc_greedy_decode, error_rate

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
