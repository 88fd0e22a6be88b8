"""Character-level language modelling on Hamlet (notebook 05): data, an n-gram baseline, scoring, sampling.

Everything a character model needs, NumPy-first: the bundled text and its split by position, a character
vocabulary, training sequences shifted by one, an interpolated modified Kneser-Ney character n-gram model
(hand-written: the notebook teaches how it smooths), bits per character computed the same way for the
n-gram and the LSTM (every held-out character scored once, given the text before it), temperature
sampling, and the features of the text that the notebook correlates with the LSTM's cell states.
TensorFlow is imported only inside the functions that build or run a Keras model.
"""

from __future__ import annotations

import functools
import html
from collections import Counter
from typing import NamedTuple

import numpy as np

from course_utils.generation import (
    embedding_lstm,
    embedding_lstm_weights,
    run_embedding_lstm,
    sample_with_temperature,
    softmax,
)
from course_utils.validation import as_float_array, checked, spec

HAMLET_FILE = "hamlet.txt"


def _characters(name: str, value, dims: dict) -> str:
    """@checked spec: a string, whose length binds `characters` for the arguments after it."""
    dims["characters"] = len(spec("str")(name, value, dims))
    return value


def _non_empty(name: str, value, dims: dict) -> str:
    """@checked spec: a string of at least one character."""
    if _characters(name, value, dims) == "":
        raise TypeError(f"{name} must be a non-empty string, got ''")
    return value


def _one_character(name: str, value, dims: dict) -> str:
    """@checked spec: a string of exactly one character."""
    if len(_characters(name, value, dims)) != 1:
        raise TypeError(f"{name} must be a single character, got {value[:40]!r}")
    return value


def _end(name: str, value, dims: dict) -> int:
    """@checked spec: a position in [first + 1, characters] that ends a part of the text, None for the text's end."""
    return spec("int in [first + 1, characters]")(name, dims["characters"] if value is None else value, dims)


# --------------------------------------------------------------------------- data

def load_hamlet() -> str:
    """The text of Hamlet bundled with the course (175,176 characters), checked against its SHA-256 (notebook 05)."""
    from course_utils.bundled_data import bundled_path

    return bundled_path(HAMLET_FILE).read_text(encoding="ascii")


@checked(text="str", validation_fraction="float in [0, 0.5]", test_fraction="float in [0, 0.5]")
def split_by_position(text: str, validation_fraction: float = 0.09, test_fraction: float = 0.10):
    """Cut `text` in reading order into (train, validation, test) strings: the test part is the end (notebook 05).

    No shuffling: the model is tested on the last part of the play, which it never saw, and validation
    (used for choices such as the n-gram order) is the part just before it.
    """
    validation_start = round(len(text) * (1 - validation_fraction - test_fraction))
    test_start = round(len(text) * (1 - test_fraction))
    if not 0 < validation_start <= test_start < len(text):
        raise ValueError(f"the fractions leave an empty part of a text of {len(text)} characters")
    return text[:validation_start], text[validation_start:test_start], text[test_start:]


class CharVocabulary:
    """The sorted set of characters of a text, with encode (str -> int array) and decode (notebook 05)."""

    @checked(text=_non_empty)
    def __init__(self, text: str) -> None:
        self.symbols = "".join(sorted(set(text)))
        self._index = {symbol: i for i, symbol in enumerate(self.symbols)}

    def __len__(self) -> int:
        return len(self.symbols)

    def __repr__(self) -> str:
        return f"CharVocabulary({len(self)} symbols: {self.symbols!r})"

    @checked(text="str")
    def encode(self, text: str) -> np.ndarray:
        """Integer ids (len(text),) int32 of the characters of `text`; ValueError names unknown characters."""
        unknown = sorted(set(text) - set(self._index))
        if unknown:
            raise ValueError(f"characters not in the vocabulary: {unknown[:10]!r}; the text must hold only its symbols")
        return np.fromiter((self._index[c] for c in text), dtype=np.int32, count=len(text))

    @checked(ids="(n,) ints or empty")
    def decode(self, ids) -> str:
        """The string of the integer ids `ids` (any integer array or list)."""
        if ids.size and (ids.min() < 0 or ids.max() >= len(self)):
            raise ValueError(f"ids must lie in 0..{len(self) - 1}, got {ids.min()}..{ids.max()}")
        return "".join(self.symbols[i] for i in ids)


