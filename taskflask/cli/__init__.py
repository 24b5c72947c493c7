"""Operator commands: ``flask --app wsgi <command>``, and ``taskflask-migrate`` on its own (cli/migrate.py)."""


def init_app(app):
    """Register every command on the app's CLI."""
    # Imported here, not above: importing the package must not load Flask, so taskflask-migrate starts fast.
    from taskflask.cli.accounts import create_org_command, create_user_command, seed_demo_command
    from taskflask.cli.migrate import migrate_command
    from taskflask.cli.tenants import tenants_command

    for command in (migrate_command(app.config), tenants_command, create_org_command, create_user_command,
                    seed_demo_command):
        app.cli.add_command(command)
