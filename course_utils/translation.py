"""Machine translation in miniature (notebook 07): English number lists -> French, decoding and scores.

The corpus is generated offline with `num2words`: a sentence lists 1 to k numbers from 0 to 999,
"a , b and c" in English and "a , b et c" in French. Tokens are words split on spaces (a hyphenated
word such as "quatre-vingt-dix-sept" is one token). Decoding helpers are NumPy-first and call a
`step` function that the notebook builds from its Keras decoder, so they can be tested without Keras.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import NamedTuple

import numpy as np

from course_utils.validation import as_float_array, check_axes, check_float, check_int

PAD, START, END, UNKNOWN = "<pad>", "<start>", "<end>", "<unk>"
SPECIAL_TOKENS = (PAD, START, END, UNKNOWN)  # ids 0, 1, 2, 3 in every Vocabulary
LARGEST_NUMBER = 999
JOIN_WORDS = {"en": "and", "fr": "et"}


# ----------------------------------------------------------------------------- the corpus


def number_words(number: int, lang: str = "en") -> str:
    """A number from 0 to 999 written out by num2words in English ("en") or French ("fr") (notebook 07)."""
    number = check_int("number", number, minimum=0, maximum=LARGEST_NUMBER)
    if not isinstance(lang, str) or lang not in JOIN_WORDS:
        raise ValueError(f"lang must be one of {sorted(JOIN_WORDS)}, got {lang!r}")
    from num2words import num2words  # imported here: importing course_utils stays light

    return num2words(number, lang=lang)


def number_list_sentence(numbers: Sequence[int], lang: str = "en") -> str:
    """Numbers as a list sentence: "a", "a and b", "a , b and c" (French "et") (notebook 07)."""
    if isinstance(numbers, (str, bytes)) or not isinstance(numbers, Sequence) or len(numbers) == 0:
        raise TypeError(f"numbers must be a non-empty sequence of integers, got {numbers!r}"[:160])
    words = [number_words(n, lang) for n in numbers]
    if len(words) == 1:
        return words[0]
    return " , ".join(words[:-1]) + f" {JOIN_WORDS[lang]} " + words[-1]


def is_ambiguous_in_english(numbers: Sequence[int]) -> bool:
    """True when the English sentence could also be read as other numbers (notebook 07).

    "one hundred and one" is both [101] and [100, 1]: a list whose last two numbers are a whole
    hundred and a number from 1 to 99 reads like one number. The generator leaves such lists out.
    """
    values = as_float_array("numbers", numbers, ndim=1, allow_empty=True)
    if np.any(values != np.round(values)):
        raise ValueError("numbers must be integers")
    return _is_ambiguous(values.astype(int).tolist())


def _is_ambiguous(numbers: Sequence[int]) -> bool:
    return len(numbers) >= 2 and numbers[-2] >= 100 and numbers[-2] % 100 == 0 and 0 < numbers[-1] < 100


def split_numbers(held_out_fraction: float = 0.2, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Split 0..999 at random into (seen, held_out) sorted arrays; held_out never occurs in training.

    0 is always seen: "zero" is the only number that uses its word, so holding it out would test a word
    the model has never read rather than a new combination of known words (notebook 07).
    """
    held_out_fraction = check_float("held_out_fraction", held_out_fraction, minimum=0.01, maximum=0.99)
    seed = check_int("seed", seed, minimum=0)
    order = np.random.default_rng(seed).permutation(np.arange(1, LARGEST_NUMBER + 1))
    n_held_out = int(round(held_out_fraction * (LARGEST_NUMBER + 1)))
    return np.sort(np.concatenate([[0], order[n_held_out:]])), np.sort(order[:n_held_out])


class Pair(NamedTuple):
    """One sentence pair: the numbers it lists, its English and its French (notebook 07)."""

    numbers: tuple[int, ...]
    english: str
    french: str


