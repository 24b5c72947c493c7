"""Run taskflask locally: gunicorn (API + built UI) and a huey_consumer, stopped together.

Ctrl-C sends SIGINT to the consumer, so a running export finishes, and
SIGTERM to gunicorn, which lets in-flight requests complete.
"""
import os
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def main():
    """Start both processes and wait; if one dies, stop the other."""
    os.chdir(ROOT)
    port = os.environ.get("PORT", "3001")
    children = {
        "api": subprocess.Popen([str(BIN / "gunicorn"), "--bind", f"127.0.0.1:{port}", "wsgi:app"]),
        "worker": subprocess.Popen([str(BIN / "huey_consumer"), "huey_worker.huey", "--workers", "2",
                                    "--worker-type", "thread"]),
    }
    print(f"taskflask: http://localhost:{port}", flush=True)
    signal.signal(signal.SIGINT, lambda *_: None)  # the children get Ctrl-C themselves
    signal.signal(signal.SIGTERM, lambda *_: stop(children))
    try:
        os.wait()  # returns when the first child exits
    except ChildProcessError:
        pass
    stop(children)
    return max(abs(child.returncode or 0) for child in children.values())


def stop(children):
    """SIGINT the worker (finish the running job), SIGTERM gunicorn, then wait for both."""
    for name, child in children.items():
        if child.poll() is None:
            child.send_signal(signal.SIGINT if name == "worker" else signal.SIGTERM)
    for child in children.values():
        child.wait()


if __name__ == "__main__":
    sys.exit(main())
