"""Hostile input: every form field and query parameter tried with what attackers and broken
clients send. Never a 500; a refusal says why in Chinese on the page (or in the API's JSON
error) and leaves the database exactly as it was; what is accepted is stored cleaned
(xtq.text.clean: no NUL, no control characters, no bidi overrides) and shown inert.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
import sqlalchemy as sa

from tests.helpers import PASSWORD, fingerprint, send
from tests.web.test_markup_inert import assert_inert
from xtq import clock
from xtq.domain import comments, moderation, publishing, questions
from xtq.domain.departments import by_slug
from xtq.extensions import db
from xtq.models import Post, PostKind, Question

SHARED = Path(__file__).resolve().parents[3] / "shared" / "security-payloads"
CJK = re.compile(r"[\u4e00-\u9fff]")
UNWANTED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff]")
ERROR_RE = re.compile(r'<p class="(?:error|flash flash-error)"[^>]*>([^<]*)</p>')

# Values that must be refused in a required text field.
REFUSED = {
    "empty": "",
    "whitespace": " \t\r\n\u3000 ",
    "controls only": "\x00\x01\x1b\x7f\u202e\u2066",
    "oversize": "长" * 5000,
}
# Values that may be accepted (cleaned) or refused (a select, a too-long title): never a 500.
ODD = {
    "control characters": "路灯\x01\x08\x1b[31m坏了\x7f\x85",
    "NUL": "路灯\x00坏了",
    "RTL override": "路灯\u202e坏了\u2066txt.exe\u2069",
    "long line": "W" * 55,
    "markup": '<script>alert("INJECTX")</script>',
    "replacement char": "路灯\ufffd坏了",
}
# Bytes that are not UTF-8, sent raw and percent-encoded in the body.
INVALID_UTF8 = [b"\xff\xfe\xc3\x28\xc0\xaf", b"%FF%FE%C3%28%ED%A0%80"]


@dataclass
class FormCase:
    """A form: who sends it, how to build its target, valid data, and which fields are required text."""

    who: str | None
    prepare: Callable[[dict], tuple[str, dict]]
    required: tuple[str, ...]
    other: tuple[str, ...] = ()


def _question(users, state="asked"):
    cal = clock.work_calendar()
    now = clock.now()
    q = questions.ask(
        users["citizen"],
        by_slug("gongan"),
        title="路灯不亮",
        body="晚上很黑，电话 13800000000",
        category="城市管理",
        now=now - timedelta(hours=5),
        cal=cal,
    )
    if state in ("accepted", "replied"):
        questions.accept(q, users["liaison"], now=now - timedelta(hours=4), cal=cal)
    if state == "replied":
        questions.reply(q, users["spokesperson"], "已安排维修。", now=now - timedelta(hours=3), cal=cal)
    db.session.commit()
    return q.id


def _post(users):
    p = publishing.compose(users["spokesperson"], PostKind.DAILY, "公安的微博", now=clock.now() - timedelta(hours=2))
    db.session.commit()
    return p.id


def _comment(users, reported=False):
    p = db.session.get(Post, _post(users))
    c = comments.add(users["citizen"], p, "一条评论", now=clock.now() - timedelta(hours=1))
    db.session.flush()
    if reported:
        moderation.report(users["citizen"], "comment", c.id, "广告", now=clock.now() - timedelta(minutes=5))
    db.session.commit()
    return c.id


_tokens = iter(range(10**6))


def _start(hours):
    from zoneinfo import ZoneInfo

    return (clock.now() + timedelta(hours=hours)).astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%dT%H:%M")


FORMS: dict[str, FormCase] = {
    "register": FormCase(
        None,
        lambda u: (
            "/register",
            {"username": f"new{next(_tokens)}", "display_name": "新网友", "password": PASSWORD, "confirm": PASSWORD},
        ),
        ("username", "display_name", "password", "confirm"),
    ),
    "login": FormCase(
        None, lambda u: ("/login", {"username": "citizen", "password": PASSWORD}), ("username", "password")
    ),
    "ask": FormCase(
        "citizen",
        lambda u: (
            "/ask",
            {
                "department": "gongan",
                "title": "路灯不亮",
                "body": "晚上很黑。",
                "category": "城市管理",
                "district": "",
                "submit_token": f"t{next(_tokens)}",
            },
        ),
        ("department", "title", "body", "category", "submit_token"),
        ("district", "anonymous"),
    ),
    "compose": FormCase(
        "spokesperson",
        lambda u: ("/console/compose", {"kind": "daily", "body": "新微博", "when": "now"}),
        ("kind", "body", "when"),
        ("byline", "publish_at"),
    ),
    "compose notice": FormCase(
        "spokesperson",
        lambda u: (
            "/console/compose",
            {
                "kind": "outage",
                "body": "停水通知",
                "when": "now",
                "notice_type": "water_outage",
                "notice_districts": "jinshui",
                "notice_streets": "花园路",
                "notice_start": _start(1),
                "notice_end": _start(5),
            },
        ),
        ("notice_type", "notice_districts", "notice_start", "notice_end"),
        ("notice_streets",),
    ),
    "edit": FormCase("spokesperson", lambda u: (f"/console/posts/{_post(u)}/edit", {"body": "改过的微博"}), ("body",)),
    "comment": FormCase("citizen", lambda u: (f"/p/{_post(u)}/comments", {"body": "说得好"}), ("body",)),
    "report": FormCase(
        "citizen", lambda u: (f"/report/comment/{_comment(u)}", {"reason": "广告", "next": "/"}), (), ("reason", "next")
    ),
    "hide comment": FormCase(
        "spokesperson", lambda u: (f"/console/comments/{_comment(u)}/hide", {"reason": "广告"}), ("reason",)
    ),
    "admin decide": FormCase(
        "admin",
        lambda u: (f"/admin/reports/comment/{_comment(u, True)}", {"reason": "广告", "hide": "隐藏"}),
        (),
        ("reason",),
    ),
    "decline": FormCase(
        "liaison",
        lambda u: (f"/console/questions/{_question(u)}/decline", {"decline-reason": "不属于本部门职责"}),
        ("decline-reason",),
    ),
    "transfer": FormCase(
        "liaison",
        lambda u: (
            f"/console/questions/{_question(u)}/transfer",
            {"transfer-department": "jiaoyu", "transfer-reason": "属教育局职责"},
        ),
        ("transfer-department", "transfer-reason"),
    ),
    "progress": FormCase(
        "liaison",
        lambda u: (f"/console/questions/{_question(u, 'accepted')}/progress", {"progress-text": "已派人查看"}),
        ("progress-text",),
    ),
    "reply": FormCase(
        "spokesperson",
        lambda u: (f"/console/questions/{_question(u, 'accepted')}/reply", {"reply-text": "已修好"}),
        ("reply-text",),
        ("reply-posts",),
    ),
    "followup": FormCase(
        "citizen",
        lambda u: (f"/q/{_question(u, 'replied')}/followup", {"followup-text": "何时修好？"}),
        ("followup-text",),
    ),
    "rate": FormCase(
        "citizen",
        lambda u: (f"/q/{_question(u, 'replied')}/rate", {"rate-rating": "unsatisfied", "rate-comment": "还是不亮"}),
        ("rate-rating",),
        ("rate-comment",),
    ),
    "hide question": FormCase(
        "admin", lambda u: (f"/admin/questions/{_question(u)}/hide", {"hide-reason": "隐私"}), ("hide-reason",)
    ),
    "redact": FormCase(
        "admin",
        lambda u: (
            f"/admin/questions/{_question(u)}/redact",
            {"redact-target": "question", "redact-fragment": "13800000000", "redact-reason": "电话号码"},
        ),
        ("redact-fragment", "redact-reason"),
        ("redact-target",),
    ),
}


def _office_question(users, step):
    """A gongan question for the office's steps: returned to the queue, or with a pending extension."""
    from xtq.domain import office

    q = db.session.get(Question, _question(users, "accepted"))
    at = clock.now() - timedelta(hours=2)
    row = office.request_extension(q, users["liaison"], 3, "需要勘查", now=at) if step == "extension" else None
    if step == "returned":
        office.return_to_office(q, users["liaison"], "不属于本部门职责", now=at, cal=clock.work_calendar())
    db.session.commit()
    return row.id if row else q.id


