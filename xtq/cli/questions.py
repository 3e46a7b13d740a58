"""Commands of the closed loop: `flask close-stale` (cron; also sends reminders and announces scheduled
service notices to their districts' subscribers), `flask remind`, and `flask mask-personal-data` (once, after
upgrading)."""

import click
from flask import Flask

from xtq import clock
from xtq.domain import alerts, privacy, questions
from xtq.extensions import db


def init_app(app: Flask) -> None:
    @app.cli.command("close-stale")
    @click.option("--no-remind", is_flag=True, help="只办结，不催办")
    def close_stale(no_remind):
        """Close replies left unrated too long, then send due reminders (run from cron, e.g. hourly)."""
        now = clock.now()
        closed = questions.close_stale(now)
        db.session.commit()
        click.echo(f"自动办结 {closed} 个问题。")
        told = alerts.announce_due(now)
        db.session.commit()
        click.echo(f"服务公告提醒 {told} 人次。")
        if not no_remind:
            _remind(now)

    @app.cli.command("mask-personal-data")
    def mask_personal_data():
        """Mask personal data in citizens' text written before masking existed (once, after upgrading)."""
        changed = privacy.mask_existing(questions.TITLE_MAX)
        db.session.commit()
        click.echo(f"遮盖了 {changed} 条内容中的个人信息。")

    @app.cli.command("remind")
    def remind():
        """催办: notify departments of deadlines ending today or already passed (never twice)."""
        _remind(clock.now())


def _remind(now) -> None:
    sent = questions.remind(now, clock.work_calendar())
    db.session.commit()
    click.echo(f"发出催办 {sent} 条。")
