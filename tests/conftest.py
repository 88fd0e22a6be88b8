"""Suite-wide settings for the tests."""

import os

# Set before any test module imports TensorFlow: quiet start-up, and the same numbers as the notebooks,
# whose first cell sets the same two variables.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

from hypothesis import settings

# No per-example deadline: the suite shares two cores with notebook kernels, so wall-clock limits
# would fail at random; a fixed derandomized profile keeps CI repeatable.
settings.register_profile("course", deadline=None, derandomize=True, print_blob=True)
settings.load_profile("course")