def make_pairs(numbers, count: int, max_numbers: int, seed: int = 0, min_numbers: int = 1) -> list[Pair]:
    """`count` sentence pairs listing min_numbers..max_numbers numbers drawn from `numbers` (notebook 07).

    The list length is uniform in [min_numbers, max_numbers], each number uniform in `numbers`
    (with repeats); lists that are ambiguous in English (`is_ambiguous_in_english`) are redrawn.
    """
    pool = as_float_array("numbers", numbers, ndim=1)
    if np.any(pool != np.round(pool)) or pool.min() < 0 or pool.max() > LARGEST_NUMBER:
        raise ValueError(f"numbers must be integers from 0 to {LARGEST_NUMBER}")
    pool = pool.astype(int)
    count = check_int("count", count, minimum=1)
    max_numbers = check_int("max_numbers", max_numbers, minimum=1)
    min_numbers = check_int("min_numbers", min_numbers, minimum=1, maximum=max_numbers)
    rng = np.random.default_rng(check_int("seed", seed, minimum=0))
    english = {n: number_words(n, "en") for n in pool.tolist()}
    french = {n: number_words(n, "fr") for n in pool.tolist()}
    pairs = []
    while len(pairs) < count:
        chosen = tuple(int(n) for n in rng.choice(pool, size=rng.integers(min_numbers, max_numbers + 1)))
        if _is_ambiguous(chosen):
            continue
        pairs.append(Pair(chosen, _join([english[n] for n in chosen], "and"), _join([french[n] for n in chosen], "et")))
    return pairs


def _join(words: list[str], and_word: str) -> str:
    return words[0] if len(words) == 1 else " , ".join(words[:-1]) + f" {and_word} " + words[-1]


# ----------------------------------------------------------------------------- tokens and vocabularies


def _check_sized(name: str, value, what: str = "a list of strings") -> None:
    """TypeError unless `value` is a sized collection (a list, tuple, array...) other than a string."""
    if isinstance(value, (str, bytes)) or not hasattr(value, "__len__"):
        raise TypeError(f"{name} must be {what}, got {type(value).__name__}")


def tokenize(sentence: str) -> list[str]:
    """Word tokens: the sentence split on spaces (notebook 07)."""
    if not isinstance(sentence, str):
        raise TypeError(f"sentence must be a str, got {type(sentence).__name__}")
    return sentence.split()


class Vocabulary:
    """Word <-> id, with <pad>=0, <start>=1, <end>=2, <unk>=3 first, then words by frequency (notebook 07)."""

    def __init__(self, sentences: Sequence[str]):
        if isinstance(sentences, str) or not hasattr(sentences, "__len__") or len(sentences) == 0:
            raise TypeError("sentences must be a non-empty list of strings")
        counts = Counter(token for sentence in sentences for token in tokenize(sentence))
        words = sorted(counts, key=lambda word: (-counts[word], word))
        self.tokens: list[str] = list(SPECIAL_TOKENS) + words
        self.index: dict[str, int] = {token: i for i, token in enumerate(self.tokens)}

    def __len__(self) -> int:
        return len(self.tokens)

    def __repr__(self) -> str:
        return f"Vocabulary({len(self)} tokens: {', '.join(self.tokens[4:10])}, ...)"

    def encode(self, sentences: Sequence[str], length: int, start: bool = False, end: bool = False) -> np.ndarray:
        """Ids (len(sentences), length): optional <start>/<end>, padded with 0 at the end.

        Raises ValueError if a sentence does not fit in `length`; unknown words become <unk>.
        """
        length = check_int("length", length, minimum=1)
        if isinstance(sentences, str):
            raise TypeError("sentences must be a list of strings, not one string")
        _check_sized("sentences", sentences)
        for name, flag in (("start", start), ("end", end)):
            if not isinstance(flag, (bool, np.bool_)):
                raise TypeError(f"{name} must be True or False, got {type(flag).__name__}")
        ids = np.zeros((len(sentences), length), dtype=np.int32)
        for row, sentence in enumerate(sentences):
            tokens = ([START] if start else []) + tokenize(sentence) + ([END] if end else [])
            if len(tokens) > length:
                raise ValueError(f"sentence {row} has {len(tokens)} tokens, more than length={length}: {sentence!r}")
            ids[row, : len(tokens)] = [self.index.get(token, 3) for token in tokens]
        return ids

    def decode(self, ids) -> str:
        """The words of one row of ids, stopping at <end> and leaving out <pad> and <start>."""
        words = []
        try:
            ids = np.asarray(ids)
        except ValueError:  # ragged lists
            raise TypeError("ids must be one row of token ids (integers)") from None
        for i in ids.ravel().tolist():
            i = check_int("token id", i, minimum=0, maximum=len(self) - 1)
            if i == 2:
                break
            if i > 1:
                words.append(self.tokens[i])
        return " ".join(words)


def reverse_source(ids) -> np.ndarray:
    """Reverse each row's tokens, keeping the 0-padding at the end (Sutskever et al. 2014; notebook 07)."""
    ids = np.asarray(as_float_array("ids", ids, ndim=2), dtype=np.int64)
    reversed_ids = np.zeros_like(ids)
    for row, tokens in enumerate(ids):
        real = tokens[tokens != 0]
        reversed_ids[row, : len(real)] = real[::-1]
    return reversed_ids


