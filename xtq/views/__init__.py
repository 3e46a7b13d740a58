"""One blueprint per area of the site."""

from flask import Flask


def register_blueprints(app: Flask) -> None:
    from xtq.views import auth, errors, hall, posts, prefs, search

    for module in (hall, posts, search, auth, prefs, errors):
        app.register_blueprint(module.bp)
