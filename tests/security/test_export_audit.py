"""Every export of personal data writes exactly one audit row (issue 23), and a refused export writes none.

The exports, by route (the inventory is in CHANGELOG.md, issue 23):

- pages: the opinion CSV (stations:opinion_export), the roster .xlsx and CSV (deputies:roster_export), the points
  ranking (deputies:ranking_export), the proposal ledger (proposals:export), the joint-supervision ledger
  (proposals:supervision_export);
- admin: the opinion, station and roster exports of django-import-export (liaison.admin.AuditedExportMixin);
- background jobs: the roster and the proposal ledger (liaison.jobs), audited by their runners.

No API route exports a file; the API's lists are paginated reads like the pages' lists.
"""

import pytest
from django.urls import reverse

from liaison.models import AuditLog
from tests.security.helpers import password_just_entered

pytestmark = pytest.mark.django_db

EXPORT_ACTIONS = {
    "opinion.export",
    "station.export",
    "roster.export",
    "ranking.export",
    "proposal.export",
    "proposal.joint_supervision_export",
}

OPINION_FIELDS = [
    "tracking_code",
    "created_at",
    "source",
    "station",
    "deputy",
    "category",
    "content",
    "citizen_name",
    "mobile",
    "status",
    "outcome_note",
]
STATION_FIELDS = [
    "region",
    "name",
    "kind",
    "sector",
    "address",
    "latitude",
    "longitude",
    "opening_hours",
    "contact_name",
    "contact_phone",
]


def export_rows():
    return AuditLog.objects.filter(action__in=EXPORT_ACTIONS)


def only_row(action, actor, ip="127.0.0.1"):
    rows = list(export_rows())
    assert len(rows) == 1, [(r.action, r.actor_id) for r in rows]
    row = rows[0]
    assert (row.action, row.actor, row.result, row.ip_address) == (action, actor, "ok", ip)
    return row


def logged_in(client, user, *, password=True):
    client.force_login(user)
    if password:
        password_just_entered(client)
    return client


def page_routes(world):
    return {
        "opinion_csv": (reverse("stations:opinion_export"), "opinion.export"),
        "roster_xlsx": (reverse("deputies:roster_export"), "roster.export"),
        "roster_csv": (reverse("deputies:roster_export") + "?format=csv", "roster.export"),
        "ranking": (reverse("deputies:ranking_export", args=[world["congress"].pk]), "ranking.export"),
        "ledger": (reverse("proposals:export"), "proposal.export"),
        "supervision": (reverse("proposals:supervision_export"), "proposal.joint_supervision_export"),
    }


@pytest.mark.parametrize("route", ["opinion_csv", "roster_xlsx", "roster_csv", "ranking", "ledger", "supervision"])
def test_each_export_page_writes_exactly_one_audit_row(client, world, route):
    url, action = page_routes(world)[route]
    staff = world.users["staff"]
    response = logged_in(client, staff).get(url)
    assert response.status_code == 200
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)  # a streamed export is audited once, before the first row
    row = only_row(action, staff)
    assert row.data["rows"] >= 1


def test_the_opinion_csv_records_its_row_count_and_filters_but_never_the_search_term(client, world):
    staff = world.users["staff"]
    mobile, status = "13812345678", world["opinion"].status
    response = logged_in(client, staff).get(reverse("stations:opinion_export"), {"status": status, "q": mobile})
    assert response.status_code == 200
    row = only_row("opinion.export", staff)
    assert row.data["format"] == "csv"
    assert row.data["filters"]["status"] == status
    assert row.data["search"] is True
    assert mobile not in str(row.data)
    assert row.data["rows"] == response.content.decode("utf-8-sig").strip().count("\n")  # one line per opinion


def test_another_regions_opinion_csv_is_audited_with_its_own_zero_rows(client, world):
    other = world.users["other_staff"]
    response = logged_in(client, other).get(reverse("stations:opinion_export"))
    assert response.status_code == 200
    assert world["opinion"].tracking_code not in response.content.decode("utf-8-sig")
    assert only_row("opinion.export", other).data["rows"] == 0


@pytest.mark.parametrize("route", ["opinion_csv", "roster_xlsx", "ledger"])
def test_an_export_refused_for_want_of_the_password_writes_no_export_row(client, world, route):
    url, _action = page_routes(world)[route]
    response = logged_in(client, world.users["staff"], password=False).get(url)
    assert response.status_code == 302
    assert not export_rows().exists()


@pytest.mark.parametrize("route", ["opinion_csv", "roster_xlsx", "ranking", "ledger", "supervision"])
def test_an_anonymous_export_writes_no_export_row(client, world, route):
    url, _action = page_routes(world)[route]
    assert client.get(url).status_code == 302
    assert not export_rows().exists()


