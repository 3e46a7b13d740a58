"""Flask-Login wiring: how a session finds its user."""

from flask import Flask
from flask_babel import gettext

from xtq.extensions import db, login_manager
from xtq.i18n import N_
from xtq.models import User


def init_app(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = N_("请先登录。")
    login_manager.localize_callback = gettext  # flashed in the reader's language
    login_manager.login_message_category = "info"

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        return db.session.get(User, int(user_id)) if user_id.isdigit() else None
