"""The one-line reason stored beside a failed export, migration or Citus distribution."""


def describe(error, limit=500):
    """A one-line reason to store beside a failed job or migration: its type and first line."""
    first_line = (str(error).strip().splitlines() or [""])[0]
    return f"{type(error).__name__}: {first_line}"[:limit]
