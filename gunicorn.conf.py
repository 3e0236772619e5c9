"""gunicorn's settings for the portal (read from the working directory: the Dockerfile, docker-compose.yml and the
benchmark all start gunicorn from the repository's root). Every value can be changed by the environment. The
defaults are what the province benchmark (docs/benchmarks.md) measured best on a 2-core machine.

- ``gthread`` workers, ``GUNICORN_WORKERS`` processes (default: two per core) of ``GUNICORN_THREADS`` threads
  (default 2): a slow request (an export, a province's report) does not hold up the quick ones, and a thread
  waiting on PostgreSQL leaves the core to another. Two processes per core rather than one: a process runs Python
  on one core at a time (the GIL), and connections are not spread evenly between processes, so with one per core
  the busier one queued requests on its core while the other core idled (the mix at 100 req/s: ~45% idle CPU and a
  p95 of 300 ms with 2 × 4; 130 ms with 4 × 2). Four threads per process did worse than two.
- ``keepalive`` 0 (``GUNICORN_KEEPALIVE``): a connection is closed after its response, so each request is taken
  by whichever worker is free instead of queuing behind its connection's worker (median latency in the mix 50 →
  15 ms). TLS is terminated by the reverse proxy in front (production.py trusts its X-Forwarded-Proto), which
  talks plain HTTP/1.0 to gunicorn anyway.
- Each worker is replaced after ``GUNICORN_MAX_REQUESTS`` requests (default 10,000, with jitter so they do not
  all restart at once): Python seldom gives memory back to the system, and a worker that once built a large
  response would keep its peak for the rest of its life (the benchmark's target is 250 MB per worker after a run).
- The application is loaded once in the master before the workers fork (``preload_app``, ``GUNICORN_PRELOAD=0``
  to turn it off), and :func:`when_ready` compiles the templates and loads the catalogues there
  (liaison/warmup.py): a new or replaced worker serves warm at once instead of spending a second or two importing
  Django and compiling templates. Without it, a worker replaced during a benchmark run lost the race for new
  connections to the one already running, which then served every client on one core (the proposal list fell from
  ~78 to ~47 req/s). Nothing opens a database or Redis connection before the fork.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS") or 2 * multiprocessing.cpu_count())
threads = int(os.environ.get("GUNICORN_THREADS") or 2)
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 60)
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT") or 30)
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE") or 0)
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") == "1"
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS") or 10000)
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER") or 1000)
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None  # empty: no access log
errorlog = "-"
logger_class = "liaison.accesslog.MaskingLogger"  # no api_key, token, password or mobile number in the access log
# Real client addresses come from X-Forwarded-For of the proxies in TRUSTED_PROXIES (liaison/proxies.py).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")


def when_ready(server):
    """With the application preloaded, compile the templates and load the catalogues once in the master, so every
    worker, first and replaced alike, is forked warm (liaison/warmup.py)."""
    if server.cfg.preload_app:
        import gc

        from liaison.warmup import warm

        server.log.info("warmed %d templates before forking the workers", warm())
        # What the master built lives as long as the workers: out of the collector's sight, a worker's full
        # collections walk only what it allocated itself (and do not touch, so copy, the pages it shares).
        gc.collect()
        gc.freeze()
