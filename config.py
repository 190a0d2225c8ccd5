"""Configuration classes. This is the only module that reads the environment."""
import os
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("HADIR_INSTANCE_DIR", BASE_DIR / "instance"))


def _env_bool(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_number(name, default, minimum, maximum, kind=int):
    """A number from the environment, within [minimum, maximum]: anything else stops the start with a
    message naming the setting, rather than a worker that polls in a busy loop or a date past 9999."""
    text = os.environ.get(name)
    if text is None or not text.strip():
        return kind(default)
    try:
        value = kind(text.strip())
    except ValueError:
        raise ValueError(f"{name}={text!r}: not a number") from None
    if not minimum <= value <= maximum:  # a NaN fails this too
        raise ValueError(f"{name}={text!r}: must be between {minimum} and {maximum}")
    return value


def _database_url(default):
    url = os.environ.get("DATABASE_URL", default)
    # Hosting providers hand out postgres:// URLs; SQLAlchemy wants the driver named.
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url[len("postgres://"):]
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret")
    # Earlier keys, comma-separated, after a change of SECRET_KEY: sessions signed with them stay valid, and
    # anonymous answers sealed with them (waiting for their batch) can still be opened.
    SECRET_KEY_FALLBACKS = [key.strip() for key in os.environ.get("SECRET_KEY_FALLBACKS", "").split(",") if key.strip()]
    SQLALCHEMY_DATABASE_URI = _database_url(f"sqlite:///{INSTANCE_DIR / 'hadir.sqlite'}")
    # Disconnects are handled the optimistic way (SQLAlchemy's pooling docs, "Disconnect Handling -
    # Optimistic"): no ping per checkout (a round trip per request on PostgreSQL); a connection the
    # server dropped fails the one statement that finds it, SQLAlchemy then invalidates the whole pool,
    # and the next request connects afresh. pool_recycle replaces connections older than this many
    # seconds, before a firewall or proxy that drops idle connections (often after an hour) does.
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": False,
                                 "pool_recycle": _env_number("DATABASE_POOL_RECYCLE", 1800, -1, 86400)}
    # How long a process trusts what the check-in API remembers (app/cache.py): a token's
    # user, an operator's assignment, an event's days. A revoked token stops working within it.
    CHECKIN_CACHE_SECONDS = _env_number("CHECKIN_CACHE_SECONDS", 5, 0, 3600, kind=float)
    # How long a check-in desk's device token (issued when an operator opens the station) lives.
    DEVICE_TOKEN_DAYS = _env_number("DEVICE_TOKEN_DAYS", 14, 1, 365)
    # Flask-Compress: JSON answers (the station's roster copy), scripts and styles (static files are
    # streamed: hence COMPRESS_STREAMS). HTML pages are not compressed: they carry the CSRF token next
    # to text a visitor typed (BREACH); nor are downloads (workbooks, PDFs, ZIPs: not in the list).
    COMPRESS_MIMETYPES = ["application/json", "text/javascript", "text/css"]
    COMPRESS_STREAMS = True
    SQLITE_BUSY_TIMEOUT_MS = _env_number("SQLITE_BUSY_TIMEOUT_MS", 30000, 0, 600000)

    # Stored files (materials, certificate images; app/storage.py). By default in UPLOAD_FOLDER.
    # STORAGE_URL=s3://bucket/prefix keeps them in an S3-compatible object store instead (MinIO,
    # Ceph, AWS), which every app host reaches; MATERIAL_STORAGE may name a "package.module:Class".
    MATERIAL_STORAGE = os.environ.get("MATERIAL_STORAGE", "local")
    UPLOAD_FOLDER = os.environ.get("UPLOAD_FOLDER", str(INSTANCE_DIR / "uploads"))
    STORAGE_URL = os.environ.get("STORAGE_URL") or None
    # The store's address (https://minio.example.go.id:9000); unset, AWS's own.
    STORAGE_ENDPOINT_URL = os.environ.get("STORAGE_ENDPOINT_URL") or None
    # Unset keys: boto3's own search (AWS_* variables, ~/.aws, an instance role).
    STORAGE_ACCESS_KEY_ID = os.environ.get("STORAGE_ACCESS_KEY_ID") or None
    STORAGE_SECRET_ACCESS_KEY = os.environ.get("STORAGE_SECRET_ACCESS_KEY") or None
    STORAGE_REGION = os.environ.get("STORAGE_REGION") or "us-east-1"
    # "path" (bucket in the path: most MinIO and Ceph setups), "virtual" (bucket in the host name) or "auto".
    STORAGE_ADDRESSING_STYLE = os.environ.get("STORAGE_ADDRESSING_STYLE", "path")
    # 0: material downloads stream through the app. A number of seconds: once the access checks pass,
    # the browser is redirected to a presigned URL of the store valid that long (the store's
    # address must then be reachable by participants' browsers).
    STORAGE_PRESIGNED_SECONDS = int(os.environ.get("STORAGE_PRESIGNED_SECONDS", "0"))
    # Largest file accepted, and also the most one upload (several files at once) may carry.
    MAX_UPLOAD_MB = _env_number("MAX_UPLOAD_MB", 50, 1, 10240)
    # The request limit leaves room for the multipart envelope around a full-size file.
    MAX_CONTENT_LENGTH = (MAX_UPLOAD_MB + 1) * 1024 * 1024
    # File extensions accepted; each is checked by content (app/materials/sniffing.py knows
    # pdf docx xlsx pptx doc xls ppt odt ods odp png jpg jpeg gif webp zip; others are ignored).
    # The legacy doc/xls/ppt are off unless named: their macros can hide where no check reaches
    # (PowerPoint VBA, Excel 4.0 macro sheets inside the main stream).
    ALLOWED_UPLOAD_TYPES = [
        ext.strip().lower().lstrip(".")
        for ext in os.environ.get(
            "ALLOWED_UPLOAD_TYPES", "pdf,docx,xlsx,pptx,odt,ods,odp,png,jpg,jpeg,gif,webp,zip"
        ).split(",")
        if ext.strip()
    ]

    # The address links point to when written outside a request or for paper (https://hadir.example.go.id):
    # certificates' QR codes and scheduled messages; unset, the address the request came in on.
    PUBLIC_BASE_URL: str | None = os.environ.get("PUBLIC_BASE_URL") or None
    # An optional PKCS#12 signs every certificate PDF (PAdES).
    CERT_SIGNING_P12 = os.environ.get("CERT_SIGNING_P12", "")
    CERT_SIGNING_P12_PASSWORD = os.environ.get("CERT_SIGNING_P12_PASSWORD", "")
    # Processes that draw and sign a ZIP of certificates (one per core by default; 1: in the asking process).
    CERTIFICATE_PROCESSES = _env_number("CERTIFICATE_PROCESSES", 0, 0, 64) or os.cpu_count() or 1
    RATELIMIT_VERIFY = os.environ.get("RATELIMIT_VERIFY", "60 per minute")

    BABEL_DEFAULT_LOCALE = os.environ.get("DEFAULT_LOCALE", "id")
    BABEL_DEFAULT_TIMEZONE = "UTC"
    LANGUAGES = ("id", "en")
    DEFAULT_EVENT_TIMEZONE = "Asia/Jakarta"

    RATELIMIT_ENABLED = _env_bool("RATELIMIT_ENABLED", True)
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    # How many worker processes serve the app: gunicorn takes its default --workers from the same
    # variable. The app cannot see gunicorn's own count, so in production it warns at start-up when
    # limits are counted in memory, unless this says there is a single worker (app/__init__.py).
    WEB_CONCURRENCY = os.environ.get("WEB_CONCURRENCY") or None
    # Set by the production config: start-up checks that only matter there (the warning above).
    PRODUCTION = False
    RATELIMIT_HEADERS_ENABLED = True
    # Everyone at a venue shares the hotel's one public address, so limits are generous.
    RATELIMIT_REGISTER = os.environ.get("RATELIMIT_REGISTER", "300 per minute")
    RATELIMIT_LOGIN = os.environ.get("RATELIMIT_LOGIN", "20 per minute")
    # When the limiter's storage (Redis) cannot be reached, count in this process's memory and log
    # a warning, rather than answer 500; the per-account limit below is in the database anyway.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True
    RATELIMIT_STORAGE_OPTIONS = (
        {"socket_connect_timeout": 1, "socket_timeout": 1} if RATELIMIT_STORAGE_URI.startswith("redis") else {}
    )
    # Failed logins per account (the e-mail typed), counted in the database: after this many
    # within LOGIN_FAILURE_MINUTES, that account's logins wait (app/auth/throttle.py).
    LOGIN_FAILURE_LIMIT = _env_number("LOGIN_FAILURE_LIMIT", 10, 1, 1000)
    LOGIN_FAILURE_MINUTES = _env_number("LOGIN_FAILURE_MINUTES", 15, 1, 10080)

    WTF_CSRF_TIME_LIMIT = None
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    # "Ingat saya" on a committee device lasts the event and its paperwork, not Flask-Login's year.
    REMEMBER_COOKIE_DURATION = timedelta(days=_env_number("REMEMBER_DAYS", 14, 0, 365))
    # How passwords are hashed (werkzeug's generate_password_hash): scrypt, werkzeug's default, about 0.1 s
    # of CPU per hash and per login. Not a setting of an install; the tests' config names a cheap one.
    PASSWORD_HASH_METHOD = "scrypt"
    PREFERRED_URL_SCHEME = os.environ.get("PREFERRED_URL_SCHEME", "http")
    # Number of reverse proxies in front of the app whose X-Forwarded-* headers we trust.
    PROXY_COUNT = _env_number("PROXY_COUNT", 0, 0, 10)
    # Take the request id (app/monitoring/request_ids.py) from the proxy's X-Request-ID header; by
    # default only when PROXY_COUNT says a proxy is in front (it must then set the header itself).
    TRUST_REQUEST_ID = _env_bool("TRUST_REQUEST_ID", PROXY_COUNT > 0)
    # Prometheus metrics at /metrics, for a scraper sending `Authorization: Bearer <METRICS_TOKEN>`;
    # unset, /metrics is a 404. Under gunicorn, PROMETHEUS_MULTIPROC_DIR (an empty folder, read by
    # prometheus-client too) adds up every worker's counts (deploy/gunicorn.conf.py).
    METRICS_TOKEN = os.environ.get("METRICS_TOKEN") or None
    # Off: no request is timed or counted (the cost is measured in docs/pemasangan.md).
    METRICS_ENABLED = _env_bool("METRICS_ENABLED", True)
    PROMETHEUS_MULTIPROC_DIR = os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None
    # The host names the app answers to (comma-separated); any other Host header is a 400. Ticket
    # links sent on WhatsApp are built from it. Unset: every host.
    # Messages (app/messages/). Mail goes out over SMTP through Flask-Mailman; with no MAIL_SERVER
    # the worker writes each message to the log and keeps it unsent.
    MAIL_BACKEND = "smtp"
    MAIL_SERVER = os.environ.get("MAIL_SERVER") or None
    MAIL_PORT = _env_number("MAIL_PORT", 25, 1, 65535)
    MAIL_USE_TLS = _env_bool("MAIL_USE_TLS", False)
    MAIL_USE_SSL = _env_bool("MAIL_USE_SSL", False)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "Hadir <hadir@localhost>")
    MAIL_TIMEOUT = _env_number("MAIL_TIMEOUT", 30, 1, 600, kind=float)
    # With Redis (redis://host:6379/1) the sending runs in RQ workers: `flask messages work`.
    JOB_QUEUE_URL = os.environ.get("JOB_QUEUE_URL") or None
    # A claimed message is another worker's again after this long (a worker that died mid-send).
    MESSAGES_LEASE_SECONDS = _env_number("MESSAGES_LEASE_SECONDS", 120, 10, 86400, kind=float)
    MESSAGES_MAX_ATTEMPTS = _env_number("MESSAGES_MAX_ATTEMPTS", 8, 1, 100)
    # Messages claimed, sent over one SMTP connection and recorded in one transaction together; a crash
    # after the mail server took some of them sends at most these again (app/messages/delivery.py).
    MESSAGES_BATCH = _env_number("MESSAGES_BATCH", 50, 1, 1000)
    # Retry n waits BACKOFF * 2**(n-1) seconds, at most an hour.
    MESSAGES_BACKOFF_SECONDS = _env_number("MESSAGES_BACKOFF_SECONDS", 30, 0, 86400, kind=float)
    MESSAGES_POLL_SECONDS = _env_number("MESSAGES_POLL_SECONDS", 2, 0.1, 3600, kind=float)
    # "package.module:Class", a Messenger for a WhatsApp Business gateway; unset: wa.me click-through.
    WHATSAPP_GATEWAY = os.environ.get("WHATSAPP_GATEWAY") or None
    # "Lupa tiket?" and the ticket's own "send me my edit link" buttons: per person (the e-mail or NIP typed,
    # or the ticket), since a whole venue reaches the app from one address; "Lupa tiket?" also per address.
    RATELIMIT_FORGOT_TICKET = os.environ.get("RATELIMIT_FORGOT_TICKET", "5 per 15 minutes")
    RATELIMIT_FORGOT_TICKET_ADDRESS = os.environ.get("RATELIMIT_FORGOT_TICKET_ADDRESS", "60 per 15 minutes")

    TRUSTED_HOSTS = [host.strip() for host in os.environ.get("TRUSTED_HOSTS", "").split(",") if host.strip()] or None


class DevelopmentConfig(Config):
    DEBUG = False
    ENV_NAME = "development"


class TestingConfig(Config):
    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "testing"
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    MAIL_SERVER = None
    JOB_QUEUE_URL = None
    WHATSAPP_GATEWAY = None
    PUBLIC_BASE_URL = None
    # A password hash per account made and per login: at scrypt's 0.1 s of CPU each, most of the suite's time.
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1"


class ProductionConfig(Config):
    # No demo committee account here (flask seed-demo refuses one).
    ENV_NAME = "production"
    PRODUCTION = True
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE

    @classmethod
    def check(cls):
        if not os.environ.get("SECRET_KEY"):
            raise RuntimeError("SECRET_KEY must be set in production (HADIR_ENV=production).")


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_from_env():
    """The configuration class named by HADIR_ENV (development by default)."""
    name = os.environ.get("HADIR_ENV", "development")
    try:
        config = CONFIGS[name]
    except KeyError:
        raise RuntimeError(f"HADIR_ENV must be one of {', '.join(CONFIGS)}, not {name!r}") from None
    if hasattr(config, "check"):
        config.check()
    return config
