"""心通桥 微博发布厅: the application factory."""

import os
import secrets
from pathlib import Path

from flask import Flask
from sqlalchemy import event

from xtq.config import ROOT, Config, database_url_from_env
from xtq.extensions import csrf, db, limiter, login_manager, migrate


def create_app(test_config: dict | None = None) -> Flask:
    """Make the app: defaults, instance config, database, extensions, blueprints, CLI, errors."""
    instance_path = os.environ.get("XTQ_INSTANCE_PATH", str(ROOT / "instance"))
    app = Flask(__name__, instance_path=instance_path, instance_relative_config=True)
    app.config.from_object(Config)
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
    else:
        app.config.from_mapping(test_config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    _configure_database_url(app)
    _configure_secret_key(app)

    from xtq.web import security

    security.init_app(app)  # first, so that its after_request hook runs last and sees every cookie
    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    with app.app_context():
        _tune_sqlite(app)

    from xtq import cli, federation, i18n, jobs, mail, search
    from xtq.demo import cli as demo_cli
    from xtq.views import register_blueprints
    from xtq.web import cover, errors, fragments, login, page_cache, request_log, site_state, templating

    i18n.init_app(app)
    search.init_app(app)
    request_log.init_app(app)
    login.init_app(app)
    templating.init_app(app)
    fragments.init_app(app)
    register_blueprints(app)
    cover.init_app(app)  # before the page cache: while the cover is up it answers first
    errors.init_app(app)
    cli.init_app(app)
    demo_cli.init_app(app)
    jobs.init_app(app)
    mail.init_app(app)  # registers its job; federation registers its own
    federation.init_app(app)
    site_state.init_app(app)
    page_cache.init_app(app)
    return app


def _configure_database_url(app: Flask) -> None:
    url = app.config.get("SQLALCHEMY_DATABASE_URI") or database_url_from_env()
    if not url:
        url = "sqlite:///" + str(Path(app.instance_path) / "xtq.sqlite")
    for prefix in ("postgres://", "postgresql://"):  # plain URLs as hosts hand them out: use psycopg 3
        if url.startswith(prefix):
            url = "postgresql+psycopg://" + url.removeprefix(prefix)
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    if not url.startswith("sqlite"):  # a server may drop idle connections; a file cannot
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_pre_ping": True, **app.config["SQLALCHEMY_ENGINE_OPTIONS"]}


def _configure_secret_key(app: Flask) -> None:
    """Use the configured key, or one generated once into instance/secret_key (never committed)."""
    if app.config.get("SECRET_KEY"):
        return
    key_file = Path(app.instance_path) / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    app.config["SECRET_KEY"] = key_file.read_text().strip()


def _tune_sqlite(app: Flask) -> None:
    """WAL journaling, foreign keys and a busy timeout on every SQLite connection."""
    engine = db.engine
    if engine.dialect.name != "sqlite":
        return
    timeout = int(app.config["SQLITE_BUSY_TIMEOUT_MS"])
    mmap_bytes, cache_kb = int(app.config["SQLITE_MMAP_BYTES"]), int(app.config["SQLITE_CACHE_KB"])

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={timeout}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA mmap_size={mmap_bytes}")
        cursor.execute(f"PRAGMA cache_size=-{cache_kb}")  # negative: in KiB
        cursor.close()
