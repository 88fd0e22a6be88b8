"""Headless Debian Chromium for the browser tests (never a downloaded browser build)."""

from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Without the background-networking flags Chromium calls Google services at start-up, which a
# closed network (CI, a lecture hall) refuses, many times over.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-default-apps", "--disable-extensions",
]


def require_chromium() -> str:
    """Path of chromium; in CI its absence fails the test, elsewhere it skips it."""
    if os.path.exists(CHROMIUM):
        return CHROMIUM
    message = "Debian's chromium is not installed (apt-get install -y chromium); .ci/run installs it"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)
