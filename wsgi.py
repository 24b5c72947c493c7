"""gunicorn entry point: ``gunicorn wsgi:app``."""
from taskflask.web.app import create_app

app = create_app()
