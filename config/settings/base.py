"""Settings shared by every environment.

Everything that differs between machines is read from the environment through one
``env`` object; the defaults are the embedded development set-up (SQLite and a
file-system Celery broker) and never include production secrets.
"""

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("DJANGO_SECRET_KEY", default="dev-insecure-key-change-me-0123456789-abcdefghijklmnop")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "import_export",
    "django_celery_beat",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "liaison",
    "liaison.reminders",
    "liaison.notifications",
    "deputies",
    "activities",
    "stations",
    "hotline",
    "proposals",
    "votes",
    "reports",
]

MIDDLEWARE = [
    "liaison.health.HealthCheckMiddleware",  # first: /healthz answers whatever the Host and the scheme
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "liaison.middleware.UserLanguageMiddleware",  # after LocaleMiddleware and auth: User.language wins
    "django_otp.middleware.OTPMiddleware",
    "liaison.middleware.IdleSessionTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "liaison.middleware.ApplicationErrorMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "django.template.context_processors.i18n",
                "liaison.context_processors.portal",
            ],
        },
    },
    {
        # Partials of the busiest rows (``<app>/jinja2/<app>/_*.jinja``), autoescaped; see liaison/jinja2.py.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "NAME": "jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"environment": "liaison.jinja2.environment", "autoescape": True},
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite serialises writers; a generous timeout lets web, worker and beat share the file. WAL lets readers go on
    # while one writes; IMMEDIATE takes the write lock at BEGIN, so a busy writer waits out busy_timeout instead of
    # failing at once with "database is locked" when a read transaction upgrades to a write.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=20000; PRAGMA synchronous=NORMAL",
        }
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "liaison.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "liaison.auth.UsernameOrMobileBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions: idle expiry (seconds without a request) and an absolute lifetime.
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=30 * 60)
SESSION_COOKIE_AGE = env.int("SESSION_ABSOLUTE_TIMEOUT", default=12 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# Lock-out after repeated failed logins (django-axes).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]  # one user from one address: others are not locked out
AXES_CLIENT_IP_CALLABLE = "liaison.proxies.client_ip"  # the real client behind TRUSTED_PROXIES, not the proxy
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# Staff second factor (django-otp TOTP). Off in development, on in production settings.
STAFF_REQUIRE_OTP = env.bool("STAFF_REQUIRE_OTP", default=False)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=str(VAR_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=10 * 1024 * 1024)

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://liaison")}


def identity_caching(caches):
    """``(SESSION_ENGINE, USER_CACHE_SECONDS)`` for ``caches``: on the shared, fail-open Redis cache, sessions from the
    cache with the table behind them (liaison.sessions) and the signed-in user kept USER_CACHE_SECONDS
    (liaison.auth); with a per-process cache, the table alone and no user cache, since one process would go on
    trusting what another had changed or ended. Each settings module calls it after its CACHES."""
    if caches["default"]["BACKEND"] == "liaison.cache.ResilientRedisCache":
        return "liaison.sessions", env.int("USER_CACHE_SECONDS", default=300)
    return "django.contrib.sessions.backends.db", 0


SESSION_ENGINE, USER_CACHE_SECONDS = identity_caching(CACHES)
# The longest a session stays in the cache (liaison.sessions): how long a session ended during a Redis outage
# could come back with Redis.
SESSION_CACHE_SECONDS = env.int("SESSION_CACHE_SECONDS", default=300)
# Seconds the home page's cards and their counts (liaison.workbench), a list's "more than 10,000" and the header's
# unread badge (forgotten sooner when a notification arrives or is read) are reused. Counting a province's cards
# costs about a second of PostgreSQL; the benchmark's mix spent a fifth of its CPU on recounts every 30 s (and its
# p99 waited behind them), a tenth every 120 s.
WORKBENCH_COUNT_SECONDS = env.int("WORKBENCH_COUNT_SECONDS", default=120)

# Celery: file-system broker by default so `make run` needs no server; Redis in production.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="filesystem://")
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {
        "data_folder_in": str(VAR_DIR / "broker" / "out"),
        "data_folder_out": str(VAR_DIR / "broker" / "out"),
        "processed_folder": str(VAR_DIR / "broker" / "processed"),
        "store_processed": False,
    }
    if CELERY_BROKER_URL.startswith("filesystem")
    else {"visibility_timeout": 3600}
)
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 300
CELERY_TASK_TIME_LIMIT = 360
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

