"""The WSGI entry point: gunicorn wsgi:app, flask --app wsgi ..."""

from elearn import create_app

app = create_app()
