"""REAUTH_MAX_AGE (seconds) decides how long a re-typed password is good for, with the clock moved by time-machine."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

EXPORT = "deputies:roster_export"


def type_password(client, password):
    url = reverse(EXPORT)
    response = client.post(f"{reverse('reauth')}?next={url}", {"password": password})
    assert response.status_code == 302
    assert response["Location"] == url


@pytest.mark.parametrize("max_age", [60, 20 * 60])
def test_a_password_typed_longer_ago_than_reauth_max_age_is_asked_for_again(client, world, password, settings, max_age):
    settings.REAUTH_MAX_AGE = max_age
    client.force_login(world.users["staff"])
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        type_password(client, password)
        clock.move_to(start + datetime.timedelta(seconds=max_age - 1))
        assert client.get(reverse(EXPORT)).status_code == 200
        clock.move_to(start + datetime.timedelta(seconds=max_age + 1))
        response = client.get(reverse(EXPORT))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("reauth"))


def test_closing_a_vote_honours_reauth_max_age_too(client, world, password, settings):
    settings.REAUTH_MAX_AGE = 120
    vote = world["open_session"]
    client.force_login(world.users["staff"])
    detail = reverse("votes:session_detail", args=[vote.pk])
    close = reverse("votes:session_action", args=[vote.pk, "close"])
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        type_password(client, password)
        clock.move_to(start + datetime.timedelta(seconds=121))
        response = client.post(close, HTTP_REFERER=detail)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("reauth"))
        vote.refresh_from_db()
        assert vote.status == "open"
        type_password(client, password)
        clock.move_to(start + datetime.timedelta(seconds=121 + 119))
        client.post(close, HTTP_REFERER=detail)
    vote.refresh_from_db()
    assert vote.status == "closed"
