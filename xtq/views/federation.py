"""The hall on the fediverse: WebFinger, NodeInfo, host-meta, each department's actor and its
collections (the actor, posts and questions also answer /hall/<slug>, /p/<id>, /q/<id> asked
for as ActivityPub), and the inboxes, which verify a request's signature before keeping anything."""

import json
from datetime import timedelta
from urllib.parse import urlsplit

from flask import Blueprint, Response, abort, current_app, request
from werkzeug.http import parse_accept_header

from xtq import clock
from xtq.domain import departments, posts, questions
from xtq.extensions import csrf, db, limiter
from xtq.federation import actors, documents, fetch, inbox, keys, signatures, urls
from xtq.federation.models import RemoteFollower
from xtq.federation.outbox import enabled
from xtq.models import Department, Post

bp = Blueprint("federation", __name__)
NEGOTIATED = {"hall.department", "posts.post", "questions.question"}
JRD = "application/jrd+json"
PAGE = 20


def wants_activitypub() -> bool:
    """Accept names ActivityPub (activity+json, or ld+json with the ActivityStreams profile) above HTML."""
    accept = parse_accept_header(request.headers.get("Accept", ""))
    ap = max((q for value, q in accept if value.split(";")[0].strip() in documents.AP_TYPES), default=0)
    return ap > 0 and ap >= accept["text/html"]


def _json(document: dict, content_type: str = documents.AP_TYPE, status: int = 200) -> Response:
    response = Response(json.dumps(document, ensure_ascii=False), status=status, content_type=content_type)
    response.headers["Vary"] = "Accept"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def _department(slug: str) -> Department:
    department = departments.by_slug(slug)
    if department is None or not enabled(department):
        abort(404)
    return department


@bp.before_app_request
def negotiate():
    """/hall/<slug>, /p/<id> and /q/<id> asked for as ActivityPub answer with the JSON document."""
    if request.method != "GET" or request.endpoint not in NEGOTIATED or not wants_activitypub():
        return None
    args, now = request.view_args or {}, clock.now()
    if request.endpoint == "hall.department":
        department = _department(args["slug"])
        record = keys.actor_for(department, now)
        db.session.commit()
        return _json(documents.actor(department, record))
    if request.endpoint == "posts.post":
        post = posts.public_post(args["post_id"], now)
        if post is None or not enabled(post.department):
            abort(404)
        return _json({"@context": documents.CONTEXT, **documents.post_note(post)})
    question = questions.by_id(args["question_id"])
    if question is None or not questions.shows_text(question, None) or not enabled(question.department):
        abort(404)
    return _json({"@context": documents.CONTEXT, **documents.question_note(question)})


@bp.after_app_request
def vary_on_accept(response: Response) -> Response:
    if request.endpoint in NEGOTIATED:
        response.vary.add("Accept")
    return response


@bp.get("/.well-known/webfinger")
def webfinger():
    """acct:<slug>@<host> (or the actor's URL) → the department's actor."""
    resource = request.args.get("resource", "")
    if not resource:
        abort(400)
    slug = urls.slug_of_actor(resource)
    if slug is None and resource.startswith("acct:"):
        name, _, host = resource[5:].lstrip("@").partition("@")
        slug = name if host.lower() == urls.host().lower() else None
    department = departments.by_slug(slug) if slug else None
    if department is None or not enabled(department):
        abort(404)
    return _json(documents.webfinger(department), JRD)


@bp.get("/.well-known/host-meta")
def host_meta():
    """Where WebFinger is, for older clients."""
    template = f"{urls.base()}/.well-known/webfinger?resource={{uri}}"
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<XRD xmlns="http://docs.oasis-open.org/ns/xri/xrd-1.0">'
        f'<Link rel="lrdd" template="{template}"/></XRD>'
    )
    return Response(xml, content_type="application/xrd+xml")


@bp.get("/.well-known/nodeinfo")
def nodeinfo_links():
    """Where the NodeInfo document is."""
    return _json(
        {"links": [{"rel": "http://nodeinfo.diaspora.software/ns/schema/2.1", "href": f"{urls.base()}/nodeinfo/2.1"}]},
        "application/json",
    )


@bp.get("/nodeinfo/2.1")
def nodeinfo():
    """What this server is: software, protocols, usage."""
    now = clock.now()
    users = db.session.scalar(db.select(db.func.count()).select_from(Department))
    local_posts = db.session.scalar(db.select(db.func.count()).select_from(posts.public_posts(now).subquery()))
    document = documents.nodeinfo(current_app.config["SITE_NAME"], "2026.11", users, local_posts)
    return _json(document, 'application/json; profile="http://nodeinfo.diaspora.software/ns/schema/2.1#"')


