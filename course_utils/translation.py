"""Machine translation in miniature (notebook 07): English number lists -> French, decoding and scores.

The corpus is generated offline with `num2words`: a sentence lists 1 to k numbers from 0 to 999,
"a , b and c" in English and "a , b et c" in French. Tokens are words split on spaces (a hyphenated
word such as "quatre-vingt-dix-sept" is one token). Decoding helpers are NumPy-first and call a
`step` function that the notebook builds from its Keras decoder, so they can be tested without Keras.
Every public function states its arguments once, in its @checked line; the body is the algorithm.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from typing import NamedTuple

import numpy as np

from course_utils.diagram import arrow, box
from course_utils.validation import as_array, checked

PAD, START, END, UNKNOWN = "<pad>", "<start>", "<end>", "<unk>"
SPECIAL_TOKENS = (PAD, START, END, UNKNOWN)  # ids 0, 1, 2, 3 in every Vocabulary
PAD_ID, START_ID, END_ID, UNKNOWN_ID = range(len(SPECIAL_TOKENS))
LARGEST_NUMBER = 999
JOIN_WORDS = {"en": "and", "fr": "et"}


# ----------------------------------------------------------------------------- argument checks (for @checked)


def _words(name: str, value, dims: dict) -> list:
    """A non-empty list (or tuple, array...) of strings, other than one string."""
    if isinstance(value, (str, bytes)) or not hasattr(value, "__len__") or not all(isinstance(v, str) for v in value):
        raise TypeError(f"{name} must be a list of strings, got {type(value).__name__} {value!r:.60}")
    if not len(value):
        raise ValueError(f"{name} must hold at least one string, got none")
    return list(value)


def _sentences(name: str, value, dims: dict) -> list:
    """A non-empty list of strings; every argument checked with it must have as many as the first one."""
    if len(_words(name, value, dims)) != dims.setdefault("sentences", len(value)):
        raise ValueError(f"{name} must be a list of {dims['sentences']} sentences, got {len(value)}")
    return list(value)


def _pairs(name: str, value, dims: dict) -> list:
    """A non-empty list of (english, french) strings."""
    if (isinstance(value, str) or not hasattr(value, "__len__") or not len(value) or not all(
            hasattr(pair, "__len__") and len(pair) == 2 and all(isinstance(s, str) for s in pair) for pair in value)):
        raise TypeError(f"{name} must be a non-empty list of (english, french) strings, got {value!r:.60}")
    return list(value)


def _decoder_state(name: str, value, dims: dict) -> tuple:
    """A tuple of arrays with `batch_size` rows each: the first array's rows fix `batch_size` for the arguments after
    it, unless an argument before it fixed it."""
    if not isinstance(value, (tuple, list)):
        raise TypeError(f"{name} must be a tuple of arrays, got {type(value).__name__}")
    state = tuple(as_array(f"{name}[{i}]", s) for i, s in enumerate(value))
    if any(s.ndim == 0 for s in state):
        raise ValueError(f"{name} must be arrays with batch_size rows first, got shapes {[s.shape for s in state]}")
    if state and "batch_size" not in dims:
        dims["batch_size"] = state[0].shape[0]
    if any(s.shape[0] != dims["batch_size"] for s in state):
        raise ValueError(f"{name} must be arrays with batch_size={dims['batch_size']} rows first, got shapes "
                         f"{[s.shape for s in state]}")
    return state


def _edges(name: str, value, dims: dict) -> list:
    if (isinstance(value, (str, bytes)) or not hasattr(value, "__len__") or len(value) < 2
            or not all(isinstance(e, (int, np.integer)) and not isinstance(e, bool) for e in value)
            or list(value) != sorted(set(value))):
        raise ValueError(f"{name} must be at least two increasing integers, got {value!r:.60}")
    return [int(e) for e in value]


def _id_row(name: str, value, dims: dict) -> np.ndarray:
    """One row of token ids: a 1-D array of integers >= 0, possibly empty."""
    ids = as_array(name, value, "one row of token ids")
    if ids.ndim != 1 or (ids.size and (ids.dtype == bool or not np.issubdtype(ids.dtype, np.integer) or ids.min() < 0)):
        raise TypeError(f"{name} must be one row of token ids (integers >= 0), got {value!r:.60}")
    return ids.astype(np.int64)


def _token_labels(size: str):
    """A list of strings with as many entries as the size `size` that an argument before it fixed."""
    def check(name: str, value, dims: dict) -> list:
        words = _words(name, value, dims)
        if len(words) != dims[size]:
            raise ValueError(f"{name} must have {dims[size]} entries (the weights' {size} axis), got {len(words)}")
        return words
    return check


# ----------------------------------------------------------------------------- the corpus


@checked(number=f"int in [0, {LARGEST_NUMBER}]", lang=tuple(JOIN_WORDS))
def number_words(number: int, lang: str = "en") -> str:
    """A number from 0 to 999 written out by num2words in English ("en") or French ("fr") (notebook 07)."""
    from num2words import num2words  # imported here: importing course_utils stays light

    return num2words(number, lang=lang)


@checked(numbers="(n,) ints")
def is_ambiguous_in_english(numbers) -> bool:
    """True when the English sentence could also be read as other numbers (notebook 07).

    "one hundred and one" is both [101] and [100, 1]: a list whose last two numbers are a whole
    hundred and a number from 1 to 99 reads like one number. The generator leaves such lists out.
    """
    return _is_ambiguous(numbers.tolist())


def _is_ambiguous(numbers: Sequence[int]) -> bool:
    return len(numbers) >= 2 and numbers[-2] >= 100 and numbers[-2] % 100 == 0 and 0 < numbers[-1] < 100


class NumberSplit(NamedTuple):
    """The numbers 0..999 split three ways (notebook 07): each sorted, no number in two of them."""

    train: np.ndarray
    validation: np.ndarray
    test: np.ndarray


@checked(validation_fraction="float in [0.01, 0.45]", test_fraction="float in [0.01, 0.45]", seed="int >= 0")
def split_numbers(validation_fraction: float = 0.1, test_fraction: float = 0.2, seed: int = 0) -> NumberSplit:
    """Split 0..999 at random into numbers for training, validation and test (notebook 07).

    Validation and test numbers never occur in a training sentence, so both measure generalisation to
    new numbers; keeping them apart lets the validation set choose when to stop without touching the
    test. 0 is always a training number: "zero" is the only number that uses its word, so holding it
    out would test a word the model has never read rather than a new combination of known words.
    """
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


@checked(numbers=f"(n,) ints in [0, {LARGEST_NUMBER}]", count="int >= 1", max_numbers="int >= 1", seed="int >= 0",
         min_numbers="int in [1, max_numbers]")
def make_pairs(numbers, count: int, max_numbers: int, seed: int = 0, min_numbers: int = 1) -> list[Pair]:
    """`count` sentence pairs listing min_numbers..max_numbers numbers drawn from `numbers` (notebook 07).

    The list length is uniform in [min_numbers, max_numbers], each number uniform in `numbers`
    (with repeats); lists that are ambiguous in English (`is_ambiguous_in_english`) are redrawn.
    """
    rng = np.random.default_rng(seed)
    english = {n: number_words(n, "en") for n in numbers.tolist()}
    french = {n: number_words(n, "fr") for n in numbers.tolist()}
    pairs = []
    while len(pairs) < count:
        chosen = tuple(int(n) for n in rng.choice(numbers, size=rng.integers(min_numbers, max_numbers + 1)))
        if not _is_ambiguous(chosen):
            pairs.append(Pair(chosen, _join([english[n] for n in chosen], "en"),
                              _join([french[n] for n in chosen], "fr")))
    return pairs


def _join(words: list[str], lang: str) -> str:
    """ "a", "a and b", "a , b and c" ("et" in French)."""
    return words[0] if len(words) == 1 else " , ".join(words[:-1]) + f" {JOIN_WORDS[lang]} " + words[-1]


# ----------------------------------------------------------------------------- tokens and vocabularies


@checked(sentence="str")
def tokenize(sentence: str) -> list[str]:
    """Word tokens: the sentence split on spaces (notebook 07)."""
    return sentence.split()


class Vocabulary:
    """Word <-> id: PAD_ID, START_ID, END_ID, UNKNOWN_ID (0-3) first, then words by frequency (notebook 07)."""

    @checked(sentences=_sentences)
    def __init__(self, sentences: Sequence[str]):
        counts = Counter(token for sentence in sentences for token in sentence.split())
        words = sorted(counts, key=lambda word: (-counts[word], word))
        self.tokens: list[str] = list(SPECIAL_TOKENS) + words
        self.index: dict[str, int] = {token: i for i, token in enumerate(self.tokens)}

    def __len__(self) -> int:
        return len(self.tokens)

    def __repr__(self) -> str:
        return f"Vocabulary({len(self)} tokens: {', '.join(self.tokens[4:10])}, ...)"

    @checked(sentences=_words, length="int >= 1", start=(True, False), end=(True, False))
    def encode(self, sentences: Sequence[str], length: int, start: bool = False, end: bool = False) -> np.ndarray:
        """Ids (len(sentences), length): optional <start>/<end>, padded with PAD_ID at the end.

        Raises ValueError if a sentence does not fit in `length`; unknown words become <unk>.
        """
        ids = np.full((len(sentences), length), PAD_ID, dtype=np.int32)
        for row, sentence in enumerate(sentences):
            tokens = [START] * start + sentence.split() + [END] * end
            if len(tokens) > length:  # what the data holds, not a wrong kind of argument
                raise ValueError(f"sentence {row} has {len(tokens)} tokens, more than length={length}: {sentence!r}")
            ids[row, : len(tokens)] = [self.index.get(token, UNKNOWN_ID) for token in tokens]
        return ids

    @checked(ids=_id_row)
    def decode(self, ids) -> str:
        """The words of one row of ids, stopping at <end> and leaving out <pad> and <start>."""
        ids = ids.tolist()
        if ids and max(ids) >= len(self):
            raise ValueError(f"ids must be token ids below {len(self)}, got {max(ids)}")
        words = []
        for i in ids:
            if i == END_ID:
                break
            if i not in (PAD_ID, START_ID):
                words.append(self.tokens[i])
        return " ".join(words)


@checked(ids="(batch, length) ints >= 0")
def reverse_source(ids) -> np.ndarray:
    """Reverse each row's tokens, keeping the padding at the end (Sutskever et al. 2014; notebook 07)."""
    reversed_ids = np.zeros_like(ids)
    for row, tokens in enumerate(ids):
        real = tokens[tokens != PAD_ID]
        reversed_ids[row, : len(real)] = real[::-1]
    return reversed_ids


