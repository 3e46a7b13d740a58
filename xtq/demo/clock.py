"""The demo clock: in demo mode a trainer moves the hall's time forward by working days.

Deadlines then pass as they would in real life: the stale-reply and reminder rules run at the
new time, so overdue flags, reminders and the figures change in front of the audience.
Outside demo mode the clock cannot be touched.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _

from xtq.domain import audit, deadlines, figures, questions, settings
from xtq.domain.deadlines import WorkCalendar
from xtq.domain.errors import DomainError, PermissionDenied
from xtq.domain.messages import msg
from xtq.domain.settings import SiteState
from xtq.models import User

MAX_DAYS = 30


@dataclass(frozen=True)
class Advanced:
    """What one jump of the demo clock did."""

    now: datetime
    closed: int
    reminded: int


def advance(actor: User | None, days: int, *, now: datetime, cal: WorkCalendar, state: SiteState) -> Advanced:
    """Jump `days` working days ahead (same time of day), then run close-stale and the reminders.

    `actor` is None on the command line; on the site it must be the admin.
    """
    if actor is not None and not actor.is_admin:
        raise PermissionDenied(_("只有管理员可以调整演示时钟。"))
    if not state.demo_mode:
        raise DomainError(_("演示时钟只在演示模式下可用（由 flask demo 建立的演示数据）。"))
    if not 1 <= days <= MAX_DAYS:
        raise DomainError(_("一次可以前进 1 到 %(MAX_DAYS)s 个工作日。", MAX_DAYS=MAX_DAYS), "days")
    local = now.astimezone(deadlines.SHANGHAI)
    day = deadlines.add_working_days(local.date(), days, cal)
    later = now + timedelta(days=(day - local.date()).days)  # the same time of day, to the microsecond
    offset = state.clock_offset + (later - now)
    settings.put(settings.CLOCK_OFFSET, str(int(offset.total_seconds())))
    figures.forget()  # the figures change with the clock: let pages compute them afresh
    closed = questions.close_stale(later)
    reminded = questions.remind(later, cal)
    audit.record(actor, "demo.advance", "hall", None, msg("audit.demo_advance", days=days), now=later)
    return Advanced(later, closed, reminded)
