"""Machine translation in miniature (notebook 07): English number lists -> French, decoding and scores.

The corpus is generated offline with `num2words`: a sentence lists 1 to k numbers from 0 to 999,
"a , b and c" in English and "a , b et c" in French. Tokens are words split on spaces (a hyphenated
word such as "quatre-vingt-dix-sept" is one token). Decoding helpers are NumPy-first and call a
`step` function that the notebook builds from its Keras decoder, so they can be tested without Keras.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from typing import NamedTuple

import numpy as np

from course_utils.validation import as_float_array, check_axes, check_float, check_int

PAD, START, END, UNKNOWN = "<pad>", "<start>", "<end>", "<unk>"
SPECIAL_TOKENS = (PAD, START, END, UNKNOWN)  # ids 0, 1, 2, 3 in every Vocabulary
PAD_ID, START_ID, END_ID, UNKNOWN_ID = range(len(SPECIAL_TOKENS))
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


class NumberSplit(NamedTuple):
    """The numbers 0..999 split three ways (notebook 07): each sorted, no number in two of them."""

    train: np.ndarray
    validation: np.ndarray
    test: np.ndarray


def split_numbers(validation_fraction: float = 0.1, test_fraction: float = 0.2, seed: int = 0) -> NumberSplit:
    """Split 0..999 at random into numbers for training, validation and test (notebook 07).

    Validation and test numbers never occur in a training sentence, so both measure generalisation to
    new numbers; keeping them apart lets the validation set choose when to stop without touching the
    test. 0 is always a training number: "zero" is the only number that uses its word, so holding it
    out would test a word the model has never read rather than a new combination of known words.
    """
    validation_fraction = check_float("validation_fraction", validation_fraction, minimum=0.01, maximum=0.98)
    test_fraction = check_float("test_fraction", test_fraction, minimum=0.01, maximum=0.99 - validation_fraction)
    seed = check_int("seed", seed, minimum=0)
    order = np.random.default_rng(seed).permutation(np.arange(1, LARGEST_NUMBER + 1))
    n_test = int(round(test_fraction * (LARGEST_NUMBER + 1)))
    n_validation = int(round(validation_fraction * (LARGEST_NUMBER + 1)))
    test, validation, train = np.split(order, [n_test, n_test + n_validation])
    return NumberSplit(np.sort(np.concatenate([[0], train])), np.sort(validation), np.sort(test))


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


def _check_pairs(pairs) -> None:
    """TypeError unless `pairs` is a non-empty list of (english, french) strings."""
    if (isinstance(pairs, str) or not hasattr(pairs, "__len__") or len(pairs) == 0
            or not all(hasattr(pair, "__len__") and len(pair) == 2 and all(isinstance(s, str) for s in pair)
                       for pair in pairs)):
        raise TypeError("pairs must be a non-empty list of (english, french) strings")


def tokenize(sentence: str) -> list[str]:
    """Word tokens: the sentence split on spaces (notebook 07)."""
    if not isinstance(sentence, str):
        raise TypeError(f"sentence must be a str, got {type(sentence).__name__}")
    return sentence.split()


class Vocabulary:
    """Word <-> id: PAD_ID, START_ID, END_ID, UNKNOWN_ID (0-3) first, then words by frequency (notebook 07)."""

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
            ids[row, : len(tokens)] = [self.index.get(token, UNKNOWN_ID) for token in tokens]
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
            if i == END_ID:
                break
            if i not in (PAD_ID, START_ID):
                words.append(self.tokens[i])
        return " ".join(words)


def reverse_source(ids) -> np.ndarray:
    """Reverse each row's tokens, keeping the 0-padding at the end (Sutskever et al. 2014; notebook 07)."""
    ids = np.asarray(as_float_array("ids", ids, ndim=2), dtype=np.int64)
    reversed_ids = np.zeros_like(ids)
    for row, tokens in enumerate(ids):
        real = tokens[tokens != PAD_ID]
        reversed_ids[row, : len(real)] = real[::-1]
    return reversed_ids


# ----------------------------------------------------------------------------- the dictionary baseline


