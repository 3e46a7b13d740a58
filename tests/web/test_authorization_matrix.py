"""Who may change what: every route that changes something × every kind of visitor.

One row per mutating endpoint (found in app.url_map: a new POST route without a row fails
`test_every_mutating_route_has_a_row`). Each row builds a fresh target for each visitor and
sends a request that is valid in every way but the visitor's rights; the cell says what must
happen:

    OK      the change is made (the database differs afterwards, or the row's own check holds)
    LOGIN   a redirect to /login, nothing changed
    403/404 that status, nothing changed
    NO      refused without an error page (e.g. a logged-in user posting to /register), nothing changed

Columns: anonymous, citizen (the asker of the row's questions), staff of the target's
department (its spokesperson, and its liaison where the two differ), staff of another
department, and the admin.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import pytest

from tests.helpers import PASSWORD, fingerprint, send
from xtq import clock
from xtq.domain import (
    comments,
    deadlines,
    departments,
    email_addresses,
    following,
    launch,
    moderation,
    notifications,
    publishing,
    questions,
    screening,
)
from xtq.extensions import db
from xtq.models import Comment, PostKind, Role

OK, LOGIN, NO = "ok", "login", "no"
COLUMNS = ("anonymous", "citizen", "dept_staff", "dept_liaison", "other_staff", "admin")
MUTATING = {"POST", "PUT", "PATCH", "DELETE"}


@dataclass
class Row:
    """One mutating endpoint: how to build a target and the request, and the expected answers."""

    prepare: Callable[[dict, object], tuple[str, dict]]  # (users, actor) -> (url, form data)
    expect: dict[str, object]
    method: str = "POST"
    effect: Callable[[object, object], bool] | None = field(default=None)  # (client, actor) -> did it happen?


def cells(anonymous=LOGIN, citizen=403, dept_staff=403, dept_liaison=None, other_staff=403, admin=403):
    return dict(
        anonymous=anonymous,
        citizen=citizen,
        dept_staff=dept_staff,
        dept_liaison=dept_staff if dept_liaison is None else dept_liaison,
        other_staff=other_staff,
        admin=admin,
    )


def ago(**kw):
    return clock.now() - timedelta(**kw)


# ---- builders of targets -----------------------------------------------------------------


def question(users, state):
    """A gongan question asked by the citizen, moved to `state` through the real rules."""
    cal = clock.work_calendar()
    if state == "pending":
        screening.set_mode(screening.ALL)
    q = questions.ask(
        users["citizen"],
        _dept("gongan"),
        title="路灯不亮",
        body="晚上很黑，电话 13800000000",
        category="城市管理",
        now=ago(minutes=2) if state == "fresh" else ago(hours=5),
        cal=cal,
    )
    if state == "pending":
        screening.set_mode(screening.FLAGGED)
    if state in ("declined", "appealed"):
        questions.decline(q, users["dept_liaison"], "不属于本部门职责", now=ago(hours=4), cal=cal)
    if state == "appealed":
        questions.appeal(q, users["citizen"], "属于本部门职责", now=ago(hours=3), cal=cal)
    if state == "hidden":
        questions.hide(q, users["admin"], "隐私", now=ago(hours=4))
    if state in ("accepted", "replied"):
        questions.accept(q, users["dept_liaison"], now=ago(hours=4), cal=cal)
    if state == "replied":
        questions.reply(q, users["dept_staff"], "已安排维修。", now=ago(hours=3), cal=cal)
    db.session.commit()
    return q


def post(users, *, draft=False, pinned=False):
    p = publishing.compose(users["dept_staff"], PostKind.DAILY, "公安的微博", now=ago(hours=2), draft=draft)
    if pinned:
        p.pinned_at = ago(hours=1)
    db.session.commit()
    return p


def comment(users, *, reported=False):
    p = post(users)
    c = comments.add(users["citizen"], p, "一条评论", now=ago(hours=1))
    db.session.flush()
    if reported:
        moderation.report(users["citizen"], "comment", c.id, "不文明", now=ago(minutes=30))
    db.session.commit()
    return c


def _dept(slug):
    return departments.by_slug(slug)


def _follow(users, actor):
    if actor is not None:
        following.follow(actor, _dept("gongan"), now=ago(hours=1))
        db.session.commit()
    return "/hall/gongan/unfollow", {}


def _unread(users, actor):
    if actor is not None:
        notifications.notify(actor, "一条通知", now=ago(hours=1))
        db.session.commit()
    return "/notifications/read", {}


def _ask(users, actor):
    return "/ask", {
        "department": "gongan",
        "title": "路灯不亮",
        "body": "晚上很黑。",
        "category": "城市管理",
        "submit_token": f"token-{id(actor)}-{clock.now().timestamp()}",
    }


def _register(users, actor):
    return "/register", {"username": "newcomer", "display_name": "新网友", "password": PASSWORD, "confirm": PASSWORD}


def _unsubscribe(users, actor):
    """The citizen's one-click link, with the topic switched back on for each visitor."""
    users["citizen"].notify_reply = True
    db.session.commit()
    return f"/unsubscribe/{notifications.unsubscribe_token(users['citizen'], notifications.Topic.REPLY)}", {}


