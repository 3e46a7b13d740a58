"""Keyset pagination: a deep page costs what the first does, and lists make no query per item."""

from datetime import timedelta

import pytest
from sqlalchemy import insert

from tests.helpers import NOW, send
from xtq import clock
from xtq.domain import publishing
from xtq.extensions import db
from xtq.models import Department, Post, PostKind, PostStatus, Role, StaffTitle
from xtq.pagination import encode

PAGE = 20


def test_page_200_of_a_departments_posts_costs_what_page_1_costs(client, spokesperson, count_queries):
    total = PAGE * 200 + 5
    rows = [
        {
            "department_id": spokesperson.department_id,
            "author_id": spokesperson.id,
            "kind": PostKind.DAILY,
            "status": PostStatus.PUBLISHED,
            "body": f"第{i}条",
            "body_html": f"第{i}条",
            "byline": False,
            "comment_count": 0,
            "created_at": NOW - timedelta(minutes=i),
            "published_at": NOW - timedelta(minutes=i),
        }
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


# Signed-in and staff pages: the statements a page sends do not grow with what it lists.


def _ask_many(make_question, count: int, *, start: int = 0) -> list:
    now = clock.now()
    states = ("asked", "accepted", "replied", "replied_followup", "closed")
    return [
        make_question(
            states[i % len(states)],
            at=now - timedelta(days=i % 12, hours=i),
            title=f"问题{start + i}",
            anonymous=i % 3 == 0,
        )
        for i in range(start, start + count)
    ]


@pytest.mark.parametrize(
    ("role", "paths"),
    [
        (
            "citizen",
            [
                "/",
                "/hall/gongan",
                "/timeline",
                "/timeline?department=gongan&status=replied",
                "/me/questions",
                "/me/following",
            ],
        ),
        (
            "liaison",
            [
                "/console/questions",
                "/console/questions?status=all",
                "/console/questions?status=accepted",
                "/console",
                "/hall/gongan",
            ],
        ),
        ("admin", ["/admin/escalations", "/timeline"]),
    ],
)
def test_signed_in_and_staff_lists_make_no_query_per_row(
    client, auth, make_question, make_post, spokesperson, citizen, liaison, make_user, count_queries, role, paths
):
    reader = {"citizen": citizen, "liaison": liaison, "admin": make_user(Role.ADMIN)}[role]
    _ask_many(make_question, 5)  # one in each state
    make_post(spokesperson, "第一条")
    auth.login(reader)
    client.get("/directory")  # the welcome flash
    few = {}
    for path in paths:
        db.session.expire_all()  # as in the second round below, where the new rows are
        with count_queries() as q:
            assert client.get(path).status_code == 200, path
        few[path] = q.count
    _ask_many(make_question, 15, start=5)
    for i in range(12):
        make_post(spokesperson, f"第{i}条")
    for path in paths:
        db.session.expire_all()
        with count_queries() as many:
            client.get(path)
        assert many.count == few[path], (path, many.statements)


@pytest.mark.parametrize("role", ["citizen", "liaison", "asker"])
def test_a_question_page_makes_no_query_per_event(
    client, auth, make_question, citizen, liaison, cal, count_queries, role
):
    from xtq.domain import questions

    short = make_question("replied", at=clock.now() - timedelta(days=3))
    long = make_question("replied", at=clock.now() - timedelta(days=6))
    for _ in range(3):  # three more rounds of follow-up and answer
        questions.followup(long, long.asker, "还是没有解决。", now=clock.now() - timedelta(days=1), cal=cal)
        questions.reply(long, liaison, "已再次安排。", now=clock.now() - timedelta(hours=20), cal=cal)
    db.session.commit()
    reader = {"citizen": None, "liaison": liaison, "asker": citizen}[role]
    if reader is not None:
        auth.login(reader)
        client.get("/directory")
    counts = []
    for q in (short, long):
        db.session.expire_all()
        with count_queries() as seen:
            assert client.get(f"/q/{q.id}").status_code == 200
        counts.append(seen.count)
    assert counts[0] == counts[1], counts


def test_an_anonymous_reader_s_question_page_sends_two_statements(client, make_question, count_queries):
    """The question with its whole history, then which of photos, linked posts, supervision and
    assists it has (usually none, so nothing more is asked)."""
    question_id = make_question("replied", at=clock.now() - timedelta(days=1)).id
    db.session.remove()
    with count_queries() as seen:
        assert client.get(f"/q/{question_id}").status_code == 200
    assert seen.count == 2, seen.statements


@pytest.mark.parametrize("app_config", [{"PAGE_CACHE_SECONDS": 0}, {"PAGE_CACHE_SECONDS": 60}], indirect=True)
def test_a_signed_in_citizen_s_question_page_sends_five_statements(
    client, auth, make_question, make_user, count_queries, app_config
):
    """The reader, the question with its history (read once: to know the reader's class, then for the
    page), which rarer things hang off it, the unread count, and the reader's own 同问 (asked once)."""
    question_id = make_question("replied", at=clock.now() - timedelta(days=1)).id
    auth.login(make_user(Role.CITIZEN))
    client.get("/directory")
    db.session.remove()
    with count_queries() as seen:
        response = send(client, "GET", f"/q/{question_id}")
    assert response.status_code == 200 and response.headers.get("X-Cache") != "hit"
    assert seen.count == 5, seen.statements


def test_the_inbox_deep_page_costs_what_page_1_costs(client, auth, make_question, liaison, count_queries):
    _ask_many(make_question, 25)
    auth.login(liaison)
    client.get("/directory")
    with count_queries() as first:
        html = client.get("/console/questions?status=all").get_data(as_text=True)
    cursor = html.split("after=")[1].split('"')[0]
    with count_queries() as deep:
        client.get(f"/console/questions?status=all&after={cursor}")
    assert deep.count == first.count, deep.statements
    assert any("(question.last_activity_at, question.id) < (" in s for s in deep.statements)


@pytest.mark.parametrize("app_config", [{"PAGE_SIZE": 2}], indirect=True)
def test_the_escalation_list_pages_by_deadline(client, auth, make_question, make_user, count_queries, app_config):
    now = clock.now()
    for i in range(5):  # asked 20-24 days ago: every one far past its deadline, the oldest most overdue
        make_question("asked", at=now - timedelta(days=24 - i), title=f"逾期问题{i}")
    auth.login(make_user(Role.ADMIN))
    client.get("/directory")
    with count_queries() as first:
        html = client.get("/admin/escalations").get_data(as_text=True)
    assert html.index("逾期问题0") < html.index("逾期问题1") and "逾期问题2" not in html
    cursor = html.split("after=")[1].split('"')[0]
    with count_queries() as second:
        html = client.get(f"/admin/escalations?after={cursor}").get_data(as_text=True)
    assert "逾期问题2" in html and "逾期问题3" in html and "逾期问题1" not in html
    assert second.count == first.count
    assert any("(question.due_at, question.id) > (" in s for s in second.statements)
