"""What every benchmark script shares: a scratch database, real taskflask processes,
seeding with SQL, wrk, process memory, and saving figures for RESULTS.md.

Everything runs on this machine: PostgreSQL and Redis on 127.0.0.1, servers on
loopback ports, scratch files in bench/.work/ (git-ignored).
"""
import json
import os
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import psycopg2
import requests
from psycopg2 import sql

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
WORK = BENCH / ".work"
RESULTS_DIR = WORK / "results"
BIN = Path(sys.executable).parent
sys.path.insert(1, str(ROOT))  # the app's own code and constants
# free_port and wait_until, shared with the tests: tests/support/polling.py on its own, since importing the
# support package would point the environment at a test run.
sys.path.insert(2, str(ROOT / "tests" / "support"))
from polling import free_port, wait_until  # noqa: E402

SERVER_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
# How long a server the benchmarks start may take to answer (the machine may be loaded).
SERVER_START_TIMEOUT = 60.0
# Repeats of each timed figure; the median is reported.
REPEATS = int(os.environ.get("BENCH_REPEATS", "5"))
WRK_SECONDS = int(os.environ.get("BENCH_WRK_SECONDS", "5"))

# The peer's seed rows (bench/seed.sql of django-tenants): ~370 bytes of JSON, ~280 of CSV per task.
DESCRIPTION = "Description of task {g}: lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor."


def database_url(name, server_url=None):
    return (server_url or SERVER_URL).rsplit("/", 1)[0] + "/" + name


def admin_command(statement, dbname="postgres", server_url=None):
    """Run one statement with autocommit (CREATE/DROP DATABASE, ANALYZE)."""
    conn = psycopg2.connect(database_url(dbname, server_url))
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute(statement)
    finally:
        conn.close()


def recreate_database(name, server_url=None):
    """An empty database ``name`` (dropped first if it exists)."""
    drop_database(name, server_url)
    admin_command(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)), server_url=server_url)
    return database_url(name, server_url)


def drop_database(name, server_url=None):
    admin_command(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)),
                  server_url=server_url)


class PrivatePostgres:
    """A throw-away PostgreSQL cluster of this machine's version, with server settings of our choosing.

    For figures that depend on a server setting the shared server cannot change
    without a restart (it serves other jobs). Runs as the postgres user, on a
    free loopback port, from a temporary directory removed at exit; or from
    ``directory``, kept (stopped) at exit and used again by the next run.
    """

    def __init__(self, directory=None, **settings):
        self.bin = Path(sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1])
        self.keep = directory is not None
        self.dir = Path(directory) if self.keep else Path(tempfile.mkdtemp(prefix="taskflask-bench-pg-"))
        self.port = free_port()
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"
        self.settings = settings

    def _as_postgres(self, *argv):
        subprocess.run(["runuser", "-u", "postgres", "--", *argv], check=True, capture_output=True)

    def __enter__(self):
        if not (self.dir / "data").exists():
            self.dir.mkdir(parents=True, exist_ok=True)
            shutil.chown(self.dir, "postgres")
            self._as_postgres(str(self.bin / "initdb"), "-D", str(self.dir / "data"), "-U", "postgres", "-A", "trust")
        self._start()
        return self

    def _start(self):
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.dir} " + " ".join(
            f"-c {name}={value}" for name, value in self.settings.items())
        self._as_postgres(str(self.bin / "pg_ctl"), "-D", str(self.dir / "data"), "-o", options,
                          "-l", str(self.dir / "log"), "-w", "start")

    def _stop(self):
        self._as_postgres(str(self.bin / "pg_ctl"), "-D", str(self.dir / "data"), "-m", "fast", "-w", "stop")

    def restart(self, **settings):
        """Stop and start again with ``settings`` instead (on the same port)."""
        self._stop()
        self.settings = settings
        self._start()

    def __exit__(self, *exc):
        self._stop()
        if not self.keep:
            shutil.rmtree(self.dir, ignore_errors=True)


