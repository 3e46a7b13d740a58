"""ActivityStreams documents as Mastodon reads them: compact JSON with the usual @context.

We write and read compact JSON and do not expand JSON-LD (pyld): expanding would fetch remote
contexts at run time, which the hall never does, and every implementation we talk to (Mastodon,
bovine, Pleroma, Misskey) reads and writes the compact form."""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape

from flask_babel import force_locale

from xtq.clock import SHANGHAI
from xtq.domain import departments, notices
from xtq.federation import urls
from xtq.federation.models import FederationActor, RemoteActor
from xtq.models import Department, Post, PostKind, Question, QuestionEvent
from xtq.text import topics_in

AS_PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
CONTEXT = [
    "https://www.w3.org/ns/activitystreams",
    "https://w3id.org/security/v1",
    {
        "Hashtag": "as:Hashtag",
        "sensitive": "as:sensitive",
        "toot": "http://joinmastodon.org/ns#",
        "featured": {"@id": "toot:featured", "@type": "@id"},
    },
]
AP_TYPE = "application/activity+json"
AP_TYPES = (AP_TYPE, "application/ld+json")  # the latter with profile="https://www.w3.org/ns/activitystreams"


def _beijing(moment: datetime) -> str:
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def actor(department: Department, record: FederationActor) -> dict:
    base, url = urls.base(), urls.actor(department.slug)
    return {
        "@context": CONTEXT,
        "id": url,
        "type": "Organization",
        "preferredUsername": department.slug,
        "name": department.name,
        "summary": f"<p>{escape(department.description)}</p>",
        "url": url,
        "manuallyApprovesFollowers": False,
        "discoverable": True,
        "icon": {"type": "Image", "mediaType": "image/svg+xml", "url": f"{base}/static/favicon.svg"},
        "inbox": f"{url}/inbox",
        "outbox": f"{url}/outbox",
        "followers": f"{url}/followers",
        "following": f"{url}/following",
        "featured": f"{url}/featured",
        "endpoints": {"sharedInbox": urls.shared_inbox()},
        "publicKey": {"id": urls.key_id(department.slug), "owner": url, "publicKeyPem": record.public_key_pem},
    }


def _outage_lines(post: Post) -> str:
    """An outage notice's structure (what, where, when) as lines above its text."""
    if post.kind != PostKind.OUTAGE or post.notice_type is None:
        return ""
    with force_locale("zh_CN"):  # what goes out is the department's own words, in Chinese
        lines = [f"【{post.notice_type.label}】"]
    names = notices.district_names()
    if post.district_slugs:
        lines.append("区县：" + "、".join(names.get(slug, slug) for slug in post.district_slugs))
    if post.notice_streets:
        lines.append(f"范围：{post.notice_streets}")
    if post.notice_start and post.notice_end:
        lines.append(f"时间：{_beijing(post.notice_start)} 至 {_beijing(post.notice_end)}（北京时间）")
    return "<p>" + "<br>".join(escape(line) for line in lines) + "</p>"


def post_note(post: Post) -> dict:
    slug = post.department.slug
    content = _outage_lines(post) + "<p>" + urls.absolute_links(post.body_html).replace("\n", "<br>") + "</p>"
    note = {
        "id": urls.post(post.id),
        "type": "Note",
        "attributedTo": urls.actor(slug),
        "to": [AS_PUBLIC],
        "cc": [urls.actor(slug) + "/followers"],
        "content": content,
        "contentMap": {"zh": content},
        "url": urls.post(post.id),
        "published": iso(post.published_at),
        "sensitive": False,
        "tag": [
            {"type": "Hashtag", "name": f"#{name}", "href": f"{urls.base()}/topic/{name}"}
            for name in topics_in(post.body)
        ]
        + _department_mentions(post.body),
    }
    if post.edited_at:
        note["updated"] = iso(post.edited_at)
    return note


def _department_mentions(text: str) -> list[dict]:
    """@市公安局 in a post names that department's account."""
    return [
        {"type": "Mention", "href": urls.actor(slug), "name": f"@{slug}@{urls.host()}"}
        for short_name, slug in departments.mention_map().items()
        if f"@{short_name}" in text
    ]


def question_note(question: Question) -> dict:
    slug = question.department.slug
    content = f"<p><strong>{escape(question.title)}</strong></p><p>{urls.absolute_links(question.body_html)}</p>"
    return {
        "id": urls.question(question.id),
        "type": "Note",
        "attributedTo": urls.actor(slug),
        "to": [AS_PUBLIC],
        "content": content,
        "url": urls.question(question.id),
        "published": iso(question.created_at),
        "summary": None,
    }


def event_note(
    event: QuestionEvent, *, text: str, to: list[str], in_reply_to: str | None, mention: RemoteActor | None = None
) -> dict:
    """A step of a question (the department's reply, or a step told back to a remote asker)."""
    question = event.question
    slug = question.department.slug
    link = urls.question(question.id)
    prefix = (
        f'<a href="{escape(mention.url or mention.uri)}" class="mention">{escape(mention.handle)}</a> '
        if mention
        else ""
    )
    content = f'<p>{prefix}{escape(text)}</p><p><a href="{link}">{link}</a></p>'
    note = {
        "id": f"{link}#event-{event.id}",
        "type": "Note",
        "attributedTo": urls.actor(slug),
        "to": to,
        "cc": [urls.actor(slug) + "/followers"],
        "content": content,
        "url": link,
        "published": iso(event.created_at),
        "inReplyTo": in_reply_to,
        "context": link,
    }
    if mention:
        note["tag"] = [{"type": "Mention", "href": mention.uri, "name": mention.handle}]
    return note


def activity(
    kind: str, actor_uri: str, obj: dict | str, *, id: str, to: list[str] | None = None, cc: list[str] | None = None
) -> dict:
    doc = {"@context": CONTEXT, "id": id, "type": kind, "actor": actor_uri, "object": obj}
    if isinstance(obj, dict):
        doc["to"], doc["cc"] = obj.get("to", []), obj.get("cc", [])
        if obj.get("published"):
            doc["published"] = obj["published"]
    if to is not None:
        doc["to"] = to
    if cc is not None:
        doc["cc"] = cc
    return doc


def collection(id: str, total: int, items: list | None = None, ordered: bool = True) -> dict:
    doc = {"@context": CONTEXT, "id": id, "type": "OrderedCollection" if ordered else "Collection", "totalItems": total}
    if items is not None:
        doc["orderedItems" if ordered else "items"] = items
    return doc


def webfinger(department: Department) -> dict:
    url = urls.actor(department.slug)
    return {
        "subject": f"acct:{department.slug}@{urls.host()}",
        "aliases": [url],
        "links": [
            {"rel": "self", "type": AP_TYPE, "href": url},
            {"rel": "http://webfinger.net/rel/profile-page", "type": "text/html", "href": url},
        ],
    }


def nodeinfo(site_name: str, version: str, users: int, posts: int) -> dict:
    return {
        "version": "2.1",
        "software": {"name": "xintongqiao", "version": version, "homepage": f"{urls.base()}/"},
        "protocols": ["activitypub"],
        "services": {"inbound": ["atom1.0"], "outbound": ["atom1.0"]},
        "openRegistrations": True,
        "usage": {"users": {"total": users}, "localPosts": posts},
        "metadata": {"nodeName": site_name},
    }
