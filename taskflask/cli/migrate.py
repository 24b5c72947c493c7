"""``flask --app wsgi migrate``: bring public and every tenant schema up to date."""
import os
import sys
from contextlib import ExitStack

import click
from flask import current_app
from flask.cli import with_appcontext

from taskflask.tenants.migrate_run import migrate_tenants


def default_jobs():
    """One job per core: the work is DDL and commits on the server."""
    return max(1, min(8, os.cpu_count() or 1))


@click.command("migrate")
@with_appcontext
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=default_jobs, show_default="CPU count",
              help="Schemas migrated at once, each in its own transaction and connection.")
def migrate_command(jobs):
    """Bring public and every tenant schema that is behind to the newest migration (with CITUS=1, ready the cluster)."""
    with ExitStack() as stack:
        bars = []

        def start(schemas):
            click.echo(f"{len(schemas)} tenant schemas behind; {jobs} jobs.")
            bars.append(stack.enter_context(
                click.progressbar(length=len(schemas), label="Migrating", file=sys.stderr, show_pos=True)))

        summary = migrate_tenants(current_app.config["DATABASE_URL"], jobs, on_start=start,
                                  on_outcome=lambda outcome: bars[0].update(1),
                                  on_wait=lambda: click.echo("Waiting for another migrate run to finish..."),
                                  citus=current_app.config["CITUS"])
    for outcome in summary.outcomes:
        if outcome.error:
            click.echo(f"{outcome.schema}: FAILED: {outcome.error}")
        elif outcome.applied:
            click.echo(f"{outcome.schema}: applied {', '.join(map(str, outcome.applied))}")
    for schema in summary.distributed:
        click.echo(f"{schema}: now a Citus distributed schema")
    click.echo(summary_line(summary))
    if summary.failed:
        raise click.exceptions.Exit(1)


def summary_line(summary):
    """'3 upgraded, 1 failed, 0 already up to date in 0.12 s (30.0 ms per schema).'"""
    visited = len(summary.outcomes)
    others = visited - len(summary.upgraded) - len(summary.failed)
    per_schema = f" ({summary.seconds / visited * 1000:.1f} ms per schema)" if visited else ""
    return (f"{len(summary.upgraded)} upgraded, {len(summary.failed)} failed, {others} already up to date "
            f"in {summary.seconds:.2f} s{per_schema}.")