def seed_tasks(dsn, schema, count, created_by):
    """Insert ``count`` tasks into ``schema`` with generate_series, newest task first."""
    conn = psycopg2.connect(dsn)
    try:
        with conn, conn.cursor() as cur:
            cur.execute(sql.SQL("SET LOCAL search_path TO {}").format(sql.Identifier(schema)))
            cur.execute("""
                INSERT INTO tasks (title, description, status, created_by, created_by_name, created_at, updated_at,
                                   completed_at)
                SELECT 'Task number ' || g, replace(%(description)s, '{g}', g::text),
                       CASE WHEN g %% 3 = 2 THEN 'completed' ELSE 'pending' END, u.id, u.name,
                       now() - make_interval(secs => g * 37),
                       now() - make_interval(secs => g * 37) + interval '1 hour',
                       CASE WHEN g %% 3 = 2 THEN now() - make_interval(secs => g * 37) + interval '2 hours' END
                FROM generate_series(1, %(count)s) g, users u WHERE u.id = %(created_by)s""",
                        {"description": DESCRIPTION, "created_by": created_by, "count": count})
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(sql.SQL("VACUUM ANALYZE {}.tasks").format(sql.Identifier(schema)))
    finally:
        conn.close()


class Taskflask:
    """A real deployment on a scratch database: gunicorn (2 workers of gunicorn.conf.py) and huey_consumer."""

    def __init__(self, name, wsgi="wsgi:app", workers=2, consumer_workers=2, server_url=None):
        self.name = name
        self.server_url = server_url
        self.dsn = recreate_database(name, server_url)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.wsgi = wsgi
        self.workers = workers
        self.consumer_workers = consumer_workers
        self.exports_dir = WORK / "exports" / name
        self.logs = WORK / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)
        self.env = dict(os.environ, DATABASE_URL=self.dsn, REDIS_URL=REDIS_URL,
                        HUEY_NAME=f"{name}-{uuid.uuid4().hex[:8]}", EXPORTS_DIR=str(self.exports_dir),
                        PYTHONPATH=str(BENCH))
        self.gunicorn = self.consumer = None
        self._local = threading.local()

    @property
    def session(self):
        """A keep-alive HTTP session per client thread."""
        if not hasattr(self._local, "session"):
            self._local.session = requests.Session()
        return self._local.session

    def migrate(self):
        """Migrate the scratch database once, as a deployment does before its workers serve."""
        subprocess.run([str(BIN / "flask"), "--app", "wsgi", "migrate"], cwd=ROOT, env=self.env, check=True,
                       capture_output=True)

    def start(self, consumer=True):
        self.migrate()
        self.gunicorn = self._spawn("gunicorn", [
            str(BIN / "gunicorn"), "--config", str(ROOT / "gunicorn.conf.py"), "--bind", f"127.0.0.1:{self.port}",
            "--workers", str(self.workers), "--backlog", "2048", self.wsgi])
        if consumer:
            self.start_consumer()
        wait_until(self._ready, timeout=SERVER_START_TIMEOUT, interval=0.05, message="gunicorn")
        return self

    def start_consumer(self):
        self.consumer = self._spawn("huey", [
            str(BIN / "huey_consumer"), "huey_worker.huey", "--workers", str(self.consumer_workers),
            "--worker-type", "thread"])
        time.sleep(1.0)  # imported and connected to Redis

    def stop_consumer(self):
        if self.consumer is not None:
            self.consumer.send_signal(signal.SIGINT)
            self.consumer.wait(timeout=30)
            self.consumer = None

    def _spawn(self, name, argv):
        log = open(self.logs / f"{self.name}-{name}.log", "ab")
        return subprocess.Popen(argv, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)

    def _ready(self):
        try:
            return self.session.get(self.url + "/organizations", timeout=1).status_code == 200
        except (requests.ConnectionError, requests.Timeout):  # not listening yet, or its workers still booting
            return False

    def worker_pids(self):
        return children(self.gunicorn.pid)

    def stop(self):
        self.stop_consumer()
        if self.gunicorn is not None:
            self.gunicorn.send_signal(signal.SIGTERM)
            self.gunicorn.wait(timeout=30)
        drop_database(self.name, self.server_url)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # --- the API, as a client would use it

    def create_tenant(self, schema, tasks=0):
        """An organization with one admin; returns (tenant headers, admin headers)."""
        org = self.post("/organizations", {"name": f"Org {schema}", "schemaName": schema})
        admin = self.post(f"/organizations/{org['id']}/users",
                          {"name": "Admin", "email": f"admin@{schema.replace('_', '-')}.example.com", "role": "admin"})
        if tasks:
            seed_tasks(self.dsn, schema, tasks, admin["id"])
        return {"x-tenant-id": org["id"]}, {"x-tenant-id": org["id"], "x-user-id": admin["id"]}

    def post(self, path, body=None, headers=None, status=None):
        response = self.session.post(self.url + path, json=body, headers=headers, timeout=30)
        if status is not None and response.status_code != status or response.status_code >= 400:
            raise RuntimeError(f"POST {path}: {response.status_code} {response.text}")
        return response.json()

    def get(self, path, headers=None):
        response = self.session.get(self.url + path, headers=headers, timeout=30)
        response.raise_for_status()
        return response.json()

    def export(self, headers, poll=0.02):
        """POST /tasks/export, poll until completed; returns (seconds, export)."""
        start = time.perf_counter()
        export_id = self.post("/tasks/export", headers=headers)["exportId"]
        while True:
            export = self.get(f"/exports/{export_id}", headers)
            if export["status"] in ("completed", "failed"):
                elapsed = time.perf_counter() - start
                if export["status"] == "failed":
                    raise RuntimeError(f"export failed: {export['error']}")
                return elapsed, export
            time.sleep(poll)


