"""No log line anywhere contains a whole mobile number: a representative flow runs with every logger at DEBUG and
every captured record (message and arguments, formatted) is scanned for 1[3-9]\\d{9}."""

import logging
import re

import pytest
from django.urls import reverse

from liaison.sms import send_sms
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

WHOLE_MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def test_no_log_record_of_a_representative_flow_holds_a_whole_mobile(client, world, caplog, password, settings):
    caplog.set_level(logging.DEBUG)
    UserFactory(username="li", mobile="13912345678", region=world["region"])
    # log in by mobile, wrong then right
    client.post(reverse("login"), {"username": "13912345678", "password": "wrong"})
    client.post(reverse("login"), {"username": "13912345678", "password": password})
    client.logout()
    # a citizen's opinion from the QR form, and its triage with the SMS to the citizen
    client.post(
        reverse("stations:opinion_station", args=[world["station"].pk]),
        {"category": world["category"].pk, "content": "菜市场门口积水严重，请尽快处理。", "mobile": "13698765432"},
    )
    from stations import services as station_services

    station_services.triage_opinion(
        actor=world.users["staff"], opinion=world["opinion"], outcome="handled", note="已安排疏通"
    )
    send_sms("13512345678", "您的意见已办理。", idempotency_key="log-scan")
    # staff look at the whole number (audited), and the API list
    client.force_login(world.users["staff"])
    client.post(reverse("stations:opinion_call_back", args=[world["opinion"].pk]))
    client.get("/api/v1/opinions/")
    leaks = []
    for record in caplog.records:
        text = f"{record.name} {record.getMessage()} {record.args!r}"
        if WHOLE_MOBILE.search(text):
            leaks.append(text[:300])
    assert len(caplog.records) > 0
    assert leaks == []