@checked(ids="(n,) ints >= 0", length="int in [1, n)", stride="int >= 1 or None")
def make_sequences(ids, length: int, stride: int | None = None):
    """Inputs and next-character targets (n, length) each, targets shifted by one (notebook 05).

    Window k reads ids[k*stride : k*stride + length] and must predict ids[k*stride + 1 : k*stride + length + 1].
    `stride` defaults to `length` (non-overlapping windows).
    """
    stride = length if stride is None else stride
    starts = np.arange(0, len(ids) - length, stride)  # (windows,) first position of each
    offsets = starts[:, None] + np.arange(length)[None, :]  # (n, length)
    return ids[offsets], ids[offsets + 1]


# --------------------------------------------------------------------------- the n-gram baseline

@functools.lru_cache(maxsize=64)
def _counts(text: str, k: int) -> Counter:
    """How often each k-gram occurs in `text` (cached: every order of every model reuses them)."""
    return Counter(text[i : i + k] for i in range(len(text) - k + 1))


@functools.lru_cache(maxsize=64)
def _continuation_counts(text: str, k: int) -> Counter:
    """For each k-gram w, the number of distinct characters x such that x + w occurs in `text`."""
    return Counter(gram[1:] for gram in _counts(text, k + 1))


class _Level(NamedTuple):
    """One order of the model: counts a(h, c) of k-grams h + c, and per context h its total and back-off mass."""

    counts: dict  # k-gram -> count (raw for the top order, continuation counts below)
    totals: dict  # context (k - 1 characters) -> sum over c of a(h, c)
    backoff: dict  # context h -> gamma(h) in notebook 05: (D1 N1(h) + D2 N2(h) + D3 N3+(h)) / total(h)
    discounts: tuple  # (D1, D2, D3+)


def _estimate_discounts(counts: Counter) -> tuple:
    """Chen & Goodman's modified Kneser-Ney discounts D1, D2, D3+ from the counts of counts."""
    of_counts = Counter(counts.values())
    n1, n2, n3, n4 = (of_counts.get(j, 0) for j in (1, 2, 3, 4))
    if min(n1, n2, n3, n4) == 0:  # too little data for the formula: the classic single discount
        return (0.5, 0.5, 0.5)
    y = n1 / (n1 + 2 * n2)
    raw = (1 - 2 * y * n2 / n1, 2 - 3 * y * n3 / n2, 3 - 4 * y * n4 / n3)
    return tuple(float(np.clip(d, 0.0, j)) for j, d in zip((1, 2, 3), raw, strict=True))


@functools.lru_cache(maxsize=64)
def _fitted_level(text: str, k: int, top: bool, discount: float | None) -> _Level:
    """Order k of a model fitted on `text`: raw counts if it is the top order, else continuation counts."""
    counts = _counts(text, k) if top else _continuation_counts(text, k)
    discounts = (discount,) * 3 if discount is not None else _estimate_discounts(counts)
    totals: Counter = Counter()
    removed: Counter = Counter()
    d1, d2, d3 = discounts
    for gram, count in counts.items():
        totals[gram[:-1]] += count
        removed[gram[:-1]] += d1 if count == 1 else d2 if count == 2 else d3
    backoff = {context: removed[context] / total for context, total in totals.items()}  # gamma(h) in notebook 05
    return _Level(counts, dict(totals), backoff, discounts)


