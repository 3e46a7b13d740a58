"""A citizen's e-mail address, password reset, e-mail preferences with one-click unsubscribe, and
outage alerts for chosen districts: all through a real SMTP server on loopback."""

import re
from datetime import timedelta

import pytest

from tests.helpers import NOW, PASSWORD
from tests.mail_server import MAIL_CONFIG, smtp  # noqa: F401  (a fixture)
from xtq.domain import email_addresses, publishing, questions
from xtq.domain.errors import DomainError
from xtq.extensions import db
from xtq.models import NoticeType, Notification, PostKind, Role, StaffTitle

with_mail = pytest.mark.parametrize("app_config", [MAIL_CONFIG], indirect=True)


def link(sink, path: str, index: int = -1) -> str:
    """The site-relative link to `path` in a received e-mail."""
    found = re.search(r"https://hall\.example\.gov\.cn(" + re.escape(path) + r"[^\s]+)", sink.body(index))
    assert found, sink.body(index)
    return found.group(1)


@with_mail
def test_add_verify_and_change_an_address(smtp, client, auth, citizen):
    auth.login(citizen)
    client.post("/account/email", data={"email": "me@example.com"})
    assert citizen.email is None and citizen.email_pending == "me@example.com"
    assert smtp.messages[-1][0] == ["me@example.com"]
    verify = link(smtp, "/account/email/verify/")
    auth.logout()  # the link works from any browser
    assert "已确认" in client.get(verify).get_data(as_text=True)
    db.session.expire_all()
    assert (citizen.email, citizen.email_pending) == ("me@example.com", None)
    assert client.get(verify).status_code == 400  # used
    auth.login(citizen)
    client.post("/account/email", data={"email": "new@example.com"})
    assert citizen.email == "me@example.com"  # the old address stays until the new one is confirmed
    client.get(link(smtp, "/account/email/verify/"))
    db.session.expire_all()
    assert citizen.email == "new@example.com"


def test_verification_links_expire_and_cannot_be_forged(app, citizen, make_user):
    email_addresses.request_change(citizen, "me@example.com", now=NOW)
    token = email_addresses.verification_token(citizen, "me@example.com", NOW)
    with pytest.raises(DomainError, match="过期"):
        email_addresses.verify(token, now=NOW + timedelta(hours=email_addresses.VERIFY_HOURS + 1))
    from itsdangerous import URLSafeSerializer

    forged = URLSafeSerializer("not-the-key", salt="xtq-verify-email").dumps(
        [citizen.id, "me@example.com", int(NOW.timestamp())]
    )
    with pytest.raises(DomainError, match="无效"):
        email_addresses.verify(forged, now=NOW)
    assert email_addresses.verify(token, now=NOW + timedelta(hours=1)).email == "me@example.com"  # the positive control
    other = make_user()
    with pytest.raises(DomainError, match="其他账号"):
        email_addresses.request_change(other, "ME@example.com", now=NOW)
    with pytest.raises(DomainError, match="有效"):
        email_addresses.request_change(other, "not an address", now=NOW)


@with_mail
def test_password_reset_works_once_and_says_the_same_for_unknown_addresses(smtp, client, citizen):
    citizen.email = "me@example.com"
    db.session.commit()
    known = client.post("/password/forgot", data={"email": "ME@example.com"}, follow_redirects=True)
    unknown = client.post("/password/forgot", data={"email": "nobody@example.com"}, follow_redirects=True)
    assert known.status_code == unknown.status_code == 200
    strip = lambda html: re.sub(r'name="csrf_token"[^>]*', "", html)  # noqa: E731
    assert strip(known.get_data(as_text=True)) == strip(unknown.get_data(as_text=True))
    assert [to for to, _ in smtp.messages] == [["me@example.com"]]
    assert "citizen" in smtp.body()  # the username, too: it may be what was forgotten
    reset = link(smtp, "/password/reset/")
    done = client.post(reset, data={"password": "new-password-1", "confirm": "new-password-1"})
    assert done.status_code == 200 and "密码已重设" in done.get_data(as_text=True)
    assert (
        client.post("/login", data={"username": "citizen", "password": PASSWORD}).status_code == 200
    )  # old one refused
    assert client.post("/login", data={"username": "citizen", "password": "new-password-1"}).status_code == 302
    client.post("/logout")
    again = client.post(reset, data={"password": "another-pass-2", "confirm": "another-pass-2"})
    assert again.status_code == 400 and "已使用" in again.get_data(as_text=True)


def test_reset_links_expire(app, citizen):
    citizen.email = "me@example.com"
    db.session.commit()
    token = email_addresses.reset_token(citizen, NOW)
    assert email_addresses.reset_target(token, now=NOW + timedelta(minutes=5)) == citizen
    with pytest.raises(DomainError, match="过期"):
        email_addresses.reset_target(token, now=NOW + timedelta(minutes=email_addresses.RESET_MINUTES + 1))