# ----------------------------------------------------------------------------- the dictionary baseline


@checked(pairs=_pairs, candidates="int >= 1", passes="int >= 0")
def learn_dictionary(pairs: Sequence[tuple[str, str]], candidates: int = 4, passes: int = 1) -> dict[str, str]:
    """The baseline of notebook 07: each English word -> one French phrase of 0 to 3 words, learned from pairs.

    A word's candidates: the `candidates` French phrases found most specifically beside it (Dice coefficient
    over sentences; the longer first among equals), and nothing (""). Then `passes` rounds of coordinate ascent
    (most frequent words first) give each word the candidate that translates the most pairs exactly, the other
    entries held fixed. One phrase per word, whatever its neighbours: no context.
    """
    data = [(english.split(), " ".join(french.split())) for english, french in pairs]
    together, english_count, french_count = defaultdict(Counter), Counter(), Counter()  # sentences holding them
    rows_with = defaultdict(list)  # English word -> the pairs it occurs in
    for english, french in data:
        words = french.split()
        phrases = {" ".join(words[i : i + n]) for n in (1, 2, 3) for i in range(len(words) - n + 1)}
        french_count.update(phrases)
        for word in set(english):
            english_count[word] += 1
            together[word].update(phrases)
            rows_with[word].append((english, french))
    dice = {word: {phrase: 2 * n / (english_count[word] + french_count[phrase]) for phrase, n in counts.items()}
            for word, counts in together.items()}
    options = {word: sorted(scores, key=lambda phrase: (-scores[phrase], -len(phrase)))[:candidates] + [""]
               for word, scores in dice.items()}
    dictionary = {word: choices[0] for word, choices in options.items()}
    for _ in range(passes):
        for word in sorted(rows_with, key=lambda word: -len(rows_with[word])):
            exact = []
            for option in options[word]:
                dictionary[word] = option
                exact.append(sum(_word_by_word(english, dictionary) == french for english, french in rows_with[word]))
            dictionary[word] = options[word][int(np.argmax(exact))]
    return dictionary


