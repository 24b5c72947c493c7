"""Which schema names a tenant may have."""
import re

SCHEMA_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")
RESERVED = frozenset({"public", "information_schema"})


def schema_name_problem(name):
    """Why ``name`` cannot be a tenant schema, or None when it can."""
    if not isinstance(name, str) or not SCHEMA_NAME.fullmatch(name):
        return ("must be 1-63 characters of lowercase letters, digits and underscores, "
                "not starting with a digit")
    if name in RESERVED or name.startswith("pg_"):
        return "is reserved by PostgreSQL"
    return None


def is_valid_schema_name(name):
    """True when ``name`` may be used as a tenant schema."""
    return schema_name_problem(name) is None