@pytest.mark.parametrize(
    "app_config",
    [MAIL_CONFIG | {"RATELIMIT_ENABLED": True, "RESET_LIMIT": "100 per minute", "RESET_ADDRESS_LIMIT": "2 per hour"}],
    indirect=True,
)
def test_reset_requests_are_rate_limited_per_address(smtp, client, citizen):
    citizen.email = "me@example.com"
    db.session.commit()
    codes = [client.post("/password/forgot", data={"email": "me@example.com"}).status_code for _ in range(3)]
    assert codes == [302, 302, 429] and len(smtp.messages) == 2
    assert client.post("/password/forgot", data={"email": "other@example.com"}).status_code == 302


@with_mail
def test_preferences_and_one_click_unsubscribe(smtp, client, auth, citizen, liaison, spokesperson, make_question, cal):
    citizen.email = "me@example.com"
    db.session.commit()
    q = make_question("asked", at=NOW - timedelta(hours=3))
    questions.accept(q, liaison, now=NOW - timedelta(hours=2), cal=cal)
    db.session.commit()
    accepted = smtp.parsed()
    assert accepted["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = re.search(
        r"<https://hall\.example\.gov\.cn(/unsubscribe/[^>]+)>", accepted["List-Unsubscribe"]
    ).group(1)
    assert "退订" in client.get(unsubscribe).get_data(as_text=True)
    assert client.post(unsubscribe).status_code == 200  # what a mail client sends: no login, no form token
    db.session.expire_all()
    assert citizen.notify_progress is False and citizen.notify_reply is True
    sent = len(smtp.messages)
    questions.progress(q, liaison, "已派人查看", now=NOW - timedelta(hours=1), cal=cal)  # progress: off now
    db.session.commit()
    assert len(smtp.messages) == sent
    auth.login(citizen)
    client.post("/account/notifications", data={"progress": "y"})  # reply unticked: off
    db.session.expire_all()
    assert (citizen.notify_progress, citizen.notify_reply) == (True, False)
    questions.reply(q, spokesperson, "已修好", now=NOW, cal=cal)
    db.session.commit()
    assert len(smtp.messages) == sent  # no e-mail for the reply…
    assert (
        "答复了您的问题" in db.session.scalars(db.select(Notification.text).order_by(Notification.id.desc())).first()
    )  # …the bell has it
    assert client.post("/unsubscribe/forged-token").status_code == 404


@pytest.fixture
def water(make_user):
    return make_user(Role.STAFF, slug="zilaishui", title=StaffTitle.SPOKESPERSON)


def outage(staff, districts, streets="", *, now=NOW, publish_at=None):
    notice = publishing.Notice(
        NoticeType.WATER_OUTAGE, districts, streets, now + timedelta(hours=20), now + timedelta(hours=30)
    )
    post = publishing.compose(staff, PostKind.OUTAGE, "管网维修停水", now=now, notice=notice, publish_at=publish_at)
    db.session.commit()
    return post


@with_mail
def test_outage_alerts_reach_the_districts_and_streets_chosen(smtp, client, auth, citizen, make_user, water, runner):
    auth.login(citizen)
    client.post("/account/districts", data={"districts": ["jinshui", "erqi"], "streets": "花园路"})
    citizen.email = "me@example.com"
    elsewhere = make_user()
    elsewhere.notice_districts, elsewhere.email = "zhongyuan", "far@example.com"
    db.session.commit()
    assert citizen.notice_districts == "jinshui erqi" and citizen.notice_streets == "花园路"
    outage(water, ["jinshui"], "花园路 经三路")
    assert [to for to, _ in smtp.messages] == [["me@example.com"]] and "停水" in smtp.body()
    outage(water, ["jinshui"], "文化路")  # not my street
    outage(water, ["erqi"])  # no street named: the whole district
    assert len(smtp.messages) == 2
    # written two hours ago for one hour ago: nobody told while it was scheduled; cron tells them once
    scheduled = outage(water, ["jinshui"], now=NOW - timedelta(hours=2), publish_at=NOW - timedelta(hours=1))
    assert len(smtp.messages) == 2 and scheduled.notice_alerted_at is None
    assert "服务公告提醒 1 人次" in runner.invoke(args=["close-stale", "--no-remind"]).output
    assert "服务公告提醒 0 人次" in runner.invoke(args=["close-stale", "--no-remind"]).output
    db.session.expire_all()
    assert len(smtp.messages) == 3 and scheduled.notice_alerted_at is not None
    home = client.get("/").get_data(as_text=True)
    boxes = home[home.index("我的公告") : home.index("最新发布")]
    assert "当前服务公告" in boxes and boxes.count(f'/p/{scheduled.id}"') == 1  # mine first, not again below


def test_district_feed_and_the_my_notices_box(client, auth, citizen, water):
    post = outage(water, ["jinshui"])
    feed = client.get("/notices/jinshui.atom")
    assert feed.status_code == 200 and feed.mimetype == "application/atom+xml"
    assert f"/p/{post.id}" in feed.get_data(as_text=True)
    assert f"/p/{post.id}" not in client.get("/notices/erqi.atom").get_data(as_text=True)
    assert client.get("/notices/gongan.atom").status_code == 404  # not a district
    auth.login(citizen)
    assert "选择关注的区县" in client.get("/").get_data(as_text=True)
    citizen.notice_districts = "jinshui"
    db.session.commit()
    home = client.get("/").get_data(as_text=True)
    assert "我的公告" in home and "选择关注的区县" not in home