@checked(sentence="str", dictionary=Mapping)
def translate_word_by_word(sentence: str, dictionary: Mapping[str, str]) -> str:
    """Each word replaced by its dictionary entry, a phrase ("" drops it; unknown words are copied) (notebook 07)."""
    return _word_by_word(sentence.split(), dictionary)


def _word_by_word(words: list[str], dictionary: Mapping[str, str]) -> str:
    return " ".join(phrase for phrase in (dictionary.get(word, word) for word in words) if phrase)


@checked(pairs=_pairs, dictionary=Mapping, min_count="int >= 1", candidates="int >= 1", rows="int >= 1")
def learn_context_dictionary(pairs: Sequence[tuple[str, str]], dictionary: Mapping[str, str], min_count: int = 5,
                             candidates: int = 6, rows: int = 100) -> dict[tuple, tuple[str, int]]:
    """The context baseline of notebook 07: a dictionary whose entries may look at one neighbouring word.

    Keys: (previous word, word, None) and (None, word, next word), each held by >= `min_count` training
    sentences. A word takes the entry of its first key found in that order, else `dictionary[word]`
    (`translate_in_context`). Candidates per key: the word's `dictionary` entry, nothing (""), and the
    `candidates` French words most frequent in its sentences (single words: a longer phrase lets an entry take
    over its neighbour's translation, which fails on new neighbours); coordinate ascent keeps the one that
    translates the most of its sentences (the first `rows`) exactly. Keys are learned most frequent first,
    each against those before it, so the entries held by >= m sentences are what `min_count=m` would learn.
    Returns {key: (phrase, sentences holding the key)}, most frequent first.
    """
    data = [(english.split(), " ".join(french.split())) for english, french in pairs]
    rows_with = defaultdict(list)  # context key -> the pairs it occurs in
    for english, french in data:
        for key in dict.fromkeys(key for both in _context_keys(english) for key in both):  # in order, once each
            rows_with[key].append((english, french))
    context = {}
    for key in sorted((k for k in rows_with if len(rows_with[k]) >= min_count), key=lambda k: -len(rows_with[k])):
        sample = rows_with[key][:rows]
        words = Counter(word for _, french in sample for word in french.split())
        options = dict.fromkeys([dictionary.get(key[1], key[1]), ""] + [w for w, _ in words.most_common(candidates)])
        exact = []
        for option in options:
            context[key] = (option, len(rows_with[key]))
            exact.append(sum(_in_context(english, context, dictionary, 1) == french for english, french in sample))
        context[key] = (list(options)[int(np.argmax(exact))], len(rows_with[key]))
    return context


