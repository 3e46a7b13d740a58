"""Command-line tools for deployers: `flask init-db`, `seed`, `create-admin`, `create-staff`, backups (`demo` is in xtq/demo/cli.py)."""

from pathlib import Path

import click
from flask import Flask, current_app
from flask_migrate import upgrade
from sqlalchemy import text

from xtq import clock, search
from xtq.config import ROOT
from xtq.domain import accounts, seeding
from xtq.domain.errors import DomainError
from xtq.extensions import db


def seed_path() -> Path:
    path = Path(current_app.config["SEED_FILE"])
    return path if path.is_absolute() else ROOT / path


def analyze() -> None:
    """Fresh statistics for the query planner. Without them SQLite guesses that any indexed equality
    is selective and, at a city's scale, walks a million posts for the handful of notices in force.
    On SQLite it samples (analysis_limit), so it takes about a second on a multi-gigabyte file."""
    if db.engine.dialect.name == "sqlite":
        db.session.execute(text("PRAGMA analysis_limit=1000"))
    db.session.execute(text("ANALYZE"))
    db.session.commit()


def init_app(app: Flask) -> None:
    from xtq.cli import questions as question_cli

    question_cli.init_app(app)

    @app.cli.command("init-db")
    def init_db():
        """Create or upgrade the schema through the Alembic migrations."""
        before = _revision()
        upgrade()
        if before != _revision():  # a new schema may index differently: rebuild the search index
            search.rebuild()
            db.session.commit()
        analyze()
        click.echo("数据库已就绪。")

    @app.cli.command("analyze")
    def analyze_command():
        """Refresh the query planner's statistics (after big imports; nightly from cron)."""
        analyze()
        click.echo("查询统计信息已更新。")

    @app.cli.command("figures-refresh")
    def figures_refresh():
        """Compute and store the accountability figures that pages read (run it from cron)."""
        from xtq.domain import figures

        count = figures.refresh(clock.now(), progress=lambda key: click.echo(f"计算 {key} ……"))
        db.session.commit()
        click.echo(f"统计数字已更新：{count} 组。")

    @app.cli.command("monthly-report")
    def monthly_report():
        """Generate the monthly report of every ended month that has none (cron: daily, or the job queue)."""
        from xtq.domain import monthly

        made = monthly.generate_due(clock.now())
        db.session.commit()
        click.echo(f"已生成月度通报：{'、'.join(made)}。" if made else "没有需要生成的月度通报。")

    @app.cli.command("search-reindex")
    def search_reindex():
        """Rebuild the search index from every visible post, question and reply."""
        total = search.rebuild(progress=lambda n: click.echo(f"\r已索引 {n} 条", nl=False))
        db.session.commit()
        click.echo(f"\n搜索索引已重建：{total} 条。")

    @app.cli.command("seed")
    @click.option("--file", "file", type=click.Path(dir_okay=False), help="默认为 seed_bureaus.json")
    def seed(file):
        """Load the departments; validate the whole file first, change nothing on error."""
        try:
            specs = seeding.load(file or seed_path())
        except seeding.SeedError as e:
            raise click.ClickException(str(e)) from None
        added, updated = seeding.apply(specs)
        db.session.commit()
        click.echo(f"部门 {len(specs)} 个：新增 {added}，更新 {updated}，其余不变。")

    @app.cli.command("create-admin")
    @click.option("--username", prompt="用户名")
    @click.option("--name", "display_name", default="管理员", show_default=True)
    @click.password_option("--password", prompt="密码", confirmation_prompt="再次输入密码")
    def create_admin(username, display_name, password):
        """Create the coordinating office's admin account."""
        _create(lambda: accounts.create_admin(username, display_name, password, now=clock.now()))

    @app.cli.command("create-staff")
    @click.option("--department", "department", required=True, help="部门 slug，如 gongan")
    @click.option("--title", type=click.Choice(["spokesperson", "liaison"]), required=True)
    @click.option("--username", prompt="用户名")
    @click.option("--name", "display_name", prompt="姓名")
    @click.password_option("--password", prompt="密码", confirmation_prompt="再次输入密码")
    def create_staff(department, title, username, display_name, password):
        """Create a staff account for one department."""
        _create(lambda: accounts.create_staff(username, display_name, password, department, title, now=clock.now()))

    _backup_commands(app)


def _backup_commands(app: Flask) -> None:
    from xtq.cli import backup as backups

    @app.cli.command("backup")
    @click.option("--dir", "directory", type=click.Path(file_okay=False), help="默认为 instance/backups")
    @click.option("--keep", type=click.IntRange(1, 1000), help="保留最近几份（默认 BACKUP_KEEP）")
    def backup(directory, keep):
        """Write a consistent copy of the live SQLite database, keeping the last N copies."""
        click.echo("正在备份……")
        try:
            source = backups.sqlite_path(current_app.config["SQLALCHEMY_DATABASE_URI"])
            target = backups.backup(
                source,
                Path(directory) if directory else Path(current_app.instance_path) / "backups",
                now=clock.now(),
                keep=keep or current_app.config["BACKUP_KEEP"],
            )
        except backups.BackupError as e:
            raise click.ClickException(str(e)) from None
        click.echo(f"备份完成：{target}")

    @app.cli.command("restore")
    @click.argument("copy", type=click.Path(dir_okay=False))
    @click.option("--yes", is_flag=True, help="不再确认")
    def restore(copy, yes):
        """Check a backup copy, then put it in place of the live database."""
        try:
            live = backups.sqlite_path(current_app.config["SQLALCHEMY_DATABASE_URI"])
            revision = backups.check(Path(copy))
            if not yes:
                click.confirm(f"备份检查通过（结构版本 {revision}）。用它替换当前数据库？", abort=True)
            db.engine.dispose()
            backups.restore(Path(copy), live)
        except backups.BackupError as e:
            raise click.ClickException(str(e)) from None
        upgrade()  # a copy from an older release is brought up to this release's schema
        click.echo(f"已恢复：{copy}")


def _revision() -> str | None:
    from alembic.migration import MigrationContext

    with db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def _create(make) -> None:
    try:
        user = make()
    except DomainError as e:
        db.session.rollback()
        raise click.ClickException(e.message) from None
    db.session.commit()
    click.echo(f"已创建账号 {user.username}。")
