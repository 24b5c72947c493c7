"""gunicorn settings for taskflask: ``gunicorn -c gunicorn.conf.py wsgi:app``.

Every value can be overridden from the environment (or gunicorn's own
command line / GUNICORN_CMD_ARGS).
"""
import multiprocessing
import os

from taskflask.serving.gunicorn_logging import TEXT_ACCESS_FORMAT, AccessLogger

# All interfaces by default: in a container that is how the port gets published.
# `make run` sets HOST=127.0.0.1 for a laptop.
ALL_INTERFACES = "0.0.0.0"  # nosec B104
bind = os.environ.get("GUNICORN_BIND", f"{os.environ.get('HOST', ALL_INTERFACES)}:{os.environ.get('PORT', '3001')}")
# Requests wait on PostgreSQL, so a couple of workers per core keep the CPUs busy.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2))
# Threaded workers whose every request may wait at most GUNICORN_READ_TIMEOUT (5) seconds for
# its client: a slow or short body holds one thread that long, never a whole process.
worker_class = "taskflask.serving.gunicorn_worker.BoundedReadWorker"
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = 5
# No control socket: it lives at one fixed path, which several instances on a machine would share.
control_socket_disable = True
# Bound header sizes (10 KB header lines are fine, 100 KB are not).
limit_request_field_size = 16384

accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
access_log_format = TEXT_ACCESS_FORMAT
logger_class = AccessLogger


def when_ready(server):
    """Warn once when tenant management is open to anyone who can reach a non-loopback address."""
    from taskflask.web.operator_key import exposure_warning
    warning = exposure_warning(server.cfg.address)
    if warning:
        server.log.warning(warning)


def post_fork(server, worker):
    """Each worker opens its own database connections (never the master's)."""
    from taskflask.db import database
    database.close()
