"""Benchmark: ship one new tenant migration to 1,000 tenants, beside django-tenants' migrate_schemas.

    python bench/tenant_migrate.py [--tenants 1000] [--no-peer]

Both sides add a nullable integer column to tasks. Ours runs the real
command, ``taskflask-migrate --jobs N`` (as ``python -m taskflask.cli.migrate``), from a copy of this checkout
with the extra migration file (bench/.work/taskflask-next); the peer runs
``manage.py migrate_schemas`` with its standard and multiprocessing
executors. Each is timed as a whole process (start-up included): the run
that applies it, a run with nothing pending, then the change is undone for
the next round. Appends the figures to bench/results.jsonl.
"""
import argparse
import os
import shutil
import subprocess
import sys
import time

import psycopg2
from psycopg2 import sql

from common import ROOT, WORK, Peer, database_url, record, show
from taskflask.tenants.migrations import latest_version
from tenant_create import DATABASE
from tenant_create import ours as create_ours
from tenant_create import peer as create_peer

NEXT = WORK / "taskflask-next"
COLUMN_SQL = "ALTER TABLE tasks ADD COLUMN priority integer;\n"


def next_release():
    """A copy of this checkout with one more tenant migration; returns its version."""
    shutil.rmtree(NEXT, ignore_errors=True)
    for part in ("taskflask", "sql"):
        shutil.copytree(ROOT / part, NEXT / part, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "wsgi.py", NEXT / "wsgi.py")
    version = latest_version("tenant") + 1
    (NEXT / "sql" / "tenant" / f"{version:04d}_task_priority.sql").write_text(COLUMN_SQL)
    return version


def count_tenants(url):
    conn = psycopg2.connect(url)
    with conn, conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM public.organizations")
        count = cur.fetchone()[0]
    conn.close()
    return count


def migrate(jobs, url):
    """Run the next release's migrate command; (wall seconds, its summary line)."""
    env = {**os.environ, "DATABASE_URL": url}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "taskflask.cli.migrate", "--jobs", str(jobs)],
                          cwd=NEXT, env=env, capture_output=True, text=True, check=True)
    wall = time.perf_counter() - started
    return wall, done.stdout.strip().splitlines()[-1]


def undo(url, version):
    """Take the column and its version back out of every schema (untimed)."""
    conn = psycopg2.connect(url)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT schema_name FROM public.organizations")
        for (schema,) in cur.fetchall():
            cur.execute(sql.SQL("BEGIN; ALTER TABLE {}.tasks DROP COLUMN IF EXISTS priority; "
                                "DELETE FROM {}.schema_migrations WHERE version = %(v)s; "
                                "UPDATE public.organizations SET schema_version = %(v)s - 1 "
                                "WHERE schema_name = %(s)s; COMMIT").format(
                sql.Identifier(schema), sql.Identifier(schema)), {"v": version, "s": schema})
    conn.close()


def ours(count, rounds):
    url = database_url(DATABASE)
    try:
        have = count_tenants(url)
    except psycopg2.OperationalError:
        have = 0
    if have != count:
        create_ours(count)
    version = next_release()
    figures = {}
    for round_ in range(rounds):
        for jobs in (1, 2):
            wall, summary = migrate(jobs, url)
            noop, noop_summary = migrate(jobs, url)
            assert f"{count} upgraded, 0 failed" in summary, summary
            undo(url, version)
            figures.setdefault(f"jobs{jobs}", []).append(
                {"wall_s": wall, "per_schema_ms": wall / count * 1000, "noop_wall_s": noop,
                 "command_says": summary, "noop_says": noop_summary})
    return figures


def peer(count, rounds):
    djt = Peer().install()
    if not list((djt.proj / "tasks" / "migrations").glob("0002_*.py")):
        djt.manage("makemigrations", "tasks")
    try:
        have = djt.tenant_count()
    except psycopg2.OperationalError:
        have = 0
    if have != count:
        create_peer(count)
    djt.manage("migrate_schemas", "tasks", "0001")
    figures = {}
    for round_ in range(rounds):
        for name, executor in (("standard", []), ("multiprocessing", ["--executor=multiprocessing"])):
            wall = djt.manage("migrate_schemas", *executor)
            noop = djt.manage("migrate_schemas", *executor)
            djt.manage("migrate_schemas", "tasks", "0001", *executor)
            figures.setdefault(name, []).append(
                {"wall_s": wall, "per_schema_ms": wall / count * 1000, "noop_wall_s": noop})
    return figures


def best(runs):
    """The fastest round of each figure (the machine is shared and noisy)."""
    return {key: min(run[key] for run in runs) for key in runs[0] if isinstance(runs[0][key], float)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tenants", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--no-peer", action="store_true")
    args = parser.parse_args()

    figures = {"tenants": args.tenants, "rounds": args.rounds}
    for jobs, runs in ours(args.tenants, args.rounds).items():
        figures[f"taskflask_{jobs}"] = best(runs)
        show(f"taskflask migrate --{jobs.replace('jobs', 'jobs ')}, {args.tenants} tenants (best of {args.rounds})",
             figures[f"taskflask_{jobs}"])
        print(f"  last run said: {runs[-1]['command_says']} / no-op: {runs[-1]['noop_says']}")
    if not args.no_peer:
        for executor, runs in peer(args.tenants, args.rounds).items():
            figures[f"django_tenants_{executor}"] = best(runs)
            show(f"django-tenants migrate_schemas --executor={executor}, {args.tenants} tenants "
                 f"(best of {args.rounds})", figures[f"django_tenants_{executor}"])
    record("tenant_migrate", figures)


if __name__ == "__main__":
    main()