FORMS.update(
    {  # the coordinating office's forms (issue 13)
        "staff create": FormCase(
            "admin",
            lambda u: (
                "/admin/staff",
                {
                    "username": f"staff{next(_tokens)}",
                    "display_name": "新人",
                    "department": "gongan",
                    "title": "liaison",
                },
            ),
            ("username", "display_name", "department", "title"),
            ("email",),
        ),
        "profile": FormCase(
            "spokesperson",
            lambda u: ("/console/profile", {"description": "简介", "hours": "工作日"}),
            (),
            ("description", "phone", "address", "hours"),
        ),
        "intake": FormCase(
            "spokesperson",
            lambda u: (
                "/console/intake",
                {"channel": "phone", "title": "噪音扰民", "body": "凌晨施工。", "category": "环境", "caller": "张先生"},
            ),
            ("channel", "title", "body", "category", "caller"),
            ("department",),
        ),
        "dispatch": FormCase(
            "admin",
            lambda u: (
                f"/admin/questions/{_office_question(u, 'returned')}/dispatch",
                {"dispatch-department": "jiaoyu"},
            ),
            ("dispatch-department",),
            ("dispatch-note",),
        ),
        "return": FormCase(
            "liaison",
            lambda u: (f"/console/questions/{_question(u)}/return", {"return-reason": "不属于本部门"}),
            ("return-reason",),
        ),
        "note": FormCase("liaison", lambda u: (f"/q/{_question(u)}/notes", {"note-text": "内部备注"}), ("note-text",)),
        "extension": FormCase(
            "liaison",
            lambda u: (
                f"/console/questions/{_question(u, 'accepted')}/extension",
                {"extend-days": "3", "extend-reason": "需要勘查"},
            ),
            ("extend-days", "extend-reason"),
        ),
        "refuse extension": FormCase(
            "admin",
            lambda u: (f"/admin/extensions/{_office_question(u, 'extension')}/refuse", {"reason": "理由不足"}),
            ("reason",),
        ),
        "supervise": FormCase(
            "admin",
            lambda u: (
                f"/admin/questions/{_question(u, 'accepted')}/supervise",
                {"supervise-reason": "请加快", "supervise-days": "3"},
            ),
            ("supervise-reason", "supervise-days"),
        ),
    }
)


