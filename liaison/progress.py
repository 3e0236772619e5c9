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

Background jobs (exports, report PDFs) use all four steps through one door: :func:`job_start` (from the page view
``notifications:job-start``) records the job's ``kind`` and parameters and queues :func:`run_job`; the worker runs the
kind's runner (``liaison.jobs``) in the owner's language, saves the file to the default storage, finishes the record
with a download link, and notifies the owner exactly once (:func:`job_notify`), whether they still watch the page or
not. A job redelivered after a worker died re-runs only if it never finished; its notification is never doubled.

Records live in Django's cache for a day. Production must use a cache that the web and worker processes share
(``CACHE_URL=redis://…``); the local-memory cache only works when the task runs in the web process (eager mode,
tests). A record belongs to the user who started it: anyone else gets 404.
"""

import logging
import time
import uuid
from dataclasses import asdict, dataclass

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import Http404, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from liaison.errors import ApplicationError
from liaison.jobs import job_kind
from liaison.models import User
from liaison.notifications.models import Notification
from liaison.notifications.services import notify
from liaison.outbox import enqueue

logger = logging.getLogger("liaison.progress")

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
    kind: str = ""  # a background job's kind (liaison.jobs.register); empty for other progress records
    params: str = ""  # the job's parameters as a query string (the page's filters)
    file_path: str = ""  # where the finished job's file is in the default storage
    filename: str = ""
    content_type: str = ""

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


def progress_start(*, user, label, total=0, kind="", params=""):
    return _save(
        Progress(
            key=uuid.uuid4().hex,
            owner_id=getattr(user, "pk", None),
            label=str(label),
            total=total,
            kind=kind,
            params=params,
        )
    )


def progress_update(key, *, done, total=None, message=""):
    job = progress_get(key)
    if job is None or job.finished:
        return job
    job.done = done
    if total is not None:
        job.total = total
    job.message = str(message)
    return _save(job)


def progress_finish(key, *, result_url="", message="", **file_fields):
    job = progress_get(key)
    if job is None:
        return None
    job.finished, job.result_url, job.message = True, result_url, str(message)
    for name, value in file_fields.items():  # file_path, filename, content_type
        setattr(job, name, value)
    job.done = max(job.done, job.total)
    return _save(job)


def progress_fail(key, *, message):
    job = progress_get(key)
    if job is None:
        return None
    job.finished, job.failed, job.message = True, True, str(message)
    return _save(job)


def progress_for_owner(request, key):
    """The record ``key`` if the requesting user started it, else 404."""
    job = progress_get(key)
    if job is None or job.owner_id is None or job.owner_id != request.user.pk:
        raise Http404
    return job


def progress_response(request, key, *, poll_url):
    """The polling partial for ``key``; 404 for a missing record or one that another user started.

    The answer that first shows the record finished also tells the page (``HX-Trigger: notifications-changed``)
    so the bell in the header fetches its new count."""
    job = progress_for_owner(request, key)
    response = render(request, "components/progress.html", {"progress": job, "poll_url": poll_url})
    if job.finished:
        response["HX-Trigger"] = "notifications-changed"
    return response


# ---------------------------------------------------------------------------------------------------------------------
# Background jobs
# ---------------------------------------------------------------------------------------------------------------------


REPORT_EVERY = 200  # rows between two progress updates of a job


class JobReporter:
    """``report(done, total, message)`` for a job's runner; also wraps an iterable so it reports every few rows."""

    def __init__(self, key):
        self.key = key

    def __call__(self, done, total=None, message=""):
        progress_update(self.key, done=done, total=total, message=message)

    def counting(self, rows, total):
        self(0, total)
        for done, row in enumerate(rows, start=1):
            if done % REPORT_EVERY == 0:
                self(done, total)
            yield row
        self(total, total)


def job_url(key):
    return reverse("notifications:job", args=[key])


def job_start(*, user, kind, params=""):
    """Record a job of ``kind`` for ``user`` and queue it; the caller has checked the kind is allowed to them."""
    spec = job_kind(kind)
    job = progress_start(user=user, label=spec.label, kind=kind, params=params)
    enqueue(run_job, job.key)
    return job


def job_notify(job):
    """Tell the job's owner it finished or failed: one inbox message per job, however often this runs.

    The owner's row is locked while we look for an earlier message with the job's link, so two deliveries of the
    same task (a worker died after finishing, the broker re-delivered) cannot both write one."""
    if job is None or not job.finished or job.owner_id is None:
        return None
    link = job_url(job.key)
    with transaction.atomic():
        owner = User.objects.select_for_update().filter(pk=job.owner_id, is_active=True).first()
        if owner is None or Notification.objects.filter(recipient=owner, link=link).exists():
            return None
        spec = job_kind(job.kind)
        context = {"label": spec.label, "message": job.message, "filename": job.filename}
        return notify(owner, "job_failed" if job.failed else "job_finished", context, link=link)


def jobs_purge_files(*, older_than=TIMEOUT, now=None):
    """Delete job files older than a day (their progress records, and so their download links, are gone too).
    Runs at the start of every job, so the folder never holds more than a day's exports. Returns the count."""
    now = now or time.time()
    removed = 0
    try:
        folders, _files = default_storage.listdir("jobs")
    except FileNotFoundError:
        return 0
    for folder in folders:
        for name in default_storage.listdir(f"jobs/{folder}")[1]:
            path = f"jobs/{folder}/{name}"
            if now - default_storage.get_modified_time(path).timestamp() > older_than:
                default_storage.delete(path)
                removed += 1
    return removed


@shared_task(name="liaison.progress.run_job", acks_late=True, soft_time_limit=600, time_limit=660)
def run_job(key):
    """Run the background job ``key``: build its file in the owner's language, store it, notify the owner."""
    job = progress_get(key)
    if job is None:
        return "gone"
    if job.finished:  # delivered again after it ran: only make sure the owner heard of it
        job_notify(job)
        return "already finished"
    jobs_purge_files()
    owner = User.objects.filter(pk=job.owner_id, is_active=True).first()
    spec = job_kind(job.kind)
    if owner is None or not spec.allowed(owner):
        progress_fail(key, message=_("您无权执行此操作。"))
        return "refused"
    with translation.override(getattr(owner, "language", "") or "zh-hans"):
        try:
            result = spec.runner(user=owner, params=QueryDict(job.params), report=JobReporter(key))
            path = default_storage.save(f"jobs/{key}/{result.filename}", ContentFile(result.content))
            progress_finish(
                key,
                result_url=reverse("notifications:job-download", args=[key]),
                message=_("文件已生成：%(name)s") % {"name": result.filename},
                file_path=path,
                filename=result.filename,
                content_type=result.content_type,
            )
        except ApplicationError as exc:
            progress_fail(key, message=str(exc.message))
        except SoftTimeLimitExceeded:
            progress_fail(key, message=_("处理时间过长，已停止。请缩小范围后重试。"))
        except Exception:  # the owner hears of it; the details go to the log
            logger.exception("background job %s (%s) failed", key, job.kind)
            progress_fail(key, message=_("生成失败，请稍后重试或联系管理员。"))
    job = progress_get(key)
    job_notify(job)
    return "failed" if job is None or job.failed else "finished"