def _reset(users, actor):
    """A fresh reset link for another citizen (the previous visitor's use spent the last one)."""
    from xtq.domain import accounts
    from xtq.models import User

    forgetful = db.session.scalar(db.select(User).where(User.username == "forgetful")) or accounts.register_citizen(
        "forgetful", "健忘的网友", PASSWORD, now=clock.now()
    )
    db.session.commit()
    return f"/password/reset/{email_addresses.reset_token(forgetful, clock.now())}", {
        "password": "brand-new-pass",
        "confirm": "brand-new-pass",
    }


def _with_email(users, actor):
    if actor is not None:
        actor.email = f"{actor.username}@example.com"
        db.session.commit()
    return "/account/email/remove", {}


def logged_in(client, actor) -> bool:
    return 'action="/logout"' in send(client, "GET", "/").get_data(as_text=True)


# ---- the matrix --------------------------------------------------------------------------

ADMIN_ONLY = cells(admin=OK)
DEPT_ONLY = cells(dept_staff=OK)
ANY_USER = cells(citizen=OK, dept_staff=OK, other_staff=OK, admin=OK)

MATRIX: dict[str, Row] = {
    # accounts
    "auth.login": Row(
        lambda u, a: ("/login", {"username": "citizen", "password": PASSWORD}),
        cells(anonymous=OK, citizen=NO, dept_staff=NO, other_staff=NO, admin=NO),
        effect=lambda client, actor: actor is None and logged_in(client, actor),
    ),
    "auth.register": Row(_register, cells(anonymous=OK, citizen=NO, dept_staff=NO, other_staff=NO, admin=NO)),
    "auth.logout": Row(
        lambda u, a: ("/logout", {}),
        ANY_USER,
        effect=lambda client, actor: actor is not None and not logged_in(client, actor),
    ),
    # asking, and the asker's steps
    "questions.ask": Row(_ask, cells(citizen=OK)),
    "questions.followup": Row(
        lambda u, a: (f"/q/{question(u, 'replied').id}/followup", {"followup-text": "何时修好？"}), cells(citizen=OK)
    ),
    "questions.rate": Row(
        lambda u, a: (f"/q/{question(u, 'replied').id}/rate", {"rate-rating": "satisfied"}), cells(citizen=OK)
    ),
    # the asker's recourse and the office's appeal review (issue 16)
    "recourse.edit": Row(
        lambda u, a: (
            f"/q/{question(u, 'fresh').id}/edit",
            {"edit-title": "路灯不亮了", "edit-body": "晚上很黑，请修理。"},
        ),
        cells(citizen=OK),
    ),
    "recourse.withdraw": Row(lambda u, a: (f"/q/{question(u, 'asked').id}/withdraw", {}), cells(citizen=OK)),
    "recourse.appeal": Row(
        lambda u, a: (f"/q/{question(u, 'declined').id}/appeal", {"appeal-reason": "属于职责"}), cells(citizen=OK)
    ),
    "question_admin.uphold": Row(
        lambda u, a: (f"/admin/questions/{question(u, 'appealed').id}/uphold", {"uphold-reason": "确不属于"}),
        ADMIN_ONLY,
    ),
    "question_admin.reopen": Row(
        lambda u, a: (
            f"/admin/questions/{question(u, 'appealed').id}/reopen",
            {"reopen-department": "chengguan", "reopen-reason": "路灯归城管"},
        ),
        ADMIN_ONLY,
    ),
    # review before publishing
    "review.approve": Row(lambda u, a: (f"/admin/review/question/{question(u, 'pending').id}/approve", {}), ADMIN_ONLY),
    "review.reject": Row(
        lambda u, a: (f"/admin/review/question/{question(u, 'pending').id}/reject", {"reason": "含不实信息"}),
        ADMIN_ONLY,
    ),
    "review.set_mode": Row(lambda u, a: ("/admin/review/mode", {"mode": "all"}), ADMIN_ONLY),
    # 同问: any citizen but the asker (the matrix's citizen asked the question), so nobody here
    "questions.metoo": Row(lambda u, a: (f"/q/{question(u, 'accepted').id}/metoo", {}), cells(citizen=403)),
    "questions.unmetoo": Row(lambda u, a: (f"/q/{question(u, 'accepted').id}/unmetoo", {}), cells(citizen=403)),
    # the department's steps on a question
    "inbox.accept": Row(lambda u, a: (f"/console/questions/{question(u, 'asked').id}/accept", {}), DEPT_ONLY),
    "inbox.decline": Row(
        lambda u, a: (f"/console/questions/{question(u, 'asked').id}/decline", {"decline-reason": "不属于本部门职责"}),
        DEPT_ONLY,
    ),
    "inbox.transfer": Row(
        lambda u, a: (
            f"/console/questions/{question(u, 'asked').id}/transfer",
            {"transfer-department": "jiaoyu", "transfer-reason": "属教育局职责"},
        ),
        DEPT_ONLY,
    ),
    "inbox.progress": Row(
        lambda u, a: (f"/console/questions/{question(u, 'accepted').id}/progress", {"progress-text": "已派人查看"}),
        DEPT_ONLY,
    ),
    "inbox.reply": Row(
        lambda u, a: (f"/console/questions/{question(u, 'accepted').id}/reply", {"reply-text": "已修好"}), DEPT_ONLY
    ),
    # the admin's steps on a question
    "question_admin.hide": Row(
        lambda u, a: (f"/admin/questions/{question(u, 'asked').id}/hide", {"hide-reason": "含有他人隐私"}), ADMIN_ONLY
    ),
    "question_admin.unhide": Row(lambda u, a: (f"/admin/questions/{question(u, 'hidden').id}/unhide", {}), ADMIN_ONLY),
    "question_admin.redact": Row(
        lambda u, a: (
            f"/admin/questions/{question(u, 'asked').id}/redact",
            {"redact-target": "question", "redact-fragment": "13800000000", "redact-reason": "电话号码"},
        ),
        ADMIN_ONLY,
    ),
    # publishing
    "console.compose": Row(
        lambda u, a: ("/console/compose", {"kind": "daily", "body": "新微博", "when": "now"}),
        # another department's spokesperson publishes for their own department
        cells(dept_staff=OK, dept_liaison=403, other_staff=OK),
    ),
    "console.edit": Row(
        lambda u, a: (f"/console/posts/{post(u).id}/edit", {"body": "改过的微博"}),
        cells(dept_staff=OK, dept_liaison=403),
    ),
    "console.publish": Row(
        lambda u, a: (f"/console/posts/{post(u, draft=True).id}/publish", {}), cells(dept_staff=OK, dept_liaison=403)
    ),
    "console.pin": Row(lambda u, a: (f"/console/posts/{post(u).id}/pin", {}), cells(dept_staff=OK, dept_liaison=403)),
    "console.unpin": Row(
        lambda u, a: (f"/console/posts/{post(u, pinned=True).id}/unpin", {}), cells(dept_staff=OK, dept_liaison=403)
    ),
    "console.delete": Row(
        lambda u, a: (f"/console/posts/{post(u).id}/delete", {}), cells(dept_staff=OK, dept_liaison=403)
    ),
    "console.hide_comment": Row(
        lambda u, a: (f"/console/comments/{comment(u).id}/hide", {"reason": "广告"}), DEPT_ONLY
    ),
    # citizens' engagement
    "posts.comment": Row(lambda u, a: (f"/p/{post(u).id}/comments", {"body": "说得好"}), cells(citizen=OK)),
    "reports.report": Row(lambda u, a: (f"/report/comment/{comment(u).id}", {"reason": "广告", "next": "/"}), ANY_USER),
    "following.follow": Row(lambda u, a: ("/hall/gongan/follow", {}), ANY_USER),
    "following.unfollow": Row(_follow, ANY_USER),
    "notifications.read_all": Row(_unread, ANY_USER),
    # my account; links from e-mails work for whoever holds them (the signed token is the right)
    "account.email": Row(lambda u, a: ("/account/email", {"email": "new@example.com"}), ANY_USER),
    "account.remove_email": Row(_with_email, ANY_USER),
    "account.preferences": Row(lambda u, a: ("/account/notifications", {"reply": "y"}), ANY_USER),
    "account.districts": Row(lambda u, a: ("/account/districts", {"districts": "jinshui"}), ANY_USER),
    "account.unsubscribe_link": Row(
        _unsubscribe, cells(anonymous=OK, citizen=OK, dept_staff=OK, other_staff=OK, admin=OK)
    ),
    "auth.forgot": Row(
        lambda u, a: ("/password/forgot", {"email": "citizen@example.com"}),  # mail only: no row changes
        cells(anonymous=NO, citizen=NO, dept_staff=NO, other_staff=NO, admin=NO),
    ),
    "auth.reset": Row(_reset, cells(anonymous=OK, citizen=OK, dept_staff=OK, other_staff=OK, admin=OK)),
    # moderation
    "admin.decide": Row(
        lambda u, a: (f"/admin/reports/comment/{comment(u, reported=True).id}", {"reason": "广告", "hide": "隐藏"}),
        ADMIN_ONLY,
    ),
}