class KneserNeyModel:
    """A character n-gram model with interpolated modified Kneser-Ney smoothing (notebook 05), hand-written.

    P_k(c | h) = max(a(h c) - D(a), 0) / sum_x a(h x) + backoff(h) * P_{k-1}(c | h without its first character),
    from order k = `order` down to the uniform distribution over the vocabulary (k = 0). a is the raw count
    at the top order and the continuation count (in how many distinct contexts the shorter gram appears)
    below it; D is D1, D2 or D3+ by count (Chen & Goodman 1999), estimated from the training counts unless
    `discount` fixes one value for all; backoff(h) is the mass the discounts removed, notebook 05's gamma(h). A
    context never seen in training passes all its mass down a level, so every distribution sums to 1 over the
    vocabulary, seen or not.
    """

    @checked(order="int in [1, 20]", vocabulary=CharVocabulary, discount="float in [0, 1] or None")
    def __init__(self, order: int, vocabulary: CharVocabulary, discount: float | None = None) -> None:
        self.order, self.vocabulary, self.discount = order, vocabulary, discount
        self._levels: list[_Level] = []

    def __repr__(self) -> str:
        return f"KneserNeyModel(order={self.order}, {'fitted' if self._levels else 'not fitted'})"

    @property
    def levels(self) -> list[_Level]:
        """Orders 1..order as fit counted them (levels[-1] is the top order); ValueError before fit."""
        if not self._levels:
            raise ValueError("fit the model first: model.fit(training_text)")
        return self._levels

    @checked(text="str")
    def fit(self, text: str) -> KneserNeyModel:
        """Count the k-grams of `text` for k = 1..order; returns self."""
        self._check_symbols("text", text, at_least=self.order)
        self._levels = [_fitted_level(text, k, k == self.order, self.discount) for k in range(1, self.order + 1)]
        return self

    def _check_symbols(self, name: str, characters: str, at_least: int = 0) -> None:
        """What @checked cannot state, as it sees the arguments and not the model: `characters` are symbols of the
        model's vocabulary, at least `at_least` of them (fit's text: `order`)."""
        if len(characters) < at_least:
            raise ValueError(f"{name} must have at least order = {at_least} characters, got {len(characters)}")
        unknown = sorted(set(characters) - set(self.vocabulary.symbols))
        if unknown:
            raise ValueError(f"{name} must hold only the vocabulary's symbols, got {unknown[:10]!r}")

    @checked(context="str", character=_one_character)
    def probability(self, context: str, character: str) -> float:
        """P(character | the last order - 1 characters of context)."""
        self._check_symbols("character", character)
        return self._interpolated(context, character)

    def _interpolated(self, context: str, character: str) -> float:
        """The recursion of the class docstring, from order 0 (uniform) up to the model's order."""
        probability = 1.0 / len(self.vocabulary)  # order 0: uniform
        for k, level in enumerate(self.levels, start=1):
            if len(context) < k - 1:  # start of the text: no context this long exists
                break
            history = context[len(context) - k + 1 :] if k > 1 else ""  # h: the last k - 1 characters
            total = level.totals.get(history)  # sum_x a(hx)
            if total is None:  # unseen context: all its mass goes to the lower order
                continue
            count = level.counts.get(history + character, 0)  # a(hc)
            discount = level.discounts[min(count, 3) - 1] if count else 0.0  # D1, D2 or D3+ by the count
            probability = (count - discount) / total + level.backoff[history] * probability  # backoff: gamma(h)
        return probability

    @checked(context="str")
    def distribution(self, context: str) -> np.ndarray:
        """P(c | context) for every symbol c of the vocabulary, shape (vocabulary size,): it sums to 1."""
        return np.array([self._interpolated(context, c) for c in self.vocabulary.symbols])  # (vocabulary size,)

    @checked(text=_characters, first="int in [0, characters)", last=_end)
    def probabilities_of_text(self, text: str, first: int = 0, last: int | None = None) -> np.ndarray:
        """P(text[p] | the order - 1 characters before p) for p = first..last-1, shape (last - first,).

        The context may reach back before `first` (e.g. into the validation text when scoring the test
        text): those characters are read, never scored, the same as the LSTM's warm-up.
        """
        self._check_symbols("text", text[first:last])
        return np.array([self._interpolated(text[max(0, p - self.order + 1) : p], text[p])
                         for p in range(first, last)])


@checked(training_text="str", vocabulary=CharVocabulary)
def unigram_probabilities(training_text: str, vocabulary: CharVocabulary) -> np.ndarray:
    """Character frequencies of the training text with add-one smoothing, shape (vocabulary size,) (notebook 05)."""
    ids = vocabulary.encode(training_text)  # (n,)
    counts = np.bincount(ids, minlength=len(vocabulary)).astype(np.float64)
    return (counts + 1) / (counts.sum() + len(vocabulary))  # (vocabulary size,)


