"""The site-wide settings as each process sees them: read from the database once, then cached.

Every request asks whether the hall is public and what time it is (the demo clock), so each
process keeps the settings in memory. A commit that changes them drops this process's copy and
touches a stamp file in the instance folder; other workers see the stamp change (one small read
per request, no query) and read the settings again. A TTL bounds staleness where the instance
folder is not shared (several servers on one PostgreSQL).
"""

import time
from dataclasses import dataclass

from flask import Flask, current_app
from sqlalchemy import event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from xtq.domain import settings
from xtq.domain.settings import SiteState
from xtq.extensions import db
from xtq.web import stamps

_KEY = "xtq_site_state"
STAMP = "site-state.stamp"


@dataclass(frozen=True)
class _Cached:
    loaded: float
    stamp: str
    state: SiteState


def init_app(app: Flask) -> None:
    """Read the settings once at start, so that no request pays for it."""
    with app.app_context():
        current()


def current() -> SiteState:
    """The settings as this process knows them (DEMO_MODE in the config also turns demo mode on)."""
    cached: _Cached | None = current_app.extensions.get(_KEY)
    stamp = stamps.read(STAMP)
    ttl = float(current_app.config.get("SITE_STATE_TTL", 30))
    if cached is not None and cached.stamp == stamp and time.monotonic() - cached.loaded < ttl:
        return cached.state
    state = _load()
    if current_app.config.get("DEMO_MODE") and not state.demo_mode:
        state = SiteState(True, state.clock_offset, state.launch_at, state.launched_at)
    current_app.extensions[_KEY] = _Cached(time.monotonic(), stamp, state)
    return state


def changed() -> None:
    """The settings changed (and were committed): read them again here, and tell the other workers."""
    current_app.extensions.pop(_KEY, None)
    stamps.touch(STAMP)


def _load() -> SiteState:
    # Its own connection: this read must never disturb (or be rolled back with) the request's transaction.
    from xtq.models import Setting

    try:
        with db.engine.connect() as connection:
            rows = connection.execute(db.select(Setting.key, Setting.value).where(Setting.key.in_(settings.KEYS)))
            return SiteState.from_values(dict(rows.all()))
    except DBAPIError:  # no schema yet (before `flask init-db`), or the database is away: defaults for now
        return SiteState()


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    if session.info.pop(settings.CHANGED, False):
        try:
            changed()
        except RuntimeError:  # committed outside an app context: nothing cached there
            pass


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(settings.CHANGED, None)
