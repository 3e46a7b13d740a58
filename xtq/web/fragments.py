"""Fragments of pages shared by every reader, kept per version and language.

Post cards, question rows, the notices box and the hall home's sidebar look the same to everyone
who may see them, signed in or not, so each is rendered once and its HTML reused until what it
shows changes. The key is made of everything the fragment
shows (the row's own columns, its department's names, the asker's shown name, the deadline
standing, the age bucket of a relative time) plus the language, so there is nothing to throw
away: a write to one question changes that question's key and no other, and a renamed department
changes only its own cards. Old keys age out (FRAGMENT_CACHE_SECONDS) or are pruned when the
per-worker store is full. The per-reader parts of a page (header, follow and 同问 state, CSRF
tokens, the unread count) are never inside a fragment.
"""

from collections.abc import Callable, Hashable

from flask import Flask, current_app
from flask_caching import Cache
from markupsafe import Markup

from xtq.i18n import current_language
from xtq.views.question_display import Row
from xtq.web.templating import age

# Each worker's own store (xtq/web/stores.py), apart from the whole pages of xtq/web/page_cache.py.
fragment_cache = Cache(
    with_jinja2_ext=False, config={"CACHE_TYPE": "xtq.web.stores.SizedCache", "CACHE_MAX_BYTES": 8 * 2**20}
)


def init_app(app: Flask) -> None:
    fragment_cache.init_app(app)
    app.jinja_env.globals.update(
        fragment=fragment,
        post_card_key=post_card_key,
        notices_box_key=notices_box_key,
        home_sidebar_key=home_sidebar_key,
        question_row_key=question_row_key,
        timeline_filters_key=timeline_filters_key,
    )


def fragment(key: tuple[Hashable, ...], caller: Callable[[], str]) -> Markup:
    """`{% call fragment(key) %}…{% endcall %}`: the body's HTML, rendered once per key and language."""
    seconds = current_app.config["FRAGMENT_CACHE_SECONDS"]
    if seconds <= 0:
        return Markup(caller())
    text_key = repr((current_language(), *key))
    html = fragment_cache.get(text_key)
    if html is None:
        html = str(caller())
        fragment_cache.set(text_key, html, timeout=seconds)
    return Markup(html)


def post_card_key(
    post, show_department: bool, pinned_first: bool, full: bool, district_names: dict[str, str]
) -> tuple[Hashable, ...]:
    """Everything _partials/post_card.html shows of ``post``."""
    dept, author = post.department, post.author
    places = tuple(district_names.get(s, s) for s in post.district_slugs) if post.notice_type else ()
    return (
        "post",
        post.id,
        post.kind,
        post.notice_type,
        places,
        post.notice_streets,
        post.notice_start,
        post.notice_end,
        post.published_at,
        age(post.published_at),
        post.edited_at,
        post.comment_count,
        bool(post.pinned_at and pinned_first),
        full,
        post.body_html,
        post.byline,
        author.title,
        author.display_name,
        dept.show_staff_names,
        dept.slug if show_department else None,
        dept.short_name,
    )


def notices_box_key(
    notices: list, district_names: dict[str, str], box_id: str = "notices", box_title: str = ""
) -> tuple[Hashable, ...]:
    """Everything _partials/notices_box.html shows."""
    return (
        "notices",
        box_id,
        str(box_title),
        *(
            (
                p.id,
                p.notice_type,
                p.department.short_name,
                p.notice_streets,
                p.notice_start,
                p.notice_end,
                *(district_names.get(s, s) for s in p.district_slugs),
            )
            for p in notices
        ),
    )


def home_sidebar_key(topics: list, groups: list) -> tuple[Hashable, ...]:
    """Everything the hall home's sidebar shows: hot topics and the departments by group."""
    return (
        "home-sidebar",
        tuple(topics),
        *((group, *((d.slug, d.short_name) for d in members)) for group, members in groups),
    )


def question_row_key(row: Row, show_department: bool, heading_level: int = 2) -> tuple[Hashable, ...]:
    """Everything _partials/question_row.html shows of ``row``: the title as this reader may read it
    (masked, or a private question's placeholder), so readers who see it differently never share it."""
    q, timing, dept = row.q, row.timing, row.q.department
    return (
        "question",
        q.id,
        q.status,
        q.review_state,
        q.private,
        q.hidden_at is not None,
        timing.overdue,
        timing.days_late,
        timing.days_left,
        q.category,
        q.last_activity_at,
        age(q.last_activity_at),
        row.title,
        row.asker,
        q.created_at,
        q.metoo_count,
        heading_level,
        (dept.slug, dept.short_name) if show_department and dept else None,
    )


def timeline_filters_key(form, hot: bool) -> tuple[Hashable, ...]:
    """Everything the timeline's filter form shows: the departments to choose from and what is
    chosen (the other choices are fixed per language). Its four menus cost more than the rows."""
    return (
        "timeline-filters",
        hot,
        form.department.data,
        form.group.data,
        form.status.data,
        form.category.data,
        *((c.value, c.label) for c in form.department.choices),
    )