@checked(sentence="str", context=Mapping, dictionary=Mapping, min_count="int >= 1")
def translate_in_context(sentence: str, context: Mapping[tuple, tuple[str, int]], dictionary: Mapping[str, str],
                         min_count: int = 1) -> str:
    """Each word replaced by its context entry (held by >= min_count sentences), else its dictionary entry."""
    return _in_context(sentence.split(), context, dictionary, min_count)


def _context_keys(words: list[str]) -> list[tuple[tuple, tuple]]:
    """Per word: its (previous word, word, None) and (None, word, next word) keys; "<s>", "</s>" at the edges."""
    padded = ["<s>", *words, "</s>"]
    return [((padded[i], word, None), (None, word, padded[i + 2])) for i, word in enumerate(words)]


def _in_context(words: list[str], context: Mapping, dictionary: Mapping[str, str], min_count: int) -> str:
    phrases, no_entry = [], ("", 0)
    for word, (before, after) in zip(words, _context_keys(words), strict=True):
        phrase, sentences = context.get(before, no_entry)  # the entry for this word after the previous one ...
        if sentences < min_count:
            phrase, sentences = context.get(after, no_entry)  # ... else before the next one ...
        if sentences < min_count:
            phrase = dictionary.get(word, word)  # ... else the word alone
        phrases.append(phrase)
    return " ".join(phrase for phrase in phrases if phrase)


# ----------------------------------------------------------------------------- decoding

StepFunction = Callable[[np.ndarray, tuple], tuple[np.ndarray, tuple]]
DECODING = dict(step=Callable, initial_state=_decoder_state, batch_size="int >= 1", start_id="int >= 0",
                end_id="int >= 0", max_length="int >= 1")  # what greedy_decode and beam_search take


def _call_step(step, tokens, state):
    """step(tokens, state), its log-probabilities checked and copied (the decoders write into them)."""
    log_probs, new_state = step(tokens, state)
    log_probs = np.array(log_probs, dtype=np.float64)
    if log_probs.ndim != 2 or log_probs.shape[0] != len(tokens):
        raise ValueError(f"step must return log-probabilities of shape ({len(tokens)}, vocabulary), "
                         f"got {log_probs.shape}")
    return log_probs, tuple(np.asarray(s) for s in new_state)


@checked(**DECODING)
def greedy_decode(step: StepFunction, initial_state, batch_size: int, start_id: int, end_id: int,
                  max_length: int) -> np.ndarray:
    """Greedy decoding (notebook 07): feed back the most likely token until <end> or max_length.

    `step(tokens (n,), state)` returns (log-probabilities (n, vocabulary), new state); `initial_state`
    is a tuple of arrays with `batch_size` rows (e.g. the encoder's h and c). Padding (PAD_ID) is never
    generated. Returns ids (batch_size, max_length): each row's tokens, its <end>, then padding.
    """
    state = initial_state
    output = np.full((batch_size, max_length), PAD_ID, dtype=np.int64)
    tokens = np.full(batch_size, start_id, dtype=np.int64)
    finished = np.zeros(batch_size, dtype=bool)
    for t in range(max_length):
        log_probs, state = _call_step(step, tokens, state)  # (batch, vocabulary)
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


