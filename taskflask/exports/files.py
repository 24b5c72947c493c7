"""Where export files live: a folder per tenant, ``<export id>.csv``, and the parts being written.

Every path is derived from a validated schema name and a UUID only, never
from text a client sent.
"""
import time
import uuid
from pathlib import Path

from taskflask.tenants.names import is_valid_schema_name


def exports_folder(exports_dir, schema):
    """The folder of a tenant's export files: derived from the validated schema name only."""
    if not is_valid_schema_name(schema):
        raise ValueError(f"not a tenant schema name: {schema!r}")
    return Path(exports_dir) / schema


def export_path(exports_dir, schema, export_id):
    """Where an export's CSV lives: derived from the validated schema and export id only."""
    return exports_folder(exports_dir, schema) / f"{uuid.UUID(str(export_id))}.csv"


def remove_export_file(exports_dir, schema, export_id):
    """Remove an export's file, and the tenant's folder if that leaves it empty."""
    path = export_path(exports_dir, schema, export_id)
    path.unlink(missing_ok=True)
    try:
        path.parent.rmdir()
    except OSError:
        pass  # other files are still there, or the folder is already gone


def temporary_path(path, attempt):
    """Where an attempt writes ``path`` before renaming it into place (each attempt its own)."""
    return path.with_name(f".{path.stem}.{attempt}.part")


def remove_other_parts(path):
    """Delete what earlier attempts at ``path`` left behind (their workers died or were taken back)."""
    for part in path.parent.glob(f".{path.stem}.*.part"):
        part.unlink(missing_ok=True)


def remove_stale_parts(exports_dir, older_than_seconds):
    """Delete temporary files left by workers that died mid-export; returns how many."""
    cutoff = time.time() - older_than_seconds
    removed = 0
    for part in Path(exports_dir).glob("*/.*.part"):
        try:
            if part.stat().st_mtime < cutoff:
                part.unlink()
                removed += 1
        except FileNotFoundError:
            pass  # its worker finished (renamed it) or another sweep took it
    return removed
