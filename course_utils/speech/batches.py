"""Notebook 08's speed trick: batches of utterances of similar length, so a recurrent layer steps through little
padding."""

from __future__ import annotations

import numpy as np

from course_utils.validation import checked


@checked(features="(n, frames, n_mels) floats", targets="(n, width) ints", lengths="(n,) ints in [1, frames]",
         batch_size="int >= 1", seed="int >= 0")
def length_batches(features, targets, lengths, batch_size: int = 64, seed: int = 0):
    """(tf.data.Dataset, batches per pass) of (features, targets) batches of similar length, each cut to its
    longest row (notebook 08's speed trick): rows sorted by length, cut into batches, the batches served in a new
    seeded order on every pass, without end (give fit steps_per_epoch). targets: see speech.ctc_targets."""
    import tensorflow as tf

    order = np.argsort(lengths, kind="stable")  # (n,) shortest first
    batches = []
    for start in range(0, len(order), batch_size):
        rows = order[start:start + batch_size]
        longest = int(lengths[rows].max())
        batches.append((features[rows, :longest].astype(np.float32), targets[rows].astype(np.int32)))
    rng = np.random.default_rng(seed)

    def generate():
        while True:
            yield from (batches[i] for i in rng.permutation(len(batches)))

    signature = (tf.TensorSpec((None, None, features.shape[2]), tf.float32),
                 tf.TensorSpec((None, targets.shape[1]), tf.int32))
    return tf.data.Dataset.from_generator(generate, output_signature=signature), len(batches)
