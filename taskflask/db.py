"""PostgreSQL access: a per-process connection pool and explicit transactions.

Connections run in autocommit mode and every transaction is opened by hand, so
``BEGIN``, the search_path and the first query travel in one round trip; a
read of one statement needs no BEGIN or COMMIT at all (read_once). Every
transaction states its own transaction-local search_path (a tenant's schema,
or ``pg_catalog`` only, where a tenant query fails instead of reading
anything; a tenant request's comes from the registry in its first statement,
see data.tenancy) and no session setting is relied on, so a pooler in
transaction mode (PgBouncer) can hand each transaction to any server connection.

A PostgreSQL backend keeps the catalog entries of every relation it has opened
until its connection ends, so a pooled connection that serves many tenants
grows by each tenant's tables and indexes. A RecyclePolicy closes a connection
once it has served a number of distinct tenant schemas, or once it is old
(like PgBouncer's server_lifetime); the pool opens a fresh one in its place.
"""
import os
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

import psycopg2
import psycopg2.extras
from psycopg2 import sql
from psycopg2.extensions import TRANSACTION_STATUS_IDLE

# Errors after which a connection cannot be trusted again.
CONNECTION_ERRORS = (psycopg2.OperationalError, psycopg2.InterfaceError)


class PoolTimeout(psycopg2.OperationalError):
    """No connection became free in time (reported like a database outage)."""


@dataclass(frozen=True)
class RecyclePolicy:
    """When a pooled connection is closed instead of reused; 0 turns a limit off."""

    max_schemas: int = 0  # distinct tenant schemas served
    lifetime: float = 0.0  # seconds since it was opened

    def is_spent(self, conn):
        """Whether ``conn`` has reached a limit and must not serve another transaction."""
        if self.max_schemas and len(conn.schemas) >= self.max_schemas:
            return True
        return bool(self.lifetime) and time.monotonic() - conn.opened_at >= self.lifetime


NO_RECYCLING = RecyclePolicy()