# ----------------------------------------------------------------------------- the dictionary baseline


def learn_word_dictionary(pairs: Sequence[tuple[str, str]], candidates: int = 4, passes: int = 2,
                          fit_pairs: int = 3000) -> dict[str, str]:
    """The best word-by-word dictionary we can fit to sentence pairs (the baseline of notebook 07).

    Each English word maps to one French word or to nothing (""). Its candidates are the `candidates`
    French words found most often in the same sentences, and nothing. Starting from the most frequent
    one, `passes` rounds of coordinate ascent (most frequent words first) set each word's entry to the
    candidate that translates the most of the first `fit_pairs` pairs exactly (ties: the earlier one).
    """
    if (isinstance(pairs, str) or not hasattr(pairs, "__len__") or len(pairs) == 0
            or not all(hasattr(pair, "__len__") and len(pair) == 2 for pair in pairs)):
        raise TypeError("pairs must be a non-empty list of (english, french) strings")
    candidates = check_int("candidates", candidates, minimum=1)
    passes = check_int("passes", passes, minimum=0)
    fit_pairs = check_int("fit_pairs", fit_pairs, minimum=1)
    english_words = sorted({w for english, _ in pairs for w in tokenize(english)})
    french_words = sorted({w for _, french in pairs for w in tokenize(french)})
    e_index = {w: i for i, w in enumerate(english_words)}
    f_index = {w: i for i, w in enumerate(french_words)}
    in_english = np.zeros((len(pairs), len(english_words)))
    in_french = np.zeros((len(pairs), len(french_words)))
    for row, (english, french) in enumerate(pairs):
        in_english[row, [e_index[w] for w in tokenize(english)]] = 1.0
        in_french[row, [f_index[w] for w in tokenize(french)]] = 1.0
    together = in_english.T @ in_french  # sentences holding both words, (English words, French words)
    options = {w: [french_words[j] for j in np.argsort(-together[i], kind="stable")[:candidates]] + [""]
               for i, w in enumerate(english_words)}
    dictionary = {w: options[w][0] for w in english_words}
    fit = [(tokenize(english), tokenize(french)) for english, french in pairs[:fit_pairs]]
    by_frequency = sorted(english_words, key=lambda w: -in_english[:, e_index[w]].sum())
    for _ in range(passes):
        for word in by_frequency:
            rows = [(e, f) for e, f in fit if word in e]
            scores = []
            for option in options[word]:
                dictionary[word] = option
                scores.append(sum([dictionary[w] for w in e if dictionary[w]] == f for e, f in rows))
            dictionary[word] = options[word][int(np.argmax(scores))]
    return dictionary


def translate_word_by_word(sentence: str, dictionary: dict[str, str]) -> str:
    """Replace each word by its dictionary entry ("" drops it; unknown words are copied) (notebook 07)."""
    if not isinstance(dictionary, Mapping):
        raise TypeError(f"dictionary must be a dict of English word -> French word, got {type(dictionary).__name__}")
    return " ".join(w for w in (dictionary.get(word, word) for word in tokenize(sentence)) if w)


# ----------------------------------------------------------------------------- decoding

StepFunction = Callable[[np.ndarray, tuple], tuple[np.ndarray, tuple]]


def _check_decoding_arguments(initial_state, batch_size, start_id, end_id, max_length):
    batch_size = check_int("batch_size", batch_size, minimum=1)
    start_id = check_int("start_id", start_id, minimum=0)
    end_id = check_int("end_id", end_id, minimum=0)
    max_length = check_int("max_length", max_length, minimum=1)
    if not isinstance(initial_state, (tuple, list)):
        raise TypeError(f"initial_state must be a tuple of arrays, got {type(initial_state).__name__}")
    state = tuple(np.asarray(s) for s in initial_state)
    for i, s in enumerate(state):
        if s.ndim == 0 or s.shape[0] != batch_size:
            raise ValueError(f"initial_state[{i}] must have batch_size={batch_size} rows first, got shape {s.shape}")
    return state, batch_size, start_id, end_id, max_length


def _call_step(step, tokens, state):
    log_probs, new_state = step(tokens, state)
    log_probs = np.asarray(log_probs, dtype=np.float64)
    if log_probs.ndim != 2 or log_probs.shape[0] != len(tokens):
        raise ValueError(f"step must return log-probabilities of shape ({len(tokens)}, vocabulary), "
                         f"got {log_probs.shape}")
    return log_probs, tuple(np.asarray(s) for s in new_state)