@contextmanager
def api_only(name, **kwargs):
    """A Taskflask with gunicorn and no consumer, stopped (and its database dropped) on leaving."""
    app = Taskflask(name, **kwargs).start(consumer=False)
    try:
        yield app
    finally:
        app.stop()


def children(pid):
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def memory_kb(pid, field):
    """VmRSS (now) or VmHWM (peak) of a process, in kB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def to_ms(text):
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    value = float(match[1])
    return value * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[match[2]]


def wrk(url, connections, headers=None, script=None, seconds=None):
    """One wrk run; returns requests/s, p50/p99 latency in ms and the error counts."""
    threads = min(2, connections)
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds or WRK_SECONDS}s", "--latency"]
    for name, value in (headers or {}).items():
        cmd += ["-H", f"{name}: {value}"]
    if script:
        cmd += ["-s", str(script)]
    cmd.append(url)
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1]),
        "p50_ms": to_ms(re.search(r"\s50%\s+(\S+)", out)[1]),
        "p99_ms": to_ms(re.search(r"\s99%\s+(\S+)", out)[1]),
        "non_2xx": int(non_2xx[1]) if non_2xx else 0,
        "socket_errors": errors[1] if errors else "",
        "command": shlex.join(cmd),
    }


def median_of(runs, key):
    return statistics.median(run[key] for run in runs)


def interleaved(targets, connections, repeats=None):
    """wrk on every target at every connection count, ``repeats`` times; {name: {c: [runs]}}.

    Runs that are compared follow each other closely and their order rotates,
    so a burst of load from other jobs on the machine hits all of them alike.
    """
    names = list(targets)
    runs = {name: {c: [] for c in connections} for name in names}
    for repeat in range(repeats or REPEATS):
        for c in connections:
            shift = repeat % len(names)
            for name in names[shift:] + names[:shift]:
                run = wrk(connections=c, **targets[name])
                if run["non_2xx"] or run["socket_errors"]:
                    raise SystemExit(f"{name} c{c}: errors {run}")
                runs[name][c].append(run)
                log(f"#{repeat} {name:15} c{c:<3} {run['rps']:8.0f} req/s  "
                    f"p50 {run['p50_ms']:6.2f} ms  p99 {run['p99_ms']:6.2f} ms")
    return runs


def paired_ratio(runs_a, runs_b, key):
    """Median over repeats of a[key] / b[key], each pair measured side by side."""
    return statistics.median(a[key] / b[key] for a, b in zip(runs_a, runs_b))


def summary(runs):
    """Median requests/s and latencies of some runs."""
    return {key: median_of(runs, key) for key in ("rps", "p50_ms", "p99_ms")}


def timed(command, **kwargs):
    """Wall seconds of a command run under /usr/bin/time -v, and its peak RSS in MB."""
    start = time.perf_counter()
    done = subprocess.run(["/usr/bin/time", "-v", *command], capture_output=True, text=True, **kwargs)
    elapsed = time.perf_counter() - start
    if done.returncode:
        raise RuntimeError(f"{command[0]} failed: {done.stderr[-2000:]}")
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)[1])
    return elapsed, rss / 1024


def save(name, figures):
    """Keep one script's figures; results.py turns all of them into RESULTS.md."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    import results  # bench/ is on sys.path when a script runs
    figures = dict(figures, date=time.strftime("%Y-%m-%d %H:%M:%S %Z"),
                   command=f"python bench/{Path(sys.argv[0]).name}", measured_on=results.machine())
    (RESULTS_DIR / f"{name}.json").write_text(json.dumps(figures, indent=1, default=str))
    results.write()


def log(*parts):
    print(*parts, flush=True)
