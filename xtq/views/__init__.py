"""One blueprint per area of the site."""

from flask import Flask


def register_blueprints(app: Flask) -> None:
    from xtq.views import (admin, api, auth, console, embed, errors, federation, federation_admin, feeds, following, hall,
                           inbox, launch, notifications, posts, prefs, question_admin, questions, reports, screen,
                           search, stats)

    # federation first: its content negotiation answers ActivityPub requests before any page does
    for module in (federation, hall, posts, questions, inbox, question_admin, notifications, console, admin,
                   federation_admin, feeds, api, embed, following, reports, search, stats, auth, prefs, launch, screen, errors):
        app.register_blueprint(module.bp)
