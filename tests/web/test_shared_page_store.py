"""One page store for the server's workers (xtq/web/stores.py, SharedCache): a skeleton one worker kept is
answered by another process, filled for that process's own reader; and it never outlives its release."""

import json
import subprocess
import sys
from pathlib import Path

from tests.helpers import app_settings
from tests.page_reads import login
from xtq import clock, create_app
from xtq.domain.departments import by_slug
from xtq.extensions import db
from xtq.web import page_cache

ROOT = Path(__file__).resolve().parents[2]

# Another worker: its own process, the same database, instance folder and SECRET_KEY, its clock pinned
# to the test's moment.
ANOTHER_WORKER = r"""
import json, sys
from datetime import datetime
from tests.helpers import app_settings
from xtq import clock, create_app

url, moment, cookie, path = sys.argv[1:]
clock.real_now = lambda: datetime.fromisoformat(moment)
app = create_app(app_settings(url, PAGE_CACHE_SECONDS=60, WTF_CSRF_ENABLED=True))
client = app.test_client()
client.set_cookie("session", cookie)
response = client.get(path)
print(json.dumps({"cache": response.headers.get("X-Cache"), "html": response.get_data(as_text=True)}))
"""


def another_worker(served, cookie: str, path: str) -> dict:
    url = served.config["SQLALCHEMY_DATABASE_URI"]
    argv = [sys.executable, "-c", ANOTHER_WORKER, url, clock.real_now().isoformat(), cookie, path]
    done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=120, check=True)
    return json.loads(done.stdout.splitlines()[-1])


def test_a_skeleton_one_worker_kept_is_filled_by_another_for_its_reader(served, citizen, make_user):
    first = served.test_client()
    login(first, citizen)
    assert first.get("/").headers["X-Cache"] == "miss"
    second = served.test_client()
    login(second, make_user(display_name="第二位读者"))

    answer = another_worker(served, second.get_cookie("session").value, "/")
    assert answer["cache"] == "hit"
    assert "第二位读者" in answer["html"] and citizen.display_name not in answer["html"]
    assert "xtq-hole-" not in answer["html"]


def test_a_kept_page_is_not_served_by_another_release(app, served, monkeypatch):
    client = served.test_client()
    assert client.get("/directory").headers["X-Cache"] == "miss"
    assert client.get("/directory").headers["X-Cache"] == "hit"
    monkeypatch.setitem(served.extensions, page_cache._RELEASE, "a-later-release")
    assert client.get("/directory").headers["X-Cache"] == "miss"


def test_a_worker_takes_the_newer_copy_another_kept_after_a_write(app, served):
    """Each worker also keeps the pages it used last in memory; when a write has made its own copy stale
    it takes the one another worker kept since, rather than render the page again."""
    other = create_app(
        app_settings(app.config["SQLALCHEMY_DATABASE_URI"], PAGE_CACHE_SECONDS=60, WTF_CSRF_ENABLED=True)
    )
    first, second = served.test_client(), other.test_client()
    assert first.get("/directory").headers["X-Cache"] == "miss"
    assert second.get("/directory").headers["X-Cache"] == "hit"
    dept = by_slug("jiaoyu")
    dept.name = dept.short_name = "新名字的教育局"
    db.session.commit()
    assert second.get("/directory").headers["X-Cache"] == "miss"
    response = first.get("/directory")
    assert response.headers["X-Cache"] == "hit" and "新名字的教育局" in response.get_data(as_text=True)
    with other.app_context():
        db.engine.dispose()


def test_a_damaged_store_never_fails_a_reader_and_is_started_afresh(app, served, caplog):
    """The store is only a copy: a damaged file (a crash, a full disk) means pages rendered, not errors;
    a worker that starts on it starts the store afresh."""
    client = served.test_client()
    assert client.get("/directory").headers["X-Cache"] == "miss"
    folder = Path(served.instance_path) / "page-cache"
    with served.app_context():
        page_cache.page_cache.cache._store.close()  # its next statement opens the file again
    for part in folder.glob("cache.db*"):
        part.unlink()
    (folder / "cache.db").write_bytes(b"not a database at all " * 4096)

    assert client.get("/directory").headers["X-Cache"] == "hit"  # this worker's own copy, in its memory
    response = client.get("/hall/gongan")
    assert response.status_code == 200 and response.headers["X-Cache"] == "miss"
    assert "page store unreadable" in caplog.text

    starting = create_app(
        app_settings(app.config["SQLALCHEMY_DATABASE_URI"], PAGE_CACHE_SECONDS=60, WTF_CSRF_ENABLED=True)
    )
    assert "started afresh" in caplog.text
    fresh = starting.test_client()
    assert fresh.get("/hall/gongan").headers["X-Cache"] == "miss"
    assert fresh.get("/hall/gongan").headers["X-Cache"] == "hit"
    with starting.app_context():
        db.engine.dispose()