def _scheduled(users, actor):
    """A launch planned for tomorrow, for the admin to call off."""
    from xtq.web import site_state

    launch.schedule(users["admin"], clock.now() + timedelta(days=1), now=clock.now(), state=site_state.current())
    db.session.commit()
    site_state.changed()
    return "/launch/unschedule", {}


def _ceremony(users):
    """A fresh open rehearsal (one may be open at a time: the previous actor's is cancelled)."""
    from xtq.web import site_state

    if (previous := launch.open_ceremony()) is not None:
        launch.cancel(users["admin"], previous, now=clock.now())
    ceremony = launch.open_new(
        users["admin"], ["市领导", "网友代表"], rehearsal=True, now=clock.now(), state=site_state.current()
    )
    db.session.commit()
    return ceremony


def _demo_mode(users, actor):
    from xtq.domain import settings
    from xtq.web import site_state

    settings.put(settings.DEMO_MODE, "1")
    db.session.commit()
    site_state.changed()
    return "/admin/demo/advance", {"days": "2"}


def _future_local() -> str:
    return (clock.now() + timedelta(days=2)).astimezone(deadlines.SHANGHAI).strftime("%Y-%m-%dT%H:%M")


ADMIN_ONLY_403 = cells(anonymous=403, admin=OK)  # launch pages answer 403, not a login page: guests use codes

