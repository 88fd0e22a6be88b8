"""Exercise checkers: "not attempted yet", "correct", or an AssertionError that says what is off.

An exercise cell leaves its answer as None. The checker then prints a hint instead of failing,
so the stored notebook (and CI) shows the unattempted state, and the solutions notebook shows
"correct". Each notebook's checkers live in a module of this package named for its concept
(`counting` for notebook 03, ...), built from the three functions below.
"""

from __future__ import annotations


def not_attempted(name: str, answer, hint: str) -> bool:
    """Print a hint and return True when the learner has not filled in `answer` yet."""
    if answer is None:
        print(f"{name}: not attempted yet. {hint}")
        return True
    return False


def fail(name: str, message: str) -> None:
    """Raise AssertionError saying what is wrong with the learner's answer."""
    raise AssertionError(f"{name}: not yet right. {message}")


def correct(name: str) -> None:
    """Print that the exercise is solved."""
    print(f"{name}: correct!")
