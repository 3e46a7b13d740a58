"""Every schema change is a migration: a hall full of data made with the first schema upgrades
to the newest without losing a row, on SQLite and on PostgreSQL."""

from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from tests.helpers import NOW, app_settings, sh
from xtq import create_app, search
from xtq.extensions import db

FIRST = Path(__file__).parents[1] / "data" / "first-schema.sqlite"
FIRST_REVISION = "46f1d47d9398"


def _counts(connection) -> dict[str, int]:
    tables = sa.inspect(connection).get_table_names()
    return {
        t: connection.execute(sa.text(f'SELECT count(*) FROM "{t}"')).scalar()
        for t in tables
        if t != "alembic_version" and not t.startswith("search_")
    }


def _load_first_schema(app) -> None:
    """Put the first-schema hall into the app's empty database (copying rows for PostgreSQL)."""
    upgrade(revision=FIRST_REVISION)
    source = sa.create_engine(f"sqlite:///{FIRST}")
    source_meta = sa.MetaData()
    source_meta.reflect(source)
    target_meta = sa.MetaData()
    target_meta.reflect(db.engine)
    with source.connect() as src, db.engine.begin() as dst:
        for table in target_meta.sorted_tables:
            if table.name == "alembic_version":
                continue
            rows = [dict(r._mapping) for r in src.execute(source_meta.tables[table.name].select())]
            if rows:
                dst.execute(table.insert(), rows)
            if db.engine.dialect.name == "postgresql" and "id" in table.c:
                quoted = f'"{table.name}"'
                dst.execute(
                    sa.text(
                        f"SELECT setval(pg_get_serial_sequence('{quoted}', 'id'), "
                        f"(SELECT coalesce(max(id), 1) FROM {quoted}))"
                    )
                )
    source.dispose()


FIRST_SCHEMA_MADE = sh(day=26, hour=10)  # tests/data/make_first_schema_db.py dates its demo hall from then


@pytest.fixture
def first_schema_app(databases, tmp_path, monkeypatch):
    """An app on a database that holds the first-schema hall (tests/data/first-schema.sqlite), not yet upgraded."""
    monkeypatch.setenv("XTQ_INSTANCE_PATH", str(tmp_path))
    url = databases.empty(tmp_path)
    if url.startswith("sqlite"):
        Path(url.removeprefix("sqlite:///")).write_bytes(FIRST.read_bytes())
    app = create_app(app_settings(url))
    with app.app_context():
        if not url.startswith("sqlite"):
            _load_first_schema(app)
        yield app
        db.session.remove()
        db.engine.dispose()
    databases.drop(url)


def test_first_schema_full_of_data_upgrades_without_losing_a_row(first_schema_app):
    app = first_schema_app
    with db.engine.connect() as connection:
        before = _counts(connection)
    assert before["post"] > 50 and before["question"] > 20 and all(before.values()), before

    result = app.test_cli_runner().invoke(args=["init-db"])  # what an upgrade runs

    assert result.exit_code == 0, result.output
    with db.engine.connect() as connection:
        after = _counts(connection)
    assert {t: after[t] for t in before} == before
    # The upgraded hall works: its old content is searchable and new rows can be written.
    assert search.find("公交", now=FIRST_SCHEMA_MADE).hits
    from tests.helpers import PASSWORD_HASH
    from xtq.models import User

    db.session.add(User(username="after_upgrade", display_name="新用户", password_hash=PASSWORD_HASH, created_at=NOW))
    db.session.commit()


def test_migrations_match_the_models(app):
    """No model change without its migration: autogenerate finds nothing to do."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    def include_object(obj, name, type_, reflected, compare_to):
        table = obj.table.name if type_ in ("index", "column") else name
        return not table.startswith("search_")  # made by hand, as in migrations/env.py

    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_object": include_object})
        diff = compare_metadata(context, db.metadata)
    assert diff == []


def test_search_rowids_are_rekeyed_both_ways(app, spokesperson, make_post, make_question):
    """e5f1a9c04b21 moves each indexed document to its kind's rowid range, and back on downgrade."""
    from flask_migrate import downgrade

    post = make_post(spokesperson, "公交线路调整的通知")
    question = make_question(at=NOW, title="公交站台什么时候修好")
    table = "search_doc" if db.engine.dialect.name == "postgresql" else "search_index"

    def rowids():
        db.session.commit()
        return set(db.session.scalars(sa.text(f"SELECT rowid FROM {table}")))

    post_id, question_id = post.id, question.id  # read now: the old schema cannot load the rows again
    new = {search.rowid("post", post_id), search.rowid("question", question_id)}
    assert new <= rowids()
    downgrade(revision="63b4a372e065")
    assert {post_id * 4 + 1, question_id * 4 + 2} <= rowids()
    upgrade()
    assert new <= rowids()
    assert {h.kind for h in search.find("公交", now=NOW).hits} == {"post", "question"}


def test_system_texts_written_before_message_keys_are_converted(app, make_question):
    """a7d3e9f2c611 gives rows that hold one of the system's sentences its key and parameters."""
    from flask_migrate import downgrade

    from xtq.models import EventKind, Notification, QuestionEvent

    question = make_question("closed", at=NOW - timedelta(days=3))
    reminder = "催办「路灯」：已超过受理期限（2026-12-01），请尽快办理。"
    notes = list(db.session.scalars(db.select(Notification.id).order_by(Notification.id)))
    db.session.commit()
    downgrade(revision="e5f1a9c04b21")
    db.session.execute(
        sa.text("UPDATE notification SET text = :text WHERE id = :id"), {"text": reminder, "id": notes[0]}
    )
    db.session.execute(sa.text("UPDATE notification SET text = '一条手写的通知' WHERE id = :id"), {"id": notes[1]})
    db.session.commit()
    upgrade()
    db.session.expire_all()
    closed = db.session.scalar(
        db.select(QuestionEvent).where(QuestionEvent.question_id == question.id, QuestionEvent.kind == EventKind.CLOSED)
    )
    assert (closed.message_key, closed.message_params) == ("event.closed.satisfied", {})
    first, second, *rest = (db.session.get(Notification, note_id) for note_id in notes)
    assert first.message_key == "notify.reminder" and first.message_params == {
        "title": "路灯",
        "reminder": {"key": "event.remind.accept.overdue", "params": {"day": "2026-12-01"}},
    }
    assert (second.message_key, second.text) == (None, "一条手写的通知")  # not ours: shown as written
    assert rest and all(n.message_key for n in rest)