def greedy_decode(step: StepFunction, initial_state, batch_size: int, start_id: int, end_id: int,
                  max_length: int) -> np.ndarray:
    """Greedy decoding (notebook 07): feed back the most likely token until <end> or max_length.

    `step(tokens (n,), state)` returns (log-probabilities (n, vocabulary), new state); `initial_state`
    is a tuple of arrays with `batch_size` rows (e.g. the encoder's h and c). Id 0 is padding and is
    never generated. Returns ids (batch_size, max_length): each row's tokens, its <end>, then 0s.
    """
    state, batch_size, start_id, end_id, max_length = _check_decoding_arguments(
        initial_state, batch_size, start_id, end_id, max_length)
    if not callable(step):
        raise TypeError(f"step must be a function, got {type(step).__name__}")
    output = np.zeros((batch_size, max_length), dtype=np.int64)
    tokens = np.full(batch_size, start_id, dtype=np.int64)
    finished = np.zeros(batch_size, dtype=bool)
    for t in range(max_length):
        log_probs, state = _call_step(step, tokens, state)
        log_probs[:, 0] = -np.inf  # id 0 is padding: never generated
        tokens = log_probs.argmax(axis=1)
        output[:, t] = np.where(finished, 0, tokens)
        finished |= tokens == end_id
        if finished.all():
            break
    return output


class BeamResult(NamedTuple):
    """Beam search output: the best sequence of each example (batch, max_length) and its log-probability."""

    sequences: np.ndarray
    log_probs: np.ndarray


def beam_search(step: StepFunction, initial_state, batch_size: int, start_id: int, end_id: int,
                max_length: int, beam_width: int = 4) -> BeamResult:
    """Beam search (notebook 07): keep the `beam_width` most likely partial translations of each example.

    Same `step` and `initial_state` as `greedy_decode`; every example is expanded to `beam_width`
    rows (step sees batch_size * beam_width rows). A hypothesis ends at <end>; the result is the
    finished hypothesis with the highest total log-probability (no length penalty). beam_width=1 is
    greedy decoding.
    """
    state, batch_size, start_id, end_id, max_length = _check_decoding_arguments(
        initial_state, batch_size, start_id, end_id, max_length)
    beam_width = check_int("beam_width", beam_width, minimum=1)
    if not callable(step):
        raise TypeError(f"step must be a function, got {type(step).__name__}")
    k = beam_width
    state = tuple(np.repeat(s, k, axis=0) for s in state)  # row b * k + j is beam j of example b
    scores = np.full((batch_size, k), -np.inf)
    scores[:, 0] = 0.0  # start with one live beam per example, so the k copies do not all expand alike
    sequences = np.zeros((batch_size, k, max_length), dtype=np.int64)
    finished = np.zeros((batch_size, k), dtype=bool)
    tokens = np.full(batch_size * k, start_id, dtype=np.int64)
    for t in range(max_length):
        log_probs, state = _call_step(step, tokens, state)
        vocabulary = log_probs.shape[1]
        log_probs = log_probs.reshape(batch_size, k, vocabulary).copy()
        log_probs[:, :, 0] = -np.inf  # id 0 is padding: never generated by a live hypothesis
        # A finished beam may only "emit" padding at no cost, so it keeps its score and its place.
        frozen = np.full(vocabulary, -np.inf)
        frozen[0] = 0.0
        log_probs = np.where(finished[:, :, None], frozen, log_probs)
        candidates = (scores[:, :, None] + log_probs).reshape(batch_size, k * vocabulary)
        best = np.argsort(-candidates, axis=1, kind="stable")[:, :k]  # (batch, k) flat candidate indices
        parent, token = best // vocabulary, best % vocabulary
        scores = np.take_along_axis(candidates, best, axis=1)
        sequences = np.take_along_axis(sequences, parent[:, :, None], axis=1)
        sequences[:, :, t] = token
        finished = np.take_along_axis(finished, parent, axis=1) | (token == end_id)
        rows = (np.arange(batch_size)[:, None] * k + parent).ravel()
        state = tuple(s[rows] for s in state)
        tokens = token.ravel()
        if finished.all():
            break
    # Prefer finished hypotheses; among them the most likely (beams are sorted by score).
    ranked = np.where(finished, scores, scores - 1e9)
    choice = ranked.argmax(axis=1)
    chosen = sequences[np.arange(batch_size), choice]
    return BeamResult(chosen, scores[np.arange(batch_size), choice])


