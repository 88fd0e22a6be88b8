"""Notebook 08's CTC pieces: class ids with the blank, targets that carry each utterance's length, the CTC loss over
the true frames, greedy decoding, and the edit distance behind word and character error rates.

Greedy decoding and the edit distance are hand-written because the notebook teaches them (the tests compare them
with keras.ops.ctc_decode and a recursive oracle); error_rate follows jiwer's definitions.
"""

from __future__ import annotations

import numpy as np

from course_utils.speech.data import DIGIT_WORDS
from course_utils.validation import as_array, as_float_array, check_int

BLANK = 0  # Keras 3's CTC blank (mask_index=0); digit d is class d + 1
N_CLASSES = 1 + len(DIGIT_WORDS)  # the blank and the ten digits


def _digit_strings(name: str, digits) -> list[str]:
    values = as_array(name, digits, "a list of digit strings")
    if values.ndim != 1 or values.size == 0 or values.dtype.kind != "U":
        raise TypeError(f"{name} must be a non-empty 1-D list of digit strings such as '477', got {values!r}"[:160])
    strings = [str(s) for s in values]
    if not all(s.isdigit() and s.isascii() for s in strings):
        raise ValueError(f"{name} must hold only strings of the digits 0-9, e.g. '477'")
    return strings


def encode_digits(digits) -> np.ndarray:
    """Digit strings -> CTC labels (n, longest) of class ids (digit d -> d + 1), padded with the blank 0."""
    strings = _digit_strings("digits", digits)
    labels = np.full((len(strings), max(len(s) for s in strings)), BLANK, dtype=np.int32)
    for row, s in enumerate(strings):
        labels[row, :len(s)] = [int(c) + 1 for c in s]
    return labels


def ctc_targets(digits, frames) -> np.ndarray:
    """What `fit` gets as y (notebook 08): each row is an utterance's number of frames, then its labels
    (`encode_digits`), shape (n, 1 + longest). A Keras loss sees only (y_true, y_pred), so the true length
    travels with the labels."""
    labels = encode_digits(digits)  # (n, longest)
    frames = as_float_array("frames", frames, ndim=1)
    if frames.shape != (len(labels),) or np.any(frames != np.round(frames)) or np.any(frames < 1):
        raise ValueError(f"frames must be {len(labels)} positive integers, one per utterance, got {frames!r}"[:160])
    return np.concatenate([frames[:, None].astype(np.int32), labels], axis=1)


def _tensor(name: str, value, rank: int, last: int | None = None):
    from keras import ops

    try:
        tensor = ops.convert_to_tensor(value)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a tensor or array of numbers, got {type(value).__name__}") from None
    if len(tensor.shape) != rank or (last is not None and tensor.shape[-1] != last):
        raise ValueError(f"{name} must have {rank} dimensions" + (f", the last of size {last}" if last else "") +
                         f", got shape {tuple(tensor.shape)}")
    return tensor


def ctc_loss(y_true, y_pred):
    """CTC loss of each utterance over its own frames (notebook 08): y_true from `ctc_targets`, y_pred the
    model's (batch, frames, 11) log-probabilities. Frames past an utterance's length are not read."""
    from keras import ops

    y_true, y_pred = _tensor("y_true", y_true, rank=2), _tensor("y_pred", y_pred, rank=3, last=N_CLASSES)
    frames, labels = ops.cast(y_true[:, 0], "int32"), ops.cast(y_true[:, 1:], "int32")  # (batch,), (batch, longest)
    label_lengths = ops.sum(ops.cast(labels != BLANK, "int32"), axis=1)  # (batch,)
    return ops.ctc_loss(labels, y_pred, label_lengths, frames, mask_index=BLANK)  # (batch,)


