"""Pledgewatch settings, read from the environment.

With no environment at all this is the embedded default: DEBUG on, an SQLite file, and
Celery tasks run in-process. Production sets DATABASE_URL, CELERY_BROKER_URL, SECRET_KEY,
ALLOWED_HOSTS and DEBUG=false (see README, "Running in production").
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from ingest.extractor import backends as extractor_backends
from ingest.extractor import bounds as extractor_bounds

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}") from exc


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    # Only ever used by the embedded default on a developer's machine.
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-0123456789abcdef"  # noqa: S105

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "simple_history",
    "template_partials",
    "pledges",
    "ingest",
    "axes",
    # The JSON API (api/, README "JSON API").
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "api",
]

MIDDLEWARE = [
    "pledgewatch.request_id.RequestIdMiddleware",
    "pledgewatch.middleware.SecurityHeadersMiddleware",
    # Before anything that may answer on its own (redirects, static files); /api/ only.
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "pledgewatch.urls"
WSGI_APPLICATION = "pledgewatch.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=envint("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers wait instead of failing with "database is locked" when the eager
    # pipeline and a request write at once.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
else:
    # A database that does not answer fails fast (tasks retry, /healthz says 503) instead
    # of hanging a worker or a request.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", envint("DATABASE_CONNECT_TIMEOUT", 5)
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["CACHE_URL"],
    }
    if os.environ.get("CACHE_URL")
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

# --- Security (see `manage.py check --deploy`) ---------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", not DEBUG)
# Load balancers probe /healthz over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
# Sent on every response by pledgewatch.middleware. No 'unsafe-inline' or 'unsafe-eval':
# templates keep scripts and styles in static files and htmx runs with allowEval off.
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
    "base-uri": ["'self'"],
    "object-src": ["'none'"],
}
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "camera", "microphone", "geolocation", "payment", "usb", "serial", "hid",
        "accelerometer", "gyroscope", "magnetometer", "display-capture", "browsing-topics",
    )
}  # fmt: skip

# Failed log-ins (admin included) lock that username from that address out for a while.
# axes' backend goes first: it needs the request, so tests log in with force_login.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=envint("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "pledgewatch.middleware.axes_lockout_response"
AXES_CLIENT_IP_CALLABLE = "pledgewatch.middleware.axes_client_ip"
# How many reverse proxies in front of gunicorn append to X-Forwarded-For (1 behind one
# TLS-terminating proxy); 0 counts REMOTE_ADDR.
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 0)

# --- JSON API (api/) -------------------------------------------------------------------------
# Read-only, public. Only sessions authenticate (an editor reading the docs is not throttled);
# no Basic auth, which would take password guesses past django-axes' lockout page.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.AnonymousReaderThrottle"],
    # The client's address: the same proxies as the log-in lockout trusts (TRUSTED_PROXY_COUNT),
    # never whatever X-Forwarded-For a client sends.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
# Requests per client address and period (s, min, hour, day) for anonymous readers; counted in
# the configured cache (CACHE_URL: shared by every web process with Redis).
API_ANON_RATE = os.environ.get("API_ANON_RATE", "120/min")
SPECTACULAR_SETTINGS = {
    "TITLE": "Pledgewatch API",
    "DESCRIPTION": "Nations' security-guarantee pledges: who pledged what, how firmly, under "
    "which conditions and on whose word. Read-only; the data is licensed CC BY 4.0.",
    "VERSION": "1",
    "LICENSE": {
        "name": "CC BY 4.0 (the data)",
        "url": "https://creativecommons.org/licenses/by/4.0/",
    },
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # Vendored Swagger UI and Redoc files, served as our static files: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No validator badge: it would load an image from another site.
    "SWAGGER_UI_SETTINGS": {"validatorUrl": None, "deepLinking": True},
    # Every endpoint is public and read-only: the schema names no way to sign in, so the docs
    # show no "Authorize" button or locks (editors' sessions only lift the rate limit).
    "AUTHENTICATION_WHITELIST": [],
}
# Any site may read the API from a browser (no cookies sent along: no credentials).
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False
CORS_EXPOSE_HEADERS = ["ETag", "Retry-After"]

# --- Celery ----------------------------------------------------------------------------------
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
# No broker means the embedded default: tasks run in-process, synchronously.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = envint("CELERY_TASK_SOFT_TIME_LIMIT", 120)
CELERY_TASK_TIME_LIMIT = envint("CELERY_TASK_TIME_LIMIT", 180)
# Pool processes are replaced when they grow past the memory limit (KiB, checked after each
# task), where a leak would show, else only after many tasks: replacing one idles its slot for
# over a second (billiard's exiting process sleeps before it exits; docs/performance.md).
CELERY_WORKER_MAX_TASKS_PER_CHILD = envint("CELERY_WORKER_MAX_TASKS_PER_CHILD", 10_000)
CELERY_WORKER_MAX_MEMORY_PER_CHILD = envint("CELERY_WORKER_MAX_MEMORY_PER_CHILD", 256_000)
# Celery would otherwise close every database connection around every task: a new PostgreSQL
# backend per article ingested. Connections are kept like a web process's, and dropped when
# broken or older than CONN_MAX_AGE (pledgewatch.celery); Celery still closes them every
# this many tasks.
CELERY_DB_REUSE_MAX = envint("CELERY_DB_REUSE_MAX", 1000)
# acks_late re-delivers an unacked task after this long: keep it above the longest task
# plus its longest retry backoff.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": envint("CELERY_VISIBILITY_TIMEOUT", 3600),
    # Workers look for such tasks every interval x throttle seconds (kombu's 10 x 10).
    "unacked_restore_interval": envint("CELERY_UNACKED_RESTORE_INTERVAL", 10),
    "unacked_restore_throttle": envint("CELERY_UNACKED_RESTORE_THROTTLE", 10),
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A worker whose broker goes away keeps trying to reconnect (every few seconds, up to 30 s
# apart) instead of exiting after 100 tries; what was queued is re-enqueued by the sweep below.
CELERY_BROKER_CONNECTION_RETRY = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
# Workers log through LOGGING below (JSON lines in production), not Celery's own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# First retry of a task that met a network or database error, doubling up to 10 minutes.
TASK_RETRY_BACKOFF = envint("TASK_RETRY_BACKOFF_SECONDS", 30)
# Articles unfinished this long after they were queued (a broker that lost its queue, a task
# that ran out of retries while the database was down) are queued again by beat.
ARTICLE_STALLED_AFTER = timedelta(seconds=envint("ARTICLE_STALLED_AFTER_SECONDS", 1800))
CELERY_TASK_IGNORE_RESULT = True
FEED_POLL_INTERVAL = timedelta(minutes=envint("FEED_POLL_MINUTES", 30))
CELERY_BEAT_SCHEDULE = {
    "poll-feeds": {
        "task": "ingest.tasks.poll_feeds",
        "schedule": FEED_POLL_INTERVAL.total_seconds(),
    },
    "requeue-stalled-articles": {
        "task": "ingest.tasks.requeue_stalled_articles",
        "schedule": max(60.0, ARTICLE_STALLED_AFTER.total_seconds() / 3),
    },
}

# --- Bulk downloads (pledges.releases, README "Bulk downloads and releases") ------------------
# Dated releases of every statement as CSV, JSON Lines and XLSX, served under /data/.
DATA_RELEASES_DIR = Path(os.environ.get("DATA_RELEASES_DIR", BASE_DIR / "data-releases"))
DATA_RELEASES_KEPT = envint("DATA_RELEASES_KEPT", 10)
# Beat checks the data version this often and builds a release only when it moved.
CELERY_BEAT_SCHEDULE["build-data-release"] = {
    "task": "pledges.tasks.build_data_release",
    "schedule": 60.0 * envint("DATA_RELEASES_CHECK_MINUTES", 5),
}

# --- Ingestion -------------------------------------------------------------------------------
# Hosts the fetcher may reach even though they resolve to a private or loopback address.
# Empty in production; tests allow their stub server on 127.0.0.1.
FETCH_ALLOWED_HOSTS = envlist("FETCH_ALLOWED_HOSTS")
FETCH_MAX_BYTES = envint("FETCH_MAX_BYTES", 5_000_000)
FETCH_CONNECT_TIMEOUT = float(os.environ.get("FETCH_CONNECT_TIMEOUT", "5"))
FETCH_READ_TIMEOUT = float(os.environ.get("FETCH_READ_TIMEOUT", "15"))
# The whole of one fetch (redirects, headers and body), however slowly a server sends.
FETCH_TOTAL_DEADLINE = float(os.environ.get("FETCH_TOTAL_DEADLINE", "30"))
# Seconds for one article's fetch, parse and extraction, with or without a broker; below
# the soft time limit, so an article out of time is failed with its reason first.
ARTICLE_TIME_LIMIT = envint("ARTICLE_TIME_LIMIT", 100)
# New entries one poll takes from a feed, newest first; the rest wait for the next polls.
FEED_MAX_NEW_ENTRIES = envint("FEED_MAX_NEW_ENTRIES", 200)
# The extractor backend (README, "Extraction"); "ingest.extractor.RuleBasedExtractor" is the
# earlier English-only grammar.
PLEDGE_EXTRACTOR = os.environ.get("PLEDGE_EXTRACTOR", extractor_backends.DEFAULT_BACKEND)
# Characters of a text the pipeline extracts from: a longer one is cut at a line break before
# this, and its Extraction's cut_at says where (ingest.extractor.bounds, docs/extraction.md).
# Articles are tens of KB; a fetch may bring 5 MB, which would take tens of seconds to read.
EXTRACT_MAX_CHARS = envint("EXTRACT_MAX_CHARS", extractor_bounds.DEFAULT_MAX_CHARS)

# One JSON object per line in production (LOG_FORMAT=json, the default when DEBUG is off),
# each with the request id or the Celery task id and name (pledgewatch.logging).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "plain" if DEBUG else "json")
if LOG_FORMAT not in {"json", "plain"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be json or plain, not {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "pledgewatch.logging.ContextFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(context)s%(message)s"},
        "json": {"()": "pledgewatch.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["context"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- Performance -----------------------------------------------------------------------------
# Rendered matrix pages each process keeps (pledges.matrix_cache), keyed by the data version
# that every write changes; a reader's full page is ~1 MB plain plus ~50 KB gzipped.
MATRIX_CACHE_ENTRIES = envint("MATRIX_CACHE_ENTRIES", 32)
# How long a web process serves cached pages before it reads the data version again (a write
# made by the process itself shows at once; pledges.data_version).
MATRIX_RECHECK_MS = envint("MATRIX_RECHECK_MS", 1000)

# The record's rules (the methodology page states them): a cell whose newest evidence is older
# than STALE_AFTER_DAYS is stale; accepted statements of one cell with different stances within
# CONTESTED_WINDOW_DAYS of its latest make it contested, until an editor settles it; a candidate
# with the stance of a pledge made within SAME_STATEMENT_DAYS of it is that pledge's evidence.
STALE_AFTER_DAYS = envint("STALE_AFTER_DAYS", 180)
CONTESTED_WINDOW_DAYS = envint("CONTESTED_WINDOW_DAYS", 14)
SAME_STATEMENT_DAYS = envint("SAME_STATEMENT_DAYS", 3)
