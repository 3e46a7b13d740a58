"""Make tests/data/first-schema.sqlite: the demo hall stored with the FIRST schema revision.

The migration test upgrades a copy of it to the newest schema and checks that no row is lost.
Run once (it is committed); re-running needs a checkout where `flask demo` still fits the
first schema, so keep the file rather than remaking it.
"""

import os
import sqlite3
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import event
from sqlalchemy.orm import Session

FIRST_REVISION = "46f1d47d9398"
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def main() -> None:
    from xtq import create_app, search
    from xtq.demo import hall as demo

    target = ROOT / "tests" / "data" / "first-schema.sqlite"
    instance = tempfile.mkdtemp()
    os.environ["XTQ_INSTANCE_PATH"] = instance
    db_file = Path(instance) / "first.sqlite"
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{db_file}", "SECRET_KEY": "x"})
    event.remove(Session, "after_flush", search._follow_changes)  # no search table in the first schema
    with app.app_context():
        upgrade(revision=FIRST_REVISION)
        demo.build(ROOT / "seed_bureaus.json", now=datetime(2026, 11, 26, 2, tzinfo=UTC), reset=False, progress=print)
        from xtq.extensions import db

        db.session.remove()
        db.engine.dispose()
    con = sqlite3.connect(db_file)
    # The demo leaves these empty; one or two rows each so that every table is carried over.
    at = "2026-11-25 02:00:00.000000"
    con.executescript(f"""
        INSERT INTO follow (user_id, department_id, created_at) SELECT id, 1, '{at}' FROM user WHERE role = 'citizen';
        INSERT INTO report (reporter_id, target_type, target_id, reason, status, created_at)
            SELECT id, 'comment', 1, '广告', 'open', '{at}' FROM user WHERE role = 'citizen' LIMIT 2;
        INSERT INTO audit_log (actor_id, action, target_type, target_id, detail, created_at) VALUES (1, 'post.publish', 'post', 1, '', '{at}');
        INSERT INTO notification (user_id, question_id, text, url, created_at) VALUES (1, 1, '您的问题已受理', '/q/1', '{at}');
        INSERT INTO post_revision (post_id, editor_id, body, created_at) VALUES (1, 1, '修改前的内容', '{at}');
        INSERT INTO question_post_link (question_id, post_id) VALUES (1, 1);
        INSERT INTO setting (key, value) VALUES ('example', '1');
    """)
    con.commit()
    con.execute(f"VACUUM INTO '{target}'")
    con.close()
    print("wrote", target)


if __name__ == "__main__":
    main()
