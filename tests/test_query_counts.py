"""Keyset pagination: a deep page costs what the first does, and lists make no query per item."""

from datetime import timedelta

from sqlalchemy import insert

from tests.helpers import NOW
from xtq.domain import publishing
from xtq.extensions import db
from xtq.models import Department, Post, PostKind, PostStatus, Role, StaffTitle
from xtq.pagination import encode

PAGE = 20


def test_page_200_of_a_departments_posts_costs_what_page_1_costs(client, spokesperson, count_queries):
    total = PAGE * 200 + 5
    rows = [
        {"department_id": spokesperson.department_id, "author_id": spokesperson.id, "kind": PostKind.DAILY,
         "status": PostStatus.PUBLISHED, "body": f"第{i}条", "body_html": f"第{i}条", "byline": False,
         "comment_count": 0, "created_at": NOW - timedelta(minutes=i), "published_at": NOW - timedelta(minutes=i)}
        for i in range(total)
    ]
    db.session.execute(insert(Post), rows)
    db.session.commit()
    pinned = db.session.get(Post, 1)
    publishing.pin(spokesperson, pinned, now=NOW)  # page 1 also shows the pinned posts
    db.session.commit()
    unpinned = [i for i in range(total) if i != 0]  # post id i+1 is "第{i}条", newest first
    last_of_199 = unpinned[PAGE * 199 - 1]
    cursor = encode(NOW - timedelta(minutes=last_of_199), last_of_199 + 1)

    with count_queries() as first:
        html_1 = client.get("/hall/gongan").get_data(as_text=True)
    with count_queries() as deep:
        html_200 = client.get(f"/hall/gongan?after={cursor}").get_data(as_text=True)
    assert f">第{unpinned[0]}条<" in html_1
    assert f">第{unpinned[PAGE * 199]}条<" in html_200 and f">第{unpinned[PAGE * 200 - 1]}条<" in html_200
    assert f">第{last_of_199}条<" not in html_200
    assert abs(first.count - deep.count) <= 1, (first.statements, deep.statements)
    # The deep page seeks past the cursor (SQLite always writes "OFFSET ?", bound to 0 here).
    assert any("(post.published_at, post.id) < (" in s for s in deep.statements)


def test_api_deep_page_costs_what_the_first_does(client, spokesperson, make_post, count_queries):
    for i in range(30):
        make_post(spokesperson, f"第{i}条", published_at=NOW - timedelta(minutes=i))
    with count_queries() as first:
        cursor = client.get("/api/v1/departments/gongan/posts?limit=10").json["next_cursor"]
    with count_queries() as second:
        client.get(f"/api/v1/departments/gongan/posts?limit=10&cursor={cursor}")
    assert first.count == second.count


def _fill_home(make_user, count: int) -> None:
    """`count` posts from `count` different departments, each signed and commented."""
    departments = db.session.scalars(db.select(Department).order_by(Department.id).limit(count)).all()
    citizen = make_user(Role.CITIZEN)
    from xtq.domain import comments

    for i, dept in enumerate(departments):
        staff = make_user(Role.STAFF, slug=dept.slug, title=StaffTitle.SPOKESPERSON)
        dept.show_staff_names = i % 2 == 0
        post = publishing.compose(staff, PostKind.DAILY, f"#话题{i}# 第{i}条 " + "长" * 150, now=NOW, byline=True)
        comments.add(citizen, post, "评论", now=NOW)
    db.session.commit()


def test_home_page_makes_no_query_per_post(client, make_user, count_queries):
    _fill_home(make_user, 2)
    with count_queries() as few:
        client.get("/")
    _fill_home(make_user, 20)
    db.session.expire_all()
    with count_queries() as many:
        html = client.get("/").get_data(as_text=True)
    assert html.count('class="card post') == 20
    assert many.count == few.count, many.statements


def test_following_and_topic_pages_make_no_query_per_post(client, auth, make_user, count_queries):
    _fill_home(make_user, 3)
    citizen = make_user(Role.CITIZEN)
    auth.login(citizen)
    for slug in db.session.scalars(db.select(Department.slug).order_by(Department.id).limit(20)):
        client.post(f"/hall/{slug}/follow")
    with count_queries() as few:
        client.get("/me/following")
    _fill_home(make_user, 20)
    db.session.expire_all()
    with count_queries() as many:
        client.get("/me/following")
    assert many.count == few.count, many.statements