@checked(**DECODING, beam_width="int >= 1")
def beam_search(step: StepFunction, initial_state, batch_size: int, start_id: int, end_id: int,
                max_length: int, beam_width: int = 4) -> BeamResult:
    """Beam search (notebook 07): the `beam_width` most likely unfinished translations of each example live on.

    Same `step` as `greedy_decode`, called with batch_size * beam_width rows. A hypothesis that emits <end>
    goes to a pool that keeps each example's most likely finished one (total log-probability, no length
    penalty), where live ones cannot push it out. Stops when nothing live can beat the pool (log-probabilities
    only fall) or after max_length steps; an example with nothing finished returns its best unfinished one.
    """
    k, rows = beam_width, np.arange(batch_size)
    state = tuple(np.repeat(s, k, axis=0) for s in initial_state)  # row b * k + j: beam j of example b
    scores = np.full((batch_size, k), -np.inf)
    scores[:, 0] = 0.0  # one live beam per example at first, so the k copies do not all expand alike
    beams = np.zeros((batch_size, k, max_length), dtype=np.int64)  # the live hypotheses' tokens
    pool = np.full((batch_size, max_length), PAD_ID, dtype=np.int64)  # each example's best finished one
    pool_scores = np.full(batch_size, -np.inf)
    tokens = np.full(batch_size * k, start_id, dtype=np.int64)
    for t in range(max_length):
        log_probs, state = _call_step(step, tokens, state)
        log_probs[:, PAD_ID] = -np.inf  # padding is never generated
        candidates = scores[:, :, None] + log_probs.reshape(batch_size, k, -1)  # (batch, k, vocabulary)
        ending = candidates[:, :, end_id].argmax(axis=1)  # the best beam to end now, per example
        better = candidates[rows, ending, end_id] > pool_scores  # ... it joins the pool if it beats it
        pool[better], pool_scores[better] = beams[rows, ending][better], candidates[rows, ending, end_id][better]
        pool[better, t] = end_id
        candidates[:, :, end_id] = -np.inf  # the live beam: the k most likely continuations that do not end
        best = np.argsort(-candidates.reshape(batch_size, -1), axis=1, kind="stable")[:, :k]  # (batch, k)
        parent, tokens = np.divmod(best, candidates.shape[2])
        scores = np.take_along_axis(candidates.reshape(batch_size, -1), best, axis=1)
        beams = np.take_along_axis(beams, parent[:, :, None], axis=1)
        beams[:, :, t] = tokens
        state, tokens = tuple(s[(rows[:, None] * k + parent).ravel()] for s in state), tokens.ravel()
        if np.all(scores.max(axis=1) <= pool_scores):
            break
    unfinished = np.isneginf(pool_scores)
    pool[unfinished], pool_scores[unfinished] = beams[unfinished, 0], scores[unfinished, 0]
    return BeamResult(pool, pool_scores)


class BeamNode(NamedTuple):
    """One hypothesis of `beam_search_tree`: the token chosen at `step` after hypothesis `parent` (an index into the
    list; -1 for <start>), its total log-probability, and its fate: "kept" (in the beam), "finished" (<end>, into
    the pool), "dropped" (pushed out by likelier ones) or "start"."""

    step: int
    parent: int
    token: int
    log_prob: float
    fate: str


def _one_sentence_state(name: str, value, dims: dict) -> tuple:
    """A decoder state of ONE sentence: a tuple of arrays with one row each."""
    dims["batch_size"] = 1
    return _decoder_state(name, value, dims)


def _beam_nodes(name: str, value, dims: dict) -> list:
    """What beam_search_tree returns: a non-empty list of BeamNode, the first one <start>."""
    if not isinstance(value, list) or not value or not all(isinstance(node, BeamNode) for node in value):
        raise TypeError(f"{name} must be the list of BeamNode that beam_search_tree returns, got {value!r:.60}")
    dims["largest_token"] = max(node.token for node in value)
    return value


def _token_words(name: str, value, dims: dict) -> list:
    """A word for every token id up to the largest in `nodes` (e.g. `Vocabulary.tokens`)."""
    words = _words(name, value, dims)
    if len(words) <= dims["largest_token"]:
        raise ValueError(f"{name} must name every token id up to {dims['largest_token']}, got {len(words)} words")
    return words