class PooledConnection(psycopg2.extensions.connection):
    """A connection that knows when it was opened and which tenant schemas it has served."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.opened_at = time.monotonic()
        self.schemas = set()


class ConnectionPool:
    """A small thread-safe LIFO pool; it is rebuilt in each forked process."""

    connection_class = PooledConnection

    def __init__(self, dsn, maxsize, timeout=10.0, recycle=NO_RECYCLING):
        self.dsn = dsn
        self.timeout = timeout
        self.recycle = recycle
        self._idle = []
        self._slots = threading.BoundedSemaphore(maxsize)
        self._lock = threading.Lock()

    def getconn(self):
        """An open connection; blocks while all of them are in use."""
        if not self._slots.acquire(timeout=self.timeout):
            raise PoolTimeout("no database connection free")
        try:
            with self._lock:
                conn = self._idle.pop() if self._idle else None
            if conn is not None and not conn.closed and self.recycle.is_spent(conn):
                conn.close()  # grew old while idle
            return conn if conn is not None and not conn.closed else self._connect()
        except BaseException:
            self._slots.release()
            raise

    def putconn(self, conn, discard=False):
        """Give a connection back; a broken, discarded or spent one is closed instead."""
        try:
            if discard or conn.closed or self.recycle.is_spent(conn) or not _reset(conn):
                conn.close()
            else:
                with self._lock:
                    self._idle.append(conn)
        finally:
            self._slots.release()

    def discard_idle(self):
        """Close every idle connection (after a server restart they are all dead)."""
        with self._lock:
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()

    def _connect(self):
        conn = psycopg2.connect(self.dsn, application_name="taskflask", connection_factory=self.connection_class)
        conn.autocommit = True
        return conn


def _reset(conn):
    """Roll back anything left open; False when the connection turned out broken."""
    if conn.info.transaction_status == TRANSACTION_STATUS_IDLE:
        return True
    try:
        with conn.cursor() as cur:
            cur.execute("ROLLBACK")
        return True
    except CONNECTION_ERRORS:
        return False


def give_back(pool, conn):
    """Return ``conn`` to ``pool``; one that broke is closed, and the idle ones with it.

    What breaks one connection (a server restart) has usually broken every
    idle one as well, and each would cost a request its first query.
    """
    broken = bool(conn.closed)
    pool.putconn(conn, discard=broken)
    if broken:
        pool.discard_idle()


@lru_cache(maxsize=4096)
def begin_statement(schema=None, read_only=False, first_query=""):
    """``BEGIN; SET LOCAL search_path TO`` the tenant's schema (``pg_catalog`` without one), then ``first_query``.

    Transactions outside a tenant request (operators' commands, jobs, migrations)
    open with one of a few such statements, each composed once (a bounded cache).
    A tenant request opens with data.tenancy's statement instead, which takes
    the schema from the registry.
    """
    begin = sql.SQL("BEGIN READ ONLY;" if read_only else "BEGIN;")
    path = sql.Identifier(schema) if schema is not None else sql.SQL("pg_catalog")
    begin += sql.SQL(" SET LOCAL search_path TO {};").format(path)
    return begin + sql.SQL(" " + first_query) if first_query else begin


class Database:
    """The process's pool, created lazily so that gunicorn workers never share one."""

    def __init__(self):
        self.dsn = None
        self.maxsize = 4
        self.recycle = NO_RECYCLING
        self._pool = None
        self._pid = None
        self._lock = threading.Lock()

    def configure(self, dsn, maxsize=4, recycle=NO_RECYCLING):
        """Point at a database; an existing pool is dropped."""
        self.close()
        self.dsn, self.maxsize, self.recycle = dsn, maxsize, recycle

    @property
    def pool(self):
        """This process's pool (a forked child builds its own)."""
        if self._pid != os.getpid():
            with self._lock:
                if self._pid != os.getpid():
                    if self.dsn is None:
                        raise RuntimeError("database not configured")
                    self._pool = ConnectionPool(self.dsn, self.maxsize, recycle=self.recycle)
                    self._pid = os.getpid()
        return self._pool

    def close(self):
        """Close idle connections of this process's pool."""
        if self._pool is not None and self._pid == os.getpid():
            self._pool.discard_idle()
        self._pool = self._pid = None

    @contextmanager
    def connection(self):
        """A pooled connection; discarded if it broke while in use."""
        pool = self.pool
        conn = pool.getconn()
        try:
            yield conn
        finally:
            give_back(pool, conn)

    def begin(self, statement, params=None, schema=None, cursor_factory=psycopg2.extras.RealDictCursor):
        """A pooled connection and cursor (of ``cursor_factory``; None: tuple rows) after running ``statement``
        (which opens a transaction in ``schema``, noted on the connection for its RecyclePolicy).

        A pooled connection may have died while idle (a server restart), and
        nothing has run yet, so one retry on a fresh connection is safe.
        """
        for attempt in (1, 2):
            conn = self.pool.getconn()
            cur = conn.cursor(cursor_factory=cursor_factory)
            try:
                cur.execute(statement, params)
                if schema is not None:
                    conn.schemas.add(schema)
                return conn, cur
            except CONNECTION_ERRORS:
                stale = bool(conn.closed)
                self.pool.putconn(conn, discard=True)
                if not stale or attempt == 2:
                    raise
                self.pool.discard_idle()
            except BaseException:
                self.pool.putconn(conn)
                raise

    def read_once(self, message, params, schema_column=0, schema=None):
        """The rows (tuples) of ``message``, a read that enters the tenant's schema itself, in one round trip.

        PostgreSQL runs the statements of one message in autocommit as one
        implicit transaction: a transaction-local search_path set by its first
        statement holds for the next and is gone with its end, and there is no
        BEGIN or COMMIT to send. The schema entered, noted on the connection for its
        RecyclePolicy, is ``schema`` when given, else the rows' column ``schema_column``
        names it; no transaction outlives the message, so the connection goes straight
        back to the pool.
        """
        conn, cur = self.begin(message, params, cursor_factory=None, schema=schema)
        try:
            rows = cur.fetchall()
            if schema is None and rows and rows[0][schema_column] is not None:
                conn.schemas.add(rows[0][schema_column])
            return rows
        finally:
            give_back(self.pool, conn)

    @contextmanager
    def transaction(self, schema=None, read_only=False):
        """A dict cursor inside one transaction, committed unless the block raises."""
        conn, cur = self.begin(begin_statement(schema, read_only), schema=schema)
        try:
            yield cur
            cur.execute("COMMIT")
        finally:
            give_back(self.pool, conn)

    @contextmanager
    def transaction_on(self, conn, schema=None, read_only=False):
        """Like transaction(), on a connection the caller holds (from connection()) across several."""
        cur = conn.cursor(cursor_factory=psycopg2.extras.RealDictCursor)
        cur.execute(begin_statement(schema, read_only))
        if schema is not None:
            conn.schemas.add(schema)
        try:
            yield cur
            cur.execute("COMMIT")
        except BaseException:
            if not conn.closed:
                _reset(conn)
            raise


class RequestTransaction:
    """The tenant transaction of one HTTP request, on a connection held until release()."""

    def __init__(self, database):
        self.database = database
        self.conn = None
        self.cursor = None

    def begin(self, opening, params):
        """Open the transaction with ``opening`` in the same round trip; returns its row.

        ``opening`` sets the transaction's search_path itself (data.tenancy's, from
        the registry) and names the schema in its column schema_name, noted on the
        connection for its RecyclePolicy.
        """
        self.conn, self.cursor = self.database.begin("BEGIN; " + opening, params)
        row = self.cursor.fetchone()
        if row["schema_name"] is not None:
            self.conn.schemas.add(row["schema_name"])
        return row

    def release(self, commit=False):
        """Commit or roll back, then return the connection to the pool."""
        conn, self.conn = self.conn, None
        if conn is None:
            return
        try:
            if commit and not conn.closed and conn.info.transaction_status != TRANSACTION_STATUS_IDLE:
                self.cursor.execute("COMMIT")
        finally:
            give_back(self.database.pool, conn)


database = Database()
