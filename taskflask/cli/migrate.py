"""``taskflask-migrate`` (or ``flask --app wsgi migrate``): bring public and every tenant schema up to date.

The operator's command before each start, so it loads only what migrating
needs: the settings, the pool and the migration runner, no Flask and no web
app (a whole ``flask`` command spends most of its time importing those).
``flask --app wsgi migrate`` is the same command, reading the app's config.
"""
import os
import sys
from contextlib import ExitStack

import click

from taskflask.settings import settings
from taskflask.tenants.migrate_run import migrate_tenants


def default_jobs():
    """One job per core: the work is DDL and commits on the server."""
    return max(1, min(8, os.cpu_count() or 1))


def migrate_command(config):
    """The migrate command, on ``config``'s DATABASE_URL and CITUS (the app's config, or the settings)."""
    @click.command("migrate")
    @click.option("--jobs", "-j", type=click.IntRange(1, 64), default=default_jobs, show_default="CPU count",
                  help="Schemas migrated at once, each in its own transaction and connection.")
    @click.option("--tolerate-tenant-failures", is_flag=True,
                  help="Exit 0 when only tenant schemas failed: they stay behind (answering 503 tenant_upgrading) "
                       "and the next run retries them, so the others can be served. A public failure still exits 1.")
    def migrate(jobs, tolerate_tenant_failures):
        """Bring public and every tenant schema behind to the newest migration (with CITUS=1, ready the cluster)."""
        summary = run_with_progress(config["DATABASE_URL"], config["CITUS"], jobs)
        for outcome in summary.outcomes:
            if outcome.error:
                click.echo(f"{outcome.schema}: FAILED: {outcome.error}")
            elif outcome.applied:
                click.echo(f"{outcome.schema}: applied {', '.join(map(str, outcome.applied))}")
        for schema in summary.distributed:
            click.echo(f"{schema}: now a Citus distributed schema")
        click.echo(summary_line(summary))
        if summary.failed and not tolerate_tenant_failures:
            raise click.exceptions.Exit(1)
    return migrate


def run_with_progress(database_url, citus, jobs):
    """One migrate run with a progress bar on stderr; its RunSummary."""
    with ExitStack() as stack:
        bars = []

        def start(schemas):
            if not schemas:
                click.echo("0 tenant schemas behind: no migration pending.")
                return
            click.echo(f"{len(schemas)} tenant schemas behind; {jobs} jobs.")
            bars.append(stack.enter_context(
                click.progressbar(length=len(schemas), label="Migrating", file=sys.stderr, show_pos=True)))

        return migrate_tenants(database_url, jobs, on_start=start, on_outcome=lambda outcome: bars[0].update(1),
                               on_wait=lambda: click.echo("Waiting for another migrate run to finish..."),
                               citus=citus)


def summary_line(summary):
    """'3 upgraded, 1 failed, 0 already up to date in 0.12 s (30.0 ms per schema).'"""
    visited = len(summary.outcomes)
    others = visited - len(summary.upgraded) - len(summary.failed)
    per_schema = f" ({summary.seconds / visited * 1000:.1f} ms per schema)" if visited else ""
    return (f"{len(summary.upgraded)} upgraded, {len(summary.failed)} failed, {others} already up to date "
            f"in {summary.seconds:.2f} s{per_schema}.")


def main():
    """``taskflask-migrate`` and ``python -m taskflask.cli.migrate``: the command on the settings."""
    migrate_command(settings.as_dict()).main(prog_name="taskflask-migrate")


if __name__ == "__main__":
    main()
