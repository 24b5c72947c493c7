"""The one run command: embedded PostgreSQL and Redis when none are configured."""
import os
import signal
import subprocess
import sys
import time
import uuid

import pytest
import requests

from support.environment import ROOT, not_on_citus
from support.polling import free_port, wait_until

pytestmark = pytest.mark.slow
SERVICE_VARIABLES = ("DATABASE_URL", "DB_HOST", "DB_PORT", "DB_NAME", "DB_USER", "DB_PASSWORD", "REDIS_URL")


def launcher_env(tmp_path, **overrides):
    env = {key: value for key, value in os.environ.items() if key not in SERVICE_VARIABLES}
    env.update(DATA_DIR=str(tmp_path / ".data"), PORT=str(free_port()), HUEY_NAME=f"launch-{uuid.uuid4().hex[:8]}",
               EXPORTS_DIR=str(tmp_path / "exports"))
    env.update(overrides)
    return env


class Launcher:
    """python -m taskflask.serving.launcher as a user would start it, output kept in a file."""

    def __init__(self, env, log_path):
        self.env = env
        self.log_path = log_path
        self.url = f"http://localhost:{env['PORT']}"
        with open(log_path, "ab") as log:
            self.process = subprocess.Popen([sys.executable, "-m", "taskflask.serving.launcher"], cwd=ROOT, env=env,
                                            stdout=log, stderr=subprocess.STDOUT)

    def output(self):
        return self.log_path.read_text(errors="replace")

    def wait_running(self):
        wait_until(lambda: "running on" in self.output() or self.process.poll() is not None,
                   timeout=120, message="the launcher to start")
        assert "running on" in self.output(), self.output()

    def interrupt(self):
        self.process.send_signal(signal.SIGINT)
        return self.process.wait(timeout=90)


def processes_using(path):
    result = subprocess.run(["pgrep", "-f", str(path)], capture_output=True, text=True)
    return [pid for pid in result.stdout.split() if int(pid) != os.getpid()]


@not_on_citus("make run's embedded PostgreSQL has no Citus")
def test_embedded_servers_run_the_walkthrough_and_keep_data(tmp_path):
    env = launcher_env(tmp_path)
    launcher = Launcher(env, tmp_path / "first.log")
    try:
        launcher.wait_running()
        output = launcher.output()
        assert "PostgreSQL: embedded" in output and "Redis: embedded" in output
        assert " upgraded, 0 failed, " in output  # migrated once, before gunicorn started
        walk = subprocess.run(["bash", str(ROOT / "scripts" / "walkthrough.sh"), launcher.url, "acme"],
                              capture_output=True, text=True, timeout=120)
        assert walk.returncode == 0, walk.stdout + walk.stderr
    finally:
        assert launcher.interrupt() == 0
    data_dir = tmp_path / ".data"
    wait_until(lambda: not processes_using(data_dir), timeout=30, message="embedded servers to stop")

    again = Launcher(env, tmp_path / "second.log")
    try:
        again.wait_running()
        names = [o["schemaName"] for o in requests.get(again.url + "/organizations", timeout=10).json()]
        assert names == ["acme"]
    finally:
        assert again.interrupt() == 0


@pytest.mark.parametrize("variable, value, name", [
    ("DATABASE_URL", "postgresql://postgres:secret@127.0.0.1:1/none", "PostgreSQL"),
    ("REDIS_URL", "redis://127.0.0.1:1/0", "Redis"),
])
def test_unreachable_configured_server_is_one_clear_line(tmp_path, variable, value, name):
    overrides = {variable: value}
    if variable == "REDIS_URL":
        overrides["DATABASE_URL"] = os.environ["DATABASE_URL"]
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "taskflask.serving.launcher"], cwd=ROOT, capture_output=True,
                            text=True, env=launcher_env(tmp_path, **overrides), timeout=60)
    assert result.returncode == 1
    assert time.monotonic() - started < 30
    lines = [line for line in result.stderr.splitlines() if line.startswith("taskflask:")]
    assert len(lines) == 1 and name in lines[0] and "unreachable" in lines[0]
    assert "secret" not in result.stderr + result.stdout
    assert "Traceback" not in result.stderr
