"""An expected refusal (403) or miss (404) is one log line without a traceback; /favicon.ico is served."""

import logging

from django.contrib.staticfiles import finders

from tests.factories import UserFactory


def test_a_403_is_logged_once_without_a_traceback(client, regions, caplog):
    client.force_login(UserFactory(username="unit_x", role="unit", is_staff=True))
    with caplog.at_level(logging.INFO):
        assert client.get("/admin/hotline/apiclient/").status_code == 403
    refusals = [r for r in caplog.records if r.name == "django.request"]
    assert len(refusals) == 1
    assert refusals[0].exc_info is None
    assert "Traceback" not in caplog.text


def test_a_404_is_logged_without_a_traceback(client, staff_zz, caplog):
    client.force_login(staff_zz)
    with caplog.at_level(logging.INFO):
        assert client.get("/proposals/999999/").status_code == 404
    assert "Traceback" not in caplog.text


def test_favicon_ico_leads_to_a_vendored_static_icon(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith(".ico")
    assert finders.find("img/favicon.ico") is not None
    body = client.get("/public/").content.decode()
    assert 'rel="icon"' in body
