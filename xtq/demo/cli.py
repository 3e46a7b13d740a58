"""`flask demo`: the trainer's command. Builds the demo hall, runs the live demo, moves the demo clock."""

import textwrap
import time
from datetime import datetime, timedelta

import click
from flask import Flask
from flask_migrate import upgrade

from xtq import clock
from xtq.demo import clock as demo_clock
from xtq.demo import live as demo_live
from xtq.domain import departments, launch
from xtq.domain.errors import DomainError
from xtq.extensions import db
from xtq.models import User
from xtq.web import site_state


def init_app(app: Flask) -> None:
    @app.cli.command("demo")
    @click.option("--reset", is_flag=True, help="清空后重建演示数据（几秒钟）")
    @click.option("--if-empty", is_flag=True, help="已有数据时保留现有数据，不报错")
    @click.option("--ceremony", is_flag=True, help="发布厅等待上线仪式：公众看到“即将上线”")
    @click.option("--live", is_flag=True, help="持续产生提问、答复和微博，直到按 Ctrl-C")
    @click.option(
        "--interval", type=click.FloatRange(0, 3600), default=8.0, show_default=True, help="--live 每一步之间的秒数"
    )
    @click.option("--count", type=click.IntRange(1), hidden=True, help="--live 做这么多步后停止（测试用）")
    @click.option(
        "--advance",
        type=click.IntRange(1, demo_clock.MAX_DAYS),
        metavar="N",
        help="演示时钟前进 N 个工作日（只在演示模式下）",
    )
    def demo(reset, if_empty, ceremony, live, interval, count, advance):
        """Build the demo hall and print the logins; or keep it moving (--live); or jump ahead (--advance)."""
        upgrade()
        if advance:
            _advance(advance)
            return
        _build(reset, if_empty or (live and not reset and not ceremony))
        if ceremony:
            _schedule_ceremony()
        if live:
            _live(interval, count)


def _build(reset: bool, if_empty: bool) -> None:
    from xtq.cli import seed_path
    from xtq.demo import hall as demo_data

    if if_empty and not reset and demo_data.has_content():
        click.echo("数据库里已有数据，保留不动（要重建演示数据：flask demo --reset）。")
        return
    if reset:  # first, so that a demo clock left running ahead is back at real time
        demo_data.clear()
        db.session.commit()
    try:
        logins = demo_data.build(seed_path(), now=clock.now(), reset=False, progress=click.echo)
    except demo_data.NotEmpty:
        raise click.ClickException("数据库里已有数据。要重建演示数据，请运行 flask demo --reset。") from None
    click.echo("演示数据已就绪。登录账号（密码均为 " + demo_data.PASSWORD + "）：")
    for role, username in logins:
        click.echo(f"  {role}：{username}")
    _print_department_logins()


def _print_department_logins() -> None:
    """The naming rule of every department's two logins, and each department's identifier."""
    click.echo(
        "  每个部门都有两个账号：网络新闻发言人 <部门标识>_fyr，联络员 <部门标识>_lly"
        "（如 jiaotong_fyr、jiaotong_lly）。部门标识："
    )
    for group, members in departments.grouped(departments.all_in_order()):
        names = " ".join(f"{d.slug}（{d.short_name}）" for d in members)
        click.echo(
            textwrap.fill(
                names,
                width=64,
                initial_indent=f"    {group.label}：",
                subsequent_indent="      ",
                break_on_hyphens=False,
            )
        )


def _schedule_ceremony() -> None:
    admin = db.session.scalar(db.select(User).where(User.username == "admin"))
    now = clock.now()
    at = _next_half_hour(now + timedelta(hours=1))
    try:
        launch.schedule(admin, at, now=now, state=site_state.current())
    except DomainError as e:
        db.session.rollback()
        raise click.ClickException(e.message) from None
    db.session.commit()
    local = at.astimezone(clock.SHANGHAI)
    click.echo(
        f"发布厅等待上线仪式：公众看到“即将上线”，计划 {local:%H:%M}。管理员在 /launch 开始仪式，大屏打开 /screen。"
    )


def _next_half_hour(moment: datetime) -> datetime:
    moment = moment.replace(second=0, microsecond=0)
    return moment + timedelta(minutes=(30 - moment.minute % 30) % 30)


def _advance(days: int) -> None:
    try:
        done = demo_clock.advance(None, days, now=clock.now(), cal=clock.work_calendar(), state=site_state.current())
    except DomainError as e:
        db.session.rollback()
        raise click.ClickException(e.message) from None
    db.session.commit()
    click.echo(
        f"演示时钟已前进 {days} 个工作日，现在是 {done.now.astimezone(clock.SHANGHAI):%Y-%m-%d %H:%M}："
        f"自动办结 {done.closed} 个问题，发出催办 {done.reminded} 条。"
    )


def _live(interval: float, count: int | None) -> None:
    try:
        live = demo_live.LiveDemo.start(site_state.current().demo_mode)
    except demo_live.NotADemo:
        raise click.ClickException("--live 只能用于演示数据（先运行 flask demo）。") from None
    click.echo(f"实时演示：每 {interval:g} 秒一条，按 Ctrl-C 停止。")
    done = 0
    try:
        done = demo_live.run(
            live,
            count=count,
            clock=clock.now,
            cal=clock.work_calendar(),
            wait=lambda: time.sleep(interval),
            report=lambda n, line: click.echo(
                f"[{clock.now().astimezone(clock.SHANGHAI):%H:%M:%S}] 第 {n} 条 · {line}"
            ),
        )
    except KeyboardInterrupt:
        db.session.rollback()
        click.echo("\n实时演示已停止。")
    else:
        click.echo(f"实时演示完成：{done} 条。")
