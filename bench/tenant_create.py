"""Benchmark: create organizations one after another, beside django-tenants.

    python bench/tenant_create.py [--tenants 1000] [--no-peer]

Each creation is timed from BEGIN to COMMIT (registry row, schema, tables,
migration records). The peer's figure is its Client.save() + Domain.save()
(CREATE SCHEMA + migrate_schemas for that schema). Prints p50/p90/p99 and
the medians of the first and last 100, and appends them to bench/results.jsonl.
The databases are left in place for bench/tenant_migrate.py.
"""
import argparse
import json
import subprocess
import time

from common import PEER, Peer, latency_figures, record, recreate_database, show
from taskflask.data.organizations import create_organization
from taskflask.db import Database
from taskflask.tenants.migrate_run import migrate_tenants
from taskflask.tenants.migrations import latest_version

DATABASE = "taskflask_lifecycle_bench"


def ours(count):
    url = recreate_database(DATABASE)
    migrate_tenants(url)
    database = Database()
    database.configure(url, maxsize=1)
    timings = []
    for number in range(1, count + 1):
        started = time.perf_counter()
        with database.transaction() as cur:
            create_organization(cur, f"Tenant {number}", f"t{number}")
        timings.append((time.perf_counter() - started) * 1000)
    database.close()
    return timings


def peer(count):
    djt = Peer().install()
    djt.fresh_database()
    with (PEER / "results" / "create.log").open("w") as log:
        subprocess.run([str(djt.python), "../bench/create_tenants.py", "1", str(count)], cwd=djt.proj,
                       env=djt.env, check=True, stdout=log, stderr=subprocess.STDOUT)
    rows = json.loads((PEER / "results" / f"create_1_{count}.json").read_text())
    return [row["total_ms"] for row in rows]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tenants", type=int, default=1000)
    parser.add_argument("--no-peer", action="store_true")
    args = parser.parse_args()

    figures = {"tenants": args.tenants, "tenant_migrations": latest_version("tenant")}
    figures["taskflask"] = latency_figures(ours(args.tenants))
    show(f"taskflask: create {args.tenants} organizations", figures["taskflask"])
    if not args.no_peer:
        figures["django_tenants"] = latency_figures(peer(args.tenants))
        show(f"django-tenants: create {args.tenants} tenants", figures["django_tenants"])
    record("tenant_create", figures)


if __name__ == "__main__":
    main()