REST_FRAMEWORK = {
    # Session only: no password is accepted per request, so OTP, session timeouts and the axes lock-out hold on
    # the API too (docs/security.md). Machine clients (12345) sign their requests (hotline.auth).
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["liaison.api.FilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "liaison.api.StandardPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "liaison.schema.AutoSchema",  # documents the common error responses
    "EXCEPTION_HANDLER": "liaison.api.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"anon": "60/min", "user": "600/min"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "人大代表联络工作平台 API",
    "DESCRIPTION": (
        "liaison portal REST API (deputies, stations, proposals, votes, 12345 hotline). Authentication: a signed-in "
        "session (CSRF token on writes; staff need a verified second factor: 403 otp_required; an expired session "
        "answers 401 session_expired); no HTTP Basic. The 12345 client signs each request (X-Hotline-* headers)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # liaison.converters' bounded <id:...> is an integer id, as <int:...> was.
    "PATH_CONVERTER_OVERRIDES": {"id": {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}},
    # choice sets that share a field name (``kind``) with another get a name of their own, not a hash
    "ENUM_NAME_OVERRIDES": {"SelfRegisteredDutyKindEnum": "deputies.models.self_registered_values"},
}

# Content-Security-Policy: same-origin assets only, no inline scripts.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# SMS gateway: a dotted path to a liaison.sms.BaseSmsBackend subclass.
SMS_BACKEND = env("SMS_BACKEND", default="liaison.sms.ConsoleSmsBackend")
# liaison.sms.HttpGatewaySmsBackend (docs/sms-gateway.md): the provider's URL, key and signing secret, the seconds
# one attempt may take, the retries after a 5xx or a timeout and the first backoff (doubled each retry).
SMS_GATEWAY_URL = env("SMS_GATEWAY_URL", default="")
SMS_GATEWAY_KEY = env("SMS_GATEWAY_KEY", default="")
SMS_GATEWAY_SECRET = env("SMS_GATEWAY_SECRET", default="")
SMS_GATEWAY_TIMEOUT = env.float("SMS_GATEWAY_TIMEOUT", default=5.0)
SMS_GATEWAY_RETRIES = env.int("SMS_GATEWAY_RETRIES", default=2)
SMS_GATEWAY_BACKOFF = env.float("SMS_GATEWAY_BACKOFF", default=1.0)

# Personal data: how citizens' and deputies' mobiles are masked and protected. PERSONAL_DATA_KEY encrypts mobiles
# at rest (AES-256-GCM) and keys their look-up hash (HMAC-SHA256); PERSONAL_DATA_OLD_KEYS (comma-separated) are
# still read during a key rotation until `manage.py rotate_personal_data` has re-encrypted every row (docs/security.md).
PERSONAL_DATA_KEY = env("PERSONAL_DATA_KEY", default="dev-personal-data-key")
PERSONAL_DATA_OLD_KEYS = env.list("PERSONAL_DATA_OLD_KEYS", default=[])

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # Expected refusals (403) and misses (404) are one line each, without the traceback Django attaches.
    "filters": {"expected_refusal": {"()": "liaison.logfilters.ExpectedRefusalFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["expected_refusal"]}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django.request": {"filters": ["expected_refusal"]},
        "django.security": {"filters": ["expected_refusal"]},
    },
}

# ---------------------------------------------------------------------------------------------------------------------
# Reminders and notifications (issue 7). Offsets count calendar days before the date they refer to; staff can
# override any REMINDER_* / NOTIFICATION_* value below in the admin (提醒设置, liaison.ReminderSetting).
# ---------------------------------------------------------------------------------------------------------------------
NOTIFICATION_ALLOWED_CHANNELS = env.list("NOTIFICATION_ALLOWED_CHANNELS", default=["inbox", "email", "sms"])
NOTIFICATION_SITE_URL = env("NOTIFICATION_SITE_URL", default="http://127.0.0.1:8000")
REMINDER_FOLLOW_UP_OFFSETS_DAYS = [7, 1, 0]  # 督办事项: 7 days before, the day before, on the day
REMINDER_DEADLINE_OFFSETS_DAYS = [15, 7, 1]  # proposals: before the reply is due
REMINDER_OVERDUE_STAFF_FROM_DAY = 3  # proposals: staff copied from the third overdue day
REMINDER_SURVEY_OFFSETS_DAYS = [0, 7, 14]  # satisfaction survey: at the reply, +7, +14 while unrated
REMINDER_PROMISE_OFFSETS_DAYS = [30, 0]  # B-class promises: 30 days before and on the promised date
REMINDER_SEND_FROM_HOUR = env.int("REMINDER_SEND_FROM_HOUR", default=8)  # no reminders at night (local time)
REMINDER_CLAIM_CHUNK = env.int("REMINDER_CLAIM_CHUNK", default=2000)  # rows claimed per transaction
REMINDER_STALE_AFTER_SECONDS = env.int("REMINDER_STALE_AFTER_SECONDS", default=15 * 60)  # > send time + backoff
REMINDER_MAX_ATTEMPTS = env.int("REMINDER_MAX_ATTEMPTS", default=6)

# ---------------------------------------------------------------------------------------------------------------------
# Security (issue 11): request size limits, step-up re-authentication, the Celery outbox and broker time-outs.
# Production hardening (cookies, HSTS, OTP) lives in production.py; see tests/security and tests/faults.
# ---------------------------------------------------------------------------------------------------------------------
MIDDLEWARE.insert(2, "liaison.middleware.RequestBodyLimitMiddleware")  # after SecurityMiddleware, before any body read
REQUEST_BODY_MAX_BYTES = env.int("REQUEST_BODY_MAX_BYTES", default=25 * 1024 * 1024)  # multipart uploads
# Reverse proxies whose X-Forwarded-For is believed (addresses or CIDR networks); empty: the header is ignored.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
REAUTH_MAX_AGE = env.int("REAUTH_MAX_AGE", default=5 * 60)  # seconds a re-typed password is good for
SESSION_ABSOLUTE_TIMEOUT = SESSION_COOKIE_AGE  # the cookie's age is the absolute limit, whatever the activity
# A request that queues work must never hang on a dead broker: publish gives up within ~2 s and the call goes to
# the outbox (liaison.outbox), which beat sends again every minute.
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_CONNECTION_TIMEOUT", default=2.0)
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5, "interval_max": 0.5}
CELERY_IMPORTS = ["liaison.outbox"]
if not CELERY_BROKER_URL.startswith("filesystem"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        **CELERY_BROKER_TRANSPORT_OPTIONS,
        "socket_connect_timeout": 2,
        "socket_timeout": 5,
        "max_retries": 1,
    }
