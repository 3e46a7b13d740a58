"""Markup typed into any field comes back inert on every page, feed and API response."""

import json
import xml.etree.ElementTree as ET
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from xtq import clock
from xtq.extensions import db
from xtq.models import Comment, Post, Role, StaffTitle

# shared/ lies beside the repository (and beside CI's clone).
PAYLOAD_FILE = Path(__file__).resolve().parents[3] / "shared" / "security-payloads" / "xss_patt_quick.txt"
PAYLOADS = [line for line in PAYLOAD_FILE.read_text().splitlines() if line.strip()] if PAYLOAD_FILE.exists() else []
FORBIDDEN_TAGS = {"svg", "img", "iframe", "video", "audio", "source", "marquee", "marguee", "keygen", "object", "embed"}
URL_ATTRS = {"href", "src", "action", "formaction", "data"}


def _our_svg(attrs: dict) -> bool:
    """Our own icons (aria-hidden) and the figures' charts (class "chart", titled by their own heading); text
    can make neither (a bar chart holds links, so it is not role img)."""
    return attrs.get("aria-hidden") == "true" or (
        "chart" in (attrs.get("class") or "").split() and (attrs.get("aria-labelledby") or "").endswith("-title")
    )


class InertChecker(HTMLParser):
    """Collects anything in a page that could run: script, event handlers, javascript: URLs, foreign tags."""

    def __init__(self):
        super().__init__()
        self.problems: list[str] = []
        self.h1 = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in FORBIDDEN_TAGS and not (tag == "svg" and _our_svg(attrs)):
            self.problems.append(f"<{tag}>")
        if tag == "script" and not (attrs.get("src") or "").startswith("/static/"):
            self.problems.append("<script> that is not our own file")
        if tag == "h1":
            self.h1 += 1
        for name, value in attrs.items():
            if name.startswith("on") or name in ("autofocus", "formaction"):
                self.problems.append(f"<{tag} {name}>")
            if name in URL_ATTRS and (value or "").strip().lower().startswith(("javascript:", "data:", "vbscript:")):
                self.problems.append(f"<{tag} {name}={value}>")


def assert_inert(html: str, where: str) -> None:
    checker = InertChecker()
    checker.feed(html)
    assert not checker.problems, f"{where}: {checker.problems}"
    assert checker.h1 <= 1, f"{where}: a typed <h1> became markup"
    for payload in PAYLOADS:
        if "<" in payload:
            assert payload not in html, f"{where}: raw payload {payload!r}"


@pytest.mark.parametrize(
    "html",
    [
        "<svg/onload=alert(1)>",
        '<a href="javascript:alert(1)">x</a>',
        "<script>alert(1)</script>",
        '<p onclick="x">a</p>',
        "<h1>a</h1><h1>b</h1>",
    ],
)
def test_the_checker_catches_live_markup(html):
    with pytest.raises(AssertionError):
        assert_inert(html, "sample")


@pytest.fixture
def app_config():
    return {"PAGE_SIZE": 100}