@checked(step=Callable, initial_state=_one_sentence_state, start_id="int >= 0", end_id="int >= 0",
         max_length="int >= 1", beam_width="int >= 1", dropped="int >= 0")
def beam_search_tree(step: StepFunction, initial_state, start_id: int, end_id: int, max_length: int,
                     beam_width: int = 2, dropped: int = 2) -> list[BeamNode]:
    """`beam_search` for ONE sentence, step by step, for a picture of what the beam keeps (notebook 07).

    The same rule as `beam_search`: the best hypothesis to end (if it beats the pool) goes to the pool, the
    `beam_width` likeliest that do not end live on; the next `dropped` likeliest are recorded as pushed out.
    Returns every recorded hypothesis; the pool's answer is the likeliest "finished" node.
    """
    nodes = [BeamNode(-1, -1, start_id, 0.0, "start")]
    live, state, pool = [0], initial_state, -np.inf  # live: node indices; state: one row per live node
    for t in range(max_length):
        log_probs, new_state = _call_step(step, np.array([nodes[i].token for i in live]), state)
        log_probs[:, PAD_ID] = -np.inf  # padding is never generated
        candidates = np.array([nodes[i].log_prob for i in live])[:, None] + log_probs  # (live, vocabulary)
        ending = int(candidates[:, end_id].argmax())
        if candidates[ending, end_id] > pool:  # the best way to end now beats the pool: it joins it
            pool = candidates[ending, end_id]
            nodes.append(BeamNode(t, live[ending], end_id, float(pool), "finished"))
        candidates[:, end_id] = -np.inf
        order = np.argsort(-candidates, axis=None, kind="stable")[: beam_width + dropped]
        order = order[np.isfinite(candidates.ravel()[order])]  # never <pad>, <end> or the impossible
        parents, tokens = np.divmod(order, candidates.shape[1])
        for rank, (parent, token) in enumerate(zip(parents, tokens, strict=True)):
            fate = "kept" if rank < beam_width else "dropped"
            nodes.append(BeamNode(t, live[parent], int(token), float(candidates[parent, token]), fate))
        kept = np.flatnonzero([node.step == t and node.fate == "kept" for node in nodes])
        state = tuple(s[parents[:beam_width]] for s in new_state)
        live = kept.tolist()
        if not live or max(nodes[i].log_prob for i in live) <= pool:  # nothing live can beat the pool any more
            break
    return nodes


@checked(step=Callable, initial_state=_decoder_state, sequences="(batch_size, length) ints >= 0", start_id="int >= 0")
def sequence_log_probs(step: StepFunction, initial_state, sequences, start_id: int) -> np.ndarray:
    """Total log-probability the model gives each row of `sequences` (tokens, <end>, then padding) (notebook 07).

    The rows are fed to `step` one position at a time (teacher forcing), from `start_id`; padding adds nothing.
    It scores any translation (greedy's, the beam's, the reference) under the same model.
    """
    state, total = initial_state, np.zeros(len(sequences))
    tokens = np.full(len(sequences), start_id, dtype=np.int64)
    for t in range(sequences.shape[1]):
        log_probs, state = _call_step(step, tokens, state)  # (batch, vocabulary)
        tokens = sequences[:, t]  # the next token of every row: scored, then fed back
        total += np.where(tokens != PAD_ID, log_probs[np.arange(len(sequences)), tokens], 0.0)
    return total


# ----------------------------------------------------------------------------- scores


@checked(predictions=_sentences, references=_sentences)
def exact_match(predictions: Sequence[str], references: Sequence[str]) -> float:
    """Fraction of sentences whose words equal the reference exactly (notebook 07)."""
    return float(np.mean([p.split() == r.split() for p, r in zip(predictions, references, strict=True)]))


@checked(predictions=_sentences, references=_sentences)
def token_accuracy(predictions: Sequence[str], references: Sequence[str]) -> float:
    """Position-by-position word accuracy (notebook 07): matches / max(len(prediction), len(reference)).

    Summed over the corpus; a missing or extra word counts as wrong, so an empty output scores 0.
    """
    matches = total = 0
    for prediction, reference in zip(predictions, references, strict=True):
        p, r = prediction.split(), reference.split()
        matches += sum(a == b for a, b in zip(p, r, strict=False))
        total += max(len(p), len(r))
    return matches / total if total else 1.0


