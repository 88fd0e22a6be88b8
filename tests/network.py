"""`network_blocked`: a test helper (not a test module) that makes any network connection fail.

It patches `socket` for the whole process while the block runs, which is why it lives in the tests and
not in course_utils: the datasets the course bundles must load inside it, so a data package that started
downloading would fail the tests instead of silently needing the network.
"""

from __future__ import annotations

import contextlib
import socket

BLOCKED_MESSAGE = "network access is blocked: the course data must come from installed packages"


@contextlib.contextmanager
def network_blocked():
    """Inside this block any attempt to open a network connection or resolve a name raises OSError."""

    def refuse(*args, **kwargs):
        raise OSError(BLOCKED_MESSAGE)

    saved = socket.socket.connect, socket.socket.connect_ex, socket.create_connection, socket.getaddrinfo
    socket.socket.connect = refuse
    socket.socket.connect_ex = refuse
    socket.create_connection = refuse
    socket.getaddrinfo = refuse
    try:
        yield
    finally:
        socket.socket.connect, socket.socket.connect_ex, socket.create_connection, socket.getaddrinfo = saved
