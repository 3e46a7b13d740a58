"""One blueprint per area of the site."""

from flask import Flask


def register_blueprints(app: Flask) -> None:
    from xtq.views import (
        account,
        admin,
        api,
        auth,
        console,
        feeds,
        following,
        hall,
        inbox,
        launch,
        media,
        notifications,
        posts,
        prefs,
        question_admin,
        questions,
        recourse,
        reports,
        review,
        screen,
        search,
        stats,
    )

    for module in (hall, posts, questions, recourse, review, inbox, question_admin, notifications, console, admin, feeds,
                   api, following, reports, search, stats, auth, account, media, prefs, launch, screen):
        app.register_blueprint(module.bp)
