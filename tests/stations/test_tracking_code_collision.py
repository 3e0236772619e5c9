"""A new opinion whose random tracking code is already taken gets another one, not a 500."""

import pytest
from django.urls import reverse

from stations import services
from stations.models import Opinion

pytestmark = pytest.mark.django_db


def _post(client, station, category, content, mobile):
    data = {"category": category.pk, "content": content, "mobile": mobile, "citizen_name": "王阿姨", "website": ""}
    return client.post(reverse("stations:opinion_station", args=[station.pk]), data, REMOTE_ADDR="10.1.1.9")


def test_a_clashing_tracking_code_is_drawn_again(client, station_a, category, monkeypatch):
    assert _post(client, station_a, category, "小区门口路灯坏了三个月，晚上出行不便", "13812345678").status_code == 302
    taken = Opinion.objects.get().tracking_code
    real = services.new_tracking_code
    drawn = []

    def clash_twice():
        code = taken if len(drawn) < 2 else real()
        drawn.append(code)
        return code

    monkeypatch.setattr(services, "new_tracking_code", clash_twice)
    response = _post(client, station_a, category, "公园里的健身器材损坏，希望尽快维修", "13912345678")
    assert response.status_code == 302
    assert Opinion.objects.count() == 2
    fresh = Opinion.objects.exclude(tracking_code=taken).get()
    assert fresh.tracking_code == drawn[2]
    assert len(drawn) == 3
    assert fresh.tracking_code in client.get(response["Location"]).text


def test_a_code_that_keeps_clashing_gives_up_after_a_few_attempts(station_a, category, monkeypatch):
    first, *_rest = services.opinion_submit_public(
        station=station_a, category=category, content="小区门口路灯坏了三个月，晚上出行不便", mobile="13812345678"
    )
    drawn = []
    monkeypatch.setattr(services, "new_tracking_code", lambda: drawn.append(1) or first.tracking_code)
    with pytest.raises(services.IntegrityError):
        services.opinion_submit_public(
            station=station_a, category=category, content="公园里的健身器材损坏，希望尽快维修", mobile="13912345678"
        )
    assert len(drawn) == services.TRACKING_CODE_ATTEMPTS
    assert Opinion.objects.count() == 1
