"""One blueprint per area of the site."""

from flask import Flask


def register_blueprints(app: Flask) -> None:
    from xtq.views import admin, api, auth, console, errors, feeds, following, hall, posts, reports

    for module in (hall, posts, auth, errors, console, admin, feeds, api, following, reports):
        app.register_blueprint(module.bp)
