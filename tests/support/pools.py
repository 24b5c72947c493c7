"""Connection pools of their own, for tests that need the app on another database or pool size."""
import sys

from taskflask.db import Database, database


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
