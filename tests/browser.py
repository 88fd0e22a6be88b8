"""Headless Debian Chromium for the browser tests (never a downloaded browser build)."""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator

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


@contextlib.contextmanager
def launched_chromium() -> Iterator[object]:
    """A headless Chromium (Playwright's Browser) for the `with` block, closed afterwards, even on failure."""
    executable = require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