def learn_dictionary(pairs: Sequence[tuple[str, str]], candidates: int = 4, passes: int = 2) -> dict[str, str]:
    """The baseline of notebook 07: each English word -> one French phrase of 0 to 3 words, learned from pairs.

    A word's candidates are the `candidates` French phrases (1 to 3 consecutive words) that occur most
    specifically beside it (Dice coefficient over sentences), and nothing (""). Starting from the first,
    `passes` rounds of coordinate ascent
    (most frequent words first) give each word the candidate that translates the most training pairs
    exactly, the other entries held fixed. One phrase per word, whatever its neighbours: no context.
    """
    _check_pairs(pairs)
    candidates = check_int("candidates", candidates, minimum=1)
    passes = check_int("passes", passes, minimum=0)
    data = [(tokenize(english), " ".join(tokenize(french))) for english, french in pairs]
    together, english_count, french_count = defaultdict(Counter), Counter(), Counter()  # sentences holding them
    for english, french in data:
        words = french.split()
        phrases = {" ".join(words[i : i + n]) for n in (1, 2, 3) for i in range(len(words) - n + 1)}
        english_count.update(set(english))
        french_count.update(phrases)
        for word in set(english):
            together[word].update(phrases)
    # A word's candidates: the phrases most specific to it (Dice: 2 * together / (word's count + phrase's count)),
    # the longer first among equals ("soixante et onze" before "soixante" if they always come together).
    dice = {word: {phrase: 2 * n / (english_count[word] + french_count[phrase]) for phrase, n in counts.items()}
            for word, counts in together.items()}
    options = {word: sorted(scores, key=lambda phrase: (-scores[phrase], -len(phrase)))[:candidates] + [""]
               for word, scores in dice.items()}
    rows_with = defaultdict(list)  # English word -> the pairs it occurs in
    for english, french in data:
        for word in set(english):
            rows_with[word].append((english, french))
    dictionary = {word: choices[0] for word, choices in options.items()}
    for _ in range(passes):
        for word in sorted(rows_with, key=lambda word: -len(rows_with[word])):
            exact = []
            for option in options[word]:
                dictionary[word] = option
                exact.append(sum(_word_by_word(english, dictionary) == french
                                 for english, french in rows_with[word]))
            dictionary[word] = options[word][int(np.argmax(exact))]
    return dictionary


def translate_word_by_word(sentence: str, dictionary: Mapping[str, str]) -> str:
    """Each word replaced by its dictionary entry, a phrase ("" drops it; unknown words are copied) (notebook 07)."""
    if not isinstance(dictionary, Mapping):
        raise TypeError(f"dictionary must be a dict of English word -> French phrase, got {type(dictionary).__name__}")
    return _word_by_word(tokenize(sentence), dictionary)


def _word_by_word(words: list[str], dictionary: Mapping[str, str]) -> str:
    return " ".join(phrase for phrase in (dictionary.get(word, word) for word in words) if phrase)


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
    log_probs = np.array(log_probs, dtype=np.float64)  # a copy: the decoders write into it
    if log_probs.ndim != 2 or log_probs.shape[0] != len(tokens):
        raise ValueError(f"step must return log-probabilities of shape ({len(tokens)}, vocabulary), "
                         f"got {log_probs.shape}")
    return log_probs, tuple(np.asarray(s) for s in new_state)


