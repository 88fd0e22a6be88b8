"""Notebook 08 (speech recognition): spoken digits from three synthesisers, log-mel features, CTC, decoding, error
rates, and a recogniser that transcribes a WAV file.

One module a job, everything importable from `course_utils.speech`:
- data: the bundled utterances (espeak-ng, flite and festival voices; scripts/make_speech_data.py made them once,
  8 kHz 8-bit mu-law in datasets/spoken_digits.npz), the spokennumbers clips, noise and augmentation;
- features: log-mel spectrograms in NumPy (the tests match them to tf.signal), per-utterance normalisation, padding;
- ctc: class ids and the blank, targets carrying each utterance's length, the CTC loss over the true frames,
  greedy decoding and the edit distance (hand-written: the notebook teaches them), word and character error rates;
- batches: length bucketing, the notebook's speed trick;
- recogniser: decoding through one compiled call, saving a trained model, `transcribe(wav_path)`.
"""

from course_utils.speech.batches import length_batches
from course_utils.speech.ctc import (
    BLANK,
    N_CLASSES,
    ctc_greedy_decode,
    ctc_loss,
    ctc_targets,
    edit_distance,
    encode_digits,
    error_rate,
    labels_to_digits,
)
from course_utils.speech.data import (
    DIGIT_WORDS,
    SAMPLE_RATE,
    SPEED_FACTORS,
    SpokenDigits,
    add_noise,
    augment,
    digits_to_words,
    join_clips,
    load_spoken_digits,
    load_spokennumbers_digits,
    mu_law_decode,
)
from course_utils.speech.features import (
    FRAME_LENGTH,
    FRAME_STEP,
    N_MELS,
    hertz_to_mel,
    log_mel_spectrogram,
    mel_filterbank,
    pad_features,
    utterance_features,
)
from course_utils.speech.recogniser import read_wav, recognise, save_recogniser, transcribe

__all__ = ["BLANK", "DIGIT_WORDS", "FRAME_LENGTH", "FRAME_STEP", "N_CLASSES", "N_MELS", "SAMPLE_RATE",
           "SPEED_FACTORS", "SpokenDigits", "add_noise", "augment", "ctc_greedy_decode", "ctc_loss", "ctc_targets",
           "digits_to_words", "edit_distance", "encode_digits", "error_rate", "hertz_to_mel", "join_clips",
           "labels_to_digits", "length_batches", "load_spoken_digits", "load_spokennumbers_digits",
           "log_mel_spectrogram", "mel_filterbank", "mu_law_decode", "pad_features", "read_wav", "recognise",
           "save_recogniser", "transcribe", "utterance_features"]