MATRIX.update(
    {
        # the launch ceremony: the admin plans and runs it; anyone holding a seat's code presses it
        "launch.schedule": Row(lambda u, a: ("/launch/schedule", {"at": _future_local()}), ADMIN_ONLY_403),
        "launch.unschedule": Row(_scheduled, ADMIN_ONLY_403),
        "launch.open_ceremony": Row(
            lambda u, a: ("/launch/ceremony", {"seats": "市领导、网友代表", "rehearsal": "y"}), ADMIN_ONLY_403
        ),
        "launch.cancel": Row(lambda u, a: (f"/launch/ceremony/{_ceremony(u).id}/cancel", {}), ADMIN_ONLY_403),
        "launch.press": Row(
            lambda u, a: (f"/launch/seat/{_ceremony(u).seats[0].code}", {}),
            cells(anonymous=OK, citizen=OK, dept_staff=OK, other_staff=OK, admin=OK),
        ),
        # the trainer's demo clock (demo mode only)
        "admin.advance_demo_clock": Row(_demo_mode, ADMIN_ONLY),
    }
)


def _blocked(users, actor):
    from xtq.federation.models import BlockedDomain

    if db.session.get(BlockedDomain, "spam.example") is None:
        db.session.add(BlockedDomain(host="spam.example", created_at=clock.now()))
        db.session.commit()
    return "/admin/federation/blocks/spam.example/delete", {}


