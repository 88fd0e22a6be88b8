"""Train notebook 07's plain encoder-decoder (no attention) for longer and wider than the notebook can.

    python -m scripts.translation_long_run --units 64 --updates 7000 --offset 0   (one run per call)

Notebook 07 gives its plain encoder-decoder a CPU budget of 1,750 updates (plus 20), with UNITS = 64; at the end it
translates one-number sentences nearly as well as attention and four-number lists not at all, and its validation
exact match is still rising. Is that a ceiling of the fixed-size (h, c) at this size, or a model stopped while still
learning? This script asks, without attention: the notebook's data, model, optimiser, batches and seeds (seed 42 +
offset, exactly as `seed_everything` gives them in the notebook, and the notebook's 20 first updates on 1,280
padded sentences before the bucketed batches), with UNITS and the number of updates as arguments. It trains for
all the updates, with no early stopping; after every 250 updates (an epoch of the notebook) it decodes the 400
validation sentences greedily and records their exact match per length, and the same for a fixed sample of
400 training sentences (the first 400 training pairs, drawn at random by `make_pairs`): training lists right and
validation lists wrong is a model that fits but does not generalise to unseen numbers, both wrong is a model
that has not learned to fit them (optimisation or capacity); it keeps the weights of the epoch with
the highest validation exact match (chosen on validation only) and scores them on the 1,000 test sentences once,
per length. It also records after how many updates the notebook's own stopping rule (a point of validation exact
match, patience 2 epochs, counted from the fourth) would have stopped the run. It writes every run to
docs/translation_long_run.json (merged: other runs are kept; a run repeated with the same units, updates and offset
replaces the earlier one, whose figures it keeps under "earlier_run"), with the CPU it ran on, which notebook 07
reads.

What was run (2026-12-07, at 2 CPU cores under the lock; each run's seconds and CPU are in the file, about 12
minutes of training in all): UNITS = 64 for 7,000 updates (four times the notebook's budget), and UNITS = 128 and
256 for 3,500 updates (the time cap: 256 units cost three to four times as much per update as 64), each at seed
offsets 0 and 1:

    --units 64 --updates 7000 --offset 0 (and 1); --units 128 --updates 3500 --offset 0 (and 1);
    --units 256 --updates 3500 --offset 0 (and 1)

Then (2026-12-07, later; the runs with a training sample): 64 units for 7,000 updates at offsets 0 and 1 again, now
with the training sample decoded; they repeated the earlier runs' validation curves and test figures exactly (the
earlier figures are kept in each record under "earlier_run").

Not tried: more than 7,000 updates, 128 or 256 units for longer than 3,500 (256 units for 7,000 updates, about
5.5 minutes a run, is the next run to make), other learning rates or embedding sizes, reversed input (the
notebook's exercise 2), attention trained longer (it stopped by itself in the notebook), more than two seeds per
setting. The runs do not repeat the notebook's run update for update (their first 1,750 updates reach other
validation figures than the notebook's at the same seed; the notebook prints both): the notebook iterates 200
batches of its dataset (to count LSTM steps) before `fit`, and every new iteration of a shuffled dataset draws a
new order, so the notebook trains on the second order and the script on the first. A run of this script that
iterated 200 batches first gave the notebook's figures at 1,750 updates exactly (offset 0: validation exact match
0.3925, test 0.353; checked once, 2026-12-07, not stored).
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")  # as in the notebook

import numpy as np

from course_utils.translation import (
    END_ID,
    PAD_ID,
    START_ID,
    Vocabulary,
    exact_match,
    exact_match_by_length,
    greedy_decode,
    make_pairs,
    split_numbers,
)
from scripts import machine

OUT = Path(__file__).resolve().parent.parent / "docs" / "translation_long_run.json"
# Notebook 07's settings (its check cell asserts they are still the notebook's): data, model sizes but UNITS,
# optimiser, batches, the epoch of the validation curve, its length buckets and its stopping rule.
SETTINGS = {"validation_fraction": 0.1, "test_fraction": 0.2, "max_numbers": 4, "train_pairs": 20_000,
            "validation_pairs": 400, "test_pairs": 1_000, "embedding_size": 32, "learning_rate": 5e-3,
            "batch_size": 64, "first_updates": 20, "steps_per_epoch": 250, "length_edges": [1, 6, 11, 16, 20],
            "rule": {"min_delta": 0.01, "patience": 2, "warm_up_epochs": 3}}
TRAIN_SAMPLE = 400  # training sentences decoded after every epoch (the first ones: make_pairs draws them at random)


def run_key(units: int, updates: int, offset: int) -> str:
    return f"units {units}, updates {updates}, offset {offset}"


def make_data(seed: int) -> dict:
    """The notebook's sentences and arrays (cells 3 and 7)."""
    s = SETTINGS
    numbers = split_numbers(s["validation_fraction"], s["test_fraction"], seed)
    pairs = {"train": make_pairs(numbers.train, s["train_pairs"], s["max_numbers"], seed=seed + 1),
             "validation": make_pairs(numbers.validation, s["validation_pairs"], s["max_numbers"], seed=seed + 2),
             "test": make_pairs(numbers.test, s["test_pairs"], s["max_numbers"], seed=seed + 3)}
    english = Vocabulary([p.english for p in pairs["train"]])
    french = Vocabulary([p.french for p in pairs["train"]])
    every = [p for part in pairs.values() for p in part]
    source_length = max(len(p.english.split()) for p in every)
    target_length = max(len(p.french.split()) for p in every) + 1
    data = {"english": english, "french": french, "source_length": source_length, "target_length": target_length}
    for part, part_pairs in pairs.items():
        ids = french.encode([p.french for p in part_pairs], target_length + 1, start=True, end=True)
        data[part] = {"english": english.encode([p.english for p in part_pairs], source_length),
                      "french_in": ids[:, :-1], "french_out": ids[:, 1:],
                      "references": [p.french for p in part_pairs],
                      "lengths": np.array([len(p.english.split()) for p in part_pairs])}
    return data


