"""Operator commands: ``flask --app wsgi <command>``."""
from taskflask.cli.accounts import create_org_command, create_user_command, seed_demo_command
from taskflask.cli.migrate import migrate_command
from taskflask.cli.tenants import tenants_command


def init_app(app):
    """Register every command on the app's CLI."""
    for command in (migrate_command, tenants_command, create_org_command, create_user_command, seed_demo_command):
        app.cli.add_command(command)
