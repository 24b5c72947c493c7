"""``python -m taskflask.serving.launcher`` (what ``make run`` calls): the whole app in one command.

Migrates once (``taskflask-migrate``), then starts gunicorn (API and
built UI on one origin) and a huey_consumer against the services chosen by
taskflask.serving.embedded, prints the URL, and on Ctrl-C
stops the consumer with SIGINT (a running export finishes), gunicorn with
SIGTERM (in-flight requests finish), then the embedded servers.
"""
import os
import signal

# Runs only this virtualenv's gunicorn and huey_consumer, with fixed arguments.
import subprocess  # nosec B404
import sys
import time
import urllib.request
from pathlib import Path

from taskflask.serving.embedded import ServiceUnavailable, prepare
from taskflask.settings import PROJECT_ROOT

BIN = Path(sys.executable).parent


def child_environment(services):
    env = dict(os.environ, DATABASE_URL=services.database_url, REDIS_URL=services.redis_url)
    env.setdefault("HOST", "127.0.0.1")  # a laptop run is not exposed to the network
    env.setdefault("WEB_CONCURRENCY", "2")
    return env


def migrate(env):
    """Bring the database up to date once, before any worker serves; True unless public failed.

    A tenant schema that fails stays behind and answers 503 until a later run; the others are served.
    """
    command = [str(BIN / "taskflask-migrate"), "--tolerate-tenant-failures"]
    return subprocess.run(command, cwd=PROJECT_ROOT, env=env).returncode == 0  # nosec B603


def start_children(env):
    """gunicorn and huey_consumer, each in its own session so Ctrl-C reaches only us."""
    def spawn(program, *args):
        command = [str(BIN / program), *args]
        return subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, start_new_session=True)  # nosec B603
    return {
        "api": spawn("gunicorn", "--config", str(PROJECT_ROOT / "gunicorn.conf.py"), "wsgi:app"),
        "worker": spawn("huey_consumer", "huey_worker.huey", "--workers", env.get("HUEY_WORKERS", "2"),
                        "--worker-type", "thread"),
    }


def wait_until_ready(url, children, timeout=60):
    """True once /readyz answers 200; False if a child died first or time ran out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(child.poll() is not None for child in children.values()):
            return False
        try:
            # An http://localhost URL we built ourselves.
            with urllib.request.urlopen(url + "/readyz", timeout=2) as response:  # nosec B310
                if response.status == 200:
                    return True
        except OSError:
            pass
        time.sleep(0.2)
    return False


def stop(children):
    """SIGINT the worker, SIGTERM gunicorn, and wait for both."""
    for name, child in children.items():
        if child.poll() is None:
            child.send_signal(signal.SIGINT if name == "worker" else signal.SIGTERM)
    for child in children.values():
        child.wait()


def main():
    try:
        services = prepare()
    except ServiceUnavailable as error:
        print(f"taskflask: {error}", file=sys.stderr)
        return 1
    for line in services.descriptions:
        print(f"taskflask: {line}", flush=True)

    env = child_environment(services)
    url = f"http://localhost:{env.get('PORT', '3001')}"
    stopping = []
    signal.signal(signal.SIGINT, lambda *_: stopping.append(True))
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    migrated = migrate(env)
    if stopping:  # Ctrl-C during the migration reached it too
        return 0
    if not migrated:
        print("taskflask: the migration did not finish; see the messages above", file=sys.stderr)
        return 1
    children = start_children(env)
    if not wait_until_ready(url, children):
        print("taskflask: the server did not become ready; see the messages above", file=sys.stderr)
        stop(children)
        return 1
    print(f"taskflask: running on {url}  (Ctrl-C stops it)", flush=True)

    while not stopping and all(child.poll() is None for child in children.values()):
        time.sleep(0.2)
    crashed = [name for name, child in children.items() if child.poll() is not None]
    print("taskflask: stopping" + (f" ({', '.join(crashed)} exited)" if crashed else ""), flush=True)
    stop(children)
    return 1 if crashed and not stopping else 0


if __name__ == "__main__":
    sys.exit(main())