@pytest.mark.parametrize("route", ["roster_xlsx", "roster_csv", "ranking", "ledger", "supervision"])
def test_an_export_refused_to_a_deputy_writes_no_export_row(client, world, route):
    url, _action = page_routes(world)[route]
    assert logged_in(client, world.users["deputy"]).get(url).status_code in (403, 404)
    assert not export_rows().exists()


def test_another_regions_ranking_is_refused_and_writes_no_export_row(client, world):
    url, _action = page_routes(world)["ranking"]
    assert logged_in(client, world.users["other_staff"]).get(url).status_code == 404
    assert not export_rows().exists()


def admin_export(client, model_path, resource, fields, query=""):
    data = {"format": "0", "resource": "0", **{f"{resource}_{name}": "on" for name in fields}}
    return client.post(f"/admin/{model_path}/export/{query}", data)


ADMIN_EXPORTS = {
    "opinion": ("stations/opinion", "opinionresource", OPINION_FIELDS, "opinion.export", "stations.opinion"),
    "station": ("stations/station", "stationresource", STATION_FIELDS, "station.export", "stations.station"),
}


@pytest.mark.parametrize("name", ["opinion", "station"])
def test_each_admin_export_writes_exactly_one_audit_row(client, world, name):
    path, resource, fields, action, object_type = ADMIN_EXPORTS[name]
    staff = world.users["staff"]
    response = admin_export(logged_in(client, staff), path, resource, fields)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    row = only_row(action, staff)
    assert (row.object_type, row.data["admin"], row.data["rows"]) == (object_type, True, 1)


def test_the_admin_roster_export_writes_exactly_one_audit_row_with_its_count(client, world):
    from tests.deputies.test_roster_admin_and_export import ALL_EXPORT_FIELDS

    staff = world.users["staff"]
    client = logged_in(client, staff)
    response = client.post("/admin/deputies/membership/export/", {"format": "0", "resource": "0", **ALL_EXPORT_FIELDS})
    assert response.status_code == 200
    row = only_row("roster.export", staff)
    assert row.data["admin"] is True and row.data["rows"] >= 1


def test_the_admin_opinion_export_records_filters_but_never_the_search_term(client, world):
    path, resource, fields, action, _type = ADMIN_EXPORTS["opinion"]
    staff = world.users["staff"]
    mobile, status = "13812345678", world["opinion"].status
    response = admin_export(logged_in(client, staff), path, resource, fields, f"?status__exact={status}&q={mobile}")
    assert response.status_code == 200
    row = only_row(action, staff)
    assert row.data["filters"] == {"status__exact": status}
    assert row.data["rows"] == 1  # the whole mobile finds the citizen's opinion (MobileSearchMixin)
    assert row.data["search"] is True
    assert mobile not in str(row.data)


def test_another_regions_admin_opinion_export_is_audited_with_its_own_zero_rows(client, world):
    path, resource, fields, action, _type = ADMIN_EXPORTS["opinion"]
    other = world.users["other_staff"]
    response = admin_export(logged_in(client, other), path, resource, fields)
    assert response.status_code == 200
    assert world["opinion"].tracking_code not in response.content.decode("utf-8", "replace")
    assert only_row(action, other).data["rows"] == 0


@pytest.mark.parametrize("name", ["opinion", "station"])
def test_an_admin_export_refused_to_a_non_staff_user_writes_no_export_row(client, world, name):
    path, resource, fields, _action, _type = ADMIN_EXPORTS[name]
    response = admin_export(logged_in(client, world.users["deputy"]), path, resource, fields)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert not export_rows().exists()


@pytest.mark.parametrize(
    ("kind", "action"), [("deputies.roster", "roster.export"), ("proposals.ledger", "proposal.export")]
)
def test_each_background_export_writes_exactly_one_audit_row(client, world, settings, tmp_path, kind, action):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.MEDIA_ROOT = str(tmp_path / "media")
    staff = world.users["staff"]
    response = logged_in(client, staff).post(reverse("notifications:job-start", args=[kind]), {"query": ""})
    assert response.status_code == 302
    key = response["Location"].rstrip("/").split("/")[-1]
    download = client.get(reverse("notifications:job-download", args=[key]))
    assert download.status_code == 200
    b"".join(download.streaming_content)
    row = only_row(action, staff, ip=None)  # written by the worker, which has no request
    assert row.data["background"] is True


@pytest.mark.parametrize("kind", ["deputies.roster", "proposals.ledger"])
def test_a_background_export_refused_to_a_deputy_writes_no_export_row(client, world, settings, tmp_path, kind):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.MEDIA_ROOT = str(tmp_path / "media")
    response = logged_in(client, world.users["deputy"]).post(
        reverse("notifications:job-start", args=[kind]), {"query": ""}
    )
    assert response.status_code in (403, 404)
    assert not export_rows().exists()
