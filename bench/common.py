"""Shared by the benchmarks: a scratch database, percentiles, the results file, and the peer.

The peer is django-tenants as set up in ../shared/peers/django-tenants: it is
copied to bench/.work/djt (git-ignored) with its own virtualenv, and run
beside taskflask on the same PostgreSQL.
"""
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import psycopg2

from harness import database_url, recreate_database  # noqa: F401  (shared with the other benchmarks)

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))  # the taskflask of this checkout
WORK = BENCH / ".work"
RESULTS = BENCH / "results.jsonl"
PEER_SOURCE = Path(os.environ.get("PEER_DIR", ROOT.parent / "shared" / "peers" / "django-tenants"))
PEER = WORK / "djt"
# Not the peer's own djt_bench: other benchmarks on this server may be using that one.
PEER_DATABASE = "djt_lifecycle_bench"


def percentile(values, p):
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    low = int(k)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def latency_figures(milliseconds, window=100):
    """p50/p90/p99 and the medians of the first and last ``window`` values."""
    window = min(window, len(milliseconds))
    first = statistics.median(milliseconds[:window])
    last = statistics.median(milliseconds[-window:])
    return {"n": len(milliseconds), "p50_ms": percentile(milliseconds, 50),
            "p90_ms": percentile(milliseconds, 90), "p99_ms": percentile(milliseconds, 99),
            f"first{window}_median_ms": first, f"last{window}_median_ms": last,
            "last_vs_first": last / first}


def record(benchmark, figures):
    """Append one run's figures to bench/results.jsonl and return the entry."""
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip()
    entry = {"benchmark": benchmark, "at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
             "commit": commit, "cpus": os.cpu_count(), "python": platform.python_version(), **figures}
    with RESULTS.open("a") as out:
        out.write(json.dumps(entry) + "\n")
    return entry


def show(title, figures):
    print(f"\n{title}")
    for key, value in figures.items():
        print(f"  {key:<28} {value:.2f}" if isinstance(value, float) else f"  {key:<28} {value}")


class Peer:
    """django-tenants, copied out of shared/ and given its own virtualenv."""

    def __init__(self):
        self.python = PEER / "venv" / "bin" / "python"
        self.proj = PEER / "proj"
        self.env = {**os.environ, "DJT_DB_NAME": PEER_DATABASE}

    def install(self):
        if not (PEER / "proj").is_dir():
            shutil.copytree(PEER_SOURCE, PEER, ignore=shutil.ignore_patterns("venv", "results"))
        settings = self.proj / "proj" / "settings.py"
        settings.write_text(settings.read_text().replace(
            '"NAME": "djt_bench"', '"NAME": os.environ.get("DJT_DB_NAME", "djt_bench")'))
        (PEER / "results").mkdir(exist_ok=True)
        if not self.python.exists():
            subprocess.run([sys.executable, "-m", "venv", str(PEER / "venv")], check=True)
            subprocess.run([str(PEER / "venv" / "bin" / "pip"), "install", "-q",
                            "django", "django-tenants", "psycopg2-binary"], check=True)
        return self

    def manage(self, *args, quiet=True):
        """Run ``manage.py`` with the peer's venv; returns the wall time in seconds."""
        started = time.perf_counter()
        subprocess.run([str(self.python), "manage.py", *args], cwd=self.proj, env=self.env, check=True,
                       stdout=subprocess.DEVNULL if quiet else None)
        return time.perf_counter() - started

    def fresh_database(self):
        """An empty djt_bench with the shared apps and the public tenant."""
        recreate_database(PEER_DATABASE)
        self.manage("migrate_schemas", "--shared")
        self.manage("shell", "-c", "from customers.models import Client, Domain; "
                    "t = Client(schema_name='public', name='public'); t.save(); "
                    "Domain(domain='localhost', tenant=t, is_primary=True).save()")

    def tenant_count(self):
        conn = psycopg2.connect(database_url(PEER_DATABASE))
        with conn, conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM customers_client WHERE schema_name <> 'public'")
            count = cur.fetchone()[0]
        conn.close()
        return count
