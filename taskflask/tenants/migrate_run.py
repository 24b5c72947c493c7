"""One migrate run over every tenant schema: pick the ones behind, upgrade them in parallel.

One query on the registry decides which schemas need work, so a run with
nothing pending costs a round trip. Each schema is upgraded in its own
transaction (a crash leaves every schema at its old version or its new one,
and the next run resumes with the rest); a failure is recorded in the
registry for ``flask tenants status`` and the run goes on. The whole run
holds an advisory lock, so a second run waits for the first and then finds
nothing left.
"""
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field

from taskflask.data import migrations as migration_sql
from taskflask.db import CONNECTION_ERRORS, Database
from taskflask.failures import describe
from taskflask.settings import settings
from taskflask.tenants import citus as citus_cluster
from taskflask.tenants.migrations import LOCK_NAMESPACE, latest_version, migrate_public, migrate_schema

# Second key of the advisory lock held for a whole run (schemas use hashtext(name)).
RUN_LOCK = 0
# How often a run waiting for another one asks for the run lock again.
RUN_LOCK_RETRY_SECONDS = 0.2
# A migration waiting longer than this for a table (a long export reading it)
# gives up, recorded as a failure for the next run, rather than queue the
# tenant's requests behind its lock.
LOCK_TIMEOUT = "5s"


@dataclass(frozen=True)
class Outcome:
    """What a run did to one schema: the versions applied, or why it failed."""

    schema: str
    applied: tuple = ()
    error: str | None = None


@dataclass
class RunSummary:
    """Every schema's outcome and the run's wall-clock time."""

    outcomes: list = field(default_factory=list)
    seconds: float = 0.0
    distributed: list = field(default_factory=list)  # schemas made Citus distributed schemas (CITUS=1)

    @property
    def upgraded(self):
        return [o for o in self.outcomes if o.applied]

    @property
    def failed(self):
        return [o for o in self.outcomes if o.error]

    def by_schema(self):
        """{schema: versions applied} of every schema the run visited."""
        return {o.schema: list(o.applied) for o in self.outcomes}


def schemas_behind(database):
    """The schemas whose registry version is older than the newest tenant migration."""
    with database.transaction(read_only=True) as cur:
        return migration_sql.schemas_behind(cur, latest_version("tenant"))


def upgrade_schema(database, schema, one_by_one=True):
    """Migrate one schema in its own transaction; a failure is recorded, not raised.

    ``one_by_one``: each statement in its own execute, as a Citus cluster needs.
    """
    try:
        with database.transaction() as cur:
            migration_sql.set_lock_timeout(cur, LOCK_TIMEOUT)
            return Outcome(schema, tuple(migrate_schema(cur, schema, "tenant", one_by_one=one_by_one)))
    except Exception as error:  # any SQL error of one schema must not stop the others
        if lost_connection(error):
            raise
        reason = describe(error, limit=1000)
        with database.transaction() as cur:
            migration_sql.record_failure(cur, schema, reason)
        return Outcome(schema, error=reason)


def lost_connection(error):
    """True for a connection that broke, as opposed to an error the server reported (it has a code)."""
    return isinstance(error, CONNECTION_ERRORS) and getattr(error, "pgcode", None) is None


@contextmanager
def run_lock(database, on_wait=None):
    """Hold the run-wide advisory lock; ``on_wait()`` is called once if another run has it.

    The lock is transaction-scoped, taken in a transaction kept open for the
    whole run: behind a pooler in transaction mode (PgBouncer) it lives and
    ends with the one server connection that transaction holds, where a
    session lock would stay behind on whichever connection took it. A waiting
    run asks again every few tenths of a second instead of blocking inside
    PostgreSQL, so it holds no server connection while it waits and a small
    pool cannot deadlock two runs.
    """
    waited = False
    while True:
        with database.connection() as conn, conn.cursor() as cur:
            if migration_sql.begin_holding_run_lock(cur, LOCK_NAMESPACE, RUN_LOCK):
                try:
                    yield
                finally:
                    if not conn.closed:
                        migration_sql.end_run_transaction(cur)
                return
            migration_sql.end_run_transaction(cur)
        if on_wait and not waited:
            on_wait()
        waited = True
        time.sleep(RUN_LOCK_RETRY_SECONDS)


def migrate_tenants(dsn=None, jobs=1, on_start=lambda schemas: None, on_outcome=lambda outcome: None,
                    on_wait=None, citus=None):
    """Upgrade public, then every tenant schema that is behind, ``jobs`` at a time.

    ``dsn`` and ``citus`` default to the settings' DATABASE_URL and CITUS.
    ``on_start(schemas)`` hears which schemas will be visited, ``on_outcome``
    each result as it comes; ``citus`` also readies a Citus cluster
    (taskflask.tenants.citus). Returns a RunSummary.
    """
    dsn = dsn or settings.DATABASE_URL
    citus = settings.CITUS if citus is None else citus
    started = time.perf_counter()
    database = Database()
    database.configure(dsn, maxsize=jobs + 1)  # the workers, plus the run lock's connection
    summary = RunSummary()
    try:
        with run_lock(database, on_wait):
            migrate_public(database)
            if citus:
                citus_cluster.make_reference_tables(database)
            schemas = schemas_behind(database)
            on_start(schemas)
            with ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="migrate") as pool:
                for outcome in pool.map(lambda schema: upgrade_schema(database, schema, one_by_one=citus), schemas):
                    summary.outcomes.append(outcome)
                    on_outcome(outcome)
            if citus:
                for schema, error in citus_cluster.distribute_schemas(database).items():
                    if error:
                        summary.outcomes.append(Outcome(schema, error=f"not distributed: {error}"))
                    else:
                        summary.distributed.append(schema)
    finally:
        database.close()
    summary.seconds = time.perf_counter() - started
    return summary
