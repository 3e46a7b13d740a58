"""Atom feeds of the whole hall, of each department and of each topic (made with feedgen)."""

from feedgen.feed import FeedGenerator
from flask import Blueprint, Response, abort, current_app, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from xtq import clock
from xtq.domain import departments, notices, photos, posts, questions
from xtq.extensions import db
from xtq.models import DeptGroup, Post, Question

bp = Blueprint("feeds", __name__)
FEED_SIZE = 50


def _generator(title: str, page_url: str, feed_url: str) -> FeedGenerator:
    fg = FeedGenerator()
    fg.id(feed_url)
    fg.title(title)
    fg.subtitle(f"{current_app.config['SITE_NAME']}：{title}")
    fg.link(href=page_url, rel="alternate")
    fg.link(href=feed_url, rel="self")
    if hub := current_app.config["WEBSUB_HUB"]:
        fg.link(href=hub, rel="hub")  # subscribers may wait for the hub instead of polling
    fg.language("zh-CN")
    return fg


def _atom(fg: FeedGenerator) -> Response:
    return Response(fg.atom_str(pretty=True), mimetype="application/atom+xml")


def _feed(title: str, page_url: str, feed_url: str, select) -> Response:
    """An Atom document of the newest public posts of `select`."""
    items = list(db.session.scalars(select.order_by(Post.published_at.desc(), Post.id.desc()).limit(FEED_SIZE)))
    fg = _generator(title, page_url, feed_url)
    fg.updated(items[0].edited_at or items[0].published_at if items else clock.now())
    for post in items:
        url = url_for("posts.post", post_id=post.id, _external=True)
        entry = fg.add_entry(order="append")
        entry.id(url)
        entry.link(href=url)
        entry.title(f"{post.department.short_name}：{post.body[:40]}")
        entry.author(name=post.department.name)
        entry.published(post.published_at)
        entry.updated(post.edited_at or post.published_at)
        entry.category(term=post.kind.value, label=post.kind.label)
        entry.content(post.body_html, type="html")
    return _atom(fg)


def _question_feed(title: str, page_url: str, feed_url: str, select) -> Response:
    """An Atom document of the questions of `select` with the newest activity."""
    items = list(
        db.session.scalars(select.order_by(Question.last_activity_at.desc(), Question.id.desc()).limit(FEED_SIZE))
    )
    fg = _generator(title, page_url, feed_url)
    fg.updated(items[0].last_activity_at if items else clock.now())
    pictures = photos.public_of_questions(items)
    for q in items:
        url = url_for("questions.question", question_id=q.id, _external=True)
        entry = fg.add_entry(order="append")
        entry.id(url)
        entry.link(href=url)
        entry.title(f"［{q.status.label}］{q.title}")
        entry.author(name=q.public_asker_name)
        entry.published(q.created_at)
        entry.updated(q.last_activity_at)
        entry.category(term=q.category)
        links = Markup("").join(
            Markup('<p><a href="%s">%s</a></p>')
            % (url_for("media.photo", photo_id=p.id, _external=True), _("照片 %(n)s", n=n))
            for n, p in enumerate(pictures.get(q.id, []), start=1)
        )
        entry.content(
            _("<p>向 %(name)s 提问</p>%(body_html)s", name=q.department.name, body_html=q.body_html) + str(links),
            type="html",
        )
    return _atom(fg)


@bp.get("/feed.atom")
def hall():
    """The whole hall."""
    return _feed(
        _("%(city)s微博发布厅", city=current_app.config["CITY_NAME"]),
        url_for("hall.index", _external=True),
        url_for("feeds.hall", _external=True),
        posts.public_posts(clock.now()),
    )


@bp.get("/hall/<slug>/feed.atom")
def department(slug: str):
    """One department's posts."""
    dept = departments.by_slug(slug) or abort(404)
    return _feed(
        dept.name,
        url_for("hall.department", slug=slug, _external=True),
        url_for("feeds.department", slug=slug, _external=True),
        posts.by_department(dept.id, clock.now()),
    )


@bp.get("/topic/<name>/feed.atom")
def topic(name: str):
    """One #topic#."""
    if len(name) > 30:
        abort(404)
    return _feed(
        f"#{name}#",
        url_for("posts.topic", name=name, _external=True),
        url_for("feeds.topic", name=name, _external=True),
        posts.by_topic(name, clock.now()),
    )


@bp.get("/timeline.atom")
def timeline():
    """Every public question, newest activity first."""
    return _question_feed(
        _("网友问政"),
        url_for("questions.timeline", _external=True),
        url_for("feeds.timeline", _external=True),
        questions.public_texts(),
    )


@bp.get("/hall/<slug>/questions.atom")
def department_questions(slug: str):
    """The questions put to one department."""
    dept = departments.by_slug(slug) or abort(404)
    return _question_feed(
        _("%(name)s · 网友问政", name=dept.name),
        url_for("hall.department", slug=slug, _external=True),
        url_for("feeds.department_questions", slug=slug, _external=True),
        questions.public_texts().where(Question.department_id == dept.id),
    )


@bp.get("/notices/<district>.atom")
def district_notices(district: str):
    """Service notices (停水, 停电 …) that cover one district, from whichever department published them."""
    dept = departments.by_slug(district)
    if dept is None or dept.group != DeptGroup.DISTRICT:
        abort(404)
    return _feed(
        _("%(name)s · 服务公告", name=dept.name),
        url_for("hall.department", slug=district, _external=True),
        url_for("feeds.district_notices", district=district, _external=True),
        notices.for_district(clock.now(), district),
    )
