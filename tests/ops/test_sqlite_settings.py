"""SQLite's page cache and memory map come from the settings (xtq/config.py), on every connection."""

from tests.helpers import app_settings, sqlite_only
from xtq import create_app
from xtq.extensions import db


@sqlite_only
def test_each_connection_takes_the_cache_and_map_settings(app):
    other = create_app(
        app_settings(app.config["SQLALCHEMY_DATABASE_URI"], SQLITE_CACHE_KB=1234, SQLITE_MMAP_BYTES=1 << 20)
    )
    with other.app_context():
        try:
            with db.engine.connect() as connection:
                cache = connection.exec_driver_sql("PRAGMA cache_size").scalar()
                mmap = connection.exec_driver_sql("PRAGMA mmap_size").scalar()
        finally:
            db.engine.dispose()
    assert (cache, mmap) == (-1234, 1 << 20)
