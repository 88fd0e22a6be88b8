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


def offline_context(browser, local: tuple[str, ...], viewport: dict) -> tuple[object, list[str]]:
    """A browser context that aborts every request whose URL does not start with one of `local`.

    Returns the context and a list to which each aborted request is added; `watch_page` adds a page's errors.
    """
    problems: list[str] = []
    context = browser.new_context(viewport=viewport, service_workers="block")

    def route(route_request):
        if route_request.request.url.startswith(local):
            route_request.continue_()
        else:
            problems.append(f"request leaving the machine (aborted): {route_request.request.url}")
            route_request.abort()

    context.route("**/*", route)
    return context, problems


def watch_page(page, problems: list[str]) -> None:
    """Record the page's console errors, uncaught exceptions and failed requests in `problems`."""
    page.on("console", lambda message: message.type == "error" and problems.append(
        f"console error: {message.text} at {message.location.get('url', '')}"))
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("requestfailed", lambda request: problems.append(f"failed request: {request.url} ({request.failure})"))
