"""Deterministic demo content for trainers: the same hall every time, dated relative to now."""

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import delete, func
from werkzeug.security import generate_password_hash

from xtq.clock import work_calendar
from xtq.demo import content
from xtq.domain import (
    departments,
    following,
    moderation,
    publishing,
    questions,
    seeding,
    settings,
)
from xtq.domain.posts import record_topics
from xtq.extensions import db
from xtq.models import (
    Comment,
    Department,
    NoticeType,
    Post,
    PostKind,
    PostStatus,
    Question,
    ReplyTemplate,
    Role,
    StaffTitle,
    User,
)
from xtq.text import render

PASSWORD = "demo2011"


class NotEmpty(Exception):
    """The database already holds content; demo data goes only into an empty hall."""


def build(seed_file: Path, *, now: datetime, reset: bool, progress: Callable[[str], None]) -> list[tuple[str, str]]:
    """Fill the hall with demo content. Returns (role, username) pairs to print."""
    if reset:
        clear()
    elif has_content():
        raise NotEmpty()
    seeding.apply(seeding.load(seed_file))
    settings.put(settings.DEMO_MODE, "1")  # the demo clock and the live demo work only on a demo hall
    db.session.flush()
    depts = {d.slug: d for d in departments.all_in_order()}
    mentions = departments.mention_map()
    password_hash = generate_password_hash(PASSWORD)  # one hash for every demo account: fast

    progress("账号……")
    users = _accounts(depts, password_hash, now)
    progress("微博……")
    posts = _posts(depts, users, mentions, now)
    _comments(posts, users["citizens"], mentions, now)
    _templates(depts)
    progress("问政……")
    from xtq.demo.history import build_history  # a year of finished questions, for the figures
    from xtq.demo.questions import build_office, build_questions  # the closed loop fills its own part

    build_history(depts, users, now)
    build_questions(depts, users, mentions, now)
    build_office(depts, users, now)
    _showcase(depts, users, posts, now)
    db.session.commit()
    logins = [("管理员", "admin"), ("市公安局 网络新闻发言人", "gongan_fyr"), ("市公安局 联络员", "gongan_lly")]
    logins += [("网友", users["citizens"][0].username)]
    return logins


def has_content() -> bool:
    return bool(db.session.scalar(db.select(func.count()).select_from(User)))


def clear() -> None:
    """Delete every row (departments included) so that the demo starts clean."""
    for table in reversed(db.metadata.sorted_tables):
        if table.name != "alembic_version":
            db.session.execute(delete(table))
    settings.mark_changed()  # the demo clock, demo mode and launch state are gone with the rows
    db.session.flush()


def _accounts(depts: dict[str, Department], password_hash: str, now: datetime) -> dict:
    def user(username, display_name, role, department=None, title=None):
        u = User(
            username=username,
            display_name=display_name,
            password_hash=password_hash,
            role=role,
            department=department,
            title=title,
            created_at=now - timedelta(days=60),
        )
        db.session.add(u)
        return u

    staff = {}
    for slug, dept in depts.items():
        staff[slug] = (
            user(f"{slug}_fyr", f"{dept.short_name}发言人", Role.STAFF, dept, StaffTitle.SPOKESPERSON),
            user(f"{slug}_lly", f"{dept.short_name}联络员", Role.STAFF, dept, StaffTitle.LIAISON),
        )
    admin = user("admin", "市互联网信息办公室", Role.ADMIN)
    citizens = [user(c["username"], c["display_name"], Role.CITIZEN) for c in content.CITIZENS]
    db.session.flush()
    return {"staff": staff, "admin": admin, "citizens": citizens}


