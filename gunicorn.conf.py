"""gunicorn's settings for the portal (read from the working directory: the Dockerfile, docker-compose.yml and the
benchmark all start gunicorn from the repository's root). Every value can be changed by the environment.

- ``gthread`` workers: each process serves ``GUNICORN_THREADS`` requests at once, so a slow request (an export,
  a province's report) does not hold up the quick ones behind it, and a thread waiting on PostgreSQL leaves the
  core to another.
- ``GUNICORN_WORKERS`` processes, by default one per core (the pages are CPU-bound Python: more processes than
  cores only add memory and context switches).
- Each worker is replaced after ``GUNICORN_MAX_REQUESTS`` requests (with jitter, so they do not all restart at
  once): Python seldom gives memory back to the system, and a worker that once built a large response would keep
  its peak for the rest of its life (the benchmark's target is 250 MB per worker after a run).
- The application is loaded once in the master before the workers fork (``preload_app``, ``GUNICORN_PRELOAD=0``
  to turn it off): a replaced worker serves at once instead of spending a second or two importing Django. Measured
  in the benchmark: without it, a worker replaced during a run lost the race for new keep-alive connections to the
  one already running, which then served every client on one core while the other sat idle (the proposal list fell
  from ~78 to ~47 req/s after the floor scenario had recycled the workers). Nothing opens a database or Redis
  connection at import time, so no connection is shared across the fork.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS") or multiprocessing.cpu_count())
threads = int(os.environ.get("GUNICORN_THREADS") or 4)
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 60)
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT") or 30)
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE") or 5)
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") == "1"
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS") or 10000)
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER") or 1000)
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None  # empty: no access log
errorlog = "-"
# Real client addresses come from X-Forwarded-For of the proxies in TRUSTED_PROXIES (liaison/proxies.py).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")


def when_ready(server):
    """With the application preloaded, compile the templates and load the catalogues once in the master, so every
    worker, first and replaced alike, is forked warm (liaison/warmup.py)."""
    if server.cfg.preload_app:
        from liaison.warmup import warm

        server.log.info("warmed %d templates before forking the workers", warm())