def labels_to_digits(labels) -> str:
    """A decoded label sequence (class ids 1-10; blanks and -1 padding skipped) -> its digit string, e.g. "477"."""
    values = as_array("labels", labels, "a 1-D sequence of class ids")
    if values.ndim != 1 or (values.size and values.dtype.kind not in "iu"):
        raise TypeError(f"labels must be a 1-D sequence of integer class ids, got {values!r}"[:120])
    if np.any((values < -1) | (values >= N_CLASSES)):
        raise ValueError(f"labels must be class ids from -1 (padding) to {N_CLASSES - 1}")
    return "".join(str(int(v) - 1) for v in values if v not in (BLANK, -1))


def ctc_greedy_decode(logits, lengths=None, blank: int = BLANK) -> list[list[int]]:
    """Best-path CTC decoding in NumPy (notebook 08): the best class per frame, repeats merged, then blanks dropped.

    Hand-written because the notebook teaches it (keras.ops.ctc_decode gives the same). logits: (batch, frames,
    classes) scores (logits, log-probabilities or probabilities: the best class is the same); lengths: (batch,)
    valid frames of each row (default: all). Returns one list of class ids per row.
    """
    scores = as_float_array("logits", logits, ndim=3)
    n, frames, classes = scores.shape
    blank = check_int("blank", blank, minimum=0, maximum=classes - 1)
    lengths = as_float_array("lengths", np.full(n, frames) if lengths is None else lengths, ndim=1)
    if lengths.shape != (n,) or np.any(lengths != np.round(lengths)) or np.any((lengths < 0) | (lengths > frames)):
        raise ValueError(f"lengths must be {n} integers from 0 to {frames}, got {lengths!r}"[:160])
    best = scores.argmax(axis=-1)  # (batch, frames)
    decoded = []
    for row in range(n):
        path = best[row, :int(lengths[row])]
        first_of_run = np.r_[True, path[1:] != path[:-1]]  # merge repeats first...
        decoded.append([int(c) for c in path[first_of_run] if c != blank])  # ...then drop the blanks
    return decoded


def edit_distance(reference, hypothesis) -> int:
    """Levenshtein distance between two sequences (substitutions, insertions, deletions cost 1), notebook 08.

    Hand-written because the notebook teaches it: one row of the dynamic-programming table at a time.
    """
    for name, value in (("reference", reference), ("hypothesis", hypothesis)):
        if not isinstance(value, (str, list, tuple)):
            raise TypeError(f"{name} must be a string, list or tuple, got {type(value).__name__}")
    previous = list(range(len(hypothesis) + 1))  # distances from the empty reference prefix
    for i, ref_item in enumerate(reference, start=1):
        current = [i]
        for j, hyp_item in enumerate(hypothesis, start=1):
            current.append(min(previous[j] + 1,  # delete ref_item
                               current[j - 1] + 1,  # insert hyp_item
                               previous[j - 1] + (ref_item != hyp_item)))  # substitute (free if equal)
        previous = current
    return previous[-1]


def _texts(name: str, texts) -> list[str]:
    if not isinstance(texts, (list, tuple, np.ndarray)) or len(texts) == 0:
        raise TypeError(f"{name} must be a non-empty list of strings, got {type(texts).__name__}")
    if not all(isinstance(t, (str, np.str_)) for t in texts):
        raise TypeError(f"{name} must hold only strings")
    return [str(t) for t in texts]


def error_rate(references, hypotheses, unit: str = "word") -> float:
    """Word or character error rate: total edit distance / total reference length (notebook 08).

    unit="word" splits on spaces (WER); unit="char" compares characters, spaces included (CER), as jiwer does.
    """
    refs, hyps = _texts("references", references), _texts("hypotheses", hypotheses)
    if len(refs) != len(hyps):
        raise ValueError(f"references and hypotheses must have the same length, got {len(refs)} and {len(hyps)}")
    if not isinstance(unit, str) or unit not in ("word", "char"):
        raise ValueError(f"unit must be 'word' or 'char', got {unit!r}"[:80])
    split = str.split if unit == "word" else list
    total = sum(len(split(r)) for r in refs)
    if total == 0:
        raise ValueError("references must not all be empty")
    return sum(edit_distance(split(r), split(h)) for r, h in zip(refs, hyps, strict=True)) / total
