"""Default settings. A deployment overrides them in instance/config.py or the environment."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent  # the project folder: seed_bureaus.json, migrations/, instance/


class Config:
    SQLALCHEMY_DATABASE_URI: str | None = None  # filled by create_app: DATABASE_URL or instance/xtq.sqlite
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}  # PostgreSQL gets pool_pre_ping in create_app
    SQLITE_BUSY_TIMEOUT_MS = 10_000
    # Each SQLite connection's reads: SQLITE_CACHE_KB of private page cache, and the first
    # SQLITE_MMAP_BYTES of the file memory-mapped. A mapped page costs no copy, but each page one
    # worker touches through the map counts as its private memory (a 256 MB map made 366 MB private
    # a worker at full scale); without the map, reads come from the OS cache through that small page
    # cache, as fast on the benchmark's pages (docs/performance.md, session 5).
    SQLITE_CACHE_KB = 2_000
    SQLITE_MMAP_BYTES = 0
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
    RESET_LIMIT = "5 per minute;20 per hour"  # password reset requests and new passwords, per client address
    RESET_ADDRESS_LIMIT = "3 per hour;10 per day"  # reset e-mails to one address, whoever asks
    EMAIL_LIMIT = "5 per hour"  # verification e-mails a user may send themselves
    SIMILAR_LIMIT = "60 per minute"  # similar-question look-ups while a title is typed
    BACKUP_KEEP = 14
    SITE_NAME = "心通桥 微博发布厅"
    CITY_NAME = "郑州市"
    SEED_FILE = "seed_bureaus.json"
    ACCEPT_DAYS = 1  # working days to accept a question
    REPLY_DAYS = 5  # working days to reply once accepted
    STALE_RATING_DAYS = 7  # a reply left unrated this many days closes itself
    DISPATCH_DAYS = 1  # working days for the coordinating office to dispatch a question
    APPEAL_DAYS = 5  # working days for the office to review an appeal against a decline
    PAGE_SIZE = 20
    PAGE_CACHE_SECONDS = 15  # a whole page (a skeleton for signed-in readers), until what it shows changes or this long
    QUESTION_PAGE_SECONDS = 60  # a question's page: by time alone, only its working days left change
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
    # Photos: re-encoded JPEGs in instance/photos, or in a bucket of an S3-compatible server.
    PHOTO_STORAGE = "folder"  # or "s3"
    PHOTO_FOLDER: str | None = None  # default: <instance>/photos
    PHOTO_S3_BUCKET: str | None = None
    PHOTO_S3_PREFIX = ""
    PHOTO_S3_ENDPOINT: str | None = None  # e.g. https://oss.example.gov.cn; None: AWS
    PHOTO_S3_REGION: str | None = None
    PHOTO_S3_ACCESS_KEY: str | None = None
    PHOTO_S3_SECRET_KEY: str | None = None
    PHOTO_REQUEST_MAX = 4 * 12 * 1024 * 1024 + 1024 * 1024  # a form with four photos (MAX_CONTENT_LENGTH elsewhere)
    # The job queue (xtq/jobs): huey on instance/jobs.sqlite, or on Redis when this is set
    # (e.g. "redis://127.0.0.1:6379/1"); `flask worker` runs the jobs.
    JOBS_REDIS_URL: str | None = None
    JOBS_SQLITE_PATH: str | None = None  # default: instance/jobs.sqlite
    JOBS_IMMEDIATE = False  # run each job at once in the enqueuing process (tests)
    # Federation (ActivityPub, docs/federation.md): every department is @<slug>@<host>. Its ids are
    # made from SITE_URL, which a deployment that federates must set (https://…).
    FEDERATION_ENABLED = True
    FEDERATION_ALLOWED_PRIVATE_HOSTS: list = []  # "host:port" on loopback/private nets we may fetch (tests only)
    FEDERATION_TIMEOUT = 10  # seconds for any request to another server
    FEDERATION_MAX_BYTES = 256 * 1024  # largest activity or document taken in, either way
    FEDERATION_SIGNATURE_WINDOW = 300  # seconds a signed request's Date may be off
    FEDERATION_LEASE_SECONDS = 120  # a delivery a worker took and did not finish is tried again after this
    FEDERATION_RETRY_SECONDS = 2 * 24 * 3600  # a delivery that keeps failing this long becomes a dead letter
    FEDERATION_INBOX_LIMIT = "300 per minute"  # per remote server
    EMBED_ORIGINS: list = []
    WEBSUB_HUB: str | None = (
        None  # a WebSub hub the feeds name and that is pinged when posts change  # sites allowed to frame /embed/… ("https://www.example.gov.cn")
    )
    SITE_URL = ""  # e.g. https://wzt.example.gov.cn, so that links in e-mails are absolute
    DEMO_MODE = False
    SITE_STATE_TTL = 30  # seconds another server may show an old launch state or demo clock (workers: at once)


def database_url_from_env() -> str | None:
    return os.environ.get("DATABASE_URL") or None
