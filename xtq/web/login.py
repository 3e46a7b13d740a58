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
        """The session's user, while the account is active and the session is as new as its epoch.

        The id is "<id>.<epoch>" (User.get_id); a bare "<id>" is a session from before epochs and
        counts as epoch 0. Disabling an account, or setting or resetting its password, ends every
        session and remember cookie at once.
        """
        number, _, epoch = user_id.partition(".")
        if not number.isdigit() or not (epoch or "0").isdigit():
            return None
        user = db.session.get(User, int(number))
        if user is None or not user.active or user.session_epoch != int(epoch or "0"):
            return None
        return user