@pytest.fixture
def users(citizen, spokesperson, liaison, other_staff, admin):
    return {"citizen": citizen, "spokesperson": spokesperson, "liaison": liaison, "admin": admin}


def _client(app, users, who):
    client = app.test_client()
    if who:
        assert (
            send(client, "POST", "/login", {"username": users[who].username, "password": PASSWORD}).status_code == 302
        )
    return client


def _messages(client, response) -> list[str]:
    """The error messages the visitor reads: on the form, or flashed on the page it was sent back to."""
    if response.status_code in (301, 302, 303):
        response = send(client, "GET", response.headers["Location"])
    return ERROR_RE.findall(response.get_data(as_text=True))


def _new_text(before: tuple, after: tuple) -> list[str]:
    """Every row (as text) that appeared since `before`."""
    added = []
    for old, new in zip(before, after):
        added += set(new) - set(old)
    return added


def _check(client, case_name, field, label, response, before, must_refuse):
    where = f"{case_name}: {field} = {label}"
    assert response.status_code < 500, f"{where}: answered {response.status_code}"
    after = fingerprint()
    if after == before:
        messages = _messages(client, response)
        assert messages and all(CJK.search(m) for m in messages), (
            f"{where}: refused without a Chinese message: {messages}"
        )
        return "refused"
    assert not must_refuse, f"{where}: accepted (the database changed)"
    for row in _new_text(before, after):
        assert not UNWANTED.search(row), f"{where}: stored {row}"
    return "stored"


@pytest.mark.parametrize("case_name", sorted(FORMS))
def test_every_form_field_with_hostile_values(app, users, case_name):
    case = FORMS[case_name]
    client = _client(app, users, case.who)
    outcomes = {}
    for field in case.required + case.other:
        values = {**REFUSED, **ODD} if field in case.required else {**ODD, "empty": "", "oversize": "长" * 5000}
        for label, value in values.items():
            url, data = case.prepare(users)
            data = {**data, field: value}
            if case.who is None:  # a logged-out form: each try starts logged out
                client = _client(app, users, None)
            before = fingerprint()
            response = send(client, "POST", url, data)
            must_refuse = field in case.required and label in REFUSED
            outcomes[(field, label)] = _check(client, case_name, field, label, response, before, must_refuse)
        for raw in INVALID_UTF8:
            url, data = case.prepare(users)
            body = (
                urlencode({k: v for k, v in data.items() if k != field}).encode()
                + b"&"
                + quote(field).encode()
                + b"="
                + raw
            )
            before = fingerprint()
            response = send(client, "POST", url, body, content_type="application/x-www-form-urlencoded")
            assert response.status_code < 500, f"{case_name}: {field} = {raw!r}: {response.status_code}"
            after = fingerprint()
            for row in _new_text(before, after):
                assert not UNWANTED.search(row), f"{case_name}: {field} = {raw!r} stored {row}"
    assert outcomes


