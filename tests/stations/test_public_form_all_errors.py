"""The citizen's opinion form shows every error at once, marks required fields and keeps what was typed."""

from django.urls import reverse


def test_every_error_shows_at_once_and_typed_values_stay(client, station_a, category):
    url = reverse("stations:opinion_station", args=[station_a.pk])
    response = client.post(url, {"category": "", "content": "短", "mobile": "123", "citizen_name": "王小明"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "请选择意见类别。" in body
    assert "请填写意见内容，至少 5 个字。" in body
    assert "请填写正确的 11 位手机号码。" in body
    assert 'value="王小明"' in body and 'value="123"' in body and ">\n短</textarea>" in body


def test_required_fields_carry_a_visible_marker_and_aria_required(client, station_a, category):
    body = client.get(reverse("stations:opinion_station", args=[station_a.pk])).content.decode()
    for name in ("category", "content", "mobile"):
        tag = body.split(f'name="{name}"', 1)[1].split(">", 1)[0]
        assert 'aria-required="true"' in tag, name
    assert body.count('class="required-mark"') == 3
    tag = body.split('name="citizen_name"', 1)[1].split(">", 1)[0]
    assert "aria-required" not in tag
