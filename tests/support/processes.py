"""Real server processes for the tests: gunicorn and huey_consumer (free ports and polling: support.polling)."""
import os
import signal
import socket
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import requests

from support.environment import LIVE_HUEY_NAME, ROOT
from support.polling import free_port, wait_until

BIN_DIR = Path(sys.executable).parent


def answers(url):
    """True once ``url`` answers 200 (a server still booting may accept and not answer in time)."""
    try:
        return requests.get(url, timeout=1).status_code == 200
    except (requests.ConnectionError, requests.Timeout):
        return False


def gunicorn_argv(bind, *options):
    return [str(BIN_DIR / "gunicorn"), "--config", str(ROOT / "gunicorn.conf.py"), "--bind", bind,
            "--workers", "2", *options, "wsgi:app"]


@contextmanager
def gunicorn_process(bind, log_path, **env):
    """Run gunicorn on ``bind`` with ``env`` on top of the test environment; yields its loopback URL."""
    environment = dict(os.environ, HUEY_NAME=LIVE_HUEY_NAME, **env)
    with open(log_path, "ab") as log:
        process = subprocess.Popen(gunicorn_argv(bind), cwd=ROOT, env=environment, stdout=log,
                                   stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{bind.rsplit(':', 1)[1]}"
    try:
        wait_until(lambda: answers(url + "/healthz"), message="gunicorn to answer")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=15)


class LiveServer:
    """gunicorn (API + built frontend) and a huey_consumer, as separate real processes."""

    def __init__(self, log_dir):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_dir = log_dir
        self.processes = {}

    def start(self):
        self.processes["gunicorn"] = self._spawn(
            "gunicorn", gunicorn_argv(f"127.0.0.1:{self.port}", "--graceful-timeout", "5"))
        self.start_consumer()
        wait_until(lambda: answers(self.url + "/organizations"), message="gunicorn to answer")

    def start_consumer(self):
        self.processes["huey"] = self._spawn(
            "huey", [str(BIN_DIR / "huey_consumer"), "huey_worker.huey", "--workers", "2", "--worker-type", "thread"])

    def stop_consumer(self, sig=signal.SIGINT, timeout=30):
        process = self.processes.pop("huey")
        process.send_signal(sig)
        process.wait(timeout=timeout)

    def _spawn(self, name, argv):
        log = open(self.log_dir / f"{name}.log", "ab")
        # A queue of its own: the in-process tests run their jobs by hand from theirs.
        env = dict(os.environ, HUEY_NAME=LIVE_HUEY_NAME)
        return subprocess.Popen(argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)

    def stop(self):
        for process in self.processes.values():
            process.send_signal(signal.SIGINT if process is self.processes.get("huey") else signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


class socket_nobody_listens_on:
    """A local port that refuses connections while the block runs (a server that is down)."""

    def __enter__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))  # bound but not listening: connections are refused
        return self.sock.getsockname()[1]

    def __exit__(self, *exc):
        self.sock.close()
