"""One tenant's data in a file, and back as a new organization.

A backup is a zip: ``manifest.json`` (format, schema version, organization
name, tables and their columns, referenced tables first) and one member per
table holding PostgreSQL's ``COPY`` text format, which brings back every
value exactly (NULL, empty strings, tabs, newlines, time zones). It is read
in one REPEATABLE READ transaction, so it is consistent however busy the
tenant is. A restore creates the schema at the backup's version, loads the
rows and then migrates it to the newest, all in one transaction.
"""
import json
import os
import zipfile
from graphlib import TopologicalSorter
from pathlib import Path

from taskflask.data import backup as backup_sql
from taskflask.data.organizations import create_organization
from taskflask.tenants.migrations import latest_version, migrate_schema
from taskflask.tenants.names import schema_name_problem

FORMAT = "taskflask-tenant-backup"
FORMAT_VERSION = 1


class BackupError(Exception):
    """The backup cannot be made or restored, with a sentence saying why."""


def tables_in_load_order(cur, schema):
    """The schema's tables, each after the tables it references."""
    graph = {name: set() for name in backup_sql.table_names(cur, schema)}
    for name, referenced in backup_sql.references(cur, schema):
        graph[name].add(referenced)
    return list(TopologicalSorter(graph).static_order())


def backup_tenant(database, schema, path):
    """Write tenant ``schema`` to the zip file ``path`` (whole or not at all); returns the manifest."""
    partial = Path(f"{path}.part")
    try:
        manifest = write_backup(database, schema, partial)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return manifest


def write_backup(database, schema, path):
    """The tables of ``schema``, read in one snapshot, into a new zip at ``path``."""
    with database.transaction(schema, read_only=True) as cur, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        backup_sql.read_in_one_snapshot(cur)
        name = backup_sql.organization_name(cur, schema)
        if name is None:
            raise BackupError(f"No organization has the schema {schema!r}.")
        manifest = {"format": FORMAT, "formatVersion": FORMAT_VERSION, "schema": schema,
                    "name": name, "version": backup_sql.schema_version(cur), "tables": []}
        for table in tables_in_load_order(cur, schema):
            columns = backup_sql.columns_of(cur, schema, table)
            with archive.open(f"tables/{table}.copy", "w") as out:
                rows = backup_sql.copy_out(cur, schema, table, columns, out)
            manifest["tables"].append({"name": table, "columns": columns, "rows": rows})
        archive.writestr("manifest.json", json.dumps(manifest, indent=1))
    return manifest


def read_manifest(archive):
    """The manifest of an opened backup, checked against what this release can restore."""
    try:
        manifest = json.loads(archive.read("manifest.json"))
    except (KeyError, ValueError):
        raise BackupError("This file is not a taskflask tenant backup.") from None
    if manifest.get("format") != FORMAT or manifest.get("formatVersion") != FORMAT_VERSION:
        raise BackupError("This file is not a taskflask tenant backup of a format this release reads.")
    if manifest["version"] > latest_version("tenant"):
        raise BackupError(f"The backup is at schema version {manifest['version']}, newer than this "
                          f"release's {latest_version('tenant')}: restore it with a newer release.")
    return manifest


def restore_tenant(database, path, schema, name=None, distributed=False):
    """Bring the backup at ``path`` back as a new organization with schema ``schema``.

    Returns the organization. Raises BackupError, or UniqueViolation /
    DuplicateSchema when the schema name is taken.
    """
    problem = schema_name_problem(schema)
    if problem:
        raise BackupError(f"The schema name {schema!r} {problem}.")
    with zipfile.ZipFile(path) as archive:
        manifest = read_manifest(archive)
        with database.transaction() as cur:
            organization = create_organization(cur, name or manifest["name"], schema,
                                               version=manifest["version"], distributed=distributed)
            for table in manifest["tables"]:
                with archive.open(f"tables/{table['name']}.copy") as rows:
                    backup_sql.copy_in(cur, schema, table["name"], table["columns"], rows)
            migrate_schema(cur, schema, "tenant")
    return organization
