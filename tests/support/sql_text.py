"""Reading SQL files as statements, for the tests that check what the files say."""
import re

# Dollar-quoted bodies, string literals and comments, blanked before statements are read.
NOT_CODE = re.compile(r"\$(\w*)\$.*?\$\1\$|'(?:[^']|'')*'|--[^\n]*|/\*.*?\*/", re.DOTALL)


def statements(text):
    """The statements of a SQL text, with literals, bodies and comments blanked out."""
    code = NOT_CODE.sub(lambda match: "''" if match.group(0).startswith("'") else " ", text)
    return [statement.strip() for statement in code.split(";") if statement.strip()]