def build_plain_translator(units: int, data: dict):
    """The notebook's build_plain_translator (cell 21), with UNITS as an argument."""
    import keras
    from keras import layers

    size = SETTINGS["embedding_size"]
    source_embedding = layers.Embedding(len(data["english"]), size, mask_zero=True, name="source_embedding")
    encoder_lstm = layers.LSTM(units, return_state=True, name="encoder_lstm")
    target_embedding = layers.Embedding(len(data["french"]), size, mask_zero=True, name="target_embedding")
    decoder_lstm = layers.LSTM(units, return_sequences=True, return_state=True, name="decoder_lstm")
    next_word = layers.Dense(len(data["french"]), name="next_word")
    english = keras.Input((None,), dtype="int32", name="english")
    french_in = keras.Input((None,), dtype="int32", name="french_in")
    _, h, c = encoder_lstm(source_embedding(english))
    outputs, _, _ = decoder_lstm(target_embedding(french_in), initial_state=[h, c])
    training_model = keras.Model([english, french_in], next_word(outputs))
    encoder = keras.Model(english, [h, c])
    token = keras.Input((1,), dtype="int32")
    h_in, c_in = keras.Input((units,)), keras.Input((units,))
    step_outputs, h_out, c_out = decoder_lstm(target_embedding(token), initial_state=[h_in, c_in])
    decoder_step = keras.Model([token, h_in, c_in], [next_word(step_outputs), h_out, c_out])
    return training_model, encoder, decoder_step


