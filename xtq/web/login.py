"""Flask-Login wiring: how a session finds its user."""

from flask import Flask
from flask_babel import gettext
from sqlalchemy import inspect
from sqlalchemy.orm import make_transient_to_detached

from xtq.extensions import db, login_manager
from xtq.i18n import N_
from xtq.models import User
from xtq.web import stamps
from xtq.web.cache import until_written

# The columns a request loads with its user (the password hash stays deferred).
_COLUMNS = [c for c in inspect(User).column_attrs if not c.deferred]


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
        session and remember cookie at once on the servers that share this instance folder (the
        user's row is kept until the next write to any user's row, which each commit makes known
        through stamps.USERS), and within PAGE_CACHE_SECONDS on other servers of the same database.
        """
        number, _, epoch = user_id.partition(".")
        if not number.isdigit() or not (epoch or "0").isdigit():
            return None
        values = until_written(("user", int(number)), lambda: _row(int(number)), stamps.USERS)
        if values is None or not values["active"] or values["session_epoch"] != int(epoch or "0"):
            return None
        return _attached(values)


def _row(user_id: int) -> dict | None:
    """The user's columns as stored now, or None."""
    row = db.session.execute(db.select(*(c.expression for c in _COLUMNS)).where(User.id == user_id)).first()
    return None if row is None else {c.key: value for c, value in zip(_COLUMNS, row, strict=True)}


def _attached(values: dict) -> User:
    """The user as if loaded by this request's session from ``values`` (kept until the next write to a
    user's row): a returning reader's request sends no query for it. Anything not among the values
    (the password hash, the department) loads on use."""
    user = db.session.identity_map.get(inspect(User).identity_key_from_primary_key((values["id"],)))
    if user is None:
        user = User(**values)
        make_transient_to_detached(user)
        db.session.add(user)
    return user