def _dead_letter(users, actor):
    from xtq.federation.models import Delivery, DeliveryStatus

    delivery = Delivery(
        department_id=_dept("gongan").id,
        inbox="https://social.example/inbox",
        host="social.example",
        activity="{}",
        status=DeliveryStatus.DEAD,
        created_at=ago(days=3),
        next_attempt_at=ago(days=3),
        last_error="HTTP 500",
    )
    db.session.add(delivery)
    db.session.commit()
    return f"/admin/federation/deliveries/{delivery.id}/retry", {}


MATRIX.update(
    {
        # the fediverse: an inbox takes only signed activities, whoever's session cookie comes along (401)
        "federation.receive": Row(
            lambda u, a: ("/inbox", {}), cells(anonymous=NO, citizen=NO, dept_staff=NO, other_staff=NO, admin=NO)
        ),
        # the coordinating office's federation controls
        "federation_admin.switch": Row(lambda u, a: ("/admin/federation/departments/gongan", {"on": "0"}), ADMIN_ONLY),
        "federation_admin.block": Row(
            lambda u, a: ("/admin/federation/blocks", {"host": "bad.example", "reason": "垃圾"}), ADMIN_ONLY
        ),
        "federation_admin.unblock": Row(_blocked, ADMIN_ONLY),
        "federation_admin.retry": Row(_dead_letter, ADMIN_ONLY),
    }
)


# ---- the office's staff accounts and a department's profile (issue 13) ---------------------

_SERIAL = itertools.count(1)


def _account(users, *, active=True):
    """A fresh liaison of the target department, for the office to change."""
    from xtq.domain import staff

    user = staff.create(
        users["admin"],
        username=f"staff{next(_SERIAL)}",
        display_name="新人",
        department=_dept("gongan"),
        title="liaison",
        now=ago(hours=1),
    )
    if not active:
        staff.disable(users["admin"], user, now=ago(minutes=30))
    db.session.commit()
    return user


def _link(users, actor):
    from flask import current_app

    from xtq.domain import staff

    return f"/account/password/{staff.password_token(_account(users), current_app.config['SECRET_KEY'])}", {
        "password": "a-new-secret",
        "confirm": "a-new-secret",
    }


def _csv(users, actor):
    import io

    return "/admin/staff/import", {
        "file": (
            io.BytesIO(f"username,display_name,department,title\nimp{next(_SERIAL)},导入,gongan,liaison\n".encode()),
            "staff.csv",
        )
    }