# --------------------------------------------------------------------------- scores

def _probabilities(name: str, value, dims: dict) -> np.ndarray:
    """Probabilities in (0, 1]: a character that came with probability 0 would cost infinitely many bits."""
    probabilities = as_float_array(name, value)
    if probabilities.min() <= 0 or probabilities.max() > 1:
        raise ValueError(f"{name} must lie in (0, 1], got {probabilities.min()}..{probabilities.max()}")
    return probabilities


@checked(probabilities=_probabilities)
def bits_per_character(probabilities) -> float:
    """-mean(log2 p) over the probabilities a model gave to the characters that really came (notebook 05)."""
    return float(-np.mean(np.log2(probabilities)))


@checked(first="(n,) floats", second="(n,) floats", weights="(k,) floats in [0, 1] or None")
def mixture_weight(first, second, weights=None) -> float:
    """The weight w of `first` in w * first + (1 - w) * second with the fewest bits per character (notebook 05).

    `first` and `second` are the probabilities two models gave to the same characters (e.g. validation);
    `weights` is the grid searched (default 0, 0.05, ..., 1).
    """
    grid = np.linspace(0, 1, 21) if weights is None else weights  # (k,)
    scores = [bits_per_character(w * first + (1 - w) * second) for w in grid]
    return float(grid[int(np.argmin(scores))])


class ScoringWindows(NamedTuple):
    """Windows that score every character of text[first:last] once, each after a warm-up (notebook 05)."""

    inputs: np.ndarray  # (n, warmup + block) ids read
    targets: np.ndarray  # (n, warmup + block) ids to predict (inputs shifted by one)
    positions: np.ndarray  # (n, warmup + block) position in the text of each target; -1 where not scored


# The part of the text scored, and how: ids[first:last], in blocks of `block` targets, each read after `warmup` more.
_SCORED = dict(ids="(n,) ints >= 0", first="int >= 1", last="int in [first + 1, n]", warmup="int in [0, first - 1]",
               block="int in [1, last - warmup - 1]")


@checked(**_SCORED)
def scoring_windows(ids, first: int, last: int, warmup: int, block: int) -> ScoringWindows:
    """Cut ids[first:last] into blocks of `block` targets, each read after `warmup` earlier characters (notebook 05).

    The target at position p is predicted from at least warmup + 1 characters before it (ids[p - warmup - 1 :
    p] and more within its block), which may lie before `first`: they are read, not scored. Every position
    in first..last-1 is scored exactly once (the last window overlaps its neighbour; the overlap is not scored).
    """
    length = warmup + block  # characters per window
    starts = range(first, last, block)  # first target of each block
    inputs, targets, positions = [], [], []
    for start in starts:
        window_end = min(start + block, last)  # position after the last target; a short last block reads further back
        begin = window_end - length  # position of the first target of the window
        target_positions = np.arange(begin, window_end)  # (length,)
        inputs.append(ids[begin - 1 : window_end - 1])
        targets.append(ids[begin:window_end])
        positions.append(np.where(target_positions >= start, target_positions, -1))
    return ScoringWindows(np.stack(inputs), np.stack(targets), np.stack(positions))  # each (windows, length)


@checked(values="(n, L, ...) ints or (n, L, ...) floats", positions="(n, L) ints", first="int >= 0",
         last="int >= first")
def gather_scored(values, positions, first: int, last: int) -> np.ndarray:
    """Put the values (n, L, ...) of scored positions in text order: shape (last - first, ...) (notebook 05)."""
    scored = positions >= 0  # (n, L)
    order = positions[scored] - first
    if order.size != last - first or np.any(np.sort(order) != np.arange(last - first)):
        raise ValueError(f"positions must score {first}..{last - 1} exactly once")
    result = np.empty((last - first,) + values.shape[2:], dtype=values.dtype)
    result[order] = values[scored]
    return result


# --------------------------------------------------------------------------- the LSTM

