"""Browser helpers: the app served on loopback, fresh pages that watch for requests off loopback and
console errors, logging in, axe-core, screenshots. Fixtures live in conftest.py.

Without Chromium or axe-core these tests are skipped with a loud reason; under CI=true they fail instead.
"""

import os
import shutil
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from werkzeug.serving import make_server

from tests.helpers import PASSWORD, PASSWORD_HASH
from xtq import ROOT, create_app
from xtq.extensions import db
from xtq.models import Department, Role, User

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def missing(what: str) -> None:
    message = f"!!! {what}: browser tests NOT run. `make test` installs it (as root on Debian)."
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@dataclass
class LiveServer:
    url: str
    app: object

    def make_user(self, username, role=Role.CITIZEN, slug=None, title=None, display_name=None):
        with self.app.app_context():
            dept = db.session.scalar(db.select(Department).where(Department.slug == slug)) if slug else None
            from tests.helpers import NOW

            user = User(
                username=username,
                display_name=display_name or username,
                password_hash=PASSWORD_HASH,
                role=role,
                department=dept,
                title=title,
                created_at=NOW,
            )
            db.session.add(user)
            db.session.commit()
            return user.id


def _buffered(app):
    """Each response read whole before it is sent.

    werkzeug's development server skips closing a response when the browser drops the
    connection mid-body (Chromium cancels favicon requests on navigation), which leaves a static
    file open and fails the run under `filterwarnings = error`. The hall sends no streams.
    """

    def wsgi(environ, start_response):
        body = app(environ, start_response)
        try:
            return [b"".join(body)]
        finally:
            if hasattr(body, "close"):
                body.close()

    return wsgi


@contextmanager
def serve(databases, tmp_path_factory, **config):
    """The app on a free loopback port with its own database, CSRF on, and any extra `config`."""
    path = tmp_path_factory.mktemp("live")
    url = databases.new(path)
    mp = pytest.MonkeyPatch()
    mp.setenv("XTQ_INSTANCE_PATH", str(path))
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "live-secret",
            "RATELIMIT_ENABLED": False,
            "SQLALCHEMY_DATABASE_URI": url,
            "JOBS_IMMEDIATE": True,  # e-mail and deliveries at once, in the server: no worker in these tests
            **config,
        }
    )
    server = make_server("127.0.0.1", 0, _buffered(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield LiveServer(f"http://127.0.0.1:{server.server_port}", app)
    server.shutdown()
    with app.app_context():
        db.engine.dispose()
    databases.drop(url)
    mp.undo()


@dataclass
class PageWatch:
    """What a page did that it should not: requests to other hosts, console errors."""

    external_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)


def open_page(browser, width=1280, height=900):
    """A fresh context and page that blocks and records every request to another host."""
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    watch = PageWatch()

    def route(r):
        host = urlsplit(r.request.url).hostname
        if r.request.url.startswith("data:") or host in ("127.0.0.1", "localhost"):
            return r.continue_()
        watch.external_requests.append(r.request.url)
        return r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda m: watch.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: watch.console_errors.append(str(e)))
    return context, page, watch


def login(page, base_url, username, password=PASSWORD):
    page.goto(f"{base_url}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():  # wait for the page after the login, not the login form itself
        page.click("main button[type=submit]")


def axe_violations(page, impacts=("serious", "critical")) -> list[str]:
    """Run axe-core in the page; the serious and critical violations, one line each."""
    if not AXE.exists():
        missing("axe-core not installed (npm ci)")
    if not page.evaluate("() => 'axe' in window"):  # not already there through context.add_init_script
        page.evaluate(AXE.read_text())  # evaluated through the devtools protocol: the page's CSP still holds
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in impacts
    ]


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def scrolls_sideways(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth > window.innerWidth + 1")