@checked(predictions=_sentences, references=_sentences)
def corpus_scores(predictions: Sequence[str], references: Sequence[str]) -> dict[str, float]:
    """Exact match and token accuracy (fractions), and sacrebleu's corpus chrF and BLEU (0-100) (notebook 07)."""
    import sacrebleu

    return {
        "exact match": exact_match(predictions, references),
        "token accuracy": token_accuracy(predictions, references),
        "chrF": float(sacrebleu.corpus_chrf(predictions, [references]).score),
        "BLEU": float(sacrebleu.corpus_bleu(predictions, [references]).score),
    }


@checked(prediction="str", reference="str")
def mark_differences(prediction: str, reference: str) -> str:
    """The prediction with its wrong words in [brackets] and "[...]" where reference words are missing (notebook 07).

    Words are aligned with difflib's longest matching blocks, so one wrong word does not mark all that follow.
    """
    from difflib import SequenceMatcher

    predicted, wanted = prediction.split(), reference.split()
    marked = []
    for operation, _, _, start, end in SequenceMatcher(None, wanted, predicted, autojunk=False).get_opcodes():
        if operation == "equal":
            marked += predicted[start:end]
        elif operation == "delete":
            marked.append("[...]")
        else:  # "replace" or "insert": words the reference does not have here
            marked.append("[" + " ".join(predicted[start:end]) + "]")
    return " ".join(marked)


@checked(lengths="(n,) floats", edges=_edges)
def length_buckets(lengths, edges: Sequence[int]) -> list[np.ndarray]:
    """Row indices per bucket: bucket i holds lengths in [edges[i], edges[i + 1]) (notebook 07)."""
    bounds = zip(edges[:-1], edges[1:], strict=True)
    return [np.flatnonzero((lengths >= low) & (lengths < high)) for low, high in bounds]


@checked(predictions=_sentences, references=_sentences, lengths="(sentences,) floats", edges=_edges)
def exact_match_by_length(predictions: Sequence[str], references: Sequence[str], lengths,
                          edges: Sequence[int]) -> np.ndarray:
    """Exact match within each length bucket (NaN for an empty bucket) (notebook 07)."""
    return np.array([exact_match([predictions[i] for i in rows], [references[i] for i in rows]) if len(rows)
                     else np.nan for rows in length_buckets(lengths, edges)])


# ----------------------------------------------------------------------------- plots


@checked(weights="(target, source) floats", source_tokens=_token_labels("source"),
         target_tokens=_token_labels("target"), ax="Axes or None")
def plot_alignment(weights, source_tokens: Sequence[str], target_tokens: Sequence[str], ax=None):
    """Attention weights (target, source) as a heatmap: which English word each French word looked at."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(0.45 * len(source_tokens) + 2, 0.4 * len(target_tokens) + 1.5))
    ax.imshow(weights, cmap="Greys", vmin=0.0, vmax=1.0, aspect="auto")
    ax.set_xticks(range(len(source_tokens)), source_tokens, rotation=90)
    ax.set_yticks(range(len(target_tokens)), target_tokens)
    ax.set_xlabel("English (source)")
    ax.set_ylabel("French (output)")
    return ax


FATE_COLOURS = {"start": "#eeeeee", "kept": "#cfe2f3", "finished": "#d9ead3", "dropped": "#f2f2f2"}


@checked(nodes=_beam_nodes, words=_token_words, ax="Axes or None")
def plot_beam_tree(nodes: list[BeamNode], words: Sequence[str], ax=None):
    """The hypotheses of `beam_search_tree` as a tree (notebook 07): one column per step, each box a word and the
    total log-probability of the translation so far; blue kept, green finished (into the pool), grey pushed out;
    the pool's answer in bold. `words[token]` is the word of a token id (e.g. `Vocabulary.tokens`)."""
    import matplotlib.pyplot as plt  # imported here: importing course_utils stays light
    from matplotlib.patches import Patch

    rank = {"start": 0, "kept": 0, "finished": 1, "dropped": 2}
    y = {}
    for t in sorted({node.step for node in nodes}):  # within a step: kept, finished, dropped; likeliest first
        at_t = sorted((i for i, node in enumerate(nodes) if node.step == t),
                      key=lambda i: (rank[nodes[i].fate], -nodes[i].log_prob))
        y.update({i: -row for row, i in enumerate(at_t)})
    finished = [i for i, node in enumerate(nodes) if node.fate == "finished"]
    answer, i = set(), max(finished, key=lambda i: nodes[i].log_prob) if finished else -1
    while i >= 0:  # the pool's answer, back to <start>
        answer.add(i)
        i = nodes[i].parent
    if ax is None:
        _, ax = plt.subplots(figsize=(2.1 * (nodes[-1].step + 2), 0.75 * (1 - min(y.values())) + 1.2))
    for i, node in enumerate(nodes):  # lines centre to centre, under the opaque boxes
        x = 2.0 * (node.step + 1)
        if node.parent >= 0:
            ax.plot([2.0 * (nodes[node.parent].step + 1), x], [y[node.parent], y[i]], color="black", zorder=1,
                    linewidth=2.2 if i in answer else 0.7, alpha=1.0 if node.fate != "dropped" else 0.4)
        ax.text(x, y[i], f"{words[node.token]}\n{node.log_prob:.2f}", ha="center", va="center", fontsize=8,
                fontweight="bold" if i in answer else "normal", zorder=3,
                bbox={"boxstyle": "round", "facecolor": FATE_COLOURS[node.fate], "edgecolor": "grey"})
    for t in range(nodes[-1].step + 1):
        ax.text(2.0 * (t + 1), 0.75, f"step {t + 1}", ha="center", fontsize=9, color="grey")
    fates = {"kept": "kept (live)", "finished": "finished: into the pool", "dropped": "pushed out"}
    ax.legend(handles=[Patch(facecolor=FATE_COLOURS[f], edgecolor="grey", label=label) for f, label in fates.items()],
              loc="lower left", fontsize=8)
    ax.set(xlim=(-0.9, 2.0 * (nodes[-1].step + 1) + 0.9), ylim=(min(y.values()) - 0.6, 1.0))
    ax.set_axis_off()
    return ax