@bp.get("/hall/<slug>/outbox")
def outbox(slug: str):
    """The department's posts as Create activities, newest first, a page at a time (keyset: ?before=<id>)."""
    department, now = _department(slug), clock.now()
    url = urls.actor(slug) + "/outbox"
    select = posts.by_department(department.id, now)
    if "page" not in request.args and "before" not in request.args:
        total = db.session.scalar(db.select(db.func.count()).select_from(select.subquery()))
        return _json({**documents.collection(url, total), "first": f"{url}?page=true"})
    before = request.args.get("before", type=int)
    if before:
        select = select.where(Post.id < before)
    rows = list(db.session.scalars(select.order_by(Post.id.desc()).limit(PAGE + 1)))
    items = [
        documents.activity("Create", urls.actor(slug), documents.post_note(p), id=urls.post(p.id) + "#create")
        for p in rows[:PAGE]
    ]
    page = {
        "@context": documents.CONTEXT,
        "id": request.url,
        "type": "OrderedCollectionPage",
        "partOf": url,
        "orderedItems": items,
    }
    if len(rows) > PAGE:
        page["next"] = f"{url}?before={rows[PAGE - 1].id}"
    return _json(page)


@bp.get("/hall/<slug>/followers")
def followers(slug: str):
    """How many follow the department (who they are is not published)."""
    department = _department(slug)
    total = db.session.scalar(db.select(db.func.count()).where(RemoteFollower.department_id == department.id))
    return _json(documents.collection(urls.actor(slug) + "/followers", total))


@bp.get("/hall/<slug>/following")
def following(slug: str):
    """Departments follow no one."""
    _department(slug)
    return _json(documents.collection(urls.actor(slug) + "/following", 0, []))


@bp.get("/hall/<slug>/featured")
def featured(slug: str):
    """The department's pinned posts."""
    department = _department(slug)
    notes = [documents.post_note(p) for p in posts.pinned(department.id, clock.now())]
    return _json(documents.collection(urls.actor(slug) + "/featured", len(notes), notes))


def _inbox_limit_key() -> str:
    """Rate limits count per remote server (the signature's key host), not per proxy address."""
    try:
        return "inbox:" + urlsplit(signatures.parse(request.headers.get("Signature"))["keyId"]).netloc.lower()
    except signatures.BadSignature:
        return "inbox:unsigned:" + (request.remote_addr or "")


@bp.post("/inbox")
@bp.post("/hall/<slug>/inbox")
@csrf.exempt
@limiter.limit(lambda: current_app.config["FEDERATION_INBOX_LIMIT"], key_func=_inbox_limit_key)
def receive(slug: str | None = None):
    """An activity from another server: 401 unless properly signed; kept once, applied by the worker."""
    if slug is not None:
        _department(slug)
    body = request.get_data(cache=False)
    if len(body) > current_app.config["FEDERATION_MAX_BYTES"]:
        abort(413)
    try:
        activity = json.loads(body)
    except ValueError:
        abort(400)
    if (
        not isinstance(activity, dict)
        or not all(isinstance(activity.get(k), str) for k in ("id", "type"))
        or not isinstance(activity.get("actor"), (str, dict))
    ):
        abort(400)
    headers = {k.lower(): v for k, v in request.headers.items()}
    now = clock.wall_now()
    try:
        fields = signatures.check_request(
            "POST", request.url, headers, body, now=now, window=current_app.config["FEDERATION_SIGNATURE_WINDOW"]
        )
        key_host = urlsplit(fields["keyId"]).netloc.lower()
        actor_uri = activity["actor"] if isinstance(activity["actor"], str) else activity["actor"].get("id", "")
        if fetch.is_blocked(key_host) or fetch.is_blocked(urlsplit(actor_uri).netloc):
            abort(403)
        actor = _verified_actor(fields["keyId"], headers, now)
    except (signatures.BadSignature, fetch.Refused):
        db.session.rollback()
        return _json({"error": "signature"}, "application/json", 401)
    if actor.uri != actor_uri:
        return _json({"error": "actor does not own the key"}, "application/json", 401)
    inbox.store(activity, actor, clock.now())
    db.session.commit()
    return Response(status=202)


def _verified_actor(key_id: str, headers: dict, now):
    """The key's owner, if the signature holds; a cached key that fails is fetched again once (rotation)."""
    actor = actors.by_key_id(key_id, now)
    try:
        signatures.verify("POST", request.url, headers, actor.public_key_pem)
    except signatures.BadSignature:
        if actor.fetched_at > now - timedelta(minutes=1):
            raise
        actor = actors.refresh(actor.uri, now)
        signatures.verify("POST", request.url, headers, actor.public_key_pem)
    db.session.commit()  # the fetched key is kept for next time
    return actor
