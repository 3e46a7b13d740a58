"""Flask extensions, created unbound and bound to the app in create_app."""

from flask import current_app, request, session
from flask_babel import Babel
from flask_caching import Cache
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager as _LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData

# Named constraints so that Alembic migrations (batch mode on SQLite) can refer to them.
naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class LoginManager(_LoginManager):
    """Flask-Login, with its session protection left out for a session nobody is signed in to."""

    def _session_protection_failed(self) -> bool:
        # Protection marks a session from another address or browser as not fresh ("basic") or
        # empties it ("strong"). A session holding only a CSRF token, with no remember cookie beside
        # it, has no one to protect; rewriting its cookie would send Set-Cookie and keep the page
        # from the page cache (xtq/web/page_cache.py) on each first read.
        if (
            "_user_id" not in session
            and current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") not in request.cookies
        ):
            return False
        return super()._session_protection_failed()


db = SQLAlchemy(metadata=MetaData(naming_convention=naming_convention))
migrate = Migrate()
babel = Babel()
login_manager = LoginManager()
csrf = CSRFProtect()
# In memory by default; RATELIMIT_STORAGE_URI=redis://... shares the counts between servers.
limiter = Limiter(key_func=get_remote_address)
# Whole pages, and skeletons of signed-in readers' pages (xtq/web/page_cache.py), in one store per server
# (xtq/web/stores.py).
page_cache = Cache()