_BOX = dict(width=1.2, height=0.6, fontsize=8)  # draw_encoder_decoder's boxes and arrows, smaller than diagram's
_ARROW = dict(width=1.2, head_size=11.0)


@checked(english_tokens=_words, french_tokens=_words, attention=(True, False), ax="Axes or None")
def draw_encoder_decoder(english_tokens: Sequence[str], french_tokens: Sequence[str], attention: bool = False,
                         ax=None):
    """The encoder-decoder unrolled (notebook 07): the encoder reads the English, its final (h, c) starts the decoder,
    fed <start> + French to predict French + <end>; with `attention`, every decoder step reads every encoder output."""
    import matplotlib.pyplot as plt  # imported here: importing course_utils stays light

    if ax is None:
        _, ax = plt.subplots(figsize=(1.3 * (len(english_tokens) + len(french_tokens) + 1) + 1.5, 3.4 + attention))
    encoder_x = [1.5 * i for i in range(len(english_tokens))]
    decoder_x = [1.5 * (len(english_tokens) + 1 + j) for j in range(len(french_tokens) + 1)]
    for x in decoder_x if attention else []:  # every decoder step reads every encoder output
        for x_source in encoder_x:
            arrow(ax, (x_source, 1.8), (x - 0.35, 1.8), color="tab:blue", width=0.8, head="-", curve=-0.25, alpha=0.3)
    steps = [(x, word, None, "#cfe2f3") for x, word in zip(encoder_x, english_tokens, strict=True)] + [
        (x, fed, out, "#d9ead3") for x, fed, out in zip(decoder_x, [START, *french_tokens], [*french_tokens, END],
                                                         strict=True)]
    for x, fed, predicted, color in steps:  # each step: its input word, its LSTM, its prediction (decoder only)
        box(ax, x, 0.0, fed, "#fde9c9", **_BOX)
        box(ax, x, 1.5, "LSTM", color, **_BOX)
        arrow(ax, (x, 0.3), (x, 1.2), **_ARROW)
        if x not in (encoder_x[0], decoder_x[0]):
            arrow(ax, (x - 0.9, 1.5), (x - 0.6, 1.5), **_ARROW)
        if predicted is not None:
            box(ax, x, 3.0, predicted, "#f4cccc", **_BOX)
            arrow(ax, (x, 1.8), (x, 2.7), **_ARROW)
    arrow(ax, (encoder_x[-1] + 0.6, 1.5), (decoder_x[0] - 0.6, 1.5), color="tab:red", width=2.5, head_size=11.0)
    ax.text((encoder_x[-1] + decoder_x[0]) / 2, 1.15, "(h, c)", ha="center", fontsize=10, color="tab:red")
    for xs, label in ((encoder_x, "encoder: reads the English"),
                      (decoder_x, "decoder: fed <start> + French, predicts French + <end>")):
        ax.text(np.mean(xs), -0.75, label, ha="center", fontsize=10)
    ax.set(xlim=(encoder_x[0] - 0.8, decoder_x[-1] + 0.8), ylim=(-1.1, 3.5 + 1.2 * attention))
    ax.set_axis_off()
    return ax
