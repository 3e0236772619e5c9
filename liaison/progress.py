"""Progress of long operations (imports, exports, reports) that run in a Celery task, shown with htmx polling.

The pattern, in four steps:

1. The page view starts the work and a progress record, then shows the polling partial::

       from liaison import progress

       def export_start(request):
           job = progress.progress_start(user=request.user, label=_("导出建议台账"))
           export_proposals.delay(job.key, request.user.pk, request.GET.urlencode())  # via transaction.on_commit
           return render(request, "proposals/export.html", {"progress": job,
                         "poll_url": reverse("proposals:export-progress", args=[job.key])})

   and the template: ``{% include "components/progress.html" with progress=progress poll_url=poll_url %}``.

2. The task reports as it goes and finishes with a link (or a failure message)::

       progress.progress_update(key, done=i, total=n, message=_("正在生成第 %d 页") % i)
       progress.progress_finish(key, result_url=file_url)   # or progress.progress_fail(key, message=str(exc))

3. The app's polling URL answers with the same partial::

       def export_progress(request, key):
           return progress.progress_response(request, key, poll_url=request.path)

   ``components/progress.html`` asks again after a second (``hx-trigger="load delay:1s"``, ``hx-swap=outerHTML``)
   until the record is finished or failed, then stops polling and shows the result link.

4. Optionally the task also sends the user a notification, so someone who left the page still hears of it.

Records live in Django's cache for a day. Production must use a cache that the web and worker processes share
(``CACHE_URL=redis://…``); the local-memory cache only works when the task runs in the web process (eager mode,
tests). A record belongs to the user who started it: anyone else gets 404.
"""

import uuid
from dataclasses import asdict, dataclass

from django.core.cache import cache
from django.http import Http404
from django.shortcuts import render

TIMEOUT = 24 * 60 * 60


@dataclass
class Progress:
    key: str
    owner_id: int | None
    label: str
    done: int = 0
    total: int = 0
    message: str = ""
    finished: bool = False
    failed: bool = False
    result_url: str = ""

    @property
    def percent(self):
        if self.finished:
            return 100
        if not self.total:
            return 0
        return max(0, min(100, round(100 * self.done / self.total)))

    @property
    def percent_step(self):
        """The percentage rounded down to a multiple of 5 (the CSS has one width class per step: no inline style)."""
        return self.percent - self.percent % 5


def _cache_key(key):
    return f"liaison:progress:{key}"


def _save(job):
    cache.set(_cache_key(job.key), asdict(job), TIMEOUT)
    return job


def progress_get(key):
    data = cache.get(_cache_key(key))
    return Progress(**data) if data else None


def progress_start(*, user, label, total=0):
    return _save(Progress(key=uuid.uuid4().hex, owner_id=getattr(user, "pk", None), label=str(label), total=total))


def progress_update(key, *, done, total=None, message=""):
    job = progress_get(key)
    if job is None or job.finished:
        return job
    job.done = done
    if total is not None:
        job.total = total
    job.message = str(message)
    return _save(job)


def progress_finish(key, *, result_url="", message=""):
    job = progress_get(key)
    if job is None:
        return None
    job.finished, job.result_url, job.message = True, result_url, str(message)
    job.done = max(job.done, job.total)
    return _save(job)


def progress_fail(key, *, message):
    job = progress_get(key)
    if job is None:
        return None
    job.finished, job.failed, job.message = True, True, str(message)
    return _save(job)


def progress_response(request, key, *, poll_url):
    """The polling partial for ``key``; 404 for a missing record or one that another user started."""
    job = progress_get(key)
    if job is None or job.owner_id != request.user.pk:
        raise Http404
    return render(request, "components/progress.html", {"progress": job, "poll_url": poll_url})
