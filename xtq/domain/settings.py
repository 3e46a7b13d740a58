"""Small site-wide state kept in the Setting table: demo mode, the demo clock, the launch schedule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from xtq.extensions import db
from xtq.models import Setting

DEMO_MODE = "demo.mode"
CLOCK_OFFSET = "demo.clock_offset_seconds"
LAUNCH_AT = "launch.scheduled_at"
LAUNCHED_AT = "launch.launched_at"
KEYS = (DEMO_MODE, CLOCK_OFFSET, LAUNCH_AT, LAUNCHED_AT)
CHANGED = "xtq_settings_changed"  # flag in session.info: caches drop their copy after the commit


@dataclass(frozen=True)
class SiteState:
    """A snapshot of the site-wide settings."""

    demo_mode: bool = False
    clock_offset: timedelta = timedelta(0)
    launch_at: datetime | None = None  # a launch is scheduled: the public sees the 即将上线 cover
    launched_at: datetime | None = None  # the moment a ceremony launched the hall (once, for good)

    @property
    def is_public(self) -> bool:
        """The public sees the hall (no launch is scheduled)."""
        return self.launch_at is None

    @classmethod
    def from_values(cls, values: dict[str, str]) -> SiteState:
        """Parse stored text values; anything unreadable counts as unset."""
        return cls(
            demo_mode=values.get(DEMO_MODE) == "1",
            clock_offset=timedelta(seconds=_number(values.get(CLOCK_OFFSET))),
            launch_at=_moment(values.get(LAUNCH_AT)),
            launched_at=_moment(values.get(LAUNCHED_AT)),
        )


def read() -> SiteState:
    """The current settings, straight from the database."""
    rows = db.session.execute(db.select(Setting.key, Setting.value).where(Setting.key.in_(KEYS))).all()
    return SiteState.from_values(dict(rows))


def put(key: str, value: str | None) -> None:
    """Set (or with None, remove) one setting; the caller commits."""
    row = db.session.get(Setting, key)
    if value is None:
        if row is not None:
            db.session.delete(row)
    elif row is None:
        db.session.add(Setting(key=key, value=value))
    else:
        row.value = value
    db.session.info[CHANGED] = True


def mark_changed() -> None:
    """Settings rows were changed behind put()'s back (a demo reset): caches must read them again."""
    db.session.info[CHANGED] = True


def put_moment(key: str, moment: datetime | None) -> None:
    put(key, None if moment is None else moment.isoformat())


def _number(text: str | None) -> float:
    try:
        return float(text) if text else 0.0
    except ValueError:
        return 0.0


def _moment(text: str | None) -> datetime | None:
    try:
        moment = datetime.fromisoformat(text) if text else None
    except ValueError:
        return None
    return moment if moment is None or moment.tzinfo else None
