"""Entry point for `flask` and gunicorn: `gunicorn app:app`."""

from xtq import create_app

app = create_app()
