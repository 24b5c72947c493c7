"""Data access: small functions that take a cursor first and return plain dicts.

Their SQL lives in sql/queries/; schema names reach SQL only as identifiers.
"""
