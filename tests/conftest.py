"""Fixtures: a real SQLite file per test (copied from one migrated, seeded template), the app,
its client and CLI runner, users named by role, and builders for test data."""

import itertools
import os
import shutil
import time
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, settings

from tests.helpers import NOW, ON_POSTGRES, PASSWORD, PASSWORD_HASH, POSTGRES_URL, QueryCounter, app_settings
from xtq import clock, create_app
from xtq.domain import seeding
from xtq.domain.departments import by_slug as department
from xtq.domain.posts import record_topics
from xtq.extensions import db
from xtq.models import Post, PostKind, PostStatus, Role, StaffTitle, User
from xtq.text import render

# The machines are shared and noisy: Hypothesis judges its examples, not how fast they came. Under CI
# it draws the same examples every run, so a submission does not fail on a draw its author never saw
# (new cases are found locally, where the draws vary, and kept with @example).
settings.register_profile(
    "shared-machine",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=os.environ.get("CI") == "true",
)
settings.load_profile("shared-machine")

pytest_plugins = ["tests.question_fixtures"]  # the closed loop's fixtures live beside this file


@pytest.fixture(scope="session", autouse=True)
def pinned_clock():
    """Pins the app's wall clock to NOW (10:00 in Zhengzhou on TODAY); it runs on in real time."""
    started = time.monotonic()
    patch = pytest.MonkeyPatch()
    patch.setattr(clock, "real_now", lambda: NOW + timedelta(seconds=time.monotonic() - started))
    yield
    patch.undo()


def _migrate_and_seed(database_url: str, instance_path: Path) -> None:
    from flask_migrate import upgrade

    mp = pytest.MonkeyPatch()
    mp.setenv("XTQ_INSTANCE_PATH", str(instance_path))
    app = create_app(app_settings(database_url))
    with app.app_context():
        upgrade()
        seeding.apply(seeding.load(Path(app.root_path).parent / "seed_bureaus.json"))
        db.session.commit()
        db.engine.dispose()
    mp.undo()


class SqliteDatabases:
    """Each test gets a copy of one migrated, seeded SQLite file."""

    def __init__(self, path: Path):
        self.template = path / "xtq.sqlite"
        _migrate_and_seed(f"sqlite:///{self.template}", path)

    def new(self, path: Path) -> str:
        shutil.copy(self.template, path / "xtq.sqlite")
        return f"sqlite:///{path / 'xtq.sqlite'}"

    def empty(self, path: Path) -> str:
        return f"sqlite:///{path / 'empty.sqlite'}"

    def drop(self, url: str) -> None:
        pass

    def close(self) -> None:
        pass


class PostgresDatabases:
    """Each test gets a database created from one migrated, seeded template database."""

    def __init__(self, admin_url: str, path: Path):
        self.admin = sa.create_engine(
            admin_url.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT"
        )
        self.prefix = f"xtq_{os.getpid()}"
        self.template = f"{self.prefix}_template"
        self.counter = itertools.count(1)
        self._execute(f"DROP DATABASE IF EXISTS {self.template}", f"CREATE DATABASE {self.template}")
        _migrate_and_seed(self._url(self.template), path)

    def _url(self, name: str) -> str:
        return self.admin.url.set(database=name).render_as_string(hide_password=False)

    def _execute(self, *statements: str) -> None:
        with self.admin.connect() as con:
            for statement in statements:
                con.execute(sa.text(statement))

    def new(self, path: Path) -> str:
        name = f"{self.prefix}_{next(self.counter)}"
        self._execute(f"CREATE DATABASE {name} TEMPLATE {self.template}")
        return self._url(name)

    def empty(self, path: Path) -> str:
        name = f"{self.prefix}_{next(self.counter)}"
        self._execute(f"CREATE DATABASE {name}")
        return self._url(name)

    def drop(self, url: str) -> None:
        self._execute(f"DROP DATABASE IF EXISTS {sa.make_url(url).database} WITH (FORCE)")

    def close(self) -> None:
        self._execute(f"DROP DATABASE IF EXISTS {self.template} WITH (FORCE)")
        self.admin.dispose()


