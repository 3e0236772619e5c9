"""The citizen's QR page: validation with Chinese messages and the input kept, abuse controls, tracking lookup."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from stations.models import Opinion, OpinionPhoto
from tests.stations.conftest import CITIZEN_MOBILE

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _post(client, station, cat, ip="10.1.1.1", **overrides):
    data = {
        "category": cat.pk,
        "content": "小区门口路灯坏了三个月，晚上出行不便",
        "mobile": CITIZEN_MOBILE,
        "citizen_name": "王阿姨",
        "website": "",
    }
    data.update(overrides)
    return client.post(reverse("stations:opinion_station", args=[station.pk]), data, REMOTE_ADDR=ip)


def test_qr_page_opens_without_login(client, station_a, category):
    response = client.get(reverse("stations:opinion_station", args=[station_a.pk]))
    assert response.status_code == 200
    assert "嵩山路街道代表联络站" in response.text
    assert "道路交通" in response.text


def test_citizen_submits_and_sees_a_tracking_code_at_once(client, station_a, category):
    response = _post(client, station_a, category)
    assert response.status_code == 302
    assert response["Location"] == reverse("stations:opinion_thanks")
    opinion = Opinion.objects.get()
    assert opinion.source == Opinion.Source.QR
    assert opinion.station == station_a
    assert opinion.region == station_a.region
    assert len(opinion.tracking_code) == 12
    assert not set(opinion.tracking_code) & set("01OIL")
    page = client.get(response["Location"])
    assert opinion.tracking_code in page.text


def test_citizen_can_address_a_deputy_through_the_deputy_code(client, deputy, category):
    response = client.post(
        reverse("stations:opinion_deputy", args=[deputy.pk]),
        {"category": category.pk, "content": "希望代表关注学校周边交通", "mobile": CITIZEN_MOBILE},
        REMOTE_ADDR="10.1.1.2",
    )
    assert response.status_code == 302
    opinion = Opinion.objects.get()
    assert opinion.deputy == deputy
    assert opinion.station is None
    assert opinion.region.name == "天元区"


def test_bad_mobile_number_is_refused_in_chinese_and_input_kept(client, station_a, category):
    response = _post(client, station_a, category, mobile="1381234")
    assert response.status_code == 400
    assert "请填写正确的 11 位手机号码。" in response.text
    assert "小区门口路灯坏了三个月，晚上出行不便" in response.text
    assert 'value="1381234"' in response.text
    assert 'value="王阿姨"' in response.text
    assert Opinion.objects.count() == 0


def test_too_long_content_is_refused(client, station_a, category):
    response = _post(client, station_a, category, content="路" * 2001)
    assert response.status_code == 400
    assert "意见内容不能超过 2000 个字。" in response.text
    assert Opinion.objects.count() == 0


def test_empty_content_and_missing_category_are_refused(client, station_a, category):
    response = _post(client, station_a, category, category="")
    assert response.status_code == 400
    assert "请选择意见类别。" in response.text
    response = _post(client, station_a, category, content=" ")
    assert response.status_code == 400
    assert "请填写意见内容，至少 5 个字。" in response.text
    assert Opinion.objects.count() == 0


def test_wrong_file_type_is_refused(client, station_a, category):
    fake = SimpleUploadedFile("photo.png", b"MZ\x90\x00 not an image", content_type="image/png")
    response = _post(client, station_a, category, photos=[fake])
    assert response.status_code == 400
    assert "“photo.png”的内容与文件类型不符（可能是伪装的程序或网页），已拒绝。" in response.text
    assert Opinion.objects.count() == 0


def test_oversized_photo_is_refused(client, station_a, category):
    big = SimpleUploadedFile("big.png", PNG + b"\x00" * (5 * 1024 * 1024), content_type="image/png")
    response = _post(client, station_a, category, photos=[big])
    assert response.status_code == 400
    assert "“big.png”超过 5MB。" in response.text


def test_a_real_photo_is_stored_with_its_checked_type(client, station_a, category, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    photo = SimpleUploadedFile("road.png", PNG, content_type="application/octet-stream")
    response = _post(client, station_a, category, photos=[photo])
    assert response.status_code == 302
    stored = OpinionPhoto.objects.get()
    assert stored.content_type == "image/png"
    assert stored.size == len(PNG)


def test_honeypot_filled_by_a_bot_stores_nothing(client, station_a, category):
    response = _post(client, station_a, category, website="http://spam.example")
    assert response.status_code == 400
    assert "提交失败，请稍后再试。" in response.text
    assert Opinion.objects.count() == 0


def _thanks_code(client):
    page = client.get(reverse("stations:opinion_thanks"))
    assert page.status_code == 200
    return page.text.split('data-testid="tracking-code">', 1)[1].split("<", 1)[0]


def test_the_same_text_twice_within_a_minute_is_stored_once(client, station_a, category):
    first = _post(client, station_a, category)
    code = _thanks_code(client)
    second = _post(client, station_a, category)
    assert first.status_code == second.status_code == 302
    assert Opinion.objects.count() == 1
    assert _thanks_code(client) == code == Opinion.objects.get().tracking_code


def test_the_thanks_page_reads_a_signed_cookie_and_writes_no_session(client, station_a, category):
    from django.contrib.sessions.models import Session

    response = _post(client, station_a, category)
    cookie = response.cookies["opinion_code"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert cookie["path"] == reverse("stations:opinion_thanks")
    assert Session.objects.count() == 0 and "sessionid" not in response.cookies
    assert _thanks_code(client) == Opinion.objects.get().tracking_code
    client.cookies["opinion_code"] = "ABCDEFGHJKMN"  # forged: not signed
    assert client.get(reverse("stations:opinion_thanks"))["Location"] == reverse("stations:track")


def test_the_same_text_after_a_minute_is_a_new_opinion(client, station_a, category):
    import time_machine
    from django.utils import timezone

    _post(client, station_a, category)
    from django.core.cache import cache

    cache.clear()
    with time_machine.travel(timezone.now() + timezone.timedelta(seconds=61)):
        _post(client, station_a, category)
    assert Opinion.objects.count() == 2


def test_a_flood_from_one_ip_is_stopped(client, station_a, category, settings):
    settings.OPINION_RATE_LIMIT_IP = (3, 3600)
    for n in range(3):
        assert (
            _post(client, station_a, category, mobile=f"1390000000{n}", content=f"第{n}条意见内容").status_code == 302
        )
    response = _post(client, station_a, category, mobile="13900000009", content="第四条意见内容")
    assert response.status_code == 429
    assert "提交过于频繁，请一小时后再试。" in response.text
    assert Opinion.objects.count() == 3
    assert _post(client, station_a, category, ip="10.9.9.9", content="另一位群众的意见").status_code == 302


def test_a_flood_from_one_number_is_stopped_across_addresses(client, station_a, category, settings):
    settings.OPINION_RATE_LIMIT_MOBILE = (2, 3600)
    for n in range(2):
        assert _post(client, station_a, category, ip=f"10.2.0.{n}", content=f"第{n}条意见内容").status_code == 302
    response = _post(client, station_a, category, ip="10.2.0.9", content="第三条意见内容")
    assert response.status_code == 429
    assert Opinion.objects.count() == 2


def test_inactive_station_has_no_qr_page(client, station_a):
    station_a.is_active = False
    station_a.save()
    assert client.get(reverse("stations:opinion_station", args=[station_a.pk])).status_code == 404


# ---------------------------------------------------------------- tracking


@pytest.fixture
def submitted(client, station_a, category):
    _post(client, station_a, category)
    return Opinion.objects.get()


def test_tracking_with_code_and_last_four_digits_shows_the_opinion(client, submitted):
    response = client.post(reverse("stations:track"), {"code": submitted.tracking_code.lower(), "last_four": "5678"})
    assert response.status_code == 200
    assert "您的意见已收到，正在等待处理。" in response.text
    assert "小区门口路灯坏了三个月" in response.text
    assert CITIZEN_MOBILE not in response.text


def test_tracking_with_wrong_digits_answers_not_found(client, submitted):
    wrong = client.post(reverse("stations:track"), {"code": submitted.tracking_code, "last_four": "1234"})
    unknown = client.post(reverse("stations:track"), {"code": "ABCDEFGHJKMN", "last_four": "5678"})
    for response in (wrong, unknown):
        assert response.status_code == 404
        assert "未找到该意见，请核对查询码和手机号后四位。" in response.text
        assert "小区门口路灯" not in response.text


def test_tracking_with_the_code_alone_is_refused(client, submitted):
    response = client.post(reverse("stations:track"), {"code": submitted.tracking_code, "last_four": ""})
    assert response.status_code == 200
    assert "请填写手机号后四位。" in response.text
    assert "小区门口路灯" not in response.text
    assert "小区门口路灯" not in client.get(reverse("stations:track"), {"code": submitted.tracking_code}).text


def test_guessing_the_four_digits_is_rate_limited(client, submitted):
    for n in range(10):
        client.post(reverse("stations:track"), {"code": submitted.tracking_code, "last_four": f"{n:04d}"})
    response = client.post(reverse("stations:track"), {"code": submitted.tracking_code, "last_four": "5678"})
    assert response.status_code == 429
    assert "查询过于频繁，请稍后再试。" in response.text


def test_tracking_page_shows_the_outcome_after_triage(client, submitted, manager_a):
    from stations import services

    services.opinion_mark_unfeasible(actor=manager_a, opinion=submitted, reason="该路段不属于本街道管辖")
    response = client.post(reverse("stations:track"), {"code": submitted.tracking_code, "last_four": "5678"})
    assert "无法落实" in response.text
    assert "该路段不属于本街道管辖" in response.text