def test_cleaned_text_is_stored_without_controls(client, auth, citizen):
    """What `clean` keeps and drops, end to end through the ask form."""
    auth.login(citizen)
    client.post(
        "/ask",
        data={
            "department": "gongan",
            "title": "路灯\x00不亮\u202e",
            "body": "第一行\r\n第二行\t完\x1b[0m",
            "category": "城市管理",
            "submit_token": "clean-1",
        },
    )
    q = db.session.scalar(sa.select(Question))
    assert (q.title, q.body) == ("路灯不亮", "第一行\n第二行\t完[0m")


def test_a_huge_body_is_refused_before_parsing(client, auth, citizen):
    auth.login(citizen)
    response = client.post("/ask", data={"body": "长" * 400_000}, headers={"Accept": "text/html"})
    assert response.status_code == 413
    assert "太大" in response.get_data(as_text=True)


# ---- query strings and URL parts ----------------------------------------------------------

GET_PARAMS = {
    "/": ["after"],
    "/timeline": ["department", "group", "status", "category", "after"],
    "/track": ["code"],
    "/search": ["q", "kind", "dept", "since", "until", "page"],
    "/care": ["next", "on"],
    "/login": ["next"],
    "/hall/gongan": ["after"],
    "/topic/话题": ["after"],
    "/me/questions": ["after"],
    "/me/following": ["after"],
    "/notifications": ["after"],
    "/console": ["after"],
    "/console/questions": ["status", "after"],
    "/admin/reports": [],
    "/directory": [],
    "/feed.atom": [],
    "/api/v1/posts": ["cursor", "limit"],
    "/api/v1/departments/gongan/posts": ["cursor", "limit"],
    "/api/v1/departments": [],
}
QUERY_VALUES = [
    "",
    "%20",
    "%00%01%1b",
    "%E2%80%AE",
    "%FF%FE%C0%AF",
    quote("<script>alert(1)</script>"),
    "9" * 400,
    "99999999999999999-1",
    quote("x" * 3000),
    "%0d%0aSet-Cookie:x=1",
]
PATHS = [
    "/hall/%00",
    "/hall/%FF",
    "/hall/gong%0aan",
    "/topic/%00",
    "/topic/%E2%80%AE%FF",
    "/p/99999999999999999999",
    "/q/0",
    "/api/v1/departments/%00",
    "/api/v1/departments/%FF/posts",
    "/api/v1/posts/99999999999999999999",
    "/hall/" + "x" * 3000,
    "/topic/" + "话" * 31,
    "/hall/%00/feed.atom",
]


@pytest.mark.parametrize("who", [None, "citizen", "spokesperson", "admin"])
def test_every_query_parameter_with_hostile_values(app, users, who, make_question):
    make_question("replied", at=clock.now() - timedelta(days=1))
    client = _client(app, users, who)
    for path, names in GET_PARAMS.items():
        for name in names or ["unknown"]:
            for value in QUERY_VALUES:
                url = f"{quote(path)}?{name}={value}"
                response = send(client, "GET", url)
                assert response.status_code < 500, f"{url}: {response.status_code}"
                assert "\r" not in "".join(response.headers.get_all("Location")), url
                if path.startswith("/api/") and response.status_code >= 400:
                    assert response.is_json and CJK.search(response.json["error"]["message"]), url
                if response.mimetype == "text/html":
                    assert "<script>alert(1)" not in response.get_data(as_text=True), url


def test_every_url_part_with_hostile_values(client):
    response = client.get("/topic/%3Cscript%3E/feed.atom")  # a topic of that name: an empty feed, escaped
    assert response.status_code == 200 and b"<script>" not in response.data
    for path in PATHS:
        response = client.get(path)
        assert response.status_code in (404, 400), f"{path}: {response.status_code}"
        if path.startswith("/api/"):
            assert response.is_json and CJK.search(response.json["error"]["message"]), path
    # raw bytes that are not UTF-8 in the path and the query string
    for raw in (
        b"/hall/\xff\xfe",
        b"/search?q=\xff\xfe\xc3\x28",
        b"/timeline?department=\xc0\xaf&status=\xff",
        b"/api/v1/posts?cursor=\xff&limit=\xfe",
    ):
        path, _, query = raw.partition(b"?")
        environ = {
            "PATH_INFO": path.decode("latin-1"),
            "QUERY_STRING": query.decode("latin-1"),
        }  # as a WSGI server hands them on
        response = client.get("/", environ_overrides=environ)
        assert response.status_code < 500, f"{raw!r}: {response.status_code}"


