"""The staff console through the browser's eyes: who may do what, and what the public then sees."""

import json
from datetime import timedelta

import pytest

from tests.helpers import NOW
from xtq import clock
from xtq.domain import comments, publishing
from xtq.extensions import db
from xtq.models import Comment, Post, PostKind, PostStatus


@pytest.fixture
def world(spokesperson, liaison, other_staff, citizen, admin):
    """A published gongan post with a comment, and a gongan draft."""
    post = publishing.compose(spokesperson, PostKind.DAILY, "公安的微博", now=NOW - timedelta(hours=1))
    draft = publishing.compose(liaison, PostKind.DAILY, "公安的草稿", now=NOW, draft=True)
    comment = comments.add(citizen, post, "网友评论", now=NOW)
    db.session.commit()
    users = {
        "spokesperson": spokesperson,
        "liaison": liaison,
        "other_staff": other_staff,
        "citizen": citizen,
        "admin": admin,
        "anonymous": None,
    }
    return {"post": post.id, "draft": draft.id, "comment": comment.id, "users": users}


def text_of(response) -> str:
    """A page, feed or API answer as text (JSON decoded, so that Chinese is readable)."""
    if response.is_json:
        return json.dumps(response.json, ensure_ascii=False)
    return response.get_data(as_text=True)


def snapshot(world):
    db.session.expire_all()
    post, draft, comment = (
        db.session.get(Post, world["post"]),
        db.session.get(Post, world["draft"]),
        db.session.get(Comment, world["comment"]),
    )
    return (
        post.status,
        post.pinned_at,
        post.body,
        draft.status,
        draft.body,
        comment.hidden_at,
        db.session.scalar(db.select(db.func.count()).select_from(Post)),
    )


LOGIN = "login"
# (who, method, url, form data, expected): the permission matrix.
MATRIX = [
    # Reaching the console at all
    ("anonymous", "GET", "/console", None, LOGIN),
    ("citizen", "GET", "/console", None, 403),
    ("admin", "GET", "/console", None, 403),
    ("liaison", "GET", "/console", None, 200),
    ("other_staff", "GET", "/console", None, 200),
    ("anonymous", "POST", "/console/compose", {"kind": "daily", "body": "x", "when": "now"}, LOGIN),
    ("citizen", "POST", "/console/compose", {"kind": "daily", "body": "x", "when": "now"}, 403),
    # A liaison cannot publish, pin, edit or delete what is published
    ("liaison", "POST", "/console/compose", {"kind": "daily", "body": "x", "when": "now"}, 403),
    (
        "liaison",
        "POST",
        "/console/compose",
        {"kind": "daily", "body": "x", "when": "later", "publish_at": "2099-01-01T10:00"},
        403,
    ),
    ("liaison", "POST", "/console/posts/{draft}/publish", {}, 403),
    ("liaison", "POST", "/console/posts/{post}/pin", {}, 403),
    ("liaison", "GET", "/console/posts/{post}/edit", None, 403),
    ("liaison", "POST", "/console/posts/{post}/edit", {"body": "改"}, 403),
    ("liaison", "POST", "/console/posts/{post}/delete", {}, 403),
    # Another department's staff: 403 for everything
    ("other_staff", "POST", "/console/posts/{draft}/publish", {}, 403),
    ("other_staff", "POST", "/console/posts/{post}/pin", {}, 403),
    ("other_staff", "POST", "/console/posts/{post}/unpin", {}, 403),
    ("other_staff", "GET", "/console/posts/{post}/edit", None, 403),
    ("other_staff", "POST", "/console/posts/{post}/edit", {"body": "改"}, 403),
    ("other_staff", "GET", "/console/posts/{draft}/edit", None, 403),
    ("other_staff", "POST", "/console/posts/{post}/delete", {}, 403),
    ("other_staff", "POST", "/console/posts/{draft}/delete", {}, 403),
    ("other_staff", "POST", "/console/comments/{comment}/hide", {"reason": "广告"}, 403),
    ("citizen", "POST", "/console/comments/{comment}/hide", {"reason": "广告"}, 403),
    ("anonymous", "POST", "/console/posts/{post}/pin", {}, LOGIN),
    # The admin's pages
    ("anonymous", "GET", "/admin/reports", None, LOGIN),
    ("citizen", "GET", "/admin", None, 403),
    ("spokesperson", "GET", "/admin/reports", None, 403),
    ("spokesperson", "POST", "/admin/reports/comment/{comment}", {"reason": "x", "hide": "隐藏"}, 403),
    ("admin", "GET", "/admin/reports", None, 200),
    # Things that need a login
    ("anonymous", "POST", "/p/{post}/comments", {"body": "评论"}, LOGIN),
    ("anonymous", "POST", "/report/comment/{comment}", {"reason": ""}, LOGIN),
    ("anonymous", "GET", "/me/following", None, LOGIN),
    ("anonymous", "POST", "/hall/gongan/follow", {}, LOGIN),
]


