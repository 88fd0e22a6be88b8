"""Notebook 08's speed trick: batches of utterances of similar length, so a recurrent layer steps through little
padding."""

from __future__ import annotations

import numpy as np

from course_utils.validation import as_float_array, check_int


def length_batches(features, targets, lengths, batch_size: int = 64, seed: int = 0):
    """(tf.data.Dataset, batches per pass) of (features, targets) batches of similar length, each cut to its
    longest row (notebook 08's speed trick): rows sorted by length, cut into batches, the batches served in a new
    seeded order on every pass, without end (give fit steps_per_epoch)."""
    import tensorflow as tf

    features = as_float_array("features", features, ndim=3)  # (n, frames, n_mels), zero-padded
    targets = as_float_array("targets", targets, ndim=2)  # (n, 1 + longest): see speech.ctc_targets
    lengths = as_float_array("lengths", lengths, ndim=1)  # (n,)
    batch_size = check_int("batch_size", batch_size, minimum=1)
    seed = check_int("seed", seed, minimum=0)
    if not (len(features) == len(targets) == len(lengths)):
        raise ValueError(f"features, targets and lengths must have the same length, got {len(features)}, "
                         f"{len(targets)} and {len(lengths)}")
    order = np.argsort(lengths, kind="stable")
    batches = []
    for start in range(0, len(order), batch_size):
        rows = order[start:start + batch_size]
        frames = max(1, int(lengths[rows].max()))
        batches.append((features[rows, :frames].astype(np.float32), targets[rows].astype(np.int32)))
    rng = np.random.default_rng(seed)

    def generate():
        while True:
            yield from (batches[i] for i in rng.permutation(len(batches)))

    signature = (tf.TensorSpec((None, None, features.shape[2]), tf.float32),
                 tf.TensorSpec((None, targets.shape[1]), tf.int32))
    return tf.data.Dataset.from_generator(generate, output_signature=signature), len(batches)
