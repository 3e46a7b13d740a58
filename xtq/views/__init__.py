"""One blueprint per area of the site."""

from flask import Flask


def register_blueprints(app: Flask) -> None:
    from xtq.views import (account, admin, api, auth, console, errors, feeds, following, hall, inbox, launch, media,
                           notifications, posts, prefs, question_admin, questions, reports, screen, search, stats)

    for module in (hall, posts, questions, inbox, question_admin, notifications, console, admin, feeds, api,
                   following, reports, search, stats, auth, account, media, prefs, launch, screen, errors):
        app.register_blueprint(module.bp)
