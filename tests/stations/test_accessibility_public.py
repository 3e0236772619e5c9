"""axe-core on the citizens' pages, at a phone's width: the station directory, a station, the QR form, tracking."""

import pytest

from stations import services
from tests.e2e.a11y import assert_accessible
from tests.stations.conftest import CITIZEN_MOBILE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_public_station_directory_and_station_page_have_no_serious_violations(
    phone_page, live_server, station_a, deputy
):
    phone_page.goto(f"{live_server.url}/stations/directory/")
    assert "嵩山路街道代表联络站" in phone_page.content()
    assert_accessible(phone_page)
    phone_page.goto(f"{live_server.url}/stations/s/{station_a.pk}/")
    assert phone_page.locator("h1").inner_text() == "嵩山路街道代表联络站"
    assert_accessible(phone_page)


def test_qr_opinion_form_with_errors_has_no_serious_violations(phone_page, live_server, station_a, category):
    phone_page.goto(f"{live_server.url}/stations/s/{station_a.pk}/opinion/")
    assert_accessible(phone_page)
    with phone_page.expect_navigation():
        phone_page.click("form button[type=submit]")
    assert phone_page.locator(".invalid-feedback, .alert-danger").count() >= 1
    assert_accessible(phone_page)


def test_tracking_page_has_no_serious_violations(phone_page, live_server, station_a, category):
    opinion, _created = services.opinion_submit_public(
        station=station_a, category=category, content="小区路灯坏了三个月，晚上出行不安全。", mobile=CITIZEN_MOBILE
    )
    phone_page.goto(f"{live_server.url}/stations/track/")
    assert_accessible(phone_page)
    phone_page.fill("input[name=code]", opinion.tracking_code)
    phone_page.fill("input[name=last_four]", CITIZEN_MOBILE[-4:])
    with phone_page.expect_navigation():
        phone_page.click("form button[type=submit]")
    assert opinion.tracking_code in phone_page.content()
    assert_accessible(phone_page)
