"""Default settings. A deployment overrides them in instance/config.py or the environment."""

import os


class Config:
    SQLALCHEMY_DATABASE_URI: str | None = None  # filled by create_app: DATABASE_URL or instance/xtq.sqlite
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}  # PostgreSQL gets pool_pre_ping in create_app
    SQLITE_BUSY_TIMEOUT_MS = 10_000
    SECRET_KEY: str | None = None  # generated into instance/secret_key on first run
    WTF_I18N_ENABLED = True  # WTForms' built-in messages in the reader's language, through Flask-Babel
    WTF_CSRF_TIME_LIMIT = None  # a form left open on a busy day must still submit
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False  # True forces Secure cookies; they are Secure under HTTPS anyway
    TRUSTED_PROXIES = 0  # 1 behind one nginx: trust its X-Forwarded-For/-Proto
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_LIMIT = "10 per minute;60 per hour"
    REGISTER_LIMIT = "5 per minute;20 per hour"
    ASK_LIMIT = "5 per minute;30 per day"
    COMMENT_LIMIT = "10 per minute;200 per day"
    BACKUP_KEEP = 14
    SITE_NAME = "心通桥 微博发布厅"
    CITY_NAME = "郑州市"
    SEED_FILE = "seed_bureaus.json"
    ACCEPT_DAYS = 1  # working days to accept a question
    REPLY_DAYS = 5  # working days to reply once accepted
    STALE_RATING_DAYS = 7  # a reply left unrated this many days closes itself
    PAGE_SIZE = 20
    PAGE_CACHE_SECONDS = 15  # a whole page for anonymous readers, until the next write or this long
    FRAGMENT_CACHE_SECONDS = 600  # post cards and question rows, kept per version (0: render every time)
    PUBLIC_CACHE_SECONDS = 30  # hot topics and other public aggregates may be this stale
    FIGURES_CACHE_SECONDS = 60  # public pages reuse computed figures this long (0: compute every time)
    FIGURES_MAX_AGE = 900  # a stored snapshot older than this is computed again; cron refreshes sooner
    MAX_CONTENT_LENGTH = 1024 * 1024  # the longest form is a few thousand characters: refuse big bodies (413)
    # E-mail copies of notifications: off unless MAIL_SERVER is set (in instance/config.py).
    MAIL_SERVER: str | None = None
    MAIL_PORT = 25
    MAIL_USE_TLS = False  # STARTTLS
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_FROM = "noreply@localhost"
    SITE_URL = ""  # e.g. https://wzt.example.gov.cn, so that links in e-mails are absolute
    DEMO_MODE = False
    SITE_STATE_TTL = 30  # seconds another server may show an old launch state or demo clock (workers: at once)


def database_url_from_env() -> str | None:
    return os.environ.get("DATABASE_URL") or None
