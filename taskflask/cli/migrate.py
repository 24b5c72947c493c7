"""``flask --app wsgi migrate``: bring public and every tenant schema up to date."""
import click

from taskflask.db import database
from taskflask.migrations import migrate_all


@click.command("migrate")
def migrate_command():
    """Bring public and every tenant schema to the newest migration."""
    def report(schema, versions):
        click.echo(f"{schema}: {'applied ' + ', '.join(map(str, versions)) if versions else 'up to date'}")

    summary = migrate_all(database, report)
    changed = sum(1 for versions in summary.values() if versions)
    click.echo(f"{len(summary)} tenant schemas, {changed} upgraded.")
