"""A free local port, and polling until a condition holds: for the tests and for bench/ alike.

Only the standard library, and nothing of the support package: bench/harness.py imports this module on its
own (as ``polling``), where importing ``support`` would point the environment at a test run.
"""
import socket
import time


def free_port():
    """A local TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(condition, timeout=20.0, interval=0.1, message="condition"):
    """Poll ``condition`` until it returns something truthy, and return that; TimeoutError after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(interval)
    raise TimeoutError(f"timed out waiting for {message}")
