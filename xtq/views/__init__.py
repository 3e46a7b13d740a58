"""One blueprint per area of the site."""

from flask import Flask


def register_blueprints(app: Flask) -> None:
    from xtq.views import (
        account,
        admin,
        admin_staff,
        api,
        auth,
        console,
        embed,
        federation,
        federation_admin,
        feeds,
        following,
        hall,
        inbox,
        launch,
        media,
        monthly,
        notifications,
        office,
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

    # federation first: its content negotiation answers ActivityPub requests before any page does
    for module in (
        federation,
        hall,
        posts,
        questions,
        recourse,
        review,
        inbox,
        question_admin,
        notifications,
        console,
        admin,
        admin_staff,
        office,
        monthly,
        federation_admin,
        feeds,
        api,
        embed,
        following,
        reports,
        search,
        stats,
        auth,
        account,
        media,
        prefs,
        launch,
        screen,
    ):
        app.register_blueprint(module.bp)
