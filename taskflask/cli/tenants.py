"""``flask --app wsgi tenants``: list tenants, their migration status, backup, restore and purge."""
from datetime import datetime, timezone
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from psycopg2 import errors as pg_errors

from taskflask.data.migrations import migration_status
from taskflask.data.tasks import number_of_tasks
from taskflask.db import database
from taskflask.tenants.backup import BackupError, backup_tenant, restore_tenant
from taskflask.tenants.deletion import pending_drops, purge_schema
from taskflask.tenants.migrations import latest_version


def registry_rows():
    """Every organization with its schema version and last migration failure."""
    with database.transaction(read_only=True) as cur:
        return migration_status(cur)


def task_count(schema):
    """How many tasks the tenant has, or None when its schema cannot be read."""
    try:
        with database.transaction(schema, read_only=True) as cur:
            return number_of_tasks(cur)
    except pg_errors.UndefinedTable:
        return None


def state_of(row, newest):
    """'ok', 'behind', or 'failed: <reason> (at <time>)'."""
    if row["error"]:
        return f"failed: {row['error']} (at {row['failed_at'].astimezone(timezone.utc):%Y-%m-%d %H:%M:%SZ})"
    return "ok" if row["version"] >= newest else "behind"


@click.group("tenants", invoke_without_command=True)
@click.pass_context
@with_appcontext
def tenants_command(ctx):
    """List every tenant with its schema version and task count (subcommands below)."""
    if ctx.invoked_subcommand is not None:
        return
    rows = registry_rows()
    click.echo(f"{'schema':<32} {'version':>7} {'tasks':>9}  name")
    for row in rows:
        count = task_count(row["schema"])
        click.echo(f"{row['schema']:<32} {row['version']:>7} {'?' if count is None else count:>9}  {row['name']}")
    click.echo(f"{len(rows)} tenants, newest schema version {latest_version('tenant')}.")


@tenants_command.command("status")
@with_appcontext
def status_command():
    """Each schema's version, which are behind, which failed and why."""
    newest = latest_version("tenant")
    rows = registry_rows()
    click.echo(f"{'schema':<32} {'version':>7}  state")
    for row in rows:
        click.echo(f"{row['schema']:<32} {row['version']:>7}  {state_of(row, newest)}")
    behind = [row for row in rows if row["version"] < newest]
    failed = [row for row in rows if row["error"]]
    deleting = pending_drops(database)
    click.echo(f"{len(rows)} tenants; newest version {newest}: {len(rows) - len(behind)} up to date, "
               f"{len(behind)} behind, {len(failed)} failed."
               + (f" {len(deleting)} deleted schemas not yet dropped (a background job drops them; "
                  "`tenants purge` finishes any it did not)." if deleting else ""))


@tenants_command.command("backup")
@click.argument("schema")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="File to write (default: <schema>-<UTC time>.zip here).")
@with_appcontext
def backup_command(schema, output):
    """Write one tenant's data to a file."""
    output = output or Path(f"{schema}-{datetime.now(timezone.utc):%Y%m%dT%H%M%SZ}.zip")
    try:
        manifest = backup_tenant(database, schema, output)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    rows = sum(table["rows"] for table in manifest["tables"])
    click.echo(f"{schema}: {rows} rows in {len(manifest['tables'])} tables at version "
               f"{manifest['version']} written to {output}")


@tenants_command.command("restore")
@click.argument("backup", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--as", "schema", required=True, help="Schema of the new organization.")
@click.option("--name", help="Name of the new organization (default: the backed-up one's).")
@with_appcontext
def restore_command(backup, schema, name):
    """Bring a backup back as a new organization."""
    try:
        organization = restore_tenant(database, backup, schema, name, distributed=current_app.config["CITUS"])
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    except (pg_errors.UniqueViolation, pg_errors.DuplicateSchema):
        raise click.ClickException(f"The schema name {schema!r} is already taken.") from None
    click.echo(f"Restored as organization {organization['id']} ({organization['name']}), schema {schema}.")


@tenants_command.command("purge")
@with_appcontext
def purge_command():
    """Finish dropping the schemas of deleted organizations whose background drop never ran or stopped."""
    dropped = 0
    for schema in pending_drops(database):
        if purge_schema(database, current_app.config["EXPORTS_DIR"], schema, citus=current_app.config["CITUS"]):
            click.echo(f"{schema}: dropped")
            dropped += 1
    click.echo(f"{dropped} deleted schemas dropped.")
