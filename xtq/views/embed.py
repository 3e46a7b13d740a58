"""Other sites show the hall: a department's widget (/embed/hall/<slug>), one post or question as
a card (/embed/p/<id>, /embed/q/<id>), oEmbed for them, and CORS (GET, no credentials) on the
read-only API and the feeds. Embeds may be framed only by the origins in EMBED_ORIGINS."""

from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, jsonify, render_template, request, url_for

from xtq import clock
from xtq.domain import departments, posts, questions
from xtq.extensions import db
from xtq.federation import urls
from xtq.models import Post
from xtq.views.question_display import rows
from xtq.web.security import CONTENT_SECURITY_POLICY

bp = Blueprint("embed", __name__)
CORS_BLUEPRINTS = {"api", "feeds", "embed"}
WIDGET_POSTS = 5


@bp.get("/embed/hall/<slug>")
def hall(slug: str):
    """A department's latest posts, small enough for another site's sidebar."""
    department = departments.by_slug(slug) or abort(404)
    now = clock.now()
    latest = db.session.scalars(
        posts.by_department(department.id, now).order_by(Post.published_at.desc(), Post.id.desc()).limit(WIDGET_POSTS)
    ).all()
    return render_template("embed/hall.html", dept=department, posts=latest)


@bp.get("/embed/p/<int:post_id>")
def post(post_id: int):
    """One post as a card."""
    item = posts.public_post(post_id, clock.now()) or abort(404)
    return render_template("embed/post.html", post=item)


@bp.get("/embed/q/<int:question_id>")
def question(question_id: int):
    """One question as a card: its status and where it stands."""
    q = questions.by_id(question_id)
    if q is None or not questions.shows_text(q, None):
        abort(404)
    return render_template("embed/question.html", row=rows([q], None, clock.now(), clock.work_calendar())[0])


@bp.get("/oembed")
def oembed():
    """oEmbed (JSON) for a post, a question or a department's hall on this site."""
    url = request.args.get("url", "")
    if request.args.get("format", "json") != "json":
        abort(501)
    parts = urlsplit(url)
    if parts.netloc and parts.netloc != urlsplit(urls.base()).netloc:
        abort(404)
    try:
        endpoint, values = current_app.url_map.bind("localhost").match(parts.path)
    except Exception:  # noqa: BLE001  (werkzeug raises NotFound, MethodNotAllowed or RequestRedirect)
        abort(404)
    target = {
        "posts.post": ("embed.post", "post_id", 420),
        "questions.question": ("embed.question", "question_id", 260),
        "hall.department": ("embed.hall", "slug", 560),
    }.get(endpoint)
    if target is None:
        abort(404)
    name, key, height = target
    width = min(request.args.get("maxwidth", 480, type=int), 640)
    src = urls.base() + url_for(name, **{key: values[key]})
    response = {
        "version": "1.0",
        "type": "rich",
        "provider_name": current_app.config["SITE_NAME"],
        "provider_url": urls.base() + "/",
        "width": width,
        "height": height,
        "html": f'<iframe src="{src}" width="{width}" height="{height}" style="border:0" loading="lazy"></iframe>',
    }
    return jsonify(response)


@bp.after_request
def framed_only_by_listed_origins(response):
    origins = " ".join(current_app.config["EMBED_ORIGINS"]) or "'none'"
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY.replace(
        "frame-ancestors 'none'", f"frame-ancestors {origins}"
    )
    return response


@bp.after_app_request
def cors(response):
    """Anyone's page may read the API, the feeds and oEmbed (GET only, never with credentials)."""
    if request.blueprint in CORS_BLUEPRINTS and request.method in ("GET", "HEAD"):
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.vary.add("Origin")
    return response