@pytest.mark.skipif(not PAYLOADS, reason="shared/security-payloads not found")
def test_every_payload_in_every_field_comes_back_inert(client, auth, make_user, admin):
    water = make_user(Role.STAFF, slug="zilaishui", title=StaffTitle.SPOKESPERSON, display_name=PAYLOADS[1])
    water.department.show_staff_names = True  # the staff name is shown in bylines
    db.session.commit()
    citizen = make_user(Role.CITIZEN, display_name=PAYLOADS[3][:20])
    beijing = ZoneInfo("Asia/Shanghai")
    start = (clock.now() + timedelta(hours=1)).astimezone(beijing)

    auth.login(water)
    for payload in PAYLOADS:
        assert (
            client.post(
                "/console/compose", data={"kind": "daily", "body": f"#话题# {payload}", "when": "now", "byline": "y"}
            ).status_code
            == 302
        )
    for payload in PAYLOADS[:5]:
        client.post(
            "/console/compose",
            data={
                "kind": "outage",
                "body": payload,
                "when": "now",
                "notice_type": "roadwork",
                "notice_districts": ["jinshui"],
                "notice_streets": payload,
                "notice_start": start.strftime("%Y-%m-%dT%H:%M"),
                "notice_end": (start + timedelta(hours=4)).strftime("%Y-%m-%dT%H:%M"),
            },
        )
    client.post("/console/compose", data={"kind": "daily", "body": PAYLOADS[0], "when": "draft"})
    post_ids = db.session.scalars(db.select(Post.id).order_by(Post.id)).all()
    assert len(post_ids) == len(PAYLOADS) + 6
    first = post_ids[0]
    client.post(f"/console/posts/{first}/edit", data={"body": PAYLOADS[4] + " 已更正"})
    auth.logout()

    auth.login(citizen)
    client.post("/hall/zilaishui/follow")
    for payload in PAYLOADS:
        assert client.post(f"/p/{first}/comments", data={"body": payload}).status_code == 302
    comment_ids = db.session.scalars(db.select(Comment.id).order_by(Comment.id)).all()
    for payload, comment_id in zip(PAYLOADS, comment_ids):
        client.post(f"/report/comment/{comment_id}", data={"reason": payload[:200]})
    client.post(f"/report/post/{post_ids[1]}", data={"reason": PAYLOADS[5]})
    citizen_pages = ["/me/following"]
    citizen_html = {url: client.get(url).get_data(as_text=True) for url in citizen_pages}
    auth.logout()

    auth.login(water)
    client.post(f"/console/comments/{comment_ids[0]}/hide", data={"reason": PAYLOADS[8]})
    staff_pages = ["/console", f"/console/posts/{post_ids[2]}/edit", "/console/compose", f"/p/{first}"]
    staff_html = {url: client.get(url).get_data(as_text=True) for url in staff_pages}
    auth.logout()

    auth.login(admin)
    admin_html = {"/admin/reports (before)": client.get("/admin/reports").get_data(as_text=True)}
    client.post(f"/admin/reports/comment/{comment_ids[1]}", data={"reason": PAYLOADS[9], "hide": "隐藏"})
    client.post(f"/admin/reports/post/{post_ids[1]}", data={"reason": PAYLOADS[10], "hide": "隐藏"})
    admin_html["/admin/reports"] = client.get("/admin/reports").get_data(as_text=True)
    auth.logout()

    public = [
        "/",
        "/hall/zilaishui",
        "/hall/jinshui",
        "/topic/话题",
        f"/p/{first}",
        f"/p/{post_ids[1]}",
        f"/p/{post_ids[3]}",
    ]
    pages = {url: client.get(url).get_data(as_text=True) for url in public} | citizen_html | staff_html | admin_html
    for url, html in pages.items():
        assert "INJECTX" in html or url in ("/console/compose", "/hall/jinshui", f"/p/{post_ids[1]}"), (
            f"{url} should show the typed text"
        )
        assert_inert(html, url)
    assert "&lt;svg/onload=alert(1)&gt;" in pages["/hall/zilaishui"]  # shown as typed, escaped

    for url in ("/feed.atom", "/hall/zilaishui/feed.atom", "/topic/话题/feed.atom"):
        feed = ET.fromstring(client.get(url).data)
        contents = feed.findall(".//{http://www.w3.org/2005/Atom}content")
        assert len(contents) >= len(PAYLOADS) - 2, url  # one edited away from the topic, one hidden
        for content in contents:
            assert content.get("type") == "html"
            assert_inert(content.text, url)

    for url in ("/api/v1/posts?limit=100", "/api/v1/departments/zilaishui/posts?limit=100", f"/api/v1/posts/{first}"):
        response = client.get(url)
        assert response.mimetype == "application/json"
        items = response.json.get("items", [response.json])
        assert items and all(assert_inert(item["body_html"], url) is None for item in items)
        assert "INJECTX" in json.dumps(response.json)