def _at_office(users):
    """A gongan question its liaison returned to the office's dispatch queue."""
    from xtq.domain import office

    q = question(users, "asked")
    office.return_to_office(q, users["dept_liaison"], "不属于本部门职责", now=ago(hours=1), cal=clock.work_calendar())
    db.session.commit()
    return q


def _assisted(users):
    """An accepted gongan question that the other department (jiaoyu) assists on."""
    from xtq.domain import office

    q = question(users, "accepted")
    office.add_assist(q, users["dept_staff"], _dept("jiaoyu"), now=ago(hours=1))
    db.session.commit()
    return q


def _extension(users):
    """A pending request for three more working days on a gongan question."""
    from xtq.domain import office

    row = office.request_extension(
        question(users, "accepted"), users["dept_liaison"], 3, "需要现场勘查", now=ago(hours=1)
    )
    db.session.commit()
    return row


MATRIX.update(
    {
        # dispatch and return, the handler and internal notes
        "office.dispatch": Row(
            lambda u, a: (f"/admin/questions/{_at_office(u).id}/dispatch", {"dispatch-department": "jiaoyu"}),
            ADMIN_ONLY,
        ),
        "office.return_to_office": Row(
            lambda u, a: (
                f"/console/questions/{question(u, 'asked').id}/return",
                {"return-reason": "不属于本部门职责"},
            ),
            DEPT_ONLY,
        ),
        "office.assign": Row(
            lambda u, a: (
                f"/console/questions/{question(u, 'accepted').id}/assign",
                {"assign-handler": str(u["dept_liaison"].id)},
            ),
            DEPT_ONLY,
        ),
        "office.request_extension": Row(
            lambda u, a: (
                f"/console/questions/{question(u, 'accepted').id}/extension",
                {"extend-days": "3", "extend-reason": "需要现场勘查"},
            ),
            DEPT_ONLY,
        ),
        "office.supervise": Row(
            lambda u, a: (
                f"/admin/questions/{question(u, 'accepted').id}/supervise",
                {"supervise-reason": "请加快办理", "supervise-days": "3"},
            ),
            ADMIN_ONLY,
        ),
        "office.approve_extension": Row(lambda u, a: (f"/admin/extensions/{_extension(u).id}/approve", {}), ADMIN_ONLY),
        "office.refuse_extension": Row(
            lambda u, a: (f"/admin/extensions/{_extension(u).id}/refuse", {"reason": "理由不充分"}), ADMIN_ONLY
        ),
        "office.intake": Row(
            lambda u, a: (
                "/console/intake",
                {
                    "channel": "phone",
                    "department": "gongan",
                    "title": "噪音扰民",
                    "body": "凌晨施工。",
                    "category": "环境",
                    "caller": "张先生",
                },
            ),
            cells(dept_staff=OK, other_staff=OK, admin=OK),
        ),
        "office.assist": Row(
            lambda u, a: (f"/console/questions/{question(u, 'accepted').id}/assist", {"assist-department": "jiaotong"}),
            DEPT_ONLY,
        ),
        # only the assisting department (another department's staff here) marks its part done
        "office.assist_done": Row(
            lambda u, a: (f"/console/questions/{_assisted(u).id}/assist/done", {}), cells(other_staff=OK)
        ),
        "office.note": Row(
            lambda u, a: (f"/q/{question(u, 'asked').id}/notes", {"note-text": "内部备注"}),
            cells(dept_staff=OK, admin=OK),
        ),
        "admin_staff.create": Row(
            lambda u, a: (
                "/admin/staff",
                {"username": f"new{next(_SERIAL)}", "display_name": "新人", "department": "gongan", "title": "liaison"},
            ),
            ADMIN_ONLY,
        ),
        "admin_staff.import_csv": Row(_csv, ADMIN_ONLY),
        "admin_staff.disable": Row(lambda u, a: (f"/admin/staff/{_account(u).id}/disable", {}), ADMIN_ONLY),
        "admin_staff.enable": Row(lambda u, a: (f"/admin/staff/{_account(u, active=False).id}/enable", {}), ADMIN_ONLY),
        "admin_staff.reset": Row(lambda u, a: (f"/admin/staff/{_account(u).id}/reset", {}), ADMIN_ONLY),
        "admin_staff.move": Row(
            lambda u, a: (f"/admin/staff/{_account(u).id}/move", {"department": "jiaoyu"}), ADMIN_ONLY
        ),
        "admin_staff.change_title": Row(
            lambda u, a: (f"/admin/staff/{_account(u).id}/title", {"title": "spokesperson"}), ADMIN_ONLY
        ),
        "admin_staff.bylines": Row(lambda u, a: ("/admin/departments/gongan/bylines", {"show": "y"}), ADMIN_ONLY),
        # whoever holds the link sets the password: the link is the credential
        "admin_staff.set_password": Row(
            _link, cells(anonymous=OK, citizen=OK, dept_staff=OK, other_staff=OK, admin=OK)
        ),
        "admin_staff.profile": Row(
            lambda u, a: ("/console/profile", {"description": f"简介{id(a)}", "hours": "工作日"}),
            cells(dept_staff=OK, dept_liaison=403, other_staff=OK),
        ),
    }
)


