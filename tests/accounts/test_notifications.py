"""The bell, the notifications page, and e-mail copies through a real local SMTP server."""

from datetime import timedelta

import pytest

from tests.mail_server import PORT, smtp  # noqa: F401  (a fixture)
from xtq import clock
from xtq.extensions import db
from xtq.models import Notification


def notes(user):
    return list(
        db.session.scalars(db.select(Notification).where(Notification.user_id == user.id).order_by(Notification.id))
    )


def test_the_asker_hears_every_step_and_staff_hear_of_new_and_transferred_questions(
    make_question, citizen, liaison, spokesperson, make_user, cal
):
    from tests.question_fixtures import dept
    from xtq.domain import questions
    from xtq.models import Role, StaffTitle

    q = make_question("asked", at=clock.now() - timedelta(hours=2))
    jiaotong = make_user(Role.STAFF, slug="jiaotong", title=StaffTitle.LIAISON)
    assert [n.text for n in notes(liaison)] == [f"新问题待受理：「{q.title}」"] == [n.text for n in notes(spokesperson)]
    questions.accept(q, liaison, now=clock.now(), cal=cal)
    questions.transfer(q, liaison, dept("jiaotong"), "交通委负责", now=clock.now(), cal=cal)
    assert "转来问题待受理" in notes(jiaotong)[-1].text
    texts = [n.text for n in notes(citizen)]
    assert len(texts) == 3 and "查询码" in texts[0] and "已受理" in texts[1] and "转交市交通委" in texts[2]
    assert all(n.url == f"/q/{q.id}" for n in notes(citizen))


def test_bell_count_page_open_and_mark_all_read(client, auth, citizen, make_question):
    q = make_question("replied", at=clock.now() - timedelta(hours=5))
    auth.login(citizen)
    html = client.get("/").get_data(as_text=True)
    assert 'class="bell-count">3<' in html and "3 条未读" in html
    page = client.get("/notifications").get_data(as_text=True)
    assert page.count('class="card notification unread"') == 3
    first = notes(citizen)[0]
    response = client.get(f"/notifications/{first.id}")
    assert response.headers["Location"] == f"/q/{q.id}" and first.read_at is not None
    assert 'class="bell-count">2<' in client.get("/").get_data(as_text=True)
    client.post("/notifications/read")
    assert "bell-count" not in client.get("/").get_data(as_text=True)


def test_someone_elses_notification_is_not_found(client, auth, citizen, make_user, make_question):
    make_question("asked", at=clock.now())
    auth.login(make_user())
    assert client.get(f"/notifications/{notes(citizen)[0].id}").status_code == 404


@pytest.mark.parametrize(
    "app_config", [{"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": PORT, "SITE_URL": "https://hall.example.gov.cn"}]
)
def test_email_copies_go_out_after_commit(smtp, client, auth, citizen, liaison, make_question):
    citizen.email = "citizen@example.com"
    db.session.commit()
    q = make_question("asked", at=clock.now() - timedelta(hours=1))
    assert [to for to, _ in smtp.messages] == [["citizen@example.com"]]  # the "submitted" notice
    auth.login(liaison)
    client.post(f"/console/questions/{q.id}/accept")
    assert len(smtp.messages) == 2
    to, _ = smtp.messages[-1]
    assert to == ["citizen@example.com"] and f"https://hall.example.gov.cn/q/{q.id}" in smtp.body()
    # a refused step sends nothing
    client.post(f"/console/questions/{q.id}/decline", data={"decline-reason": "晚了"})
    assert len(smtp.messages) == 2


def test_no_email_unless_smtp_is_configured(smtp, client, auth, citizen, make_question):
    citizen.email = "citizen@example.com"
    db.session.commit()
    make_question("replied", at=clock.now() - timedelta(hours=5))
    assert smtp.messages == [] and len(notes(citizen)) == 3


@pytest.mark.parametrize("app_config", [{"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": PORT}])
def test_a_rolled_back_change_sends_no_mail(smtp, citizen):
    from xtq.domain.notifications import notify

    citizen.email = "citizen@example.com"
    db.session.commit()
    notify(citizen, "不会发出的通知", now=clock.now())
    db.session.rollback()
    db.session.commit()
    assert smtp.messages == []
