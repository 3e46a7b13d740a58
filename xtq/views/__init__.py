"""One blueprint per area of the site."""

from flask import Flask


def register_blueprints(app: Flask) -> None:
    from xtq.views import auth, errors, hall, posts

    for module in (hall, posts, auth, errors):
        app.register_blueprint(module.bp)
