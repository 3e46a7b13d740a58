"""One blueprint per area of the site."""

from flask import Flask


def register_blueprints(app: Flask) -> None:
    from xtq.views import (admin, admin_staff, api, monthly, office, auth, console, errors, feeds, following, hall, inbox, launch, notifications,
                           posts, prefs, question_admin, questions, reports, screen, search, stats)

    for module in (hall, posts, questions, inbox, question_admin, notifications, console, admin, feeds, api,
                   following, reports, search, stats, auth, prefs, launch, screen, admin_staff, office, monthly, errors):
        app.register_blueprint(module.bp)
