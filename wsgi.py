"""gunicorn entry point: ``gunicorn wsgi:app``."""
from taskflask import create_app

app = create_app()
