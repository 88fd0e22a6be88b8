"""Tests of course_utils.translation (notebook 07): corpus, vocabularies, baseline, decoding, scores."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from course_utils import translation as tr

# ----------------------------------------------------------------------------- corpus


@pytest.mark.parametrize(("number", "english", "french"), [
    (0, "zero", "zéro"), (71, "seventy-one", "soixante et onze"), (80, "eighty", "quatre-vingts"),
    (97, "ninety-seven", "quatre-vingt-dix-sept"), (101, "one hundred and one", "cent un"),
    (200, "two hundred", "deux cents"), (999, "nine hundred and ninety-nine", "neuf cent quatre-vingt-dix-neuf"),
])
def test_number_words_known_values(number, english, french):
    assert tr.number_words(number, "en") == english
    assert tr.number_words(number, "fr") == french


def list_sentence(numbers, lang="en"):  # the oracle: "a", "a and b", "a , b and c" ("et" in French)
    words = [tr.number_words(n, lang) for n in numbers]
    return words[0] if len(words) == 1 else " , ".join(words[:-1]) + (" and " if lang == "en" else " et ") + words[-1]


def test_pairs_join_numbers_like_a_list():
    by_numbers = {pair.numbers: pair for pair in tr.make_pairs([1, 2, 3], 300, max_numbers=3, seed=0)}
    assert by_numbers[(3,)].english == "three" and by_numbers[(3,)].french == "trois"
    assert by_numbers[(3, 1)].french == "trois et un"
    assert by_numbers[(1, 2, 3)].english == "one , two and three"
    assert by_numbers[(1, 2, 3)].french == "un , deux et trois"


@pytest.mark.parametrize("bad", [-1, 1000, 2.5, "3", True])
def test_number_words_rejects_bad_numbers(bad):
    with pytest.raises((TypeError, ValueError)):
        tr.number_words(bad)


def test_number_words_rejects_unknown_language():
    with pytest.raises(ValueError, match="lang"):
        tr.number_words(3, "de")


def test_ambiguous_lists_are_exactly_those_that_read_as_one_number():
    singles = {tr.number_words(n) for n in range(1000)}
    rng = np.random.default_rng(0)
    for hundreds in range(100, 1000, 100):
        for units in range(1, 100):
            assert tr.is_ambiguous_in_english([hundreds, units])
            assert list_sentence([hundreds, units]) == tr.number_words(hundreds + units)
    for _ in range(300):
        pair = [int(v) for v in rng.integers(0, 1000, size=2)]
        if not tr.is_ambiguous_in_english(pair):
            assert list_sentence(pair) not in singles


def test_split_numbers_partitions_0_to_999_three_ways():
    train, validation, test = tr.split_numbers(0.1, 0.2, seed=3)
    assert (len(train), len(validation), len(test)) == (700, 100, 200)
    assert set(train) | set(validation) | set(test) == set(range(1000))
    assert not set(train) & set(validation) and not set(train) & set(test) and not set(validation) & set(test)
    assert 0 in train  # "zero" is the only number with its word: never held out
    assert all(np.array_equal(np.sort(part), part) for part in (train, validation, test))
    assert np.array_equal(test, tr.split_numbers(0.1, 0.2, seed=3).test)
    assert not np.array_equal(test, tr.split_numbers(0.1, 0.2, seed=4).test)


@pytest.mark.parametrize(("validation", "test", "seed"), [(0.0, 0.2, 0), (0.1, 1.0, 0), (0.5, 0.5, 0), ("0.1", 0.2, 0),
                                                          (0.1, 0.2, -1)])
def test_split_numbers_rejects_bad_arguments(validation, test, seed):
    with pytest.raises((TypeError, ValueError)):
        tr.split_numbers(validation, test, seed)


def test_every_word_of_held_out_numbers_occurs_in_training_numbers():
    for seed in range(20):
        train, validation, test = tr.split_numbers(0.1, 0.2, seed)
        for lang in ("en", "fr"):
            train_words = {w for n in train for w in tr.number_words(int(n), lang).split()}
            held_out = np.concatenate([validation, test])
            held_out_words = {w for n in held_out for w in tr.number_words(int(n), lang).split()}
            assert held_out_words <= train_words


def test_make_pairs_draws_from_the_pool_with_lengths_in_range():
    pool = np.array([5, 71, 300, 999])
    pairs = tr.make_pairs(pool, 200, max_numbers=4, seed=1, min_numbers=2)
    assert len(pairs) == 200
    lengths = {len(p.numbers) for p in pairs}
    assert lengths == {2, 3, 4}
    for pair in pairs:
        assert set(pair.numbers) <= set(pool.tolist())
        assert pair.english == list_sentence(pair.numbers, "en")
        assert pair.french == list_sentence(pair.numbers, "fr")
        assert not tr.is_ambiguous_in_english(pair.numbers)
    assert pairs == tr.make_pairs(pool, 200, max_numbers=4, seed=1, min_numbers=2)


@pytest.mark.parametrize("kwargs", [
    {"numbers": [1, 2], "count": 0, "max_numbers": 2}, {"numbers": [1, 2], "count": 3, "max_numbers": 0},
    {"numbers": [1, 1000], "count": 3, "max_numbers": 2}, {"numbers": [1.5], "count": 3, "max_numbers": 2},
    {"numbers": [1, 2], "count": 3, "max_numbers": 2, "min_numbers": 3},
    {"numbers": "12", "count": 3, "max_numbers": 2},
])
def test_make_pairs_rejects_bad_arguments(kwargs):
    with pytest.raises((TypeError, ValueError)):
        tr.make_pairs(**kwargs)


# ----------------------------------------------------------------------------- vocabulary


def test_vocabulary_round_trip_and_special_ids():
    sentences = ["un , deux et trois", "trois et quatre", "un"]
    vocabulary = tr.Vocabulary(sentences)
    assert vocabulary.tokens[:4] == [tr.PAD, tr.START, tr.END, tr.UNKNOWN]
    assert [vocabulary.index[t] for t in tr.SPECIAL_TOKENS] == [tr.PAD_ID, tr.START_ID, tr.END_ID, tr.UNKNOWN_ID]
    assert vocabulary.tokens[4] in {"un", "trois", "et"}  # the most frequent words come first
    ids = vocabulary.encode(sentences, length=8, start=True, end=True)
    assert ids.shape == (3, 8) and ids.dtype == np.int32
    assert np.all(ids[:, 0] == 1)
    for row, sentence in zip(ids, sentences, strict=True):
        assert vocabulary.decode(row) == sentence
        n = len(sentence.split())
        assert row[n + 1] == 2 and np.all(row[n + 2 :] == 0)
    assert vocabulary.encode(["cinq un"], 3)[0].tolist() == [3, vocabulary.index["un"], 0]


def test_vocabulary_rejects_what_does_not_fit():
    vocabulary = tr.Vocabulary(["un deux"])
    with pytest.raises(ValueError, match="length"):
        vocabulary.encode(["un deux"], 2, start=True)
    with pytest.raises(TypeError):
        vocabulary.encode("un deux", 4)
    with pytest.raises(ValueError):
        vocabulary.decode([99])
    with pytest.raises(TypeError):
        tr.Vocabulary("un deux")


def test_reverse_source_keeps_padding_at_the_end():
    rng = np.random.default_rng(0)
    for _ in range(50):
        rows, width = rng.integers(1, 6), rng.integers(1, 10)
        ids = np.zeros((rows, width), dtype=int)
        expected = np.zeros_like(ids)
        for r in range(rows):
            n = rng.integers(0, width + 1)
            tokens = list(rng.integers(1, 50, size=n))
            ids[r, :n] = tokens
            expected[r, :n] = tokens[::-1]
        assert np.array_equal(tr.reverse_source(ids), expected)
    with pytest.raises(ValueError):
        tr.reverse_source(np.zeros(4, dtype=int))  # one row, not (batch, length)


# ----------------------------------------------------------------------------- dictionary baseline


def test_dictionary_is_exact_on_a_word_by_word_language():
    lexicon = {"red": "rouge", "cat": "chat", "dog": "chien", "big": "grand", "the": "le"}
    rng = np.random.default_rng(1)
    pairs = []
    for _ in range(300):
        words = list(rng.choice(sorted(lexicon), size=rng.integers(1, 5)))
        pairs.append((" ".join(words), " ".join(lexicon[w] for w in words)))
    dictionary = tr.learn_dictionary(pairs)
    assert dictionary == lexicon
    assert tr.translate_word_by_word("the big cat", dictionary) == "le grand chat"


def test_dictionary_maps_a_word_to_a_phrase_or_to_nothing():
    lexicon = {"seventy-one": "soixante et onze", "two": "deux", "the": "", "cat": "chat", "dog": "chien"}
    rng = np.random.default_rng(2)
    pairs = []
    for _ in range(300):
        words = list(rng.choice(sorted(lexicon), size=rng.integers(1, 5)))
        pairs.append((" ".join(words), " ".join(lexicon[w] for w in words if lexicon[w])))
    dictionary = tr.learn_dictionary(pairs)
    assert dictionary == lexicon
    assert tr.translate_word_by_word("the seventy-one cat", dictionary) == "soixante et onze chat"
    assert tr.translate_word_by_word("the bird", dictionary) == "bird"  # unknown words are copied


def test_dictionary_on_the_numbers_learns_numbers_but_not_lists():
    train, _, test = tr.split_numbers(0.1, 0.2, seed=0)
    pairs = [(p.english, p.french) for p in tr.make_pairs(train, 3000, max_numbers=3, seed=0)]
    singles = tr.make_pairs(test, 200, max_numbers=1, seed=1)
    lists = tr.make_pairs(test, 200, max_numbers=3, seed=1, min_numbers=2)

    def exact(dictionary, pairs):
        translations = [tr.translate_word_by_word(p.english, dictionary) for p in pairs]
        return tr.exact_match(translations, [p.french for p in pairs])

    first_guess, learned = tr.learn_dictionary(pairs, passes=0), tr.learn_dictionary(pairs)
    assert learned["seventy-one"] == "soixante et onze" and learned[","] == ","
    assert exact(first_guess, singles) < 0.1 < 0.6 < exact(learned, singles)  # coordinate ascent does the work
    assert exact(learned, lists) < 0.3  # one entry cannot serve both meanings of "and"


def test_context_dictionary_learns_what_the_neighbour_decides():
    # "and" is "et" between two words, nothing after "hundred": no single entry serves both, one neighbour does.
    rng = np.random.default_rng(3)
    lexicon = {"one": "un", "two": "deux", "three": "trois"}
    pairs = []
    for _ in range(300):
        a, b = rng.choice(sorted(lexicon), size=2)
        pairs += [(f"{a} and {b}", f"{lexicon[a]} et {lexicon[b]}"), (f"{a} hundred and", f"{lexicon[a]} cent")]
    dictionary = tr.learn_dictionary(pairs)
    plain = tr.exact_match([tr.translate_word_by_word(e, dictionary) for e, _ in pairs], [f for _, f in pairs])
    context = tr.learn_context_dictionary(pairs, dictionary, min_count=5)
    in_context = [tr.translate_in_context(e, context, dictionary) for e, _ in pairs]
    assert plain <= 0.75 and tr.exact_match(in_context, [f for _, f in pairs]) == 1.0
    assert tr.translate_in_context("two and three", context, dictionary) == "deux et trois"
    assert tr.translate_in_context("three hundred and", context, dictionary) == "trois cent"
    # Entries are learned most frequent first; min_count drops the rarer ones, down to the plain dictionary.
    counts = [sentences for _, sentences in context.values()]
    assert counts == sorted(counts, reverse=True) and min(counts) >= 5
    assert tr.translate_in_context("two and three", context, dictionary, min_count=10**6) == \
        tr.translate_word_by_word("two and three", dictionary)


@pytest.mark.parametrize("bad", ["cat chat", [], [("a",)], [("a", 1)]])
def test_dictionary_rejects_bad_pairs(bad):
    with pytest.raises(TypeError):
        tr.learn_dictionary(bad)


# ----------------------------------------------------------------------------- decoding

def markov_step(table):
    """A toy decoder: the next-token log-probabilities depend only on the last token; state counts steps."""
    def step(tokens, state):
        (count,) = state
        return table[tokens], (count + 1,)
    return step


def random_table(rng, vocabulary):
    logits = rng.normal(size=(vocabulary, vocabulary)) * 2
    return logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))


def greedy_oracle(table, start, end, max_length):
    out, token = [], start
    for _ in range(max_length):
        row = table[token].copy()
        row[0] = -np.inf
        token = int(row.argmax())
        out.append(token)
        if token == end:
            break
    return out + [0] * (max_length - len(out))


def test_greedy_decode_matches_a_plain_loop():
    rng = np.random.default_rng(0)
    for _ in range(30):
        vocabulary, max_length = int(rng.integers(4, 9)), int(rng.integers(1, 7))
        tables = [random_table(rng, vocabulary) for _ in range(3)]
        for table in tables:
            decoded = tr.greedy_decode(markov_step(table), (np.zeros(2),), 2, 1, 2, max_length)
            assert decoded.shape == (2, max_length)
            assert decoded[0].tolist() == greedy_oracle(table, 1, 2, max_length) == decoded[1].tolist()


def test_greedy_decode_carries_each_rows_state():
    def step(tokens, state):
        (position,) = state  # emits 4, 5, ... from each row's own offset, then <end>
        log_probs = np.full((len(tokens), 10), -50.0)
        log_probs[np.arange(len(tokens)), position] = 0.0
        done = position >= 7
        log_probs[done] = -50.0
        log_probs[done, 2] = 0.0
        return log_probs, (position + 1,)
    decoded = tr.greedy_decode(step, (np.array([4, 6]),), 2, 1, 2, 6)
    assert decoded.tolist() == [[4, 5, 6, 2, 0, 0], [6, 2, 0, 0, 0, 0]]


def exhaustive_best(table, start, end, max_length):
    """Highest log-probability sequence ending in <end> within max_length, by enumeration (no padding)."""
    vocabulary = table.shape[0]
    best = (-np.inf, None)
    for length in range(1, max_length + 1):
        for body in itertools.product(range(1, vocabulary), repeat=length - 1):
            if end in body:
                continue
            sequence = (*body, end)
            previous, score = start, 0.0
            for token in sequence:
                score += table[previous, token]
                previous = token
            if score > best[0] + 1e-12:
                best = (score, sequence)
    return best


def test_beam_search_finds_the_exhaustive_optimum_with_a_wide_beam():
    rng = np.random.default_rng(1)
    for _ in range(20):
        vocabulary, max_length = int(rng.integers(3, 6)), int(rng.integers(1, 5))
        table = random_table(rng, vocabulary)
        score, sequence = exhaustive_best(table, 1, 2, max_length)
        result = tr.beam_search(markov_step(table), (np.zeros(1),), 1, 1, 2, max_length,
                                beam_width=vocabulary ** max_length)
        assert np.isclose(result.log_probs[0], score)
        assert result.sequences[0, : len(sequence)].tolist() == list(sequence)
        assert np.all(result.sequences[0, len(sequence) :] == 0)


def test_beam_of_width_one_is_never_less_likely_than_greedy_and_a_wider_beam_never_worse():
    rng = np.random.default_rng(2)
    for _ in range(20):
        vocabulary, max_length = int(rng.integers(4, 8)), int(rng.integers(2, 7))
        table = random_table(rng, vocabulary)
        table[:, 2] += 1.0  # make <end> likely enough that hypotheses finish
        table -= np.log(np.exp(table).sum(axis=1, keepdims=True))
        greedy = tr.greedy_decode(markov_step(table), (np.zeros(3),), 3, 1, 2, max_length)
        width_one = tr.beam_search(markov_step(table), (np.zeros(3),), 3, 1, 2, max_length, beam_width=1)
        greedy_score = tr.sequence_log_probs(markov_step(table), (np.zeros(3),), greedy, 1)
        wide = tr.beam_search(markov_step(table), (np.zeros(3),), 3, 1, 2, max_length, beam_width=vocabulary)
        if 2 in greedy[0]:  # the pool keeps any <end> greedy passed by: never less likely than greedy
            assert np.all(width_one.log_probs >= greedy_score - 1e-9)
            assert wide.log_probs[0] >= width_one.log_probs[0] - 1e-9


def test_beam_search_keeps_a_finished_hypothesis_that_live_ones_push_out():
    # From <start>: <end> 0.3, "a" 0.35, "b" 0.35; after "a" or "b", about 0.33 for each next token. A beam of 2
    # keeps "a" and "b" (0.35 each beat <end>'s 0.3), and every longer translation ends below 0.35 * 0.33: the
    # best translation is the empty one, p = 0.3, which a beam without a pool of finished ones loses at step 1.
    table = np.log(np.full((5, 5), 1e-3))
    table[1, [2, 3, 4]] = np.log([0.3, 0.35, 0.35])
    table[3:, 2:] = np.log(0.33)
    table -= np.log(np.exp(table).sum(axis=1, keepdims=True))
    result = tr.beam_search(markov_step(table), (np.zeros(1),), 1, 1, 2, 4, beam_width=2)
    assert result.sequences[0].tolist() == [2, 0, 0, 0]
    assert np.isclose(result.log_probs[0], table[1, 2])


def tree_answer(nodes):  # the pool's answer of a beam_search_tree: its tokens (with <end>) and log-probability
    best = max((i for i, node in enumerate(nodes) if node.fate == "finished"), key=lambda i: nodes[i].log_prob)
    tokens, i = [], best
    while i > 0:
        tokens.insert(0, nodes[i].token)
        i = nodes[i].parent
    return tokens, nodes[best].log_prob


def test_beam_search_tree_gives_beam_searchs_answer_and_keeps_the_likeliest():
    rng = np.random.default_rng(4)
    for _ in range(30):
        vocabulary, max_length, width = int(rng.integers(4, 8)), int(rng.integers(2, 7)), int(rng.integers(1, 4))
        table = random_table(rng, vocabulary)
        table[:, 2] += 1.0  # <end> likely enough that hypotheses finish
        table -= np.log(np.exp(table).sum(axis=1, keepdims=True))
        result = tr.beam_search(markov_step(table), (np.zeros(1),), 1, 1, 2, max_length, beam_width=width)
        nodes = tr.beam_search_tree(markov_step(table), (np.zeros(1),), 1, 2, max_length, beam_width=width)
        if not any(node.fate == "finished" for node in nodes):
            continue
        tokens, log_prob = tree_answer(nodes)
        assert np.isclose(log_prob, result.log_probs[0])
        assert result.sequences[0, : len(tokens)].tolist() == tokens
        for t in {node.step for node in nodes[1:]}:
            kept = [node.log_prob for node in nodes if node.step == t and node.fate == "kept"]
            dropped = [node.log_prob for node in nodes if node.step == t and node.fate == "dropped"]
            assert len(kept) <= width and min(kept) >= max(dropped, default=-np.inf)
        pool = [node.log_prob for node in nodes if node.fate == "finished"]
        assert np.all(np.diff(pool) > 0)  # a finished one joins the pool only if it beats what is there
        assert all(node.token != 2 for node in nodes if node.fate in ("kept", "dropped"))  # <end> only finishes
        for node in nodes[1:]:  # every hypothesis extends one kept at the step before (or <start>)
            assert nodes[node.parent].fate in ("kept", "start") and nodes[node.parent].step == node.step - 1
            step_log_prob = table[nodes[node.parent].token, node.token]
            assert np.isclose(node.log_prob, nodes[node.parent].log_prob + step_log_prob)


def test_beam_search_tree_shows_a_finished_hypothesis_that_live_ones_push_out():
    table = np.log(np.full((5, 5), 1e-3))  # the table of the pool test above
    table[1, [2, 3, 4]] = np.log([0.3, 0.35, 0.35])
    table[3:, 2:] = np.log(0.33)
    table -= np.log(np.exp(table).sum(axis=1, keepdims=True))
    nodes = tr.beam_search_tree(markov_step(table), (np.zeros(1),), 1, 2, 4, beam_width=2, dropped=1)
    assert [(node.step, node.token, node.fate) for node in nodes[:4]] == [
        (-1, 1, "start"), (0, 2, "finished"), (0, 3, "kept"), (0, 4, "kept")]
    assert tree_answer(nodes) == ([2], nodes[1].log_prob)
    assert nodes[-1].step == 1  # after step 1 nothing live can beat the pool: the search stops


def test_beam_search_tree_and_its_plot_reject_bad_arguments():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    step = markov_step(random_table(np.random.default_rng(5), 5))
    with pytest.raises(ValueError, match="batch_size=1"):
        tr.beam_search_tree(step, (np.zeros(2),), 1, 2, 3)
    with pytest.raises(ValueError):
        tr.beam_search_tree(step, (np.zeros(1),), 1, 2, 3, beam_width=0)
    nodes = tr.beam_search_tree(step, (np.zeros(1),), 1, 2, 3)
    words = ["<pad>", "<start>", "<end>", "a", "b"]
    ax = tr.plot_beam_tree(nodes, words)
    assert len(ax.texts) == len(nodes) + nodes[-1].step + 1  # a box per hypothesis, a label per step
    assert ax.texts[0].get_text().startswith("<start>") and ax.texts[-1].get_text() == f"step {nodes[-1].step + 1}"
    plt.close("all")
    with pytest.raises(ValueError, match="must name every token id"):
        tr.plot_beam_tree(nodes, words[:2])
    with pytest.raises(TypeError, match="BeamNode"):
        tr.plot_beam_tree([("a", 1)], words)


def test_sequence_log_probs_sums_the_steps_and_ignores_padding():
    rng = np.random.default_rng(3)
    table = random_table(rng, 6)
    sequences = np.array([[4, 5, 2, 0], [3, 2, 0, 0]])
    expected = [table[1, 4] + table[4, 5] + table[5, 2], table[1, 3] + table[3, 2]]
    assert np.allclose(tr.sequence_log_probs(markov_step(table), (np.zeros(2),), sequences, 1), expected)


@pytest.mark.parametrize(("kwargs", "error"), [
    ({"initial_state": np.zeros(2)}, TypeError), ({"initial_state": (np.zeros(3),)}, ValueError),
    ({"batch_size": 0}, ValueError), ({"max_length": 0}, ValueError), ({"start_id": 1.0}, TypeError),
    ({"step": "not a function"}, TypeError),
])
def test_decoders_reject_bad_arguments(kwargs, error):
    arguments = {"step": markov_step(np.zeros((4, 4))), "initial_state": (np.zeros(2),), "batch_size": 2,
                 "start_id": 1, "end_id": 2, "max_length": 3} | kwargs
    with pytest.raises(error):
        tr.greedy_decode(**arguments)
    with pytest.raises(error):
        tr.beam_search(**arguments)


def test_the_decoder_state_fixes_the_batch_size_in_the_signature_s_order():
    """initial_state comes before batch_size (and sequences): its rows fix the batch size they must agree with."""
    step = markov_step(np.zeros((4, 4)))
    with pytest.raises(ValueError, match=r"batch_size must be 3, the size the arguments before it have, got 2"):
        tr.greedy_decode(step, (np.zeros(3),), 2, 1, 2, 3)
    with pytest.raises(ValueError, match=r"initial_state must be arrays with batch_size=2 rows first, got shapes "
                                         r"\[\(2,\), \(3, 1\)\]"):
        tr.beam_search(step, (np.zeros(2), np.zeros((3, 1))), 2, 1, 2, 3)
    with pytest.raises(ValueError, match=r"sequences must have shape \(2, any\), got \(3, 4\)"):
        tr.sequence_log_probs(step, (np.zeros(2),), np.zeros((3, 4), dtype=int), 1)


def test_decoders_reject_a_step_with_the_wrong_output_shape():
    def step(tokens, state):
        return np.zeros((len(tokens) + 1, 5)), state
    with pytest.raises(ValueError, match="log-probabilities"):
        tr.greedy_decode(step, (np.zeros(2),), 2, 1, 2, 3)


# ----------------------------------------------------------------------------- scores


def test_exact_match_and_token_accuracy_by_hand():
    references = ["un et deux", "trois", "cent un"]
    predictions = ["un et deux", "trois quatre", "un"]
    assert tr.exact_match(predictions, references) == pytest.approx(1 / 3)
    # matches 3 + 1 + 0 over max lengths 3 + 2 + 2
    assert tr.token_accuracy(predictions, references) == pytest.approx(4 / 7)
    assert tr.token_accuracy([""], ["un"]) == 0.0


def test_corpus_scores_agree_with_sacrebleu():
    import sacrebleu

    references = ["un , deux et trois", "quatre-vingt-dix-sept", "cent un"]
    predictions = ["un , deux et quatre", "quatre-vingt-dix-sept", "cent"]
    scores = tr.corpus_scores(predictions, references)
    assert scores["chrF"] == pytest.approx(sacrebleu.corpus_chrf(predictions, [references]).score)
    assert scores["BLEU"] == pytest.approx(sacrebleu.corpus_bleu(predictions, [references]).score)
    perfect = tr.corpus_scores(references, references)
    assert perfect["exact match"] == 1.0 and perfect["BLEU"] == pytest.approx(100.0)


@pytest.mark.parametrize(("predictions", "references"), [(["a"], ["a", "b"]), ("a", "a"), ([], []), ([1], ["a"])])
def test_scores_reject_bad_lists(predictions, references):
    with pytest.raises((TypeError, ValueError)):
        tr.exact_match(predictions, references)


def test_length_buckets_and_exact_match_by_length():
    lengths = [1, 5, 6, 12, 30]
    assert [b.tolist() for b in tr.length_buckets(lengths, [1, 6, 11, 16])] == [[0, 1], [2], [3]]
    by_length = tr.exact_match_by_length(["a", "b", "c", "d", "e"], ["a", "x", "c", "d", "e"], lengths,
                                         [1, 6, 11, 16, 21])
    assert by_length[:3].tolist() == [0.5, 1.0, 1.0] and np.isnan(by_length[3])
    with pytest.raises(ValueError):
        tr.length_buckets(lengths, [5, 1])
    with pytest.raises(ValueError):
        tr.exact_match_by_length(["a"], ["a"], [1, 2], [1, 3])


def test_plot_alignment_checks_the_shape():
    import matplotlib

    matplotlib.use("Agg")
    ax = tr.plot_alignment(np.full((2, 3), 1 / 3), ["a", "b", "c"], ["x", "y"])
    assert [t.get_text() for t in ax.get_xticklabels()] == ["a", "b", "c"]
    with pytest.raises(ValueError, match="source_tokens must have 2 entries"):
        tr.plot_alignment(np.ones((3, 2)), ["a", "b", "c"], ["x", "y"])


def test_mark_differences_brackets_wrong_words_and_marks_missing_ones():
    assert tr.mark_differences("un et deux", "un et deux") == "un et deux"
    assert tr.mark_differences("un et trois", "un et deux") == "un et [trois]"
    assert tr.mark_differences("un deux", "un et deux") == "un [...] deux"
    assert tr.mark_differences("un et et deux", "un et deux") == "un et [et] deux"
    # one wrong word does not mark all that follow it
    assert tr.mark_differences("cent [x] , sept cent", "cent seize , sept cent").startswith("cent [")
    assert tr.mark_differences("cent quinze , sept cent", "cent seize , sept cent") == "cent [quinze] , sept cent"
    with pytest.raises(TypeError):
        tr.mark_differences(["un"], "un")


def test_draw_encoder_decoder_labels_every_token_and_the_state():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ax = tr.draw_encoder_decoder(["one", "and", "two"], ["un", "et", "deux"], attention=True)
    texts = [t.get_text() for t in ax.texts]
    assert {"one", "and", "two", "un", "et", "deux", tr.START, tr.END, "(h, c)"} <= set(texts)
    assert texts.count("LSTM") == 3 + 4  # three encoder steps, four decoder steps (three words and <end>)
    plt.close("all")
    with pytest.raises(ValueError):
        tr.draw_encoder_decoder([], ["un"])
    with pytest.raises(ValueError, match="attention must be True or False"):
        tr.draw_encoder_decoder(["one"], ["un"], attention="yes")