def training_batches(data: dict, seed: int):
    """The notebook's bucketed, trimmed tf.data batches (cell 26)."""
    import tensorflow as tf

    def real_length(ids):
        return tf.reduce_sum(tf.cast(ids != PAD_ID, tf.int32), axis=-1)

    def trim(inputs, french_out):
        english, french_in = inputs
        source_length, target_length = tf.reduce_max(real_length(english)), tf.reduce_max(real_length(french_out))
        return (english[:, :source_length], french_in[:, :target_length]), french_out[:, :target_length]

    train, length = data["train"], data["source_length"]
    return (tf.data.Dataset.from_tensor_slices(((train["english"], train["french_in"]), train["french_out"]))
            .shuffle(SETTINGS["train_pairs"], seed=seed).repeat()
            .bucket_by_sequence_length(lambda inputs, _: real_length(inputs[0]),
                                       bucket_boundaries=list(range(2, length + 1)),
                                       bucket_batch_sizes=[SETTINGS["batch_size"]] * length, no_padding=True)
            .map(trim).prefetch(2))


def make_translate(encoder, decoder_step, data: dict):
    """Greedy translation of a batch of English ids (the notebook's make_step + plain_translate, cell 28)."""
    import tensorflow as tf

    run = tf.function(decoder_step)

    def step(tokens, state):
        outputs = run([tokens[:, None].astype("int32"), *state])
        return np.asarray(tf.nn.log_softmax(outputs[0][:, 0, :])), (np.asarray(outputs[1]), np.asarray(outputs[2]))

    def translate(english):
        h, c = (np.asarray(x) for x in encoder(english, training=False))
        ids = greedy_decode(step, (h, c), len(english), START_ID, END_ID, data["target_length"] + 2)
        return [data["french"].decode(row) for row in ids]

    return translate


def notebook_rule(exact: list[float]) -> int | None:
    """Epochs after which the notebook's EarlyStopping (keras 3's rule, min_delta, patience, start_from_epoch)
    would have stopped on this validation curve; None if it would not have stopped within it."""
    rule, best, wait = SETTINGS["rule"], -np.inf, 0
    for epoch, value in enumerate(exact):
        if epoch < rule["warm_up_epochs"]:
            continue
        wait += 1
        if value - rule["min_delta"] > best:
            best, wait = value, 0
            continue
        if wait >= rule["patience"]:
            return epoch + 1
    return None


