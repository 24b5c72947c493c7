"""The data layer: every SQL statement runs here, in small functions that take the transaction's cursor first.

Named queries live in sql/queries/ (loaded by aiosql in queries.py) and rows
come back as dicts; statements naming a schema or table are composed with
psycopg2.sql.Identifier here, never pasted.
"""