def _posts(depts, users, mentions, now) -> list[Post]:
    made = []
    for i, item in enumerate(content.POSTS):
        # Spread over the last 20 days, newest last in the list, at plausible office hours.
        published = now - timedelta(hours=6 + (len(content.POSTS) - i) * 5, minutes=(i * 17) % 60)
        made.append(_post(depts[item["dept"]], users, item["body"], PostKind(item["kind"]), published, mentions))
    for i, item in enumerate(content.NOTICES):
        start = now + timedelta(hours=item["start_offset_hours"])
        post = _post(
            depts[item["dept"]],
            users,
            item["body"],
            PostKind.OUTAGE,
            min(now - timedelta(hours=2 + i), start - timedelta(hours=24)),
            mentions,
        )
        post.notice_type = NoticeType(item["notice_type"])
        post.notice_districts = " ".join(item["districts"])
        post.notice_streets = item["streets"]
        post.notice_start = start
        post.notice_end = start + timedelta(hours=item["duration_hours"])
        made.append(post)
    db.session.flush()
    return made


def _post(dept, users, body, kind, published, mentions) -> Post:
    spokesperson = users["staff"][dept.slug][0]
    post = Post(
        department=dept,
        author=spokesperson,
        kind=kind,
        status=PostStatus.PUBLISHED,
        body=body,
        body_html=render(body, mentions),
        created_at=published,
        published_at=published,
    )
    db.session.add(post)
    db.session.flush()
    record_topics(post)
    return post


def _comments(posts, citizens, mentions, now) -> None:
    for i, body in enumerate(content.COMMENTS):
        post = posts[(i * 7) % len(posts)]
        at = max(post.published_at, now - timedelta(days=1)) + timedelta(minutes=10 + i)
        db.session.add(
            Comment(
                post_id=post.id,
                author=citizens[i % len(citizens)],
                body=body,
                body_html=render(body, mentions),
                created_at=min(at, now),
            )
        )
        post.comment_count += 1


def _showcase(depts, users, posts, now) -> None:
    """What a trainer points at (content.SHOWCASE), made through the same rules as on the site."""
    show, staff, citizens = content.SHOWCASE, users["staff"], users["citizens"]

    def first(slug: str, kind: str) -> Post:
        return next(p for p in posts if p.department_id == depts[slug].id and p.kind == PostKind(kind))

    for slug, kind in show["pinned"]:
        post = first(slug, kind)
        publishing.pin(staff[slug][0], post, now=post.published_at + timedelta(minutes=5))
    item = show["edited"]
    post = first(item["dept"], item["kind"])
    publishing.edit(
        staff[item["dept"]][0],
        post,
        post.body + item["correction"],
        now=min(post.published_at + timedelta(hours=2), now),
    )
    item = show["bylined"]
    publishing.compose(
        staff[item["dept"]][0], PostKind(item["kind"]), item["body"], now=now - timedelta(hours=3), byline=True
    )
    item = show["scheduled"]
    publishing.compose(
        staff[item["dept"]][0],
        PostKind(item["kind"]),
        item["body"],
        now=now - timedelta(hours=1),
        publish_at=now + timedelta(hours=item["hours_ahead"]),
    )
    item = show["answers"]
    asked = db.session.scalar(db.select(Question).where(Question.title == item["title"]))
    publishing.compose(
        staff[asked.department.slug][0],
        PostKind(item["kind"]),
        item["body"],
        now=now - timedelta(minutes=40),
        cites=str(asked.id),
    )
    for i, slugs in show["follows"].items():
        for slug in slugs:
            following.follow(citizens[i], depts[slug], now=now - timedelta(days=10 - i))
    item = show["report"]
    reporter = citizens[item["reporter"]]
    comment = db.session.scalar(db.select(Comment).where(Comment.author_id != reporter.id).order_by(Comment.id))
    moderation.report(reporter, "comment", comment.id, item["reason"], now=now - timedelta(hours=2))
    item = show["hidden"]
    hidden = questions.ask(
        citizens[item["asker"]],
        depts[item["dept"]],
        title=item["title"],
        body=item["body"],
        category=item["category"],
        district=depts[item["district"]],
        anonymous=False,
        now=now - timedelta(hours=6),
        cal=work_calendar(),
    )
    questions.hide(hidden, users["admin"], item["reason"], now=now - timedelta(hours=5))


def _templates(depts) -> None:
    for dept in depts.values():
        for t in content.REPLY_TEMPLATES:
            db.session.add(ReplyTemplate(department_id=dept.id, title=t["title"], body=t["body"]))
