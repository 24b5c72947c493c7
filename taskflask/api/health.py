"""Probes for load balancers and orchestrators."""
from flask import Blueprint
from redis import RedisError

from taskflask.data.health import ping
from taskflask.db import CONNECTION_ERRORS, database
from taskflask.queue import huey
from taskflask.web.openapi.operations import documented
from taskflask.web.schemas import HealthSchema

bp = Blueprint("health", __name__)


@bp.get("/healthz")
@documented("Liveness: the process answers", "public", answer=HealthSchema)
def healthz():
    """The process is alive (it checks nothing else, so a database outage never restarts it)."""
    return {"status": "ok"}


def postgres_ok():
    try:
        with database.transaction(read_only=True) as cur:
            return ping(cur)
    except CONNECTION_ERRORS:
        return False


def redis_ok():
    try:
        return bool(huey.storage.conn.ping())
    except RedisError:
        return False


@bp.get("/readyz")
@documented("Readiness: PostgreSQL and Redis answer (503 names what is down)", "public", answer=HealthSchema)
def readyz():
    """Ready to serve: PostgreSQL and Redis answer; 503 naming what is down otherwise."""
    checks = {"postgres": "ok" if postgres_ok() else "down", "redis": "ok" if redis_ok() else "down"}
    down = [name for name, state in checks.items() if state != "ok"]
    if not down:
        return {"status": "ready", "checks": checks}
    names = {"postgres": "PostgreSQL", "redis": "Redis"}
    message = " and ".join(names[name] for name in down) + " unreachable."
    return {"error": "not_ready", "message": message, "checks": checks}, 503
