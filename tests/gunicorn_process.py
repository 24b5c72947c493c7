"""A real gunicorn wsgi:app with gunicorn.conf.py, for tests that need settings of their own."""
import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import requests

from conftest import LIVE_HUEY_NAME, ROOT, wait_until


@contextmanager
def gunicorn_process(bind, log_path, **env):
    """Run gunicorn on ``bind`` with ``env`` on top of the test environment; yields its loopback URL."""
    environment = dict(os.environ, HUEY_NAME=LIVE_HUEY_NAME, **env)
    with open(log_path, "ab") as log:
        process = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "--config",
                                    str(ROOT / "gunicorn.conf.py"), "--bind", bind, "--workers", "2", "wsgi:app"],
                                   cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{bind.rsplit(':', 1)[1]}"

    def ready():
        try:
            return requests.get(url + "/healthz", timeout=1).status_code == 200
        except (requests.ConnectionError, requests.Timeout):  # not listening yet, or its workers still booting
            return False
    try:
        wait_until(ready, message="gunicorn to answer")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=15)
