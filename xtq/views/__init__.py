"""One blueprint per area of the site."""

from flask import Flask


def register_blueprints(app: Flask) -> None:
    from xtq.views import auth, errors, hall, inbox, notifications, posts, prefs, question_admin, questions, search

    for module in (hall, posts, questions, inbox, question_admin, notifications, search, auth, prefs, errors):
        app.register_blueprint(module.bp)
