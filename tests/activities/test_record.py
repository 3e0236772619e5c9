"""After the activity: minutes, photos and files (checked by content), and the outcomes with the proposals they became."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from activities import services
from activities.models import Activity, ActivityFile, Outcome
from liaison.errors import ApplicationError
from tests.factories import DeputyFactory
from tests.proposals.factories import ProposalFactory

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EXE = b"MZ\x90\x00" + b"\x00" * 64


@pytest.fixture
def held(staff_zz, activity):
    Activity.objects.filter(pk=activity.pk).update(starts_at=timezone.now() - datetime.timedelta(minutes=30))
    activity.refresh_from_db()
    return services.activity_mark_held(actor=staff_zz, activity=activity)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_minutes_are_refused_before_the_activity_is_held_and_recorded_after(staff_zz, activity):
    with pytest.raises(ApplicationError) as refused:
        services.activity_minutes_record(actor=staff_zz, activity=activity, minutes="会议纪要")
    assert (refused.value.code, refused.value.status_code) == ("activity_not_held", 409)
    Activity.objects.filter(pk=activity.pk).update(starts_at=timezone.now() - datetime.timedelta(minutes=30))
    services.activity_mark_held(actor=staff_zz, activity=activity)
    services.activity_minutes_record(actor=staff_zz, activity=activity, minutes="一、听取汇报；二、形成意见 3 条。")
    activity.refresh_from_db()
    assert activity.minutes == "一、听取汇报；二、形成意见 3 条。"
    assert activity.minutes_recorded_at is not None


def test_a_file_that_is_not_what_its_name_says_is_refused_and_a_photo_is_kept(client, staff_zz, staff_hy, held):
    with pytest.raises(ApplicationError) as refused:
        services.activity_file_add(actor=staff_zz, activity=held, file=SimpleUploadedFile("现场照片.png", EXE))
    assert refused.value.code == "upload_content_mismatch"
    assert list(refused.value.extra["fields"]) == ["file"]
    assert not ActivityFile.objects.exists()
    photo = services.activity_file_add(
        actor=staff_zz, activity=held, file=SimpleUploadedFile("现场照片.png", PNG), title="实地察看"
    )
    client.force_login(staff_zz)
    download = client.get(f"/activities/files/{photo.pk}/")
    assert (download.status_code, b"".join(download.streaming_content)) == (200, PNG)
    client.force_login(staff_hy)
    assert client.get(f"/activities/files/{photo.pk}/").status_code == 404


def test_the_upload_page_refuses_a_disguised_program_with_the_reason(client, staff_zz, held):
    client.force_login(staff_zz)
    response = client.post(
        f"/activities/{held.pk}/files/", {"file": SimpleUploadedFile("签到表.pdf", EXE)}, follow=True
    )
    assert "“签到表.pdf”的内容与文件类型不符" in response.content.decode()
    assert not ActivityFile.objects.exists()


def test_an_outcome_links_a_proposal_of_the_same_congress_only(staff_zz, held, congress, other_congress):
    own = ProposalFactory(congress=congress, lead_deputy=DeputyFactory())
    outcome = services.activity_outcome_add(
        actor=staff_zz, activity=held, kind=Outcome.Kind.OPINION, title="老旧小区加装电梯", proposal=own
    )
    assert (outcome.proposal, outcome.recorded_by) == (own, staff_zz)
    foreign = ProposalFactory(congress=other_congress, lead_deputy=DeputyFactory())
    with pytest.raises(ApplicationError) as refused:
        services.activity_outcome_add(
            actor=staff_zz, activity=held, kind=Outcome.Kind.REPORT, title="调研报告", proposal=foreign
        )
    assert refused.value.code == "proposal_other_congress"
    assert list(refused.value.extra["fields"]) == ["proposal"]
    assert Outcome.objects.count() == 1


def test_the_outcome_form_refuses_a_proposal_outside_the_staffs_scope(client, staff_zz, held, other_congress):
    foreign = ProposalFactory(congress=other_congress, lead_deputy=DeputyFactory())
    client.force_login(staff_zz)
    response = client.post(
        f"/activities/{held.pk}/outcomes/",
        {"kind": "opinion", "title": "意见", "proposal": foreign.pk},
        follow=True,
    )
    assert "“转为建议”：所选记录不存在或不在可选范围内。" in response.content.decode()
    assert not Outcome.objects.exists()
    client.post(f"/activities/{held.pk}/outcomes/", {"kind": "report", "title": "关于农村饮水安全的调研报告"})
    assert Outcome.objects.get().title == "关于农村饮水安全的调研报告"


def test_staff_of_another_region_cannot_record_minutes_files_or_outcomes(client, staff_hy, held):
    client.force_login(staff_hy)
    assert client.post(f"/activities/{held.pk}/minutes/", {"minutes": "x"}).status_code == 404
    assert client.post(f"/activities/{held.pk}/files/", {"file": SimpleUploadedFile("a.png", PNG)}).status_code == 404
    assert client.post(f"/activities/{held.pk}/outcomes/", {"kind": "opinion", "title": "x"}).status_code == 404
    with pytest.raises(ApplicationError) as refused:
        services.activity_minutes_record(actor=staff_hy, activity=held, minutes="x")
    assert refused.value.status_code == 404
    held.refresh_from_db()
    assert held.minutes == ""


def test_the_detail_page_of_a_held_activity_shows_the_record_forms(client, staff_zz, held):
    services.activity_minutes_record(actor=staff_zz, activity=held, minutes="形成意见建议 5 条")
    client.force_login(staff_zz)
    page = client.get(f"/activities/{held.pk}/").content.decode()
    assert 'data-testid="record"' in page
    assert "形成意见建议 5 条" in page
