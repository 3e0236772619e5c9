"""The roster export streams as CSV (the benchmark's 100,000-row export) with a fixed number of queries."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import CongressFactory, MembershipFactory
from tests.security.helpers import password_just_entered

SIZES = [5, 200]


def download(client):
    response = client.get(reverse("deputies:roster_export") + "?format=csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return response, list(csv.reader(io.StringIO(body)))


@pytest.mark.django_db
@pytest.mark.parametrize("rows", SIZES)
def test_roster_csv_export_streams_every_row_with_a_fixed_number_of_queries(client, staff_zz, regions, rows):
    congress = CongressFactory(region=regions["zhuzhou"])
    MembershipFactory.create_batch(rows, congress=congress, deputy__mobile="13812345678")
    client.force_login(staff_zz)
    password_just_entered(client)  # exports of personal data ask for the password again (liaison.reauth)
    client.get(reverse("deputies:roster"))  # session bookkeeping happens once, outside the count

    with CaptureQueriesContext(connection) as queries:
        response, lines = download(client)

    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert lines[0][:2] == ["代表编号", "姓名"]
    assert len(lines) == rows + 1
    assert {line[lines[0].index("手机号")] for line in lines[1:]} == {"138****5678"}
    # session, user, count for the audit row, the audit insert, one chunk of seats, its professional groups
    assert len(queries) <= 7


@pytest.mark.django_db
def test_roster_csv_export_is_scoped_to_the_staff_region(client, staff_zz, regions):
    MembershipFactory.create_batch(3, congress=CongressFactory(region=regions["zhuzhou"]))
    MembershipFactory.create_batch(4, congress=CongressFactory(region=regions["hengyang"]))
    client.force_login(staff_zz)
    password_just_entered(client)  # exports of personal data ask for the password again (liaison.reauth)

    _response, lines = download(client)

    assert len(lines) == 1 + 3