@checked(vocabulary_size="int >= 2", units="int >= 1", embedding_dim="int >= 1", learning_rate="float >= 0",
         decay_steps="int >= 1 or None")
def build_char_lstm(vocabulary_size: int, units: int = 256, embedding_dim: int = 32, learning_rate: float = 1e-2,
                    decay_steps: int | None = None):
    """Embedding -> LSTM(return_sequences=True) -> Dense logits, compiled with Adam (notebook 05).

    With `decay_steps`, the learning rate follows a cosine from `learning_rate` down to a tenth of it over
    that many steps; gradients are clipped to norm 1 (a character LSTM's loss has occasional spikes).
    """
    import keras

    schedule = learning_rate
    if decay_steps is not None:
        schedule = keras.optimizers.schedules.CosineDecay(learning_rate, decay_steps, alpha=0.1)
    model = keras.Sequential([
        keras.Input(shape=(None,), dtype="int32"),  # (batch, T) character ids
        keras.layers.Embedding(vocabulary_size, embedding_dim, name="embedding"),  # (batch, T, embedding_dim)
        keras.layers.LSTM(units, return_sequences=True, name="lstm"),  # (batch, T, units): a state per step
        keras.layers.Dense(vocabulary_size, name="logits"),  # (batch, T, vocabulary): next-character scores
    ], name="char_lstm")
    model.compile(optimizer=keras.optimizers.Adam(schedule, clipnorm=1.0),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    return model


@checked(model="keras.Model", **_SCORED, batch_size="int >= 1")
def lstm_probabilities_of_text(model, ids, first: int, last: int, warmup: int, block: int,
                               batch_size: int = 256) -> np.ndarray:
    """P(ids[p] | the characters before p) from the Keras model for p = first..last-1 (notebook 05).

    Scored with `scoring_windows`: each character once, after at least warmup + 1 characters of context.
    """
    windows = scoring_windows(ids, first, last, warmup, block)
    logits = model.predict(windows.inputs, batch_size=batch_size, verbose=0)  # (n, warmup + block, V)
    probabilities = softmax(logits)  # (n, warmup + block, V)
    of_targets = np.take_along_axis(probabilities, windows.targets[..., None], axis=-1)[..., 0]
    return gather_scored(of_targets, windows.positions, first, last)


@checked(model="keras.Model", ids="(n,) ints", first="int in [1, n - 1]", last="int in [first + 1, n]",
         h="(1, units) floats or None", c="(1, units) floats or None", chunk="int >= 1")
def lstm_probabilities_carried(model, ids, first: int, last: int, h=None, c=None, chunk: int = 2_000):
    """P(ids[p] | everything read before p) for p = first..last-1, and the state (h, c) after (notebook 05).

    The text is read as one stream, the state handed on from chunk to chunk (chunks only bound the memory of
    one NumPy call); (h, c) of shape (1, units) continue an earlier stream, None starts from zeros.
    """
    probabilities = []
    for start in range(first, last, chunk):
        end = min(start + chunk, last)
        run = run_embedding_lstm(model, ids[None, start - 1 : end - 1], h, c)  # reads ids[start-1 .. end-2]
        h, c = run.h[:, -1], run.c[:, -1]  # (1, units): the state after this chunk starts the next one
        probabilities.append(np.take_along_axis(run.probabilities[0], ids[start:end, None], axis=1)[:, 0])
    return np.concatenate(probabilities), h, c  # (last - first,), (1, units), (1, units)


# --------------------------------------------------------------------------- sampling

@checked(model=embedding_lstm, vocabulary=CharVocabulary, prompt="str", length="int >= 1",
         temperatures="(rows,) floats >= 1e-6", seed="int >= 0")
def generate(model, vocabulary: CharVocabulary, prompt: str, length: int, temperatures, seed: int) -> list[str]:
    """Continue `prompt` by `length` characters once per temperature, side by side, seeded (notebook 05).

    Runs the model in NumPy (`course_utils.generation.run_embedding_lstm`), carrying the state (h, c) from one
    character to the next instead of re-reading the prompt: the rows of the batch are the temperatures.
    """
    rng = np.random.default_rng(seed)
    rows = len(temperatures)
    model = embedding_lstm_weights(model)  # read once, not at every character
    prompt_ids = np.tile(vocabulary.encode(prompt), (rows, 1))  # (rows, len(prompt))
    trace = run_embedding_lstm(model, prompt_ids)  # checked once: each step below is given what this call made
    h, c, probabilities = trace.h[:, -1], trace.c[:, -1], trace.probabilities[:, -1]
    generated = np.empty((rows, length), dtype=np.int64)
    for step in range(length):  # .unchecked: these two calls skip their own checks (done once above); the
        # softmax and temperature they call inside still check, which costs little
        generated[:, step] = [sample_with_temperature.unchecked(probabilities[r], temperatures[r], rng)
                              for r in range(rows)]
        trace = run_embedding_lstm.unchecked(model, generated[:, step : step + 1], h, c)
        h, c, probabilities = trace.h[:, -1], trace.c[:, -1], trace.probabilities[:, -1]
    return [vocabulary.decode(row) for row in generated]


# --------------------------------------------------------------------------- looking inside

@checked(text=_characters, first="int in [0, characters)", last="int in [first + 1, characters]")
def text_features(text: str, first: int, last: int) -> dict:
    """Measurable features of text[first:last], one value per character read (notebook 05).

    - "position in line": characters since the last newline (0 on a newline);
    - "inside brackets": 1 from a "[" until its "]" (stage directions such as [Aside]);
    - "after a full stop": 1 when the last non-blank character read is ".", "?" or "!";
    - "upper-case line": 1 while the line so far holds 2+ letters, all upper-case (a speaker's name).
    """
    column, in_brackets, after_stop, all_upper, letters = 0, 0, 0, True, 0
    rows = []
    for ch in text[:last]:  # read from the start: the state of each feature depends on all that came before
        if ch == "\n":
            column, all_upper, letters = 0, True, 0
        else:
            column += 1
            if ch.isalpha():
                letters += 1
                all_upper = all_upper and ch.isupper()
            elif ch not in " .":
                all_upper = False
        if ch == "[":
            in_brackets = 1
        elif ch == "]":
            in_brackets = 0
        if not ch.isspace():
            after_stop = int(ch in ".?!")
        rows.append((column, in_brackets, after_stop, int(all_upper and letters >= 2 and ch != "\n")))
    values = np.array(rows[first:last], dtype=np.float64)  # (last - first, 4)
    names = ("position in line", "inside brackets", "after a full stop", "upper-case line")
    return {name: values[:, k] for k, name in enumerate(names)}


@checked(states="(n, units) floats", feature="(n,) floats")
def correlations(states, feature) -> np.ndarray:
    """Pearson correlation of each unit's values (n, units) with a feature (n,); 0 for a constant unit (notebook 05).

    NumPy's np.corrcoef: the notebook uses the correlations, it does not teach how they are computed.
    """
    with np.errstate(divide="ignore", invalid="ignore"):  # a constant unit (or feature): 0 / 0, NaN, made 0 below
        matrix = np.corrcoef(states, feature, rowvar=False)  # (units + 1, units + 1), the feature last
    return np.nan_to_num(matrix[-1, :-1], nan=0.0)  # (units,)


@checked(text=_characters, values="(characters,) floats", limit="float >= 1e-12 or None")
def coloured_html(text: str, values, limit: float | None = None) -> str:
    """HTML of `text` with each character's background red (value > 0) or blue (< 0) by strength (notebook 05)."""
    if limit is None:
        limit = float(np.abs(values).max()) or 1.0
    spans = []
    for ch, value in zip(text, values, strict=True):
        strength = min(abs(value) / limit, 1.0)
        red, blue = (255, round(255 * (1 - strength))) if value > 0 else (round(255 * (1 - strength)), 255)
        green = round(255 * (1 - strength))
        shown = "\u21b5<br>" if ch == "\n" else html.escape(ch)
        spans.append(f'<span style="background-color: rgb({red},{green},{blue})">{shown}</span>')
    return '<div style="font-family: monospace; line-height: 1.5; color: black">' + "".join(spans) + "</div>"

