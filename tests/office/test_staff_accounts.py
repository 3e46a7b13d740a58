"""The office's staff accounts on the web, the one-time set-password link, and /console/profile."""

import io
import re

import pytest

from tests.accounts.test_notifications import PORT, smtp  # noqa: F401  (a real SMTP server on loopback)
from tests.helpers import NOW, PASSWORD, fingerprint, send
from xtq.domain import departments, staff
from xtq.domain.errors import DomainError
from xtq.extensions import db
from xtq.models import AuditLog, Role, StaffTitle, User

LINK_RE = re.compile(r"/account/password/([A-Za-z0-9._-]+)")


def _login(client, user, password=PASSWORD, remember=False):
    data = {"username": getattr(user, "username", user), "password": password}
    if remember:
        data["remember"] = "y"
    return send(client, "POST", "/login", data)


def _logged_in(client) -> bool:
    return 'action="/logout"' in send(client, "GET", "/").get_data(as_text=True)


def _actions(user_id=None):
    select = db.select(AuditLog.action).order_by(AuditLog.id)
    if user_id is not None:
        select = select.where(AuditLog.target_id == user_id, AuditLog.target_type == "user")
    return list(db.session.scalars(select))


def test_the_office_creates_a_liaison_who_sets_a_password_through_a_one_time_link(app, client, admin):
    _login(client, admin)
    page = send(
        client,
        "POST",
        "/admin/staff",
        {"username": "jiaotong01", "display_name": "王敏", "department": "jiaotong", "title": "liaison"},
    )
    assert page.status_code == 200
    token = LINK_RE.search(page.get_data(as_text=True)).group(1)
    user = db.session.scalar(db.select(User).where(User.username == "jiaotong01"))
    assert (user.role, user.department.slug, user.title) == (Role.STAFF, "jiaotong", StaffTitle.LIAISON)
    assert _actions(user.id) == ["staff.create"]

    newcomer = app.test_client()
    assert "王敏" in send(newcomer, "GET", f"/account/password/{token}").get_data(as_text=True)
    answer = send(
        newcomer, "POST", f"/account/password/{token}", {"password": "a-new-secret", "confirm": "a-new-secret"}
    )
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/console") and _logged_in(newcomer)
    assert _login(app.test_client(), "jiaotong01", "a-new-secret").status_code == 302
    # The link worked once.
    assert send(app.test_client(), "GET", f"/account/password/{token}").status_code == 410


def test_nobody_can_log_in_to_a_new_account_before_the_link_is_used(app, admin):
    user = staff.create(
        admin,
        username="newstaff",
        display_name="新人",
        department=departments.by_slug("gongan"),
        title="liaison",
        now=NOW,
    )
    db.session.commit()
    for guess in ("", PASSWORD, "newstaff", "12345678"):
        assert _login(app.test_client(), user, guess).status_code != 302


def test_disabling_ends_sessions_and_remember_cookies_at_once(app, admin, liaison):
    session_client, remembered = app.test_client(), app.test_client()
    _login(session_client, liaison)
    _login(remembered, liaison, remember=True)
    remembered.delete_cookie("session")  # only the remember cookie is left
    assert _logged_in(session_client) and _logged_in(remembered)

    staff.disable(admin, liaison, now=NOW)
    db.session.commit()
    assert not _logged_in(session_client) and not _logged_in(remembered)
    assert _login(app.test_client(), liaison).status_code != 302

    staff.enable(admin, liaison, now=NOW)
    db.session.commit()
    assert _login(app.test_client(), liaison).status_code == 302
    assert not _logged_in(session_client), "an old session stays ended after the account is enabled again"
    assert _actions(liaison.id) == ["staff.disable", "staff.enable"]


def test_a_reset_ends_the_old_password_and_sessions_and_gives_a_new_link(app, client, admin, liaison):
    old = app.test_client()
    _login(old, liaison)
    _login(client, admin)
    page = send(client, "POST", f"/admin/staff/{liaison.id}/reset", {})
    assert LINK_RE.search(page.get_data(as_text=True))
    assert not _logged_in(old)
    assert _login(app.test_client(), liaison).status_code != 302


def test_a_session_from_before_epochs_still_works(app, liaison):
    """Sessions made by the previous release hold a bare user id: upgrading logs nobody out."""
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = str(liaison.id)
        session["_fresh"] = True
    assert _logged_in(client)


def test_the_last_active_admin_cannot_be_disabled(app, admin, make_user):
    with pytest.raises(DomainError, match="最后一个"):
        staff.disable(admin, admin, now=NOW)
    second = make_user(Role.ADMIN)
    staff.disable(admin, second, now=NOW)
    with pytest.raises(DomainError, match="最后一个"):
        staff.disable(admin, admin, now=NOW)


def test_move_and_change_title_are_audited(app, client, admin, liaison):
    _login(client, admin)
    send(client, "POST", f"/admin/staff/{liaison.id}/move", {"department": "jiaoyu"})
    send(client, "POST", f"/admin/staff/{liaison.id}/title", {"title": "spokesperson"})
    db.session.expire_all()
    assert (liaison.department.slug, liaison.title) == ("jiaoyu", StaffTitle.SPOKESPERSON)
    assert _actions(liaison.id) == ["staff.move", "staff.title"]


