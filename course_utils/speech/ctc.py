"""Notebook 08's CTC pieces: class ids with the blank, targets that carry each utterance's length, the CTC loss over
the true frames, greedy decoding, and the edit distance behind word and character error rates.

Greedy decoding and the edit distance are hand-written because the notebook teaches them (the tests compare them
with keras.ops.ctc_decode and a recursive oracle); error_rate follows jiwer's definitions.
"""

from __future__ import annotations

import numpy as np

from course_utils.speech.data import DIGIT_WORDS
from course_utils.validation import checked

BLANK = 0  # Keras 3's CTC blank (mask_index=0); digit d is class d + 1
N_CLASSES = 1 + len(DIGIT_WORDS)  # the blank and the ten digits


def _tensor_of_rank(rank: int, last: int | None = None):
    """The check of a tensor (or array) of `rank` dimensions, the last of size `last` if given; works on the
    symbolic tensors Keras passes a loss while it traces fit."""

    def check(name: str, value, dims):
        from keras import ops

        try:
            tensor = ops.convert_to_tensor(value)
        except (TypeError, ValueError):
            raise TypeError(f"{name} must be a tensor or array of numbers, got {type(value).__name__}") from None
        if len(tensor.shape) != rank or (last is not None and tensor.shape[-1] != last):
            raise ValueError(f"{name} must have {rank} dimensions" + (f", the last of size {last}" if last else "") +
                             f", got shape {tuple(tensor.shape)}")
        return tensor

    return check


@checked(digits="(n,) strings matching [0-9]+")
def encode_digits(digits) -> np.ndarray:
    """Digit strings -> CTC labels (n, longest) of class ids (digit d -> d + 1), padded with the blank 0."""
    labels = np.full((len(digits), max(len(s) for s in digits)), BLANK, dtype=np.int32)
    for row, s in enumerate(digits):
        labels[row, :len(s)] = [int(c) + 1 for c in s]
    return labels


@checked(digits="(n,) strings matching [0-9]+", frames="(n,) ints >= 1")
def ctc_targets(digits, frames) -> np.ndarray:
    """What `fit` gets as y (notebook 08): each row is an utterance's number of frames, then its labels
    (`encode_digits`), shape (n, 1 + longest). A Keras loss sees only (y_true, y_pred), so the true length
    travels with the labels."""
    labels = encode_digits(digits)  # (n, longest)
    return np.concatenate([frames[:, None], labels], axis=1).astype(np.int32)  # (n, 1 + longest)


@checked(y_true=_tensor_of_rank(2), y_pred=_tensor_of_rank(3, last=N_CLASSES))
def ctc_loss(y_true, y_pred):
    """CTC loss of each utterance over its own frames (notebook 08): y_true from `ctc_targets`, y_pred the
    model's (batch, frames, 11) log-probabilities. Frames past an utterance's length are not read."""
    from keras import ops

    frames, labels = ops.cast(y_true[:, 0], "int32"), ops.cast(y_true[:, 1:], "int32")  # (batch,), (batch, longest)
    label_lengths = ops.sum(ops.cast(labels != BLANK, "int32"), axis=1)  # (batch,)
    return ops.ctc_loss(labels, y_pred, label_lengths, frames, mask_index=BLANK)  # (batch,)


@checked(labels=f"(n,) ints in [-1, {N_CLASSES}) or empty")  # -1: the padding of keras.ops.ctc_decode
def labels_to_digits(labels) -> str:
    """A decoded label sequence (class ids 1-10; blanks and -1 padding skipped) -> its digit string, e.g. "477"."""
    return "".join(str(int(v) - 1) for v in labels if v not in (BLANK, -1))


@checked(logits="(batch, frames, classes) floats", lengths="(batch,) ints in [0, frames] or None",
         blank="int in [0, classes)")
def ctc_greedy_decode(logits, lengths=None, blank: int = BLANK) -> list[list[int]]:
    """Best-path CTC decoding in NumPy (notebook 08): the best class per frame, repeats merged, then blanks dropped.

    Hand-written because the notebook teaches it (keras.ops.ctc_decode gives the same). logits: (batch, frames,
    classes) scores (logits, log-probabilities or probabilities: the best class is the same); lengths: (batch,)
    valid frames of each row (default: all). Returns one list of class ids per row.
    """
    best = logits.argmax(axis=-1)  # (batch, frames)
    lengths = np.full(len(best), best.shape[1]) if lengths is None else lengths  # (batch,)
    decoded = []
    for row in range(len(best)):
        path = best[row, :lengths[row]]
        first_of_run = np.r_[True, path[1:] != path[:-1]]  # merge repeats first...
        decoded.append([int(c) for c in path[first_of_run] if c != blank])  # ...then drop the blanks
    return decoded


@checked(reference=(str, list, tuple), hypothesis=(str, list, tuple))
def edit_distance(reference, hypothesis) -> int:
    """Levenshtein distance between two sequences (substitutions, insertions, deletions cost 1), notebook 08.

    Hand-written because the notebook teaches it: one row of the dynamic-programming table at a time.
    """
    previous = list(range(len(hypothesis) + 1))  # distances from the empty reference prefix
    for i, ref_item in enumerate(reference, start=1):
        current = [i]
        for j, hyp_item in enumerate(hypothesis, start=1):
            current.append(min(previous[j] + 1,  # delete ref_item
                               current[j - 1] + 1,  # insert hyp_item
                               previous[j - 1] + (ref_item != hyp_item)))  # substitute (free if equal)
        previous = current
    return previous[-1]


@checked(references="(n,) strings", hypotheses="(n,) strings", unit=("word", "char"))
def error_rate(references, hypotheses, unit: str = "word") -> float:
    """Word or character error rate: total edit distance / total reference length (notebook 08).

    unit="word" splits on spaces (WER); unit="char" compares characters, spaces included (CER), as jiwer does.
    """
    if not any(r.strip() for r in references):  # no reference word to divide by
        raise ValueError("references must not all be empty")
    split = str.split if unit == "word" else list
    edits = sum(edit_distance(split(r), split(h)) for r, h in zip(references, hypotheses, strict=True))
    return edits / sum(len(split(r)) for r in references)
