"""The one settings object, ``settings``: read once from the environment (and a local .env file).

The web app copies it into ``app.config``; the worker, the CLI and the
migration runner read it directly, so every process has one source for each value.
"""
import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

from dotenv import load_dotenv

# A .env in the working directory fills in what the real environment leaves unset.
load_dotenv(override=False)

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def database_url(env=os.environ):
    """DATABASE_URL if set, else a URL composed from the seed's DB_* variables."""
    if env.get("DATABASE_URL"):
        return env["DATABASE_URL"]
    user = quote(env.get("DB_USER", "postgres"), safe="")
    password = env.get("DB_PASSWORD", "")
    credentials = f"{user}:{quote(password, safe='')}" if password else user
    host = env.get("DB_HOST", "localhost")
    port = env.get("DB_PORT", "5432")
    name = quote(env.get("DB_NAME", "taskmanager"), safe="")
    return f"postgresql://{credentials}@{host}:{port}/{name}"


DURATION_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def duration(value):
    """'90' or '90s', '15m', '12h', '7d' -> timedelta."""
    value = value.strip().lower()
    unit = value[-1] if value[-1] in DURATION_UNITS else "s"
    number = value[:-1] if value[-1] in DURATION_UNITS else value
    return timedelta(seconds=float(number) * DURATION_UNITS[unit])


def split_list(value):
    """Comma-separated setting -> list of non-empty, stripped items."""
    return [item.strip() for item in value.split(",") if item.strip()]


class Settings:
    """Every setting, from ``env`` (the process environment by default); a deployment sets them there."""

    def __init__(self, env=os.environ):
        self.PORT = int(env.get("PORT", "3001"))
        self.DATABASE_URL = database_url(env)
        self.REDIS_URL = env.get("REDIS_URL", "redis://localhost:6379/0")
        self.HUEY_NAME = env.get("HUEY_NAME", "taskflask")
        self.EXPORTS_DIR = Path(env.get("EXPORTS_DIR", "./exports")).resolve()
        self.EXPORT_TTL = duration(env.get("EXPORT_TTL", "7d"))
        self.EXPORT_STUCK_AFTER = duration(env.get("EXPORT_STUCK_AFTER", "15m"))
        self.EXPORT_MAX_ATTEMPTS = int(env.get("EXPORT_MAX_ATTEMPTS", "3"))
        # The operator key: when set, creating and deleting organizations and adding users need it.
        self.ADMIN_TOKEN = env.get("ADMIN_TOKEN", "")
        self.CORS_ORIGINS = split_list(env.get("CORS_ORIGINS", "http://localhost:5173"))
        self.DB_POOL_MAX = int(env.get("DB_POOL_MAX", "4"))
        # A pooled connection is closed after serving this many distinct tenant schemas, or once
        # this old (0: never): its PostgreSQL backend's catalog caches grow with every tenant it
        # touches and shrink only when it ends. README "Backend memory" says what each costs.
        self.DB_CONNECTION_MAX_SCHEMAS = int(env.get("DB_CONNECTION_MAX_SCHEMAS", "40"))
        self.DB_CONNECTION_LIFETIME = duration(env.get("DB_CONNECTION_LIFETIME", "1h")).total_seconds()
        self.LOG_FORMAT = env.get("LOG_FORMAT", "text")
        self.LOG_LEVEL = env.get("LOG_LEVEL", "INFO")
        # Citus schema-based sharding: each new tenant schema becomes a distributed schema.
        self.CITUS = env.get("CITUS", "0") == "1"
        self.FRONTEND_DIST = Path(env.get("FRONTEND_DIST", PROJECT_ROOT / "frontend" / "dist"))
        # Bodies above 1 MiB are refused with 413 before the view runs.
        self.MAX_CONTENT_LENGTH = 1024 * 1024

    def as_dict(self):
        """The settings as a mapping for app.config.update()."""
        return {key: value for key, value in vars(self).items() if key.isupper()}


# Read once at import: the Huey instance is built from it before any app exists.
settings = Settings()
