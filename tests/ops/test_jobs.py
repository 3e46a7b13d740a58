"""The job queue: a web process only enqueues; `flask worker`, a separate process, runs the jobs,
from huey's SQLite file in the instance folder or from a real redis-server on loopback."""

from datetime import datetime

import pytest
from aiosmtpd.controller import Controller

from tests.mail_server import Sink
from tests.servers import Worker, free_port, redis_server, wait_for
from xtq import clock, jobs
from xtq.domain.notifications import notify
from xtq.extensions import db

SMTP_PORT = free_port()


@pytest.fixture
def smtp():
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=SMTP_PORT)
    controller.start()
    yield sink
    controller.stop()


@pytest.fixture(params=["sqlite", "redis"])
def queued_app(request, tmp_path, app):
    """The test's app with a real queue: huey's SQLite file, or a real redis-server."""
    settings = {"JOBS_IMMEDIATE": False, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": SMTP_PORT}
    if request.param == "redis":
        with redis_server(tmp_path) as url:
            app.config.update(settings, JOBS_REDIS_URL=url)
            jobs.init_app(app)
            yield app
            jobs.huey.flush()
    else:
        app.config.update(settings)
        jobs.init_app(app)
        yield app
    app.config["JOBS_IMMEDIATE"] = True
    jobs.init_app(app)


@pytest.mark.parametrize("queued_app", ["redis"], indirect=True)  # the SQLite queue's worker: test_federation_peer
def test_mail_waits_in_the_queue_until_a_worker_sends_it(queued_app, smtp, citizen):
    citizen.email = "citizen@example.com"
    db.session.commit()
    notify(citizen, "您的问题已受理", now=clock.now())
    db.session.commit()
    assert smtp.messages == [] and jobs.queue_depth() == 1  # committed: queued, not sent by the request
    worker = Worker(queued_app).start()
    try:
        wait_for(lambda: smtp.messages, timeout=60)
    finally:
        worker.stop()
    assert smtp.messages[0][0] == ["citizen@example.com"] and "您的问题已受理" in smtp.body(0)
    assert jobs.queue_depth() == 0


def test_a_rolled_back_change_queues_nothing(queued_app, citizen):
    citizen.email = "citizen@example.com"
    db.session.commit()
    notify(citizen, "不会发出的通知", now=clock.now())
    db.session.rollback()
    assert jobs.queue_depth() == 0


def test_the_housekeeping_cron_did_is_a_periodic_task_of_the_worker(app):
    from xtq.jobs import schedule

    def due(hour, minute):
        return {task.name for task in jobs.huey.read_periodic(datetime(2030, 1, 1, hour, minute))}

    housekeeping = {"close_stale_and_remind", "refresh_figures"}
    assert housekeeping <= due(0, 0) and not housekeeping & due(0, 7)
    schedule.refresh_figures.call_local()  # runs in its own app context and commits
    schedule.close_stale_and_remind.call_local()


def test_flask_worker_is_a_command(runner):
    result = runner.invoke(args=["worker", "--help"])
    assert result.exit_code == 0 and "--no-periodic" in result.output
