"""The peer, django-tenants, set up and run beside taskflask (never committed: it lives in bench/.work/).

Follows the peer's README: a copy of its project in $DJT (default
bench/.work/djt, copied from $PEER_SRC), its own venv with django
django-tenants psycopg2-binary gunicorn, the database djt_bench, and gunicorn
with 2 sync workers. Connections are persistent (CONN_MAX_AGE=600), the
peer's best configuration.
"""
import os
import shutil
import signal
import subprocess
from pathlib import Path

import requests

from harness import ROOT, SERVER_START_TIMEOUT, WORK, admin_command, free_port, log, wait_until

PEER_SRC = Path(os.environ.get("PEER_SRC", ROOT.parent / "shared" / "peers" / "django-tenants"))
DJT = Path(os.environ.get("DJT", WORK / "djt"))
PYTHON = DJT / "venv" / "bin" / "python"
DATABASE = "djt_bench"


def manage(*args, **kwargs):
    return subprocess.run([str(PYTHON), "manage.py", *args], cwd=DJT / "proj", check=True,
                          capture_output=True, text=True, **kwargs)


def install():
    """Copy the peer out and give it its venv (once)."""
    if not (DJT / "proj").is_dir():
        if not PEER_SRC.is_dir():
            raise SystemExit(f"peer not found at {PEER_SRC}: set PEER_SRC or DJT")
        shutil.copytree(PEER_SRC, DJT)
    if not (DJT / "venv" / "bin" / "gunicorn").exists():  # bench/common.py's copy has no gunicorn
        log("peer: installing its venv")
        if not PYTHON.exists():
            subprocess.run(["python3", "-m", "venv", str(DJT / "venv")], check=True)
        subprocess.run([str(DJT / "venv" / "bin" / "pip"), "install", "--quiet",
                        "django", "django-tenants", "psycopg2-binary", "gunicorn"], check=True)
    (DJT / "results").mkdir(exist_ok=True)
    # The model has the nullable `priority` column the peer's README adds as migration 0002.
    if not list((DJT / "proj" / "tasks" / "migrations").glob("0002_*.py")):
        manage("makemigrations", "tasks", "--name", "priority")


def create_database(tenants):
    """djt_bench from scratch, with the public tenant and ``tenants`` {schema: task count}."""
    admin_command(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
    admin_command(f"CREATE DATABASE {DATABASE}")
    manage("migrate_schemas", "--shared")
    script = ["from customers.models import Client, Domain",
              "t = Client(schema_name='public', name='public'); t.save()",
              "Domain(domain='localhost', tenant=t, is_primary=True).save()"]
    for schema in tenants:
        script += [f"t = Client(schema_name='{schema}', name='{schema}'); t.save()",
                   f"Domain(domain='{schema}.localhost', tenant=t, is_primary=True).save()"]
    manage("shell", "-c", "\n".join(script))
    for schema, count in tenants.items():
        subprocess.run(["psql", "-q", "-h", "127.0.0.1", "-U", "postgres", "-d", DATABASE, "-v", f"schema={schema}",
                        "-v", f"n={count}", "-f", str(DJT / "bench" / "seed.sql")], check=True,
                       capture_output=True)


def drop_database():
    admin_command(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")


class PeerServer:
    """The peer's gunicorn: 2 sync workers, persistent connections."""

    def __init__(self, conn_max_age=600):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = dict(os.environ, DJT_CONN_MAX_AGE=str(conn_max_age))
        self.process = None

    def __enter__(self):
        log_file = open(WORK / "logs" / "peer-gunicorn.log", "ab")
        self.process = subprocess.Popen(
            [str(DJT / "venv" / "bin" / "gunicorn"), "proj.wsgi:application", "-w", "2", "-k", "sync",
             "-b", f"127.0.0.1:{self.port}", "--backlog", "2048", "--no-control-socket"],
            cwd=DJT / "proj", env=self.env, stdout=log_file, stderr=subprocess.STDOUT)
        wait_until(self._ready, timeout=SERVER_START_TIMEOUT, interval=0.05, message="peer gunicorn")
        return self

    def _ready(self):
        try:
            return requests.get(self.url + "/tasks", headers={"Host": "t1.localhost"}, timeout=1).ok
        except requests.ConnectionError:
            return False

    def __exit__(self, *exc):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


def export_command(schema, out):
    """The peer's ORM export (its management command, models iterator)."""
    return [str(PYTHON), "manage.py", "export_tasks_csv", "--schema", schema, "--out", str(out)]

