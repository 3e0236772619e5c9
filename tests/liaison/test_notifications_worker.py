# ruff: noqa: F811  (the Celery fixtures are imported by name, so test arguments "redefine" them)
"""Background jobs in a real Celery worker process (tests/celery/conftest.py): the worker and this process share
the test database, a Redis cache (the progress records) and a media folder (the files), as web and worker do in
production (docker-compose: CACHE_URL on Redis, one media volume)."""

import io
import os
import time

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from liaison import progress
from liaison.models import User
from liaison.notifications.models import Notification
from tests.celery.conftest import clean_redis, processes, wait_for  # noqa: F401 (fixtures)
from tests.factories import UserFactory
from tests.security.helpers import password_just_entered

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def shared_cache_url():
    base = os.environ["REDIS_URL"].rsplit("/", 1)[0]
    return f"{base}/3"


@pytest.fixture
def job_worker(processes, clean_redis, settings, tmp_path):
    """A worker that runs jobs with the same cache and media folder as this process (and its live server)."""
    import redis

    url = shared_cache_url()
    redis.Redis.from_url(url).flushdb()
    media = tmp_path / "media"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}}
    settings.MEDIA_ROOT = str(media)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    worker = processes.worker("jobs", concurrency=1, CACHE_URL=url, MEDIA_ROOT=str(media))
    yield worker
    redis.Redis.from_url(url).flushdb()


def test_a_worker_builds_the_export_and_notifies_an_english_owner_once_in_english(client, regions, job_worker):
    staff = UserFactory(username="staff_en", role=User.Role.STAFF, region=regions["zhuzhou"], language="en")
    client.force_login(staff)
    password_just_entered(client)

    response = client.post(reverse("notifications:job-start", args=["proposals.ledger"]))
    key = response["Location"].rstrip("/").split("/")[-1]
    assert response["Location"] == reverse("notifications:job", args=[key])
    notification = wait_for(
        lambda: Notification.objects.filter(recipient=staff).first(), timeout=60, interval=0.2, message="the message"
    )
    assert notification.title == "Export of the proposal ledger is ready"
    assert notification.link == reverse("notifications:job", args=[key])

    job = progress.progress_get(key)
    assert (job.finished, job.failed) == (True, False)
    download = client.get(reverse("notifications:job-download", args=[key]))
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    assert sheet["A1"].value == "Number"  # built in the owner's language too

    # The broker delivers the same task again (a worker died before its ack): still one message.
    progress.run_job.delay(key)
    time.sleep(3)
    assert Notification.objects.filter(recipient=staff).count() == 1