def greedy_decode(step: StepFunction, initial_state, batch_size: int, start_id: int, end_id: int,
                  max_length: int) -> np.ndarray:
    """Greedy decoding (notebook 07): feed back the most likely token until <end> or max_length.

    `step(tokens (n,), state)` returns (log-probabilities (n, vocabulary), new state); `initial_state`
    is a tuple of arrays with `batch_size` rows (e.g. the encoder's h and c). Padding (PAD_ID) is never
    generated. Returns ids (batch_size, max_length): each row's tokens, its <end>, then padding.
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
        log_probs[:, PAD_ID] = -np.inf  # padding is never generated
        tokens = log_probs.argmax(axis=1)
        output[:, t] = np.where(finished, PAD_ID, tokens)
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
    """Beam search (notebook 07): keep the `beam_width` most likely unfinished translations of each example.

    Same `step` and `initial_state` as `greedy_decode`; every example is expanded to `beam_width` rows
    (step sees batch_size * beam_width rows). A hypothesis that emits <end> leaves the beam for a pool of
    finished ones, which keeps each example's most likely (total log-probability, no length penalty), so
    live hypotheses can never push it out. The search stops when no live hypothesis can still beat the
    pool (log-probabilities only fall) or after max_length steps; an example with no finished hypothesis
    returns its best unfinished one.
    """
    state, batch_size, start_id, end_id, max_length = _check_decoding_arguments(
        initial_state, batch_size, start_id, end_id, max_length)
    beam_width = check_int("beam_width", beam_width, minimum=1)
    if not callable(step):
        raise TypeError(f"step must be a function, got {type(step).__name__}")
    k, examples = beam_width, np.arange(batch_size)
    state = tuple(np.repeat(s, k, axis=0) for s in state)  # row b * k + j is beam j of example b
    scores = np.full((batch_size, k), -np.inf)
    scores[:, 0] = 0.0  # one live beam per example at first, so the k copies do not all expand alike
    beams = np.zeros((batch_size, k, max_length), dtype=np.int64)  # the live hypotheses' tokens
    pool = np.zeros((batch_size, max_length), dtype=np.int64)  # each example's best finished hypothesis
    pool_scores = np.full(batch_size, -np.inf)
    tokens = np.full(batch_size * k, start_id, dtype=np.int64)
    for t in range(max_length):
        log_probs, state = _call_step(step, tokens, state)
        log_probs[:, PAD_ID] = -np.inf  # padding is never generated
        candidates = scores[:, :, None] + log_probs.reshape(batch_size, k, -1)  # (batch, k, vocabulary)
        # Hypotheses that end now: the best of them joins the pool if it beats what the pool holds.
        ending = candidates[:, :, end_id]  # (batch, k)
        best_ending = ending.argmax(axis=1)
        better = ending[examples, best_ending] > pool_scores
        pool[better] = beams[examples, best_ending][better]
        pool[better, t] = end_id
        pool_scores[better] = ending[examples, best_ending][better]
        # The live beam: the k most likely continuations that do not end.
        candidates[:, :, end_id] = -np.inf
        flat = candidates.reshape(batch_size, -1)  # (batch, k * vocabulary)
        best = np.argsort(-flat, axis=1, kind="stable")[:, :k]
        parent, tokens = np.divmod(best, flat.shape[1] // k)  # (batch, k) each
        scores = np.take_along_axis(flat, best, axis=1)
        beams = np.take_along_axis(beams, parent[:, :, None], axis=1)
        beams[:, :, t] = tokens
        state = tuple(s[(examples[:, None] * k + parent).ravel()] for s in state)
        tokens = tokens.ravel()
        if np.all(scores.max(axis=1) <= pool_scores):  # nothing live can still win
            break
    unfinished = np.isneginf(pool_scores)
    pool[unfinished] = beams[unfinished, 0]
    pool_scores[unfinished] = scores[unfinished, 0]
    return BeamResult(pool, pool_scores)


def sequence_log_probs(step: StepFunction, initial_state, sequences, start_id: int) -> np.ndarray:
    """Total log-probability the model gives each row of `sequences` (tokens, <end>, then padding) (notebook 07).

    The rows are fed to `step` one position at a time (teacher forcing), from `start_id`; padding adds nothing.
    It scores any translation (greedy's, the beam's, the reference) under the same model.
    """
    sequences = np.asarray(as_float_array("sequences", sequences, ndim=2), dtype=np.int64)
    state, batch_size, start_id, _, _ = _check_decoding_arguments(
        initial_state, len(sequences), start_id, END_ID, sequences.shape[1])
    if not callable(step):
        raise TypeError(f"step must be a function, got {type(step).__name__}")
    total = np.zeros(batch_size)
    tokens = np.full(batch_size, start_id, dtype=np.int64)
    for t in range(sequences.shape[1]):
        log_probs, state = _call_step(step, tokens, state)  # (batch, vocabulary)
        tokens = sequences[:, t]  # the next token of every row: scored, then fed back
        total += np.where(tokens != PAD_ID, log_probs[np.arange(batch_size), tokens], 0.0)
    return total


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


def mark_differences(prediction: str, reference: str) -> str:
    """The prediction with its wrong words in [brackets] and "[...]" where reference words are missing (notebook 07).

    Words are aligned with difflib's longest matching blocks, so one wrong word does not mark all that follow.
    """
    if not isinstance(prediction, str) or not isinstance(reference, str):
        raise TypeError(f"prediction and reference must be str, got {type(prediction).__name__} and "
                        f"{type(reference).__name__}")
    from difflib import SequenceMatcher

    predicted, wanted = tokenize(prediction), tokenize(reference)
    marked = []
    for operation, _, _, start, end in SequenceMatcher(None, wanted, predicted, autojunk=False).get_opcodes():
        if operation == "equal":
            marked += predicted[start:end]
        elif operation == "delete":
            marked.append("[...]")
        else:  # "replace" or "insert": words the reference does not have here
            marked.append("[" + " ".join(predicted[start:end]) + "]")
    return " ".join(marked)


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


def draw_encoder_decoder(english_tokens: Sequence[str], french_tokens: Sequence[str], attention: bool = False,
                         ax=None):
    """The encoder-decoder unrolled (notebook 07): the encoder reads the English, its final (h, c) starts the
    decoder, which is fed <start> + French and predicts French + <end>. With `attention`, grey lines show
    every decoder step looking back at every encoder output (blue lines). Returns the Axes."""
    for name, tokens in (("english_tokens", english_tokens), ("french_tokens", french_tokens)):
        _check_sized(name, tokens)
        if not all(isinstance(token, str) for token in tokens) or (name == "english_tokens" and not len(tokens)):
            raise TypeError(f"{name} must be a list of words (str), got {tokens!r}"[:160])
    if not isinstance(attention, (bool, np.bool_)):
        raise TypeError(f"attention must be True or False, got {type(attention).__name__}")
    ax = check_axes("ax", ax)
    import matplotlib.pyplot as plt  # imported here: importing course_utils stays light
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    n_in, n_out = len(english_tokens), len(french_tokens) + 1  # decoder steps: French words + <end>
    if ax is None:
        _, ax = plt.subplots(figsize=(1.15 * (n_in + n_out) + 1.5, 3.4 + attention))
    encoder_x = [1.3 * i for i in range(n_in)]
    decoder_x = [1.3 * (n_in + 1 + j) for j in range(n_out)]

    def box(x, y, text, face):
        ax.add_patch(FancyBboxPatch((x - 0.5, y - 0.3), 1.0, 0.6, boxstyle="round,pad=0.05", facecolor=face,
                                    edgecolor="black"))
        ax.text(x, y, text, ha="center", va="center", fontsize=9)

    def arrow(start, end, color="black", width=1.2):
        ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=11, color=color, linewidth=width))

    for x in decoder_x:  # attention: every decoder step reads every encoder output
        for x_source in encoder_x if attention else []:
            ax.add_patch(FancyArrowPatch((x_source, 1.8), (x - 0.3, 1.8), arrowstyle="-", linewidth=0.8,
                                         connectionstyle="arc3,rad=-0.25", color="tab:blue", alpha=0.3))
    for i, (x, word) in enumerate(zip(encoder_x, english_tokens, strict=True)):
        box(x, 0.0, word, "#fde9c9")
        box(x, 1.5, "LSTM", "#cfe2f3")
        arrow((x, 0.3), (x, 1.2))
        if i:
            arrow((x - 0.8, 1.5), (x - 0.5, 1.5))
    fed = [START, *french_tokens]
    predicted = [*french_tokens, END]
    for j, x in enumerate(decoder_x):
        box(x, 0.0, fed[j], "#fde9c9")
        box(x, 1.5, "LSTM", "#d9ead3")
        box(x, 3.0, predicted[j], "#f4cccc")
        arrow((x, 0.3), (x, 1.2))
        arrow((x, 1.8), (x, 2.7))
        if j:
            arrow((x - 0.8, 1.5), (x - 0.5, 1.5))
    arrow((encoder_x[-1] + 0.5, 1.5), (decoder_x[0] - 0.5, 1.5), color="tab:red", width=2.5)
    ax.text((encoder_x[-1] + decoder_x[0]) / 2, 1.15, "(h, c)", ha="center", fontsize=10, color="tab:red")
    ax.text(np.mean(encoder_x), -0.75, "encoder: reads the English", ha="center", fontsize=10)
    ax.text(np.mean(decoder_x), -0.75, "decoder: fed <start> + French, predicts French + <end>", ha="center",
            fontsize=10)
    ax.set_xlim(encoder_x[0] - 0.8, decoder_x[-1] + 0.8)
    ax.set_ylim(-1.1, 3.5 + 1.2 * attention)
    ax.set_axis_off()
    return ax