def test_the_api_answers_bad_parameters_with_a_json_error(client):
    for query in ("cursor=abc", "cursor=%FF", "limit=0", "limit=%FF", "limit=101", "limit=" + "9" * 50):
        response = client.get(f"/api/v1/posts?{query}")
        assert response.status_code == 400 and response.is_json, query
        assert CJK.search(response.json["error"]["message"])
    # A NUL is cleaned away like every control character, leaving an empty cursor: the first page.
    response = client.get("/api/v1/posts?cursor=%00")
    assert response.status_code == 200 and response.json == client.get("/api/v1/posts").json


# ---- every public payload list, shown to citizens and to staff -----------------------------


def _payloads() -> list[str]:
    if not SHARED.exists():
        return []
    lines = []
    for name in ("xss_patt_quick.txt", "xss_patt_polyglots.txt", "xss_patt_rsnake_owasp.txt"):
        lines += (SHARED / name).read_text(errors="replace").splitlines()
    big = (SHARED / "xss_payloadbox.txt").read_text(errors="replace").splitlines()
    lines += random.Random(2011).sample(big, 80)  # a fixed sample of the large list
    return [line for line in lines if line.strip()]


PAYLOADS = _payloads()


@pytest.mark.skipif(not PAYLOADS, reason="../shared/security-payloads/ not found beside the repository")
def test_payloads_in_the_question_loop_come_back_inert(app, users, make_user):
    """Every payload as a question's title and body, then in each step's text, on every page that shows them."""
    from xtq.models import Role

    other = make_user(Role.CITIZEN, display_name=PAYLOADS[0][:20])
    citizen = _client(app, users, "citizen")
    liaison = _client(app, users, "liaison")
    spokesperson = _client(app, users, "spokesperson")
    admin = _client(app, users, "admin")
    ids = []
    for n, payload in enumerate(PAYLOADS):
        send(
            citizen,
            "POST",
            "/ask",
            {
                "department": "gongan",
                "title": payload[:60] or "x",
                "body": f"INJECTX {payload}",
                "category": "城市管理",
                "submit_token": f"p{n}",
            },
        )
    ids = list(db.session.scalars(sa.select(Question.id).order_by(Question.id)))
    assert len(ids) == len(PAYLOADS)
    for n, qid in enumerate(ids[:24]):  # each step's text, for a few dozen of them
        payload = PAYLOADS[n]
        if n % 4 == 0:
            send(liaison, "POST", f"/console/questions/{qid}/decline", {"decline-reason": payload[:200]})
            continue
        if n % 4 == 1:
            send(
                liaison,
                "POST",
                f"/console/questions/{qid}/transfer",
                {"transfer-department": "jiaoyu", "transfer-reason": payload[:200]},
            )
            continue
        send(liaison, "POST", f"/console/questions/{qid}/accept", {})
        send(liaison, "POST", f"/console/questions/{qid}/progress", {"progress-text": payload})
        send(spokesperson, "POST", f"/console/questions/{qid}/reply", {"reply-text": payload})
        send(citizen, "POST", f"/q/{qid}/followup", {"followup-text": payload})
        send(spokesperson, "POST", f"/console/questions/{qid}/reply", {"reply-text": "答：" + payload})
        send(citizen, "POST", f"/q/{qid}/rate", {"rate-rating": "unsatisfied", "rate-comment": payload[:200]})
        if n % 4 == 3:
            send(admin, "POST", f"/admin/questions/{qid}/hide", {"hide-reason": payload[:200]})
    code = db.session.get(Question, ids[2]).tracking_code
    pages = {
        "citizen": [f"/q/{i}" for i in ids[:24]]
        + ["/timeline", "/me/questions", "/notifications", f"/track?code={code}", "/hall/gongan", "/search?q=INJECTX"],
        "liaison": [f"/q/{i}" for i in ids[:12]]
        + ["/console/questions", "/console/questions?status=all", "/notifications"],
        "admin": [f"/q/{i}" for i in ids[:12]] + ["/admin/escalations", "/admin/reports", "/admin"],
        None: [f"/q/{i}" for i in ids[:24]]
        + ["/timeline", "/timeline?after=" + "9" * 16 + "-1", "/hall/gongan", "/search?q=INJECTX", "/"],
    }
    clients = {"citizen": citizen, "liaison": liaison, "admin": admin, None: app.test_client()}
    shown = 0
    for who, urls in pages.items():
        for url in urls:
            response = send(clients[who], "GET", url)
            assert response.status_code in (200, 404), f"{who} {url}: {response.status_code}"
            html = response.get_data(as_text=True)
            shown += html.count("INJECTX")
            assert_inert(html, f"{url} as {who or 'anonymous'}")
    assert shown > len(PAYLOADS)
    assert other.display_name  # a payload as a display name is covered by test_markup_inert