# ----------------------------------------------------------------------------- scores


def _check_sentence_lists(predictions, references):
    for name, values in (("predictions", predictions), ("references", references)):
        _check_sized(name, values)
        if isinstance(values, str) or not all(isinstance(v, str) for v in values):
            raise TypeError(f"{name} must be a list of strings")
    if len(predictions) != len(references) or len(references) == 0:
        raise ValueError(f"predictions and references must be non-empty and of equal length, got "
                         f"{len(predictions)} and {len(references)}")


def exact_match(predictions: Sequence[str], references: Sequence[str]) -> float:
    """Fraction of sentences whose words equal the reference exactly (notebook 07)."""
    _check_sentence_lists(predictions, references)
    return float(np.mean([tokenize(p) == tokenize(r) for p, r in zip(predictions, references, strict=True)]))


def token_accuracy(predictions: Sequence[str], references: Sequence[str]) -> float:
    """Position-by-position word accuracy (notebook 07): matches / max(len(prediction), len(reference)).

    Summed over the corpus; a missing or extra word counts as wrong, so an empty output scores 0.
    """
    _check_sentence_lists(predictions, references)
    matches = total = 0
    for prediction, reference in zip(predictions, references, strict=True):
        p, r = tokenize(prediction), tokenize(reference)
        matches += sum(a == b for a, b in zip(p, r, strict=False))
        total += max(len(p), len(r))
    return matches / total if total else 1.0


def corpus_scores(predictions: Sequence[str], references: Sequence[str]) -> dict[str, float]:
    """Exact match and token accuracy (fractions), and sacrebleu's corpus chrF and BLEU (0-100) (notebook 07)."""
    _check_sentence_lists(predictions, references)
    import sacrebleu

    return {
        "exact match": exact_match(predictions, references),
        "token accuracy": token_accuracy(predictions, references),
        "chrF": float(sacrebleu.corpus_chrf(list(predictions), [list(references)]).score),
        "BLEU": float(sacrebleu.corpus_bleu(list(predictions), [list(references)]).score),
    }


def length_buckets(lengths, edges: Sequence[int]) -> list[np.ndarray]:
    """Row indices per bucket: bucket i holds lengths in [edges[i], edges[i + 1]) (notebook 07)."""
    lengths = as_float_array("lengths", lengths, ndim=1)
    _check_sized("edges", edges, "at least two increasing integers")
    if len(edges) < 2 or any(not isinstance(e, (int, np.integer)) for e in edges) or list(edges) != sorted(set(edges)):
        raise ValueError(f"edges must be at least two increasing integers, got {edges!r}")
    bounds = zip(edges[:-1], edges[1:], strict=True)
    return [np.flatnonzero((lengths >= low) & (lengths < high)) for low, high in bounds]


def exact_match_by_length(predictions: Sequence[str], references: Sequence[str], lengths,
                          edges: Sequence[int]) -> np.ndarray:
    """Exact match within each length bucket (NaN for an empty bucket) (notebook 07)."""
    _check_sentence_lists(predictions, references)
    buckets = length_buckets(lengths, edges)
    if len(np.asarray(lengths)) != len(references):
        raise ValueError(f"lengths must have one entry per sentence ({len(references)}), got {len(lengths)}")
    return np.array([exact_match([predictions[i] for i in rows], [references[i] for i in rows]) if len(rows)
                     else np.nan for rows in buckets])


# ----------------------------------------------------------------------------- plots


def plot_alignment(weights, source_tokens: Sequence[str], target_tokens: Sequence[str], ax=None):
    """Attention weights (target, source) as a heatmap: which English word each French word looked at."""
    weights = as_float_array("weights", weights, ndim=2)
    _check_sized("source_tokens", source_tokens)
    _check_sized("target_tokens", target_tokens)
    ax = check_axes("ax", ax)
    if weights.shape != (len(target_tokens), len(source_tokens)):
        raise ValueError(f"weights must have shape (len(target_tokens), len(source_tokens)) = "
                         f"({len(target_tokens)}, {len(source_tokens)}), got {weights.shape}")
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(0.45 * len(source_tokens) + 2, 0.4 * len(target_tokens) + 1.5))
    ax.imshow(weights, cmap="Greys", vmin=0.0, vmax=1.0, aspect="auto")
    ax.set_xticks(range(len(source_tokens)), source_tokens, rotation=90)
    ax.set_yticks(range(len(target_tokens)), target_tokens)
    ax.set_xlabel("English (source)")
    ax.set_ylabel("French (output)")
    return ax
