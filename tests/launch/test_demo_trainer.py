"""The trainer's commands: the live demo, the demo clock, a demo hall waiting for its ceremony."""

from datetime import timedelta

import pytest
from sqlalchemy import func

from xtq import clock
from xtq.domain import settings
from xtq.domain.deadlines import add_working_days, local_date
from xtq.extensions import db
from xtq.models import AuditLog, EventKind, Post, Question, QuestionEvent, QuestionStatus

pytestmark = pytest.mark.usefixtures("app")


def count(model, *where):
    return db.session.scalar(db.select(func.count()).select_from(model).where(*where))


@pytest.fixture
def demo_hall(runner):
    result = runner.invoke(args=["demo", "--reset"])
    assert result.exit_code == 0, result.output
    return runner


def test_live_demo_adds_questions_replies_and_posts_through_the_rules(demo_hall):
    from xtq.models import MeToo, Photo, User

    # the demo hall itself: 同问 (hot questions), photos, citizens with e-mail and districts
    assert count(MeToo) == 6 + 4 + 3 + 2 + 2 + 1 and count(Photo) == 3
    assert count(User, User.notice_districts.is_not(None), User.email.is_not(None)) == 3
    assert "热门问题" in demo_hall.app.test_client().get("/").get_data(as_text=True)
    posts, questions = count(Post), count(Question)
    replies = count(QuestionEvent, QuestionEvent.kind == EventKind.REPLIED)
    result = demo_hall.invoke(args=["demo", "--live", "--interval", "0", "--count", "6"])
    assert result.exit_code == 0, result.output
    assert result.output.count("第 ") == 6 and "实时演示完成：6 条" in result.output
    assert count(Question) == questions + 2 and count(Post) == posts + 2
    assert count(QuestionEvent, QuestionEvent.kind == EventKind.REPLIED) == replies + 2
    # Through the rules: every new question has its asked/accepted/replied events and audit rows for posts.
    newest = db.session.scalars(db.select(Question).order_by(Question.id.desc()).limit(2)).all()
    assert {q.status for q in newest} == {QuestionStatus.REPLIED}
    assert [e.kind for e in newest[0].events] == [EventKind.ASKED, EventKind.ACCEPTED, EventKind.REPLIED]
    assert count(AuditLog, AuditLog.action == "post.publish") >= 2


def test_live_demo_refuses_a_real_hall(runner, admin):
    questions = count(Question)
    result = runner.invoke(args=["demo", "--live", "--interval", "0", "--count", "1"])
    assert result.exit_code != 0 and "只能用于演示数据" in result.output
    assert count(Question) == questions


def test_advance_moves_the_clock_and_makes_questions_overdue(demo_hall):
    before = clock.now()
    overdue_before = count(QuestionEvent, QuestionEvent.kind == EventKind.REMINDED)
    asked = db.session.scalars(db.select(Question).where(Question.status == QuestionStatus.ASKED)).all()
    assert asked and all(q.due_at > before for q in asked)
    result = demo_hall.invoke(args=["demo", "--advance", "3"])
    assert result.exit_code == 0, result.output
    now = clock.now()
    assert local_date(now) == add_working_days(local_date(before), 3, clock.work_calendar())
    assert all(q.due_at <= now for q in asked)  # every question waiting to be accepted is now late
    assert count(QuestionEvent, QuestionEvent.kind == EventKind.REMINDED) > overdue_before
    assert "发出催办" in result.output


def test_advance_is_refused_outside_demo_mode(runner):
    before = clock.now()
    result = runner.invoke(args=["demo", "--advance", "3"])
    assert result.exit_code != 0 and "只在演示模式下可用" in result.output
    assert abs(clock.now() - before) < timedelta(minutes=1)
    assert settings.read().clock_offset == timedelta(0)


def test_reset_brings_the_clock_back(demo_hall):
    demo_hall.invoke(args=["demo", "--advance", "5"])
    result = demo_hall.invoke(args=["demo", "--reset"])
    assert result.exit_code == 0, result.output
    assert abs(clock.now() - clock.real_now()) < timedelta(minutes=1)


def test_ceremony_demo_waits_for_its_launch(runner, client):
    result = runner.invoke(args=["demo", "--reset", "--ceremony"])
    assert result.exit_code == 0, result.output
    assert not settings.read().is_public
    assert "即将上线" in client.get("/").get_data(as_text=True)


def test_admin_button_advances_only_in_demo_mode(demo_hall, client, auth):
    auth.login("admin", "demo2011")
    assert "演示时钟" in client.get("/admin").get_data(as_text=True)
    before = clock.now()
    client.post("/admin/demo/advance", data={"days": "2"})
    assert local_date(clock.now()) == add_working_days(local_date(before), 2, clock.work_calendar())


def test_admin_button_refused_outside_demo_mode(client, auth, admin):
    auth.login(admin)
    assert "演示时钟" not in client.get("/admin").get_data(as_text=True)
    page = client.post("/admin/demo/advance", data={"days": "2"}, follow_redirects=True).get_data(as_text=True)
    assert "只在演示模式下可用" in page
    assert settings.read().clock_offset == timedelta(0)


def test_demo_shows_everything_a_trainer_points_at(runner, client):
    from xtq.domain import posts as post_rules
    from xtq.models import Department, Follow, Post, PostStatus, QuestionPostLink, Report, ReportStatus

    result = runner.invoke(args=["demo", "--reset"])
    assert result.exit_code == 0, result.output
    slugs = db.session.scalars(db.select(Department.slug)).all()
    assert "<部门标识>_fyr" in result.output and "<部门标识>_lly" in result.output
    assert len(slugs) == 57 and all(f"{slug}（" in result.output for slug in slugs)
    now = clock.now()

    public = post_rules.public_posts(now)
    assert count(Post, Post.pinned_at.is_not(None), Post.status == PostStatus.PUBLISHED) >= 2
    assert db.session.scalar(public.where(Post.byline.is_(True)).limit(1)) is not None
    assert count(Post, Post.status == PostStatus.PUBLISHED, Post.published_at > now) == 1  # scheduled
    edited = db.session.scalar(public.where(Post.edited_at.is_not(None)))
    assert len(post_rules.edit_history(edited)) == 2
    assert 'id="history"' in client.get(f"/p/{edited.id}").get_data(as_text=True)
    links = db.session.scalars(db.select(QuestionPostLink)).all()
    assert len(links) == 2  # a post that answers a question, a reply that cites a post
    for link in links:
        assert f"/p/{link.post_id}" in client.get(f"/q/{link.question_id}").get_data(as_text=True)
        assert f"/q/{link.question_id}" in client.get(f"/p/{link.post_id}").get_data(as_text=True)
    assert count(Follow) >= 5
    assert count(Report, Report.status == ReportStatus.OPEN) == 1
    hidden = db.session.scalar(db.select(Question).where(Question.hidden_at.is_not(None)))
    page = client.get(f"/q/{hidden.id}").get_data(as_text=True)
    assert hidden.hidden_reason in page and hidden.body not in page  # the public sees why, not what
