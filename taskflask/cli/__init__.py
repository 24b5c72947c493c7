"""Operator commands: ``flask --app wsgi <command>``."""
from taskflask.cli.migrate import migrate_command


def init_app(app):
    """Register every command on the app's CLI."""
    app.cli.add_command(migrate_command)
