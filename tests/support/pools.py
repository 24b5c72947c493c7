"""Connection pools of their own, for tests that need the app on another database or pool size."""
import sys
from functools import cache

from psycopg2.extensions import cursor as plain_cursor

from taskflask.db import Database, PooledConnection, database


def pool_at(url, maxsize=2):
    """A fresh Database on ``url``; the caller closes it."""
    fresh = Database()
    fresh.configure(url, maxsize)
    return fresh


def names_of_the_app_pool():
    """(module, attribute) of every taskflask module that holds the process's pool, however imported."""
    modules = [module for name, module in list(sys.modules.items())
               if module is not None and (name == "huey_worker" or name.split(".")[0] == "taskflask")]
    return [(module, attribute) for module in modules for attribute, value in list(vars(module).items())
            if value is database]


def record_statements(database):
    """Make ``database``'s connections keep each statement they send; returns the list they append to.

    psycopg2 sends every execute() as one simple-query message, so each entry is one round trip.
    Connections opened before the call are closed first.
    """
    sent = []

    @cache
    def recording(base):
        """``base`` (a cursor class) that records what it sends."""
        class Recording(base):
            def execute(self, query, params=None):
                """Execute, then record the statement as sent (also when it failed)."""
                try:
                    return super().execute(query, params)
                finally:
                    sent.append((self.query or b"").decode())
        return Recording

    class RecordingConnection(PooledConnection):
        def cursor(self, *args, cursor_factory=None, **kwargs):
            """A cursor of the class asked for (or the default), recording."""
            base = cursor_factory or self.cursor_factory or plain_cursor
            return super().cursor(*args, cursor_factory=recording(base), **kwargs)

    database.pool.discard_idle()
    database.pool.connection_class = RecordingConnection
    return sent