@pytest.mark.parametrize("who, method, url, data, expected", MATRIX)
def test_permission_matrix(client, auth, world, who, method, url, data, expected):
    if world["users"][who] is not None:
        auth.login(world["users"][who])
    before = snapshot(world)
    response = client.open(url.format(**world), method=method, data=data)
    if expected == LOGIN:
        assert response.status_code == 302 and "/login" in response.location
    else:
        assert response.status_code == expected
    if expected in (403, LOGIN):
        assert snapshot(world) == before, "a refused request must change nothing"


@pytest.mark.parametrize(
    "who, url, data",
    [
        ("spokesperson", "/console/posts/{post}/pin", {}),
        ("spokesperson", "/console/posts/{post}/delete", {}),
        ("spokesperson", "/console/posts/{draft}/publish", {}),
        ("spokesperson", "/console/posts/{post}/edit", {"body": "改后"}),
        ("liaison", "/console/posts/{draft}/edit", {"body": "草稿二稿"}),
        ("liaison", "/console/posts/{draft}/delete", {}),
        ("liaison", "/console/comments/{comment}/hide", {"reason": "广告"}),
    ],
)
def test_own_department_may(client, auth, world, who, url, data):
    auth.login(world["users"][who])
    before = snapshot(world)
    response = client.post(url.format(**world), data=data)
    assert response.status_code == 302
    assert snapshot(world) != before


def test_spokesperson_publishes_from_the_composer_and_it_appears_everywhere(client, auth, spokesperson):
    auth.login(spokesperson)
    page = client.get("/console/compose").get_data(as_text=True)
    assert 'src="/static/composer.js"' in page and "<script>" not in page
    assert 'data-max="2000"' in page
    response = client.post(
        "/console/compose", data={"kind": "decision", "body": "#冬季供暖# 新政策发布", "when": "now", "byline": "y"}
    )
    assert response.status_code == 302 and response.location.endswith("/console")
    post = db.session.scalar(db.select(Post).order_by(Post.id.desc()))
    for url in (
        "/",
        "/hall/gongan",
        "/topic/冬季供暖",
        f"/p/{post.id}",
        "/feed.atom",
        "/hall/gongan/feed.atom",
        "/topic/冬季供暖/feed.atom",
        "/api/v1/posts",
        f"/api/v1/posts/{post.id}",
        "/api/v1/departments/gongan/posts",
    ):
        assert "新政策发布" in text_of(client.get(url)), url
    assert "网络新闻发言人" in client.get("/hall/gongan").get_data(as_text=True)
    assert "新政策发布" in client.get("/console").get_data(as_text=True)


def test_composer_shows_rule_errors_on_the_form(client, auth, spokesperson):
    auth.login(spokesperson)
    html = client.post("/console/compose", data={"kind": "daily", "body": "字" * 2001, "when": "now"}).get_data(
        as_text=True
    )
    assert "最多 2000 字" in html
    html = client.post("/console/compose", data={"kind": "daily", "body": "x", "when": "later"}).get_data(as_text=True)
    assert "请填写定时发布的时间" in html
    assert db.session.scalar(db.select(db.func.count()).select_from(Post)) == 0


def test_liaison_sees_only_the_draft_choice_and_saves_a_draft(client, auth, liaison):
    auth.login(liaison)
    page = client.get("/console/compose").get_data(as_text=True)
    assert "存为草稿" in page and "立即发布" not in page
    assert (
        client.post("/console/compose", data={"kind": "daily", "body": "联络员草稿", "when": "draft"}).status_code
        == 302
    )
    post = db.session.scalar(db.select(Post))
    assert post.status == PostStatus.DRAFT
    assert "联络员草稿" not in client.get("/hall/gongan").get_data(as_text=True)
    assert client.get(f"/p/{post.id}").status_code == 404
    assert "草稿" in client.get("/console").get_data(as_text=True)