def train_one(units: int, updates: int, seed: int) -> dict:
    """One run: the notebook's plain model with `units`, trained for `updates` (+ the 20 first) updates."""
    import keras

    keras.utils.set_random_seed(seed)  # seed_everything(SEED) in the notebook's first cell
    data = make_data(seed)
    model, encoder, decoder_step = build_plain_translator(units, data)
    model.compile(keras.optimizers.Adam(SETTINGS["learning_rate"]),
                  keras.losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=PAD_ID))
    validation, test, edges = data["validation"], data["test"], SETTINGS["length_edges"]
    sample = {key: values[:TRAIN_SAMPLE] for key, values in data["train"].items()}  # a fixed training sample
    validation_data = ([validation["english"], validation["french_in"]], validation["french_out"])
    translate = make_translate(encoder, decoder_step, data)
    record = {"units": units, "updates": updates, "seed": seed, "parameters": model.count_params(),
              "val_loss": [], "val_exact_match": [], "val_exact_by_length": [], "train_sample": TRAIN_SAMPLE,
              "train_exact_match": [], "train_exact_by_length": []}
    best = {"exact": -np.inf, "weights": None, "epoch": -1}

    def on_epoch_end(epoch, logs):
        predictions = translate(validation["english"])
        exact = exact_match(predictions, validation["references"])
        record["val_loss"].append(float(logs["val_loss"]))
        record["val_exact_match"].append(exact)
        record["val_exact_by_length"].append(
            exact_match_by_length(predictions, validation["references"], validation["lengths"], edges).tolist())
        predictions = translate(sample["english"])  # the training sample: can the model fit the lists it saw?
        record["train_exact_match"].append(exact_match(predictions, sample["references"]))
        record["train_exact_by_length"].append(
            exact_match_by_length(predictions, sample["references"], sample["lengths"], edges).tolist())
        if exact > best["exact"]:
            best.update(exact=exact, weights=model.get_weights(), epoch=epoch)

    start = time.perf_counter()
    first = SETTINGS["first_updates"] * SETTINGS["batch_size"]  # the notebook's short first epoch, padded
    model.fit([data["train"]["english"][:first], data["train"]["french_in"][:first]],
              data["train"]["french_out"][:first], batch_size=SETTINGS["batch_size"], epochs=1, verbose=0,
              validation_data=validation_data)
    model.fit(training_batches(data, seed), steps_per_epoch=SETTINGS["steps_per_epoch"],
              epochs=updates // SETTINGS["steps_per_epoch"], validation_data=validation_data, shuffle=False,
              verbose=0, callbacks=[keras.callbacks.LambdaCallback(on_epoch_end=on_epoch_end)])
    record["training_seconds"] = time.perf_counter() - start  # includes the per-epoch decoding (validation, sample)
    model.set_weights(best["weights"])
    predictions = translate(test["english"])
    record.update(kept_updates=(best["epoch"] + 1) * SETTINGS["steps_per_epoch"],
                  test_exact_match=exact_match(predictions, test["references"]),
                  test_exact_by_length=exact_match_by_length(predictions, test["references"], test["lengths"],
                                                             edges).tolist())
    stop = notebook_rule(record["val_exact_match"])
    record["rule_stops_after_updates"] = None if stop is None else stop * SETTINGS["steps_per_epoch"]
    return record


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, required=True, help="LSTM units of the encoder and the decoder")
    parser.add_argument("--updates", type=int, required=True, help="updates after the 20 first (multiple of 250)")
    parser.add_argument("--offset", type=int, required=True, help="seed offset: the notebook's seed is 42 + offset")
    args = parser.parse_args()
    if args.updates % SETTINGS["steps_per_epoch"] or args.updates <= 0:
        raise SystemExit(f"--updates must be a positive multiple of {SETTINGS['steps_per_epoch']}, got {args.updates}")
    run = train_one(args.units, args.updates, 42 + args.offset)
    kept_epoch = run["kept_updates"] // SETTINGS["steps_per_epoch"] - 1
    run.update(offset=args.offset, **machine.stamp())
    print(f"units {args.units}, offset {args.offset}: {args.updates} updates in {run['training_seconds']:.0f} s; "
          f"kept {run['kept_updates']}; rule stops after {run['rule_stops_after_updates']}; validation exact "
          f"{run['val_exact_match'][-1]:.3f} at the end; test exact {run['test_exact_match']:.3f}, by length "
          f"{np.round(run['test_exact_by_length'], 3).tolist()}; training sample at the kept epoch, by length "
          f"{np.round(run['train_exact_by_length'][kept_epoch], 3).tolist()}")
    stored = json.loads(OUT.read_text()) if OUT.exists() else {"settings": SETTINGS, "runs": {}}
    if stored["settings"] != SETTINGS:
        stored = {"settings": SETTINGS, "runs": {}}  # other settings: earlier runs no longer comparable
    stored["script"] = "python -m scripts.translation_long_run --units U --updates N --offset K"
    stored["runs"] = {run_key(r["units"], r["updates"], r["offset"]): r for r in stored["runs"].values()}
    key = run_key(args.units, args.updates, args.offset)
    if key in stored["runs"]:  # a repeated run: keep what the earlier one measured
        earlier = stored["runs"][key]
        run["earlier_run"] = {name: earlier[name] for name in (
            "date", "training_seconds", "kept_updates", "val_exact_match", "test_exact_match", "test_exact_by_length")}
        print(f"earlier run {earlier['date']}: the same validation curve: "
              f"{earlier['val_exact_match'] == run['val_exact_match']}, the same test exact match: "
              f"{earlier['test_exact_match'] == run['test_exact_match']}")
    stored["runs"][key] = run
    OUT.write_text(json.dumps(stored, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
