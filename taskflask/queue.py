"""The Huey instance on Redis: web code enqueues on it, huey_consumer runs its tasks.

Its name and Redis URL come from taskflask.settings, so the web process and the
worker always talk about the same queue.
"""
from huey import RedisHuey
from redis import ConnectionPool
from redis.backoff import ExponentialBackoff
from redis.retry import Retry

from taskflask.settings import settings


def redis_pool(url):
    """Short timeouts and retries: an unreachable Redis fails a request fast (503), not hangs it."""
    return ConnectionPool.from_url(url, socket_connect_timeout=2, socket_timeout=10,
                                   retry=Retry(ExponentialBackoff(cap=0.2, base=0.05), retries=2))


huey = RedisHuey(
    settings.HUEY_NAME,
    results=False,  # outcomes live in the exports table, not in Redis
    connection_pool=redis_pool(settings.REDIS_URL),
)
