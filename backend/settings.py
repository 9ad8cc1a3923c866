"""One settings module for every deployment, driven by the environment.

Without any variables set this is the embedded default a newcomer gets from `make run`: SQLite in WAL
mode, the in-memory channel layer, local media, triage in process. Production sets DATABASE_URL,
REDIS_URL and the S3 storage variables (see docker-compose.yml). Helpers fail loudly on malformed
values, so a typo in a deployment stops the process instead of silently using a default.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from dotenv import load_dotenv

from backend.core.logs import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent
# `make run` writes .env.local (git-ignored, see backend/core/local_env.py) so that commands pasted after
# it run with the same settings. Variables already in the environment win; ENV_FILE="" reads no file.
ENV_FILE = os.environ.get("ENV_FILE", str(BASE_DIR / ".env.local"))
if ENV_FILE:
    load_dotenv(ENV_FILE, override=False)
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use true/false)")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer") from exc


def env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return float(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a number") from exc


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", default=False)
# Production is anything that is neither DEBUG nor the embedded default (`make run`, tests): there the
# development conveniences below (the published key, codes in the log) refuse to start.
PRODUCTION = not DEBUG and not env_bool("EMBEDDED_DEFAULT")
_INSECURE_KEY = "django-insecure-embedded-default-key-change-me-in-production"
SECRET_KEY = env_str("DJANGO_SECRET_KEY", _INSECURE_KEY)
# Production (DEBUG off) must not run on the published development key.
if PRODUCTION and (SECRET_KEY == _INSECURE_KEY or len(SECRET_KEY) < 32):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set to a random value of at least 32 characters in production "
        "(or run the embedded default with EMBEDDED_DEFAULT=true / DJANGO_DEBUG=true)."
    )

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "channels",
    "backend.core",
    "backend.accounts",
    "routing",
    "backend.reports",
    "realtime",
    "backend.alerts",
    "backend.epidemic",
    "backend.factchecks",
    "backend.notices",
    "backend.transparency",
]

MIDDLEWARE = [
    "backend.core.request_id.request_id_middleware",  # first: every later log line carries the id
    "backend.core.metrics.metrics_middleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "backend.core.csp.content_security_policy_middleware",
    # Last on purpose: the only sync-only middlewares, and under ASGI each sync/async boundary is a
    # thread hop. Adjacent, they share one hop per request instead of one per middleware layer.
    "backend.core.db_unavailable.DatabaseUnavailableMiddleware",  # a lost database answers 503
    "whitenoise.middleware.WhiteNoiseMiddleware",
]

ROOT_URLCONF = "backend.urls"
ASGI_APPLICATION = "backend.asgi.application"
WSGI_APPLICATION = "backend.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
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

# --- database -----------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 0))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool("DB_POOL", True):
    # psycopg's connection pool (Django >= 5.1) instead of persistent connections: under ASGI every
    # request runs in a thread of its own, so CONN_MAX_AGE opened a new session per request (175
    # requests opened 182 PostgreSQL sessions). A connection goes back to the pool when the request
    # ends. DB_POOL_MAX is per process: workers x DB_POOL_MAX must stay below max_connections.
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # required by the pool
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env_int("DB_POOL_MIN", 2),
        "max_size": env_int("DB_POOL_MAX", 20),
        "timeout": env_float("DB_POOL_TIMEOUT", 10.0),  # waiting longer for a connection is an error
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + IMMEDIATE transactions + a busy timeout: concurrent writers queue instead of failing
    # with "database is locked" (DESIGN.md, Profiles).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
    }
    # Tests use a file too: an in-memory shared-cache database locks differently from production.
    # One file per test process, so parallel runs never share (or delete) each other's database.
    DATABASES["default"]["TEST"] = {"NAME": os.path.join(tempfile.gettempdir(), f"hue-test-{os.getpid()}.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
# ModelBackend plus the password-guessing lockout (backend/accounts/lockout.py) on every login path.
AUTHENTICATION_BACKENDS = ["backend.accounts.lockout.LockoutModelBackend"]

# --- channel layer ------------------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            # channels-redis' layer with one receiving task per process instead of every socket racing
            # for one lock (O(n^2) per fan-out); same keys, so it interoperates with channels-redis'
            # own. docs/realtime.md, "Live delivery", item 5.
            "BACKEND": "realtime.layers.FanoutRedisChannelLayer",
            # redis-py's pool defaults to 100 connections and channels-redis does not raise it: 1,000
            # sockets connecting at once failed with "Too many connections". Size it for the
            # sockets a worker holds (realtime also bounds concurrent group_add/discard per worker).
            # redis-py 8 also defaults to a 5 s socket timeout, the same as channels-redis' 5 s
            # BZPOPMIN: a loaded worker then reads the reply a little late and every websocket
            # consumer of the process crashes with "Timeout reading from". Keep it well above 5 s.
            "CONFIG": {
                "hosts": [
                    {
                        "address": REDIS_URL,
                        "max_connections": env_int("REDIS_MAX_CONNECTIONS", 2000),
                        "socket_timeout": env_float("REDIS_SOCKET_TIMEOUT", 30.0),
                    }
                ],
                "capacity": env_int("CHANNEL_CAPACITY", 1000),
            },
        }
    }
else:
    # The default capacity (100 messages per socket) drops live events in a burst; realtime repairs
    # such gaps from the event log, but a larger buffer avoids the repair work.
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "realtime.layers.FanoutInMemoryChannelLayer",  # channels' own, minus O(n^2) sweeps
            "CONFIG": {"capacity": env_int("CHANNEL_CAPACITY", 1000)},
        }
    }

# --- cache: abuse limits (backend/core/limits.py), anything cached across processes -------------
# In production one Redis shared by every worker, so a limit holds across processes; the embedded
# default is one process and keeps its counters in memory. Short timeouts: a dead Redis must not hang
# requests (limits then fail as each one says).
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env_str("CACHE_URL", REDIS_URL),
            # One prefix per deployment sharing a Redis (and per test server, so counters from an
            # earlier run on the same Redis do not refuse its requests).
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "hue"),
            "OPTIONS": {
                "socket_connect_timeout": 1.0,
                "socket_timeout": 1.0,
                # One pool per process, not one (and a new connection) per request's thread.
                "pool_class": "backend.core.cache_pool.SharedConnectionPool",
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- storage ------------------------------------------------------------------------------------
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# Where phones and browsers fetch photos. With object storage this is the public address the proxy
# serves the bucket under (e.g. https://phananh.hue.gov.vn/media/): never the storage's internal
# endpoint, which only the app servers reach.
MEDIA_PUBLIC_URL = env_str("MEDIA_PUBLIC_URL")
MEDIA_URL = MEDIA_PUBLIC_URL or env_str("MEDIA_URL", "/media/")
# Where phones and browsers reach this server: media URLs in API answers and socket payloads are built
# from it when the storage answers with a path (a socket push has no request to ask its host).
PUBLIC_BASE_URL = env_str("PUBLIC_BASE_URL", "http://127.0.0.1:8000")
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STATIC_URL = "/static/"
# WhiteNoise serves from finders in the embedded default; an existing root keeps it from warning.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
AWS_STORAGE_BUCKET_NAME = env_str("S3_BUCKET")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES = {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": AWS_STORAGE_BUCKET_NAME,
                "endpoint_url": env_str("S3_ENDPOINT_URL") or None,
                "access_key": env_str("S3_ACCESS_KEY_ID"),
                "secret_key": env_str("S3_SECRET_ACCESS_KEY"),
                "region_name": env_str("S3_REGION") or None,
                "default_acl": None,
                # Behind MEDIA_PUBLIC_URL a photo's URL is its unguessable name (128 random bits, as
                # for local media); otherwise signed URLs of the endpoint.
                "querystring_auth": env_bool("S3_SIGNED_URLS", not MEDIA_PUBLIC_URL),
                "custom_domain": MEDIA_PUBLIC_URL.split("://", 1)[-1].rstrip("/") or None,
                "url_protocol": (MEDIA_PUBLIC_URL.split("://", 1)[0] + ":") if MEDIA_PUBLIC_URL else "https:",
                "file_overwrite": False,
            },
        },
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
    }
else:
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
# Serve static files from the finders in the embedded default so `make run` needs no collectstatic.
WHITENOISE_USE_FINDERS = True
# Photos are served by the app after a signature and publication check (backend/reports/photo_access.py),
# never as plain files. Behind the production proxy the app answers with an X-Accel-Redirect to this
# internal proxy location for the bucket, and the proxy streams the file.
PHOTO_ACCEL_REDIRECT = env_str("PHOTO_ACCEL_REDIRECT")
PHOTO_URL_TTL_SECONDS = env_int("PHOTO_URL_TTL_SECONDS", 3600)

# --- language -----------------------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

# --- API ----------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "backend.accounts.authentication.DeviceTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",  # staff pages (/dashboard/, /agency/)
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "EXCEPTION_HANDLER": "backend.core.errors.api_exception_handler",
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
        "rest_framework.parsers.FormParser",
    ],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Huế citizen feedback API",
    "DESCRIPTION": "Citizen reports, triage, routing and tickets (Hue-S style). Errors are "
    '`{"error": {"code", "message", "fields"}}`. Auth: `Authorization: Token <key>`.',
    "VERSION": "1.0.0",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # A list declared for an error status is a list: Open311's errors are `[{code, description}]`.
    "ENABLE_LIST_MECHANICS_ON_NON_2XX": True,
    "ENUM_NAME_OVERRIDES": {
        "AreaKindEnum": "routing.models.Area.Kind",
        "EventKindEnum": "backend.reports.models.ReportEvent.Kind",
        "PhotoKindEnum": "backend.reports.models.Photo.Kind",
        "StatusEnum": "backend.reports.models.Status",
        "UrgencyEnum": "routing.models.Urgency",
        "AlertKindEnum": "backend.alerts.models.Kind",
        "AlertUrgencyEnum": "backend.alerts.models.AlertUrgency",
        "NoticeKindEnum": "backend.notices.models.NoticeKind",
        "HealthKindEnum": "backend.epidemic.kinds.HealthKind",
        "SymptomEnum": "backend.epidemic.kinds.Symptom",
        "Open311StatusEnum": ["open", "closed"],
        "Open311TypeEnum": ["realtime"],
        "Open311DatatypeEnum": ["string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"],
    },
}

# --- product settings ---------------------------------------------------------------------------
PHOTO_MAX_COUNT = 5
PHOTO_MAX_BYTES = env_int("PHOTO_MAX_BYTES", 10 * 1024 * 1024)
PHOTO_MAX_PIXELS = env_int("PHOTO_MAX_PIXELS", 40_000_000)
# Decoding is bounded (backend/core/decode_slots.py): at once per process, per user, and how long a
# request waits for a free slot before answering 503.
PHOTO_DECODES_PER_PROCESS = env_int("PHOTO_DECODES_PER_PROCESS", 2)
PHOTO_DECODES_PER_USER = env_int("PHOTO_DECODES_PER_USER", 1)
PHOTO_DECODE_WAIT_SECONDS = env_float("PHOTO_DECODE_WAIT_SECONDS", 20.0)
# The one upload cap, derived from the photo limits: every photo at its largest plus 1 MB for the text
# fields and multipart framing. Larger bodies are refused (413) before parsing.
UPLOAD_MAX_BODY_BYTES = PHOTO_MAX_COUNT * PHOTO_MAX_BYTES + 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BODY_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = PHOTO_MAX_BYTES
DATA_UPLOAD_MAX_NUMBER_FILES = 2 * PHOTO_MAX_COUNT
IDEMPOTENCY_KEY_TTL_DAYS = env_int("IDEMPOTENCY_KEY_TTL_DAYS", 7)
# Personal data and photos of a finished report are removed this long after it closed, the anonymised
# record kept (manage.py apply_retention; backend/reports/services/retention.py).
RETENTION_DAYS = env_int("RETENTION_DAYS", 365)
# The periodic job re-verifies every report's audit-trail hash chain this often (it reads the whole trail).
AUDIT_VERIFY_HOURS = env_float("AUDIT_VERIFY_HOURS", 24.0)
# Token and session lifetimes (backend/accounts/tokens.py, docs/security.md): staff sign in once a
# shift; a citizen's app token lives while it is used.
STAFF_TOKEN_HOURS = env_int("STAFF_TOKEN_HOURS", 12)
CITIZEN_TOKEN_DAYS = env_int("CITIZEN_TOKEN_DAYS", 90)
SESSION_COOKIE_AGE = STAFF_TOKEN_HOURS * 3600  # sessions are the staff pages' (dashboard, admin)
OTP_TTL_SECONDS = env_int("OTP_TTL_SECONDS", 300)
OTP_MAX_ATTEMPTS = env_int("OTP_MAX_ATTEMPTS", 5)
OTP_RESEND_SECONDS = env_int("OTP_RESEND_SECONDS", 60)
OTP_MAX_PER_HOUR = env_int("OTP_MAX_PER_HOUR", 5)
# Abuse limits (backend/core/limits.py; 0 switches one off). Mobile networks here put many phones
# behind one address (carrier-grade NAT), so the per-address limits are generous.
OTP_PER_IP_PER_HOUR = env_int("OTP_PER_IP_PER_HOUR", 30)
OTP_SMS_PER_HOUR = env_int("OTP_SMS_PER_HOUR", 2000)  # every code the city sends, whoever asks
LOGIN_FAILURES_PER_USER_IP = env_int("LOGIN_FAILURES_PER_USER_IP", 10)  # per 15 minutes
LOGIN_FAILURES_PER_USER = env_int("LOGIN_FAILURES_PER_USER", 20)  # per hour, from any address
LOGIN_FAILURES_PER_IP = env_int("LOGIN_FAILURES_PER_IP", 100)  # per hour, over any usernames
REPORTS_PER_USER_PER_HOUR = env_int("REPORTS_PER_USER_PER_HOUR", 20)
REPORTS_PER_USER_PER_DAY = env_int("REPORTS_PER_USER_PER_DAY", 50)
TRACK_MISSES_PER_IP_PER_HOUR = env_int("TRACK_MISSES_PER_IP_PER_HOUR", 30)  # tracking codes matching no report
OPEN311_REQUESTS_PER_KEY_PER_HOUR = env_int("OPEN311_REQUESTS_PER_KEY_PER_HOUR", 600)
SMS_SENDER = env_str("SMS_SENDER", "backend.accounts.sms.LogSmsSender")
SMS_HTTP_URL = env_str("SMS_HTTP_URL")  # HttpSmsSender: the gateway's endpoint, token and brandname
SMS_HTTP_TOKEN = env_str("SMS_HTTP_TOKEN")
SMS_HTTP_SENDER = env_str("SMS_HTTP_SENDER", "HUE-S")
SMS_HTTP_TIMEOUT = env_float("SMS_HTTP_TIMEOUT", 10.0)
# The log sender writes each login code beside its phone number: a development tool only.
if PRODUCTION and SMS_SENDER == "backend.accounts.sms.LogSmsSender":
    raise ImproperlyConfigured(
        "SMS_SENDER: production needs an SMS gateway; backend.accounts.sms.LogSmsSender writes login codes "
        "and phone numbers to the log (allowed only in the embedded default or with DJANGO_DEBUG=true). "
        "Use SMS_SENDER=backend.accounts.sms.HttpSmsSender with SMS_HTTP_URL and SMS_HTTP_TOKEN."
    )
if PRODUCTION and SMS_SENDER == "backend.accounts.sms.HttpSmsSender" and not (SMS_HTTP_URL and SMS_HTTP_TOKEN):
    raise ImproperlyConfigured("HttpSmsSender needs SMS_HTTP_URL and SMS_HTTP_TOKEN")
DEFAULT_PHONE_REGION = env_str("DEFAULT_PHONE_REGION", "VN")
TRIAGE_REVIEW_THRESHOLD = env_float("TRIAGE_REVIEW_THRESHOLD", 0.6)
ROUTING_NEAREST_CENTRE_KM = env_float("ROUTING_NEAREST_CENTRE_KM", 3.0)
# Triage loads its models from ML_MODELS_DIR/triage and uses TRIAGE_REVIEW_THRESHOLD: backend.core.apps
# passes both to triage.configure() at start (triage reads no environment variables itself).
ML_MODELS_DIR = Path(env_str("ML_MODELS_DIR", str(BASE_DIR / "ml_models")))
# In production ML_MODELS_DIR is a directory every app server shares, so a model promoted through one
# reaches all (backend/core/model_watch.py); the image's own versions (BUNDLED_MODELS_DIR) are copied
# there by `manage.py install_triage_models`.
BUNDLED_MODELS_DIR = Path(env_str("BUNDLED_MODELS_DIR", str(BASE_DIR / "ml_models" / "triage")))
# How often each server process checks which triage model is active (backend/core/model_watch.py):
# a promoted model is in use everywhere within this many seconds (0: never re-check).
TRIAGE_MODEL_CHECK_SECONDS = env_float("TRIAGE_MODEL_CHECK_SECONDS", 10.0)
# Ticket lifecycle: how long a citizen may reopen a resolved report, when an unrated one closes by
# itself, what counts as a duplicate candidate, and how often the periodic jobs run.
REOPEN_WINDOW_DAYS = env_int("REOPEN_WINDOW_DAYS", 7)
if RETENTION_DAYS <= REOPEN_WINDOW_DAYS:
    # The periodic job applies retention every pass: refuse to start rather than fail every pass.
    raise ImproperlyConfigured("RETENTION_DAYS must be longer than REOPEN_WINDOW_DAYS (a closed report may be reopened)")
AUTO_CLOSE_DAYS = env_int("AUTO_CLOSE_DAYS", 7)
DUPLICATE_RADIUS_M = env_float("DUPLICATE_RADIUS_M", 150.0)
DUPLICATE_DAYS = env_int("DUPLICATE_DAYS", 7)
PERIODIC_INTERVAL_SECONDS = env_float("PERIODIC_INTERVAL_SECONDS", 60.0)
# The embedded default (no DATABASE_URL) runs the periodic jobs inside `serve`; production runs a worker.
PERIODIC_IN_PROCESS = env_bool("PERIODIC_IN_PROCESS", not env_str("DATABASE_URL"))
# Open311 GeoReport v2: the city this endpoint serves (the spec suggests its website's domain).
OPEN311_JURISDICTION_ID = env_str("OPEN311_JURISDICTION_ID", "hue.gov.vn")
# CAP 1.2 warnings (backend/alerts/): who sends them, as CAP consumers identify a sender.
CAP_SENDER = env_str("CAP_SENDER", "ioc@hue.gov.vn")

# --- realtime (dashboards over websockets) -----------------------------------------------------
REALTIME_ACCESS = env_str("REALTIME_ACCESS", "backend.reports.realtime_access.socket_access")  # a SocketAccess
REALTIME_RETENTION_HOURS = env_int("REALTIME_RETENTION_HOURS", 72)  # resumable window of the event log
REALTIME_REPLAY_MAX = env_int("REALTIME_REPLAY_MAX", 5000)  # more missed events than this: reload
REALTIME_REPLAY_BATCH = env_int("REALTIME_REPLAY_BATCH", 500)
REALTIME_SEND_BUFFER = env_int("REALTIME_SEND_BUFFER", 500)  # messages queued per socket before 4429
REALTIME_HEARTBEAT_SECONDS = env_float("REALTIME_HEARTBEAT_SECONDS", 20.0)
REALTIME_AUTH_TIMEOUT = env_float("REALTIME_AUTH_TIMEOUT", 10.0)
REALTIME_LAYER_CONCURRENCY = env_int("REALTIME_LAYER_CONCURRENCY", 20)  # concurrent group_add per worker
REALTIME_GC_THRESHOLD = env_int("REALTIME_GC_THRESHOLD", 10_000)  # ASGI servers: realtime/process.py; 0 = off

# --- security in production ---------------------------------------------------------------------
# Production (neither DEBUG nor the embedded default) is served over TLS, behind the proxy: secure
# cookies, HSTS and the redirect to HTTPS are on unless switched off, so `manage.py check --deploy`
# passes with no warning. Behind a TLS-terminating proxy set BEHIND_PROXY=true (it must send
# X-Forwarded-Proto); a plain-HTTP trial run sets SECURE_SSL_REDIRECT=false and SECURE_COOKIES=false.
_OVER_TLS = not DEBUG and not env_bool("EMBEDDED_DEFAULT")
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", _OVER_TLS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", _OVER_TLS)
# The containers' health checks and the Prometheus scrape speak plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^api/v1/health/", r"^metrics$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 3600 if _OVER_TLS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", _OVER_TLS)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", _OVER_TLS)
# Photos on the staff pages may come from the object storage (backend/core/csp.py).
CSP_MEDIA_ORIGIN = env_str("CSP_MEDIA_ORIGIN", env_str("S3_ENDPOINT_URL"))
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY") else None
# How many proxies append to X-Forwarded-For in front of the app (backend/core/client_ip.py).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1 if env_bool("BEHIND_PROXY") else 0)
X_FRAME_OPTIONS = "DENY"

# Admission control (backend/core/admission.py): HTTP requests in progress per server process before
# it answers 503 + Retry-After at once; 0 turns it off. About the database pool size: more would wait.
ADMISSION_MAX_INFLIGHT = env_int("ADMISSION_MAX_INFLIGHT", 32)
ADMISSION_RETRY_AFTER_SECONDS = env_int("ADMISSION_RETRY_AFTER_SECONDS", 2)
METRICS_TOKEN = env_str("METRICS_TOKEN")  # /metrics: this bearer token, or loopback clients only when unset
LOG_FORMAT = env_str("LOG_FORMAT", "text")  # json: one object per line with request_id (backend/core/logs.py)
LOGGING = logging_config(log_format=LOG_FORMAT, level=env_str("LOG_LEVEL", "INFO"))
