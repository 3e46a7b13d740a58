"""How the API shows things: plain dicts matching the OpenAPI document's schemas."""

from datetime import datetime

from flask import url_for

from xtq.domain import messages
from xtq.models import Department, Photo, Post, Question, QuestionEvent


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


def question(q: Question, now: datetime, *, with_events: bool = False) -> dict:
    from xtq.domain.questions import OPEN

    data = {
        "id": q.id,
        "url": url_for("questions.question", question_id=q.id, _external=True),
        "department": department_ref(q.department),
        "district": department_ref(q.district) if q.district else None,
        "category": q.category,
        "title": q.title,
        "body": q.body,
        "body_html": q.body_html,
        "asker": q.public_asker_name,
        "status": q.status.value,
        "status_label": q.status.label,
        "created_at": iso(q.created_at),
        "last_activity_at": iso(q.last_activity_at),
        "due_at": iso(q.due_at) if q.status in OPEN else None,
        "overdue": q.status in OPEN and q.due_at is not None and q.due_at <= now,
        "rating": q.rating.value if q.rating else None,
        "metoo_count": q.metoo_count,
    }
    if with_events:
        from xtq.domain import photos

        public = [p for p in photos.of_question(q) if photos.is_public(p, now)]
        data["photos"] = [photo(p) for p in public]
        of_events = photos.of_events(q)
        data["events"] = [
            event(e, q) | {"photos": [photo(p) for p in of_events.get(e.id, []) if photos.is_public(p, now)]}
            for e in q.events
            if e.review_state is None
        ]  # held text is not public
    return data


def photo(p: Photo) -> dict:
    return {
        "url": url_for("media.photo", photo_id=p.id, _external=True),
        "thumbnail_url": url_for("media.thumb", photo_id=p.id, _external=True),
        "width": p.width,
        "height": p.height,
    }


def event(e: QuestionEvent, q: Question) -> dict:
    from xtq.views.question_display import actor_name

    hidden = e.hidden_at is not None
    return {
        "id": e.id,
        "kind": e.kind.value,
        "kind_label": e.kind.label,
        "actor": actor_name(e, q, None),
        "created_at": iso(e.created_at),
        "from_department": department_ref(e.from_department) if e.from_department else None,
        "to_department": department_ref(e.to_department) if e.to_department else None,
        "text": "" if hidden else messages.text_of(e),
        "text_html": "" if hidden else e.text_html,
        "rating": e.rating.value if e.rating else None,
        "hidden": hidden,
        "hidden_reason": e.hidden_reason if hidden else None,
    }
