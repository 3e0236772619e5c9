"""Uploads are checked by content (liaison.uploads), not by name or Content-Type: a .pdf that is really a program,
a web page or an SVG with a script is refused with a Chinese message — 400 from the API, a form error on pages."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from deputies.models import DutyRecord
from liaison.errors import ApplicationError
from liaison.uploads import DOCUMENTS, PHOTOS, check_upload
from proposals.models import Attachment
from stations.models import Opinion

PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
MISMATCH = "“%s”的内容与文件类型不符（可能是伪装的程序或网页），已拒绝。"


def ooxml(folder):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{folder}/document.xml", "<document/>")
    return buffer.getvalue()


def plain_zip():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.exe", EXE)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "detected"),
    [
        ("建议.pdf", PDF, "application/pdf"),
        ("照片.JPG", JPEG, "image/jpeg"),
        ("照片.png", PNG, "image/png"),
        ("答复.docx", ooxml("word"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("台账.xlsx", ooxml("xl"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("旧文档.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "application/msword"),
        ("说明.txt", "群众反映路灯不亮，已协调处理。".encode(), "text/plain"),
        ("说明.txt", "群众反映路灯不亮".encode("gb18030"), "text/plain"),
    ],
)
def test_real_documents_pass_and_their_type_comes_from_the_content(name, content, detected):
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    assert check_upload(upload, kinds=DOCUMENTS, max_bytes=10 * 1024 * 1024) == detected
    assert upload.read() == content  # left at the start for whoever saves it


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("建议.pdf", EXE),
        ("建议.pdf", HTML),
        ("建议.pdf", SVG),
        ("照片.jpg", SVG),
        ("照片.png", b"GIF89a" + b"\x00" * 16),
        ("答复.docx", plain_zip()),
        ("台账.xlsx", ooxml("word")),
        ("说明.txt", HTML),
        ("说明.txt", b"  \n<svg onload=alert(1)>"),
        ("说明.txt", b"#!/bin/sh\nrm -rf /\n"),
        ("说明.txt", EXE),
        ("说明.txt", b"\x00\x01\x02binary"),
    ],
)
def test_disguised_files_are_refused_by_content_whatever_their_name(name, content):
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    with pytest.raises(ApplicationError) as refused:
        check_upload(upload, kinds=DOCUMENTS, max_bytes=10 * 1024 * 1024, field="file")
    assert refused.value.status_code == 400
    assert refused.value.code == "upload_content_mismatch"
    assert refused.value.message == MISMATCH % name
    assert refused.value.extra == {"fields": {"file": [MISMATCH % name]}}


@pytest.mark.parametrize("name", ["页面.html", "图.svg", "程序.exe", "脚本.js", "无扩展名"])
def test_extensions_outside_the_list_are_refused(name):
    with pytest.raises(ApplicationError) as refused:
        check_upload(SimpleUploadedFile(name, PDF), kinds=DOCUMENTS, max_bytes=1024)
    assert refused.value.code == "upload_type_not_allowed"
    assert refused.value.message == (f"“{name}”的文件类型不允许，只能上传 PDF、Word、Excel、WPS、JPG、PNG、文本 文件。")


def test_photos_without_an_extension_are_judged_by_content_alone():
    assert check_upload(SimpleUploadedFile("image", JPEG), kinds=PHOTOS, max_bytes=1024, extension_required=False)
    with pytest.raises(ApplicationError) as refused:
        check_upload(SimpleUploadedFile("image", SVG), kinds=PHOTOS, max_bytes=1024, extension_required=False)
    assert refused.value.code == "upload_content_mismatch"


def test_the_size_cap_still_holds():
    with pytest.raises(ApplicationError) as refused:
        check_upload(SimpleUploadedFile("大.pdf", PDF + b"0" * 2**20), kinds=DOCUMENTS, max_bytes=2**20)
    assert refused.value.code == "upload_too_large"
    assert refused.value.message == "“大.pdf”超过 1 MB。"


# --- every upload door uses it ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_duty_record_api_refuses_a_pdf_that_is_a_program_with_400(client, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(world.users["staff"])
    data = {
        "membership": world["membership"].pk,
        "kind": "inspection",
        "occurred_on": "2024-05-10",
        "attachment": SimpleUploadedFile("签到表.pdf", EXE, content_type="application/pdf"),
    }
    response = client.post("/api/v1/duty-records/", data)
    assert response.status_code == 400
    assert response.json() == {
        "code": "upload_content_mismatch",
        "message": MISMATCH % "签到表.pdf",
        "fields": {"attachment": [MISMATCH % "签到表.pdf"]},
    }
    before = DutyRecord.objects.count()
    data["attachment"] = SimpleUploadedFile("签到表.pdf", PDF, content_type="application/pdf")
    assert client.post("/api/v1/duty-records/", data).status_code == 201
    assert DutyRecord.objects.count() == before + 1


@pytest.mark.django_db
def test_duty_record_page_shows_the_refusal_beside_the_field(client, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(world.users["staff"])
    response = client.post(
        reverse("deputies:duty_record_new"),
        {
            "congress": world["congress"].pk,
            "deputy_code": world["deputy"].code,
            "kind": "inspection",
            "occurred_on": "2024-05-10",
            "attachment": SimpleUploadedFile("照片.jpg", HTML, content_type="image/jpeg"),
        },
    )
    assert response.status_code == 200
    assert MISMATCH % "照片.jpg" in response.text
    assert "invalid-feedback" in response.text


@pytest.mark.django_db
def test_proposal_attachment_page_refuses_an_svg_with_a_script(client, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(world.users["deputy"])
    url = reverse("proposals:act", args=[world["draft"].pk, "attach"])
    response = client.post(url, {"file": SimpleUploadedFile("附件.pdf", SVG)}, follow=True)
    assert response.status_code == 200
    assert MISMATCH % "附件.pdf" in response.text
    assert not Attachment.objects.filter(proposal=world["draft"]).exists()
    client.post(url, {"file": SimpleUploadedFile("附件.pdf", PDF)})
    assert Attachment.objects.filter(proposal=world["draft"]).count() == 1


@pytest.mark.django_db
def test_the_qr_form_refuses_a_photo_that_is_a_web_page_with_400(client, world):
    before = Opinion.objects.count()
    response = client.post(
        reverse("stations:opinion_station", args=[world["station"].pk]),
        {
            "category": world["category"].pk,
            "content": "小区门口路灯坏了三个月，晚上出行不便",
            "mobile": "13912345678",
            "website": "",
            "photos": [SimpleUploadedFile("现场.png", HTML, content_type="image/png")],
        },
        REMOTE_ADDR="10.9.9.9",
    )
    assert response.status_code == 400
    assert MISMATCH % "现场.png" in response.text
    assert Opinion.objects.count() == before


@pytest.mark.django_db
def test_vote_progress_photos_are_sniffed(world):
    from votes import services

    with pytest.raises(ApplicationError) as refused:
        services.progress_report_add(
            actor=None,
            project=world["project"],
            text="已开工",
            percent=10,
            photos=[SimpleUploadedFile("进展.jpg", SVG, content_type="image/jpeg")],
        )
    assert refused.value.code == "upload_content_mismatch"


@pytest.mark.parametrize(
    ("model", "field", "good", "bad"),
    [
        ("proposals.Attachment", "file", ("建议.pdf", PDF), ("建议.pdf", EXE)),
        ("deputies.DutyRecord", "attachment", ("照片.png", PNG), ("照片.png", HTML)),
        ("stations.OpinionPhoto", "image", ("image", JPEG), ("image", SVG)),
        ("votes.ProgressPhoto", "image", ("现场.jpg", JPEG), ("现场.jpg", EXE)),
    ],
)
def test_the_model_fields_check_content_too_so_admin_forms_refuse_disguised_files(model, field, good, bad):
    """The admin's forms (and anything calling ``full_clean``) reach the FileField without the services: the
    field's own validator applies the same check."""
    from django.apps import apps
    from django.forms import modelform_factory

    form_class = modelform_factory(apps.get_model(model), fields=[field])
    refused = form_class(data={}, files={field: SimpleUploadedFile(bad[0], bad[1])})
    assert not refused.is_valid()
    assert refused.errors[field] == [MISMATCH % bad[0]]
    accepted = form_class(data={}, files={field: SimpleUploadedFile(good[0], good[1])})
    assert accepted.is_valid() or field not in accepted.errors, accepted.errors


@pytest.mark.django_db
def test_a_stored_file_is_not_read_again_when_its_record_is_edited(regions, settings, tmp_path):
    from django.forms import modelform_factory

    from tests.factories import DutyRecordFactory

    settings.MEDIA_ROOT = str(tmp_path)
    record = DutyRecordFactory()
    record.attachment.save("old.pdf", SimpleUploadedFile("old.pdf", PDF), save=True)
    (tmp_path / record.attachment.name).write_bytes(EXE)  # whatever it holds now, it was checked when it came
    form = modelform_factory(DutyRecord, fields=["attachment", "place"])(data={"place": "县人大"}, instance=record)
    assert form.is_valid(), form.errors