@pytest.fixture(scope="session")
def databases(tmp_path_factory):
    """Makes a fresh, migrated, seeded database for each test, on SQLite or PostgreSQL."""
    path = tmp_path_factory.mktemp("template")
    databases = PostgresDatabases(POSTGRES_URL, path) if ON_POSTGRES else SqliteDatabases(path)
    yield databases
    databases.close()


@pytest.fixture
def app_config(request):
    """Extra settings for one test: override this fixture or use pytest.mark.parametrize indirect."""
    return getattr(request, "param", {})


@pytest.fixture
def app(tmp_path, databases, monkeypatch, app_config):
    url = databases.new(tmp_path)
    monkeypatch.setenv("XTQ_INSTANCE_PATH", str(tmp_path))
    app = create_app(app_settings(url, **app_config))
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()
    databases.drop(url)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def served(app):
    """The same database served by an app of its own, with CSRF checks on and the page cache kept a
    minute, each request in its own app context (and g), as when serving."""
    other = create_app(
        app_settings(app.config["SQLALCHEMY_DATABASE_URI"], PAGE_CACHE_SECONDS=60, WTF_CSRF_ENABLED=True)
    )
    with other.app_context():
        engine = db.engine
    yield other
    engine.dispose()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_user(app):
    counter = iter(range(1, 10_000))

    def make(role=Role.CITIZEN, *, slug=None, title=None, username=None, display_name=None):
        n = next(counter)
        user = User(
            username=username or f"{role.value}{n}",
            display_name=display_name or f"测试用户{n}",
            password_hash=PASSWORD_HASH,
            role=role,
            department=department(slug) if slug else None,
            title=title,
            created_at=NOW - timedelta(days=30),
        )
        db.session.add(user)
        db.session.commit()
        return user

    return make


@pytest.fixture
def citizen(make_user):
    return make_user(Role.CITIZEN, username="citizen")


@pytest.fixture
def spokesperson(make_user):
    return make_user(Role.STAFF, slug="gongan", title=StaffTitle.SPOKESPERSON, username="gongan_fyr")


@pytest.fixture
def liaison(make_user):
    return make_user(Role.STAFF, slug="gongan", title=StaffTitle.LIAISON, username="gongan_lly")


@pytest.fixture
def other_staff(make_user):
    return make_user(Role.STAFF, slug="jiaoyu", title=StaffTitle.SPOKESPERSON, username="jiaoyu_fyr")


@pytest.fixture
def admin(make_user):
    return make_user(Role.ADMIN, username="admin")


class Auth:
    def __init__(self, client):
        self.client = client

    def login(self, user_or_name, password=PASSWORD):
        username = getattr(user_or_name, "username", user_or_name)
        return self.client.post("/login", data={"username": username, "password": password})

    def logout(self):
        return self.client.post("/logout")


@pytest.fixture
def auth(client):
    return Auth(client)


@pytest.fixture
def make_post(app):
    def make(author, body="测试微博", *, kind=PostKind.DAILY, published_at=None, status=PostStatus.PUBLISHED):
        at = published_at or NOW - timedelta(hours=1)
        post = Post(
            department_id=author.department_id,
            author_id=author.id,
            kind=kind,
            status=status,
            body=body,
            body_html=render(body),
            created_at=at,
            published_at=at,
        )
        db.session.add(post)
        db.session.flush()
        record_topics(post)
        db.session.commit()
        return post

    return make


@pytest.fixture
def count_queries(app):
    """`with count_queries() as q: ...; q.count` — statements sent while inside the block."""
    return lambda: QueryCounter(db.engine)


@pytest.fixture
def openapi(client):
    """The API's own OpenAPI document, as served, ready to validate responses against."""
    from openapi_core import OpenAPI

    return OpenAPI.from_dict(client.get("/api/v1/openapi.json").json)