def test_scheduled_post_waits_for_its_time_on_every_public_surface(client, auth, spokesperson):
    auth.login(spokesperson)
    later = (clock.now() + timedelta(days=2)).astimezone(__import__("zoneinfo").ZoneInfo("Asia/Shanghai"))
    response = client.post(
        "/console/compose",
        data={"kind": "notice", "body": "后天才公开", "when": "later", "publish_at": later.strftime("%Y-%m-%dT%H:%M")},
    )
    assert response.status_code == 302
    post = db.session.scalar(db.select(Post))
    assert post.published_at > clock.now()
    for url in (
        "/",
        "/hall/gongan",
        "/feed.atom",
        "/hall/gongan/feed.atom",
        "/api/v1/posts",
        "/api/v1/departments/gongan/posts",
    ):
        assert "后天才公开" not in text_of(client.get(url)), url
    assert client.get(f"/p/{post.id}").status_code == 404
    assert client.get(f"/api/v1/posts/{post.id}").status_code == 404
    assert "定时发布" in client.get("/console").get_data(as_text=True)


def test_service_notice_from_the_composer(client, auth, make_user):
    from xtq.models import Role, StaffTitle

    auth.login(make_user(Role.STAFF, slug="zilaishui", title=StaffTitle.SPOKESPERSON))
    start = (clock.now() + timedelta(hours=1)).astimezone(__import__("zoneinfo").ZoneInfo("Asia/Shanghai"))
    response = client.post(
        "/console/compose",
        data={
            "kind": "outage",
            "body": "计划停水",
            "when": "now",
            "notice_type": "water_outage",
            "notice_districts": ["jinshui", "erqi"],
            "notice_streets": "花园路",
            "notice_start": start.strftime("%Y-%m-%dT%H:%M"),
            "notice_end": (start + timedelta(hours=8)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 302
    for url in ("/", "/hall/jinshui", "/hall/erqi"):
        html = client.get(url).get_data(as_text=True)
        assert "当前服务公告" in html and "花园路" in html, url
    assert "当前服务公告" not in client.get("/hall/zhongmou").get_data(as_text=True)
    html = client.post("/console/compose", data={"kind": "outage", "body": "缺信息", "when": "now"}).get_data(
        as_text=True
    )
    assert "请选择公告类型" in html


def test_edit_shows_edited_mark_and_pin_puts_the_post_first(client, auth, spokesperson, make_post):
    old = make_post(spokesperson, "较早的一条", published_at=NOW - timedelta(days=3))
    make_post(spokesperson, "最新的一条", published_at=NOW - timedelta(hours=1))
    auth.login(spokesperson)
    client.post(f"/console/posts/{old.id}/pin")
    client.post(f"/console/posts/{old.id}/edit", data={"body": "较早的一条（已更正）"})
    html = client.get("/hall/gongan").get_data(as_text=True)
    assert html.index("较早的一条（已更正）") < html.index("最新的一条")
    assert "置顶" in html and "已编辑" in html
    page = client.get(f"/p/{old.id}").get_data(as_text=True)  # the edit history is public
    history = page[page.index('id="history"') :]
    assert history.index("现在的版本") < history.index("显示的版本") < history.index("较早的一条</div>")
    home = client.get("/").get_data(as_text=True)
    assert home.index("最新的一条") < home.index("较早的一条")


def test_fourth_pin_is_refused_with_a_message(client, auth, spokesperson, make_post):
    made = [make_post(spokesperson, f"第{i}条") for i in range(4)]
    auth.login(spokesperson)
    for post in made[:3]:
        client.post(f"/console/posts/{post.id}/pin")
    html = client.post(f"/console/posts/{made[3].id}/pin", follow_redirects=True).get_data(as_text=True)
    assert "最多置顶 3 条" in html
    assert db.session.get(Post, made[3].id).pinned_at is None


def test_deleted_post_leaves_the_public_but_stays_in_the_database(client, auth, spokesperson, make_post):
    post = make_post(spokesperson, "要删除的微博")
    auth.login(spokesperson)
    assert client.post(f"/console/posts/{post.id}/delete").status_code == 302
    assert client.get(f"/p/{post.id}").status_code == 404
    assert "要删除的微博" not in client.get("/hall/gongan").get_data(as_text=True)
    assert "要删除的微博" not in client.get("/console").get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Post, post.id).status == PostStatus.DELETED


def test_long_posts_show_140_characters_and_expand_without_script(client, spokesperson, make_post):
    body = "甲" * 140 + "乙" * 60
    post = make_post(spokesperson, body)
    html = client.get("/hall/gongan").get_data(as_text=True)
    assert f'<p class="post-body post-preview">{"甲" * 140}…</p>' in html
    assert '<details class="post-more">' in html and "展开全文" in html and "乙" * 60 in html
    own = client.get(f"/p/{post.id}").get_data(as_text=True)
    assert "展开全文" not in own and body in own