def test_the_list_searches_by_department_title_and_name(app, client, admin, spokesperson, liaison, other_staff):
    _login(client, admin)
    page = send(client, "GET", "/admin/staff?department=gongan&title=liaison").get_data(as_text=True)
    assert liaison.username in page and spokesperson.username not in page and other_staff.username not in page
    page = send(client, "GET", "/admin/staff?q=jiaoyu").get_data(as_text=True)
    assert other_staff.username in page and liaison.username not in page


CSV_OK = (
    "username,display_name,department,title,email\n"
    "gongan02,李娜,gongan,liaison,\n"
    "jiaoyu02,赵刚,jiaoyu,spokesperson,zhao@example.com\n"
)


def test_a_csv_import_creates_every_account_with_its_link(app, client, admin):
    _login(client, admin)
    page = send(
        client, "POST", "/admin/staff/import", {"file": (io.BytesIO(("\ufeff" + CSV_OK).encode()), "staff.csv")}
    ).get_data(as_text=True)
    assert len(LINK_RE.findall(page)) == 2
    assert {u.username for u in db.session.scalars(db.select(User).where(User.role == Role.STAFF))} >= {
        "gongan02",
        "jiaoyu02",
    }


def test_a_csv_with_one_bad_line_creates_nothing_and_lists_every_problem(app, client, admin, liaison):
    _login(client, admin)
    bad = CSV_OK + f"{liaison.username},重名,gongan,liaison,\nxx,短,nowhere,boss,\n"
    before = fingerprint()
    page = send(client, "POST", "/admin/staff/import", {"file": (io.BytesIO(bad.encode()), "staff.csv")}).get_data(
        as_text=True
    )
    assert fingerprint() == before
    assert "第 4 行" in page and "第 5 行" in page and "没有导入任何账号" in page


def test_bylines_name_the_signer_once_switched_on(app, client, admin, spokesperson, make_post):
    post = make_post(spokesperson, "署名测试")
    post.byline = True
    db.session.commit()
    assert spokesperson.display_name not in send(client, "GET", f"/p/{post.id}").get_data(as_text=True)
    _login(client, admin)
    send(client, "POST", "/admin/departments/gongan/bylines", {"show": "y"})
    assert departments.by_slug("gongan").show_staff_names
    assert spokesperson.display_name in send(app.test_client(), "GET", f"/p/{post.id}").get_data(as_text=True)


def test_the_spokesperson_edits_the_public_profile(app, client, spokesperson, liaison):
    _login(client, liaison)
    assert send(client, "GET", "/console/profile").status_code == 403
    _login(client := app.test_client(), spokesperson)
    send(
        client,
        "POST",
        "/console/profile",
        {"description": "负责全市治安。", "phone": "0371-110", "address": "郑州市", "hours": "工作日 9:00–17:00"},
    )
    hall = send(app.test_client(), "GET", "/hall/gongan").get_data(as_text=True)
    assert "工作日 9:00–17:00" in hall and "负责全市治安。" in hall
    assert (
        db.session.scalar(db.select(AuditLog.action).where(AuditLog.actor_id == spokesperson.id))
        == "department.profile"
    )


@pytest.mark.parametrize(
    "change",
    [
        lambda actor, user: staff.disable(actor, user, now=NOW),
        lambda actor, user: staff.reset_password(actor, user, now=NOW),
        lambda actor, user: staff.move(actor, user, departments.by_slug("jiaoyu"), now=NOW),
        lambda actor, user: staff.change_title(actor, user, "spokesperson", now=NOW),
        lambda actor, user: staff.set_show_names(actor, user.department, True, now=NOW),
        lambda actor, user: staff.import_csv(actor, CSV_OK, now=NOW),
    ],
)
def test_only_the_admin_changes_accounts_in_the_domain_too(app, spokesperson, liaison, citizen, change):
    """The rule is the domain's, not only the admin pages' (the matrix sees the pages)."""
    from xtq.domain.errors import PermissionDenied

    for actor in (spokesperson, citizen, None):
        with pytest.raises(PermissionDenied):
            change(actor, liaison)


@pytest.mark.parametrize("app_config", [{"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": PORT}])
def test_with_mail_configured_the_link_goes_by_email_not_on_the_page(app, client, admin, smtp):
    _login(client, admin)
    page = send(
        client,
        "POST",
        "/admin/staff",
        {
            "username": "mailed01",
            "display_name": "邮件",
            "department": "gongan",
            "title": "liaison",
            "email": "mailed01@example.gov.cn",
        },
    ).get_data(as_text=True)
    assert not LINK_RE.search(page) and "mailed01@example.gov.cn" in page
    [(to, content)] = smtp.messages
    assert to == ["mailed01@example.gov.cn"]
    token = LINK_RE.search(content.replace("=\n", "")).group(1)
    assert send(app.test_client(), "GET", f"/account/password/{token}").status_code == 200
