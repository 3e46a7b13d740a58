"""Fixtures: a real SQLite file per test (copied from one migrated, seeded template), the app,
its client and CLI runner, users named by role, and builders for test data."""

import shutil
from datetime import datetime, timedelta, timezone

import pytest
from werkzeug.security import generate_password_hash

from xtq import create_app
from xtq.domain import seeding
from xtq.extensions import db
from xtq.models import Department, Post, PostKind, PostStatus, Role, StaffTitle, User
from xtq.domain.posts import record_topics
from xtq.text import render

PASSWORD = "correct-horse"
# One cheap hash for every test account: scrypt's cost is for attackers, not for tests.
PASSWORD_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
NOW = datetime(2026, 11, 26, 2, 0, tzinfo=timezone.utc)  # a Thursday, 10:00 in Zhengzhou


def _config(instance_path, db_file, **extra):
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "WTF_CSRF_ENABLED": False,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{db_file}",
        **extra,
    }


@pytest.fixture(scope="session")
def template_db(tmp_path_factory):
    """A database migrated to the newest schema and seeded with the 57 departments, made once."""
    path = tmp_path_factory.mktemp("template")
    db_file = path / "xtq.sqlite"
    mp = pytest.MonkeyPatch()
    mp.setenv("XTQ_INSTANCE_PATH", str(path))
    app = create_app(_config(path, db_file))
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        seeding.apply(seeding.load(app.root_path + "/../seed_bureaus.json"))
        db.session.commit()
        db.engine.dispose()
    mp.undo()
    return db_file


@pytest.fixture
def app_config():
    """Extra settings for one test: override this fixture or use pytest.mark.parametrize indirect."""
    return {}


@pytest.fixture
def app(tmp_path, template_db, monkeypatch, app_config):
    db_file = tmp_path / "xtq.sqlite"
    shutil.copy(template_db, db_file)
    monkeypatch.setenv("XTQ_INSTANCE_PATH", str(tmp_path))
    app = create_app(_config(tmp_path, db_file, **app_config))
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def department(slug: str) -> Department:
    return db.session.scalar(db.select(Department).where(Department.slug == slug))


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
            department_id=author.department_id, author_id=author.id, kind=kind, status=status,
            body=body, body_html=render(body), created_at=at, published_at=at,
        )
        db.session.add(post)
        db.session.flush()
        record_topics(post)
        db.session.commit()
        return post

    return make


class QueryCounter:
    """Counts the SQL statements sent to the database while active."""

    def __init__(self, engine):
        self.engine = engine
        self.statements: list[str] = []

    def _count(self, conn, cursor, statement, parameters, context, executemany):
        self.statements.append(statement)

    def __enter__(self):
        from sqlalchemy import event

        self.statements = []
        event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc):
        from sqlalchemy import event

        event.remove(self.engine, "before_cursor_execute", self._count)

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(app):
    """`with count_queries() as q: ...; q.count` — statements sent while inside the block."""
    return lambda: QueryCounter(db.engine)
