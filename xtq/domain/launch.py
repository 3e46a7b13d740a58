"""The hall's launch: its schedule, the ceremony, the seats and their single-use start codes.

The hall itself:

    live (default) ──schedule──▶ scheduled: the public sees the 即将上线 cover, staff the real site
         ▲                          │  └──unschedule──▶ live
         └──── the last seat of a real ceremony presses ──── launched (recorded once, for good)

A ceremony: open ──every seat pressed, in any order──▶ completed; open ──cancel──▶ cancelled.
A real ceremony launches the hall when it completes; a rehearsal plays the same way, then leaves
the hall as it was (its codes are spent, and the next ceremony starts afresh). A hall that has
been launched cannot be launched again. Only the admin schedules, opens and cancels; whoever
holds a seat's code may press that seat's button, once.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import update

from xtq.domain import audit, settings
from xtq.domain.errors import DomainError, NotFound, PermissionDenied
from xtq.domain.messages import MESSAGES, msg
from xtq.domain.settings import SiteState
from xtq.extensions import db
from xtq.models import Ceremony, CeremonySeat, User

DEFAULT_SEATS = tuple(MESSAGES[key] for key in ("seat.city_leader", "seat.province_leader", "seat.citizen"))
MAX_SEATS = 6
LABEL_MAX = 20
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: a guest may have to type it
CODE_LENGTH = 10


# ---------------------------------------------------------------- who may act


def require_admin(actor: User | None) -> User:
    """Only the coordinating office runs the launch."""
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_admin:
        raise PermissionDenied(_("只有管理员可以安排上线和主持上线仪式。"))
    return actor


# ---------------------------------------------------------------- reading


def open_ceremony() -> Ceremony | None:
    """The ceremony under way, if any."""
    return db.session.scalar(
        db.select(Ceremony)
        .where(Ceremony.completed_at.is_(None), Ceremony.cancelled_at.is_(None))
        .order_by(Ceremony.id.desc())
        .limit(1)
    )


def latest_ceremony() -> Ceremony | None:
    """The most recent ceremony that was not cancelled (open or completed), for the big screen."""
    return db.session.scalar(
        db.select(Ceremony).where(Ceremony.cancelled_at.is_(None)).order_by(Ceremony.id.desc()).limit(1)
    )


def normalize_code(code: str) -> str:
    return "".join(code.split()).replace("-", "").upper()


def seat_by_code(code: str) -> CeremonySeat | None:
    code = normalize_code(code or "")
    if not code or len(code) > 16:
        return None
    return db.session.scalar(db.select(CeremonySeat).where(CeremonySeat.code == code))


def pressed_count(ceremony: Ceremony) -> int:
    return sum(seat.pressed_at is not None for seat in ceremony.seats)


# ---------------------------------------------------------------- the schedule


def schedule(actor: User | None, at: datetime | None, *, now: datetime, state: SiteState) -> None:
    """Plan the launch for `at`: until a ceremony launches the hall, the public sees the cover."""
    admin = require_admin(actor)
    if state.launched_at is not None:
        raise DomainError(_("发布厅已经上线，不能再次安排上线。"))
    if at is None:
        raise DomainError(_("请填写计划上线的时间。"), "at")
    if at <= now:
        raise DomainError(_("计划上线的时间须晚于现在。"), "at")
    settings.put_moment(settings.LAUNCH_AT, at)
    audit.record(admin, "launch.schedule", "hall", None, msg("audit.launch_schedule", at=at.isoformat()), now=now)


def unschedule(actor: User | None, *, now: datetime, state: SiteState) -> None:
    """Call off the planned launch: the hall is public again at once."""
    admin = require_admin(actor)
    if state.launch_at is None:
        raise DomainError(_("现在没有安排上线。"))
    settings.put_moment(settings.LAUNCH_AT, None)
    audit.record(admin, "launch.unschedule", "hall", None, msg("audit.launch_unschedule"), now=now)


# ---------------------------------------------------------------- the ceremony


def open_new(
    actor: User | None, labels: Sequence[str], *, rehearsal: bool, now: datetime, state: SiteState
) -> Ceremony:
    """Open a ceremony with one seat (and one fresh start code) per label."""
    admin = require_admin(actor)
    if open_ceremony() is not None:
        raise DomainError(_("已有一场仪式正在进行；请先完成或取消它。"))
    if not rehearsal and state.launched_at is not None:
        raise DomainError(_("发布厅已经上线，不能再次举行上线仪式（可以彩排）。"))
    labels = [label.strip() for label in labels if label.strip()]
    if not 1 <= len(labels) <= MAX_SEATS:
        raise DomainError(_("请设 1 到 %(MAX_SEATS)s 个席位。", MAX_SEATS=MAX_SEATS), "seats")
    if any(len(label) > LABEL_MAX for label in labels):
        raise DomainError(_("每个席位的名称最多 %(LABEL_MAX)s 个字。", LABEL_MAX=LABEL_MAX), "seats")
    ceremony = Ceremony(rehearsal=rehearsal, opened_by_id=admin.id, opened_at=now, touched_at=now)
    ceremony.seats = [CeremonySeat(position=i, label=label, code=_new_code()) for i, label in enumerate(labels, 1)]
    db.session.add(ceremony)
    db.session.flush()
    opened = msg("audit.rehearsal_open" if rehearsal else "audit.ceremony_open", seats="、".join(labels))
    audit.record(admin, "launch.open", "ceremony", ceremony.id, opened, now=now)
    return ceremony


def cancel(actor: User | None, ceremony: Ceremony, *, now: datetime) -> None:
    """Stop an open ceremony; its codes no longer work."""
    admin = require_admin(actor)
    if not ceremony.is_open:
        raise DomainError(_("这场仪式已经结束了。"))
    ceremony.cancelled_at = now
    audit.record(admin, "launch.cancel", "ceremony", ceremony.id, msg("audit.ceremony_cancel"), now=now)


def press(code: str, *, now: datetime) -> Ceremony:
    """A guest presses their start button; the last of the seats completes the ceremony.

    Presses are serialised on the ceremony row (an UPDATE first: a row lock on PostgreSQL, the
    write lock on SQLite), so that of two guests pressing at the same instant exactly one sees
    every seat pressed, and the hall launches exactly once.
    """
    found = seat_by_code(code)
    if found is None:
        raise NotFound(_("启动码无效，请核对后重试。"))
    db.session.execute(update(Ceremony).where(Ceremony.id == found.ceremony_id).values(touched_at=now))
    ceremony = db.session.scalars(
        db.select(Ceremony).where(Ceremony.id == found.ceremony_id).execution_options(populate_existing=True)
    ).one()
    seats = list(
        db.session.scalars(
            db.select(CeremonySeat)
            .where(CeremonySeat.ceremony_id == ceremony.id)
            .execution_options(populate_existing=True)
        )
    )
    seat = next(s for s in seats if s.id == found.id)
    if ceremony.cancelled_at is not None:
        raise DomainError(_("这场仪式已取消，启动码已失效。"))
    if ceremony.completed_at is not None or seat.pressed_at is not None:
        raise DomainError(_("这个启动按钮已经按过了，每个启动码只能用一次。"))
    seat.pressed_at = now
    if all(s.pressed_at is not None for s in seats):
        _complete(ceremony, now)
    return ceremony


def _complete(ceremony: Ceremony, now: datetime) -> None:
    ceremony.completed_at = now
    presses = "；".join(f"{s.label} {s.pressed_at.isoformat()}" for s in ceremony.seats if s.pressed_at)
    if ceremony.rehearsal:  # the hall stays as it was; the next ceremony starts with fresh codes
        audit.record(
            None, "launch.rehearsed", "ceremony", ceremony.id, msg("audit.rehearsed", presses=presses), now=now
        )
        return
    if settings.read().launched_at is not None:
        raise DomainError(_("发布厅已经上线，不能再次上线。"))
    settings.put_moment(settings.LAUNCHED_AT, now)
    settings.put_moment(settings.LAUNCH_AT, None)
    audit.record(None, "launch.launched", "ceremony", ceremony.id, msg("audit.launched", presses=presses), now=now)


def _new_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if not db.session.scalar(db.select(CeremonySeat.id).where(CeremonySeat.code == code)):
            return code


def spaced(code: str) -> str:
    """A code as people read it aloud: ABCDE-FGHJK."""
    return f"{code[:5]}-{code[5:]}"
