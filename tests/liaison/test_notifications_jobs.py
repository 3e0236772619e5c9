# ruff: noqa: F811  (the proposal fixtures are imported by name, so test arguments "redefine" them)
"""Background jobs (liaison.progress.run_job, liaison.jobs): start from a page, progress, file, one notification.

The task runs eagerly here (CELERY_TASK_ALWAYS_EAGER); tests/liaison/test_notifications_worker.py runs it in a real
Celery worker process."""

import io
import time
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from liaison import jobs, progress
from liaison.errors import ApplicationError
from liaison.models import AuditLog, User
from liaison.notifications.models import Notification
from tests.proposals.conftest import congress, deputy_user, flow, unit_jy  # noqa: F401 (fixtures)
from tests.security.helpers import password_just_entered

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def eager_and_private_files(settings, tmp_path):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def staff_client(client, staff_zz):
    client.force_login(staff_zz)
    password_just_entered(client)
    return client


def start(client, kind, query=""):
    return client.post(reverse("notifications:job-start", args=[kind]), {"query": query})


def job_key(response):
    assert response.status_code == 302
    return response["Location"].rstrip("/").split("/")[-1]


def test_ledger_export_runs_in_the_background_and_notifies_once_with_a_link_to_the_file(staff_client, staff_zz, flow):
    flow.rated(reply_class="B")
    response = start(staff_client, "proposals.ledger")
    key = job_key(response)
    assert response["Location"] == reverse("notifications:job", args=[key])

    page = staff_client.get(response["Location"]).content.decode()
    assert "导出建议办理台账" in page and "已完成。" in page
    assert f'href="{reverse("notifications:job-download", args=[key])}"' in page

    download = staff_client.get(reverse("notifications:job-download", args=[key]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith('attachment; filename="proposals-ledger-')
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    assert (sheet["A1"].value, sheet.max_row, sheet["H2"].value) == ("编号", 2, "B")

    notification = Notification.objects.get(recipient=staff_zz)
    assert (notification.title, notification.link) == (
        "导出建议办理台账已完成",
        reverse("notifications:job", args=[key]),
    )
    assert notification.body.endswith("已生成，点击查看并下载。文件保留一天。")
    assert AuditLog.objects.filter(actor=staff_zz, action="proposal.export", data__background=True).count() == 1
    badge = staff_client.get(reverse("notifications:badge")).content.decode()
    assert 'data-testid="unread-badge">1<' in badge


def test_a_job_delivered_again_after_it_finished_does_not_notify_twice(staff_client, staff_zz, flow):
    key = job_key(start(staff_client, "proposals.ledger"))
    assert progress.run_job(key) == "already finished"  # re-delivered: the worker died before the ack
    assert Notification.objects.filter(recipient=staff_zz).count() == 1
    assert progress.job_notify(progress.progress_get(key)) is None
    Notification.objects.all().delete()  # as if the worker died between finishing the file and the message
    assert progress.run_job(key) == "already finished"
    assert Notification.objects.filter(recipient=staff_zz).count() == 1


def test_the_progress_answer_stops_polling_and_tells_the_header_to_refresh(staff_client, flow):
    key = job_key(start(staff_client, "proposals.ledger"))
    answer = staff_client.get(reverse("notifications:job-progress", args=[key]), HTTP_HX_REQUEST="true")
    assert answer["HX-Trigger"] == "notifications-changed"
    assert "hx-get" not in answer.content.decode()


def test_a_running_job_keeps_polling_and_shows_how_far_it_got(staff_client, staff_zz):
    job = progress.progress_start(user=staff_zz, label="导出代表名册", kind="deputies.roster")
    progress.progress_update(job.key, done=400, total=1000)
    html = staff_client.get(reverse("notifications:job", args=[job.key])).content.decode()
    assert f'hx-get="{reverse("notifications:job-progress", args=[job.key])}"' in html
    assert "已处理 400 / 1000" in html and "progress-w-40" in html
    assert staff_client.get(reverse("notifications:job-download", args=[job.key])).status_code == 404


def test_roster_export_honours_the_page_filters(staff_client, staff_zz, flow, congress):
    from deputies.models import Congress

    other = Congress.objects.create(region=congress.region, level=congress.level, term=congress.term + 1, name="另一届")
    key = job_key(start(staff_client, "deputies.roster", f"congress={other.pk}"))
    job = progress.progress_get(key)
    assert (job.finished, job.failed) == (True, False)
    assert job.filename.startswith("代表名册-") and job.filename.endswith(".xlsx")
    sheet = load_workbook(
        io.BytesIO(b"".join(staff_client.get(reverse("notifications:job-download", args=[key])).streaming_content))
    ).active
    assert sheet.max_row == 1  # headers only: nobody sits in that congress
    everyone = job_key(start(staff_client, "deputies.roster"))
    sheet = load_workbook(
        io.BytesIO(b"".join(staff_client.get(reverse("notifications:job-download", args=[everyone])).streaming_content))
    ).active
    assert sheet.max_row == 2  # the flow's deputy


def test_the_report_pdf_for_an_english_user_is_announced_in_english(client, staff_zz):
    User.objects.filter(pk=staff_zz.pk).update(language="en")
    client.force_login(staff_zz)
    key = job_key(start(client, "figures.report_pdf", "period=year&year=2024"))
    job = progress.progress_get(key)
    assert job.filename == "report-430200-year-2024-01-01.pdf"
    download = client.get(reverse("notifications:job-download", args=[key]))
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    notification = Notification.objects.get(recipient=staff_zz)
    assert notification.title == "Report PDF is ready"
    assert notification.body == f"{job.filename} has been generated; open it to download. The file is kept for a day."


def test_a_failed_job_tells_its_owner_why_once(staff_client, staff_zz, monkeypatch):
    def refuse(**kwargs):
        raise ApplicationError("该区域暂无数据。")

    monkeypatch.setitem(jobs.JOB_KINDS, "figures.report_pdf", jobs.JobKind("生成工作报告PDF", refuse))
    key = job_key(start(staff_client, "figures.report_pdf"))
    page = staff_client.get(reverse("notifications:job", args=[key])).content.decode()
    assert "处理失败：该区域暂无数据。" in page
    notification = Notification.objects.get(recipient=staff_zz)
    assert (notification.title, notification.body) == ("生成工作报告PDF未能完成", "该区域暂无数据。")
    assert staff_client.get(reverse("notifications:job-download", args=[key])).status_code == 404


def test_an_unexpected_error_is_logged_and_the_owner_gets_a_plain_message(staff_client, staff_zz, monkeypatch, caplog):
    def crash(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setitem(jobs.JOB_KINDS, "proposals.ledger", jobs.JobKind("导出建议办理台账", crash))
    key = job_key(start(staff_client, "proposals.ledger"))
    assert progress.progress_get(key).message == "生成失败，请稍后重试或联系管理员。"
    assert "disk full" in caplog.text
    assert Notification.objects.get(recipient=staff_zz).title == "导出建议办理台账未能完成"


def test_jobs_of_personal_data_ask_for_the_password_again(client, staff_zz):
    client.force_login(staff_zz)
    response = client.post(
        reverse("notifications:job-start", args=["deputies.roster"]), HTTP_REFERER="http://testserver/deputies/roster/"
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("reauth"))
    assert not Notification.objects.exists()


def test_only_staff_may_start_a_job_and_unknown_kinds_are_404(client, unit_zz, staff_zz):
    client.force_login(unit_zz)
    password_just_entered(client)
    assert start(client, "proposals.ledger").status_code == 404
    client.force_login(staff_zz)
    assert start(client, "nothing.here").status_code == 404
    assert client.get(reverse("notifications:job-start", args=["proposals.ledger"])).status_code == 405


def test_another_user_cannot_see_or_download_my_job(staff_client, client, staff_hy, flow):
    key = job_key(start(staff_client, "proposals.ledger"))
    client.force_login(staff_hy)
    for name in ("notifications:job", "notifications:job-progress", "notifications:job-download"):
        assert client.get(reverse(name, args=[key])).status_code == 404


def test_a_job_whose_record_is_gone_says_so_to_its_owner_and_stays_404_for_others(staff_client, client, staff_hy, flow):
    from django.core.cache import cache

    key = job_key(start(staff_client, "proposals.ledger"))
    cache.clear()  # a day later, or Redis restarted
    for name in ("notifications:job", "notifications:job-download"):
        response = staff_client.get(reverse(name, args=[key]))
        assert response.status_code == 410
        assert "这项后台任务的记录和文件只保留一天" in response.content.decode()
    client.force_login(staff_hy)  # no message links them to it: nothing to say
    assert client.get(reverse("notifications:job", args=[key])).status_code == 404
    assert staff_client.get(reverse("notifications:job", args=["0" * 32])).status_code == 404


def test_the_header_badge_answers_204_when_signed_out_and_does_not_keep_the_session_alive(client, staff_zz):
    assert client.get(reverse("notifications:badge")).status_code == 204
    client.force_login(staff_zz)
    two_minutes_ago = int(time.time()) - 120
    session = client.session
    session["last_activity"] = session["session_started"] = two_minutes_ago
    session.save()
    assert client.get(reverse("notifications:badge")).status_code == 200
    assert client.session["last_activity"] == two_minutes_ago
    client.get(reverse("notifications:inbox"))
    assert client.session["last_activity"] > two_minutes_ago


def test_job_files_older_than_a_day_are_purged_when_the_next_job_runs(staff_client, flow, settings):
    first = job_key(start(staff_client, "proposals.ledger"))
    path = progress.progress_get(first).file_path
    assert progress.jobs_purge_files(now=time.time() + 3600) == 0
    assert progress.jobs_purge_files(now=time.time() + progress.TIMEOUT + 60) == 1
    assert not (Path(settings.MEDIA_ROOT) / path).exists()
    assert staff_client.get(reverse("notifications:job-download", args=[first])).status_code == 404
