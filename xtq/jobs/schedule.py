"""The housekeeping cron runs (`flask close-stale`, `flask figures-refresh`), as periodic tasks of
the worker. Cron may keep running the commands too: both jobs are idempotent."""

from xtq import clock
from xtq.extensions import db
from xtq.jobs import crontab, periodic


@periodic(crontab(minute="*/15"))
def close_stale_and_remind() -> None:
    from xtq.domain import questions

    now = clock.now()
    questions.close_stale(now)
    db.session.commit()
    questions.remind(now, clock.work_calendar())
    db.session.commit()


@periodic(crontab(minute="*/10"))
def refresh_figures() -> None:
    from xtq.domain import figures

    figures.refresh(clock.now())
    db.session.commit()
