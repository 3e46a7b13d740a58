"""How the API shows things: plain dicts matching the OpenAPI document's schemas."""

from datetime import datetime

from flask import url_for

from xtq.models import Department, Post


def iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def department_ref(dept: Department) -> dict:
    return {"slug": dept.slug, "name": dept.name, "short_name": dept.short_name}


def department(dept: Department) -> dict:
    return {
        **department_ref(dept),
        "group": dept.group.value,
        "group_label": dept.group.label,
        "description": dept.description,
        "phone": dept.phone,
        "address": dept.address,
        "url": url_for("hall.department", slug=dept.slug, _external=True),
        "feed_url": url_for("feeds.department", slug=dept.slug, _external=True),
        "posts_url": url_for("api.department_posts", slug=dept.slug, _external=True),
    }


def post(item: Post) -> dict:
    notice = None
    if item.notice_type is not None:
        notice = {
            "type": item.notice_type.value,
            "type_label": item.notice_type.label,
            "districts": item.district_slugs,
            "streets": item.notice_streets or "",
            "start": iso(item.notice_start),
            "end": iso(item.notice_end),
        }
    return {
        "id": item.id,
        "url": url_for("posts.post", post_id=item.id, _external=True),
        "department": department_ref(item.department),
        "kind": item.kind.value,
        "kind_label": item.kind.label,
        "body": item.body,
        "body_html": item.body_html,
        "byline": item.byline_text or None,
        "published_at": iso(item.published_at),
        "edited_at": iso(item.edited_at),
        "pinned": item.pinned_at is not None,
        "comment_count": item.comment_count,
        "notice": notice,
    }
