"""Development on one machine: `make run`. SQLite and a file-system broker unless the environment says otherwise."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
# The web server and the Celery worker of `make run` are separate processes: background jobs' progress records
# (liaison.progress) must live in a cache both see. A folder under var/ does, without Redis.
CACHES = {"default": env.cache("CACHE_URL", default=f"filecache://{VAR_DIR / 'cache'}")}  # noqa: F405