def test_every_mutating_route_has_a_row(app):
    mutating = {rule.endpoint for rule in app.url_map.iter_rules() if rule.methods & MUTATING}
    assert mutating - set(MATRIX) == set(), "a route that changes something has no row in MATRIX"
    assert set(MATRIX) - mutating == set(), "MATRIX lists a route that no longer exists"


@pytest.fixture
def users(citizen, spokesperson, liaison, other_staff, admin):
    return {
        "anonymous": None,
        "citizen": citizen,
        "dept_staff": spokesperson,
        "dept_liaison": liaison,
        "other_staff": other_staff,
        "admin": admin,
    }


@pytest.mark.parametrize("endpoint", sorted(MATRIX))
def test_authorization_matrix(app, users, endpoint):
    row = MATRIX[endpoint]
    assert set(row.expect) == set(COLUMNS)
    wrong = []
    for column in COLUMNS:
        actor = users[column]
        client = app.test_client()
        if actor is not None:
            assert send(client, "POST", "/login", {"username": actor.username, "password": PASSWORD}).status_code == 302
        url, data = row.prepare(users, actor)
        before = fingerprint()
        response = send(client, row.method, url, data)
        changed = row.effect(client, actor) if row.effect else fingerprint() != before
        got = _verdict(response, changed)
        if got != row.expect[column]:
            wrong.append(f"{column}: expected {row.expect[column]}, got {got} ({response.status_code} {url})")
        db.session.rollback()
    assert not wrong, f"{endpoint}:\n" + "\n".join(wrong)


def _verdict(response, changed: bool):
    status = response.status_code
    assert status < 500, f"{response.request.path} answered {status}"
    location = response.headers.get("Location", "")
    if status in (403, 404):
        return status if not changed else f"{status} AND CHANGED"
    if status == 302 and location.startswith("/login"):
        return LOGIN if not changed else "login AND CHANGED"
    return OK if changed else NO


def test_the_matrix_sees_a_missing_permission_check(app, users, monkeypatch):
    """The gate itself: with the department check gone from the rules, the matrix notices."""
    monkeypatch.setattr(
        questions,
        "is_department_staff",
        lambda user, q: bool(user and user.is_authenticated and user.role == Role.STAFF),
    )
    with pytest.raises(AssertionError, match="other_staff: expected 403, got ok"):
        test_authorization_matrix(app, users, "inbox.accept")


def test_comment_hide_keeps_the_comment(app, users):
    """A hidden comment stays in the database (the matrix counts it as changed, not deleted)."""
    c = comment(users)
    client = app.test_client()
    send(client, "POST", "/login", {"username": users["dept_staff"].username, "password": PASSWORD})
    send(client, "POST", f"/console/comments/{c.id}/hide", {"reason": "广告"})
    db.session.expire_all()
    assert db.session.get(Comment, c.id).hidden_at is not None
