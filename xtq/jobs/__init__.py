"""The job queue: huey, on SQLite in instance/jobs.sqlite by default, on Redis when JOBS_REDIS_URL is set.

Work that must not run inside a request (sending e-mail, delivering to the fediverse, the
housekeeping cron used to do) is a task here. The web process only enqueues; `flask worker`
runs the tasks (and the periodic ones) in its threads. Under TESTING, JOBS_IMMEDIATE runs a task
in the enqueuing process at once, unless a test starts a real worker.

Tasks are registered at import on one module-level huey; `init_app` points its storage at the
app's queue and remembers the app, so that each task runs inside its own app context (and so
its own database session), whether in the worker or immediately.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask
from huey import Huey, crontab
from huey.storage import MemoryStorage, RedisStorage, SqliteStorage
from sqlalchemy import event
from sqlalchemy.orm import Session

__all__ = ["after_commit", "app", "crontab", "huey", "init_app", "periodic", "queue_depth", "task"]


# Configured by init_app; until then (e.g. a bare import in a script) tasks run at once, in memory.
huey = Huey("xtq", results=False, immediate=True, storage_class=MemoryStorage)
_app: Flask | None = None


def init_app(app: Flask) -> None:
    """Point the queue at this app's storage and register every task module."""
    global _app
    _app = app
    huey.storage_class, huey.storage_kwargs = _storage(app)
    huey._immediate = bool(app.config["JOBS_IMMEDIATE"])  # huey's setter would build storage twice
    huey.storage = huey.create_storage()  # in memory when immediate

    from xtq.jobs import schedule  # noqa: F401  (the periodic housekeeping; mail and federation register theirs)

    @app.cli.command("worker")
    @_worker_options
    def worker(threads: int, periodic: bool) -> None:
        """Run queued jobs (e-mail, federation deliveries) and the periodic housekeeping; keep it running."""
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
        huey.create_consumer(workers=threads, worker_type="thread", periodic=periodic).run()


def _storage(app: Flask) -> tuple[type, dict]:
    url = app.config.get("JOBS_REDIS_URL")
    if url:
        return RedisStorage, {"url": url}
    return SqliteStorage, {
        "filename": app.config.get("JOBS_SQLITE_PATH") or str(Path(app.instance_path) / "jobs.sqlite")
    }


def _worker_options(command: Callable) -> Callable:
    import click

    command = click.option("--threads", default=2, show_default=True, help="并发执行任务的线程数")(command)
    return click.option(
        "--periodic/--no-periodic",
        default=True,
        show_default=True,
        help="是否运行定时任务（多台 worker 时只需一台运行）",
    )(command)


def app() -> Flask:
    """The app the queue was set up for (tasks run in its context)."""
    if _app is None:
        raise RuntimeError("xtq.jobs.init_app has not been called")
    return _app


def _in_app_context(fn: Callable) -> Callable:
    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Any:
        with app().app_context():
            return fn(*args, **kwargs)

    return run


def task(**options: Any) -> Callable:
    """`@jobs.task(retries=3, retry_delay=60)`: calling `fn(...)` enqueues; the worker runs it in an app context."""
    return lambda fn: huey.task(**options)(_in_app_context(fn))


def periodic(schedule: Callable, **options: Any) -> Callable:
    """`@jobs.periodic(crontab(minute="*/15"))`: run by the worker that runs the periodic tasks."""
    return lambda fn: huey.periodic_task(schedule, **options)(_in_app_context(fn))


_AFTER_COMMIT = "xtq_jobs_after_commit"


def after_commit(session: Session, job: Callable, *args: Any) -> None:
    """Enqueue `job(*args)` (once) when the session's transaction commits; nothing if it rolls back."""
    pending = session.info.setdefault(_AFTER_COMMIT, [])
    if (job, args) not in pending:
        pending.append((job, args))


@event.listens_for(Session, "after_commit")
def _enqueue_committed(session: Session) -> None:
    for job, args in session.info.pop(_AFTER_COMMIT, []):
        job(*args)


@event.listens_for(Session, "after_rollback")
def _drop_uncommitted(session: Session) -> None:
    session.info.pop(_AFTER_COMMIT, None)


def queue_depth() -> int:
    """Jobs waiting to run now, plus those scheduled for later (retries, delayed deliveries)."""
    return huey.pending_count() + huey.scheduled_count()
