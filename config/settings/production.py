"""Production: every secret comes from the environment; nothing falls back to a development default."""

from .base import *  # noqa: F403
from .base import env, identity_caching

DEBUG = False
LIAISON_PRODUCTION = True  # liaison.checks: production-only system checks (liaison.E102)
SECRET_KEY = env("DJANGO_SECRET_KEY")
PERSONAL_DATA_KEY = env("PERSONAL_DATA_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
CELERY_BROKER_URL = env("CELERY_BROKER_URL")
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 3600,
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
    "max_retries": 1,
}
CACHES = {"default": env.cache("CACHE_URL", default=env("CELERY_BROKER_URL"))}
if CACHES["default"]["BACKEND"].endswith("RedisCache"):  # fails open when Redis is down (liaison.cache)
    CACHES["default"]["BACKEND"] = "liaison.cache.ResilientRedisCache"
SESSION_ENGINE, USER_CACHE_SECONDS = identity_caching(CACHES)

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz/?$"]  # probes on http://127.0.0.1 (HealthCheckMiddleware answers first anyway)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# REQUIRED: the public address links in e-mails and SMS point to (no loopback default; check liaison.E102)
NOTIFICATION_SITE_URL = env("NOTIFICATION_SITE_URL", default="")
STAFF_REQUIRE_OTP = env.bool("STAFF_REQUIRE_OTP", default=True)

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="noreply@localhost")
