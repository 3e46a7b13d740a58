"""Guard: the public pages send a small, fixed number of SQL statements (no N+1), on the demo hall."""

import pytest

from tests.helpers import NOW
from xtq.demo import hall as demo
from xtq.extensions import db
from xtq.models import Post, Question

MAX_STATEMENTS = 8
CAPS = {"/q/{question}": 2, "/timeline": 2}  # pages that read in one or two statements stay so


@pytest.fixture
def app_config():
    """As deployed: figures and hot topics are remembered between requests (the warm-up fills them).
    Whole pages are not: the guard counts what rendering a page costs (test_page_cache covers hits)."""
    return {"FIGURES_CACHE_SECONDS": 60, "PUBLIC_CACHE_SECONDS": 30, "PAGE_CACHE_SECONDS": 0}


@pytest.fixture
def demo_hall(app, runner):
    demo.build(app.root_path + "/../seed_bureaus.json", now=NOW, reset=True, progress=lambda _: None)
    post = db.session.scalar(db.select(Post).where(Post.comment_count > 0).limit(1))
    question = db.session.scalar(db.select(Question).order_by(Question.id.desc()).limit(1))
    db.session.remove()
    return post.id, question.id


PAGES = [
    "/",
    "/directory",
    "/hall/gongjiao",
    "/hall/jinshui",
    "/p/{post}",
    "/topic/冬季供暖",
    "/q/{question}",
    "/timeline",
    "/timeline?department=gongan&status=replied",
    "/search?q=公交",
    "/feed.atom",
    "/hall/gongjiao/feed.atom",
    "/timeline.atom",
    "/api/v1/posts",
    "/api/v1/questions",
    "/api/v1/departments",
]


def test_public_pages_send_few_statements(client, demo_hall, count_queries):
    """One demo hall for every page (building it is the slow part)."""
    post_id, question_id = demo_hall
    over = {}
    for path in PAGES:
        url = path.format(post=post_id, question=question_id)
        client.get(url)  # warm: first-request work (e.g. loading the calendar) is not per page
        with count_queries() as q:
            response = client.get(url)
        assert response.status_code == 200, url
        if q.count > CAPS.get(path, MAX_STATEMENTS):
            over[url] = q.statements
    assert not over, {url: len(s) for url, s in over.items()}
