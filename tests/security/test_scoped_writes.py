"""Writes cannot reference records outside the caller's scope (issue 18).

Every id a write receives is resolved through ``liaison.scoped`` with the app's rule (``*/rules.py``): an id of
another region or another congress is a 400 naming the field, and nothing is written."""

import pytest
from django.urls import reverse

from deputies.models import DutyRecord, Membership
from proposals.models import CoSigner, Proposal
from stations.models import ReceptionDay
from tests.proposals.factories import ProposalFactory
from tests.stations.factories import StationFactory
from tests.votes.factories import deputy_user, make_congress

pytestmark = pytest.mark.django_db


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


@pytest.fixture
def hy_deputy(world):
    """A deputy of 衡阳's congress: another region, another congress."""
    return Membership.objects.filter(congress=world["hy_congress"]).order_by("pk").first().deputy


@pytest.fixture
def zz_deputy_not_assigned(world):
    """A 株洲 deputy of the same congress who is not assigned to the world's station."""
    return world["other_deputy"]


def assert_out_of_scope(response, field, label):
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid"
    message = body["fields"][field][0]
    assert label in message and "不存在或不在可选范围内" in message


@pytest.mark.parametrize("role", ["manager", "staff"])
def test_reception_log_refuses_a_deputy_of_another_region(client, world, hy_deputy, role):
    client.force_login(world.users[role])
    day = world["reception_day"]
    records = DutyRecord.objects.count()
    body = {"deputies_present": [hy_deputy.pk], "citizens_received": 3, "opinions_taken": 1}
    response = post(client, f"/api/v1/reception-days/{day.pk}/log/", body)
    assert_out_of_scope(response, "deputies_present", "到场代表")
    assert DutyRecord.objects.count() == records
    assert not day.deputies_present.exists()
    day.refresh_from_db()
    assert day.citizens_received != 3


def test_reception_log_refuses_a_deputy_not_at_the_station(client, world, zz_deputy_not_assigned):
    client.force_login(world.users["manager"])
    body = {"deputies_present": [zz_deputy_not_assigned.pk], "citizens_received": 3, "opinions_taken": 1}
    response = post(client, f"/api/v1/reception-days/{world['reception_day'].pk}/log/", body)
    assert_out_of_scope(response, "deputies_present", "到场代表")


def test_reception_log_accepts_the_stations_deputy(client, world):
    client.force_login(world.users["manager"])
    records = DutyRecord.objects.count()
    body = {"deputies_present": [world["deputy"].pk], "citizens_received": 3, "opinions_taken": 1}
    response = post(client, f"/api/v1/reception-days/{world['reception_day'].pk}/log/", body)
    assert response.status_code == 200, response.content
    assert [d["id"] for d in response.json()["deputies_present"]] == [world["deputy"].pk]
    assert DutyRecord.objects.count() == records + 1


def test_schedule_refuses_deputies_of_another_region(client, world, hy_deputy):
    client.force_login(world.users["manager"])
    days = ReceptionDay.objects.count()
    body = {
        "station": world["station"].pk,
        "date": "2027-01-16",
        "deputies_on_duty": [world["deputy"].pk, hy_deputy.pk],
    }
    response = post(client, "/api/v1/reception-days/schedule/", body)
    assert_out_of_scope(response, "deputies_on_duty", "值班代表")
    assert str(hy_deputy.pk) in response.json()["fields"]["deputies_on_duty"][0]
    assert ReceptionDay.objects.count() == days


def test_schedule_accepts_the_stations_deputies(client, world):
    client.force_login(world.users["manager"])
    body = {"station": world["station"].pk, "date": "2027-01-16", "deputies_on_duty": [world["deputy"].pk]}
    response = post(client, "/api/v1/reception-days/schedule/", body)
    assert response.status_code == 201, response.content
    assert [d["id"] for d in response.json()["deputies_on_duty"]] == [world["deputy"].pk]


def test_schedule_on_a_station_outside_scope_is_404(client, world, regions):
    client.force_login(world.users["manager"])
    other = StationFactory(region=regions["hengyang"], name="衡阳某站")
    days = ReceptionDay.objects.count()
    response = post(client, "/api/v1/reception-days/schedule/", {"station": other.pk, "date": "2027-01-16"})
    assert response.status_code == 404
    assert ReceptionDay.objects.count() == days


def test_cosigner_of_another_congress_is_refused_and_cannot_read_the_draft(client, world, hy_deputy):
    client.force_login(world.users["deputy"])
    draft = world["draft"]
    cosigners = CoSigner.objects.count()
    response = post(client, f"/api/v1/proposals/{draft.pk}/cosigners/", {"deputy": hy_deputy.pk})
    assert_out_of_scope(response, "deputy", "附议代表")
    assert CoSigner.objects.count() == cosigners
    hy_user = deputy_user(Membership.objects.get(deputy=hy_deputy, congress=world["hy_congress"]))
    assert not Proposal.objects.visible_to(hy_user).filter(pk=draft.pk).exists()


def test_cosigner_of_the_same_congress_is_accepted(client, world):
    client.force_login(world.users["deputy"])
    seat = Membership.objects.filter(congress=world["congress"]).exclude(deputy=world["deputy"]).order_by("pk")[2]
    response = post(client, f"/api/v1/proposals/{world['draft'].pk}/cosigners/", {"deputy": seat.deputy.pk})
    assert response.status_code == 200, response.content
    assert CoSigner.objects.filter(proposal=world["draft"], deputy=seat.deputy).exists()


def test_merge_into_another_regions_or_another_congress_proposal_is_refused(client, world, regions, hy_deputy):
    other_congress, seats = make_congress(regions["zhuzhou"], deputies=1, name="株洲市第十五届人民代表大会")
    targets = [
        ProposalFactory(congress=world["hy_congress"], lead_deputy=hy_deputy, status=Proposal.Status.SUBMITTED),
        ProposalFactory(congress=other_congress, lead_deputy=seats[0].deputy, status=Proposal.Status.SUBMITTED),
    ]
    client.force_login(world.users["staff"])
    proposal = world["proposal"]
    for target in targets:
        response = post(client, f"/api/v1/proposals/{proposal.pk}/merge/", {"into": target.pk})
        assert_out_of_scope(response, "into", "并入的建议")
    proposal.refresh_from_db()
    assert proposal.status != Proposal.Status.MERGED


def test_triage_lead_deputy_outside_the_station_is_refused(client, world, hy_deputy):
    client.force_login(world.users["manager"])
    opinion = world["opinion"]
    status = opinion.status
    body = {"outcome": "proposal", "note": "路灯建议", "lead_deputy": hy_deputy.pk}
    response = post(client, f"/api/v1/opinions/{opinion.pk}/triage/", body)
    assert_out_of_scope(response, "lead_deputy", "领衔代表")
    opinion.refresh_from_db()
    assert opinion.status == status


@pytest.mark.parametrize("url", ["/api/v1/figures/", "/api/v1/proposals/figures/"])
def test_figures_of_a_region_outside_scope_are_404(client, world, regions, url):
    client.force_login(world.users["staff"])
    response = client.get(url, {"region": regions["hengyang"].pk})
    assert response.status_code == 404
    assert response.json()["message"] == "记录不存在或无权查看。"
    assert client.get(url, {"region": regions["tianyuan"].pk}).status_code == 200


# --- the HTML forms use the same rules ------------------------------------------------------------------------------


def test_schedule_form_refuses_a_deputy_of_another_region(client, world, hy_deputy):
    client.force_login(world.users["manager"])
    days = ReceptionDay.objects.count()
    url = reverse("stations:reception_schedule", args=[world["station"].pk])
    form = {"date": "2027-01-16", "kind": "regular", "deputies_on_duty": [hy_deputy.pk]}
    response = client.post(url, form)
    assert response.status_code == 200
    assert "“值班代表”：所选记录不存在或不在可选范围内。" in response.content.decode()
    assert ReceptionDay.objects.count() == days
    offered = [d.pk for d in response.context["form"].fields["deputies_on_duty"].queryset]
    assert offered == [world["deputy"].pk]


def test_log_form_refuses_a_deputy_of_another_region(client, world, hy_deputy):
    client.force_login(world.users["manager"])
    records = DutyRecord.objects.count()
    url = reverse("stations:reception_detail", args=[world["reception_day"].pk])
    response = client.post(url, {"deputies_present": [hy_deputy.pk], "citizens_received": 3, "opinions_taken": 1})
    assert "“到场代表”：所选记录不存在或不在可选范围内。" in response.content.decode()
    assert DutyRecord.objects.count() == records


# --- liaison.E201: no related field of a write without a scope -------------------------------------------------------


def test_system_check_finds_no_unscoped_related_field_and_walks_the_write_routes():
    from liaison.checks import check_scoped_related_fields, write_request_serializers

    assert check_scoped_related_fields() == []
    routes = {(method, path): type(ser).__name__ for method, path, ser in write_request_serializers()}
    assert routes[("POST", "/api/v1/proposals/{id}/cosigners/")] == "CoSignerInput"
    assert routes[("POST", "/api/v1/reception-days/{id}/log/")] == "ReceptionLogInput"


def test_system_check_flags_a_plain_related_field():
    from rest_framework import serializers

    from deputies.models import Deputy
    from liaison.checks import unscoped_related_fields
    from liaison.scoped import ScopedPrimaryKeyRelatedField

    class Nested(serializers.Serializer):
        who = serializers.SlugRelatedField(slug_field="code", queryset=Deputy.objects.all())

    class Body(serializers.Serializer):
        deputy = serializers.PrimaryKeyRelatedField(queryset=Deputy.objects.all())
        deputies = serializers.PrimaryKeyRelatedField(queryset=Deputy.objects.all(), many=True)
        shown = serializers.PrimaryKeyRelatedField(read_only=True)
        scoped = ScopedPrimaryKeyRelatedField(
            queryset=Deputy.objects.all(), scope=lambda user, context: Deputy.objects.none()
        )
        items = Nested(many=True)

    assert list(unscoped_related_fields(Body())) == ["deputy", "deputies", "items.who"]


# Each scoped field of a write route and the test above that sends it an id of another region or congress.
PROBED = {
    ("/api/v1/reception-days/{id}/log/", "deputies_present"): test_reception_log_refuses_a_deputy_of_another_region,
    (
        "/api/v1/proposals/{id}/cosigners/",
        "deputy",
    ): test_cosigner_of_another_congress_is_refused_and_cannot_read_the_draft,
    ("/api/v1/proposals/{id}/merge/", "into"): test_merge_into_another_regions_or_another_congress_proposal_is_refused,
    ("/api/v1/opinions/{id}/triage/", "lead_deputy"): test_triage_lead_deputy_outside_the_station_is_refused,
}


def test_every_scoped_field_of_the_schema_has_an_out_of_scope_probe():
    from rest_framework import serializers

    from liaison.checks import write_request_serializers
    from liaison.scoped import ScopedPrimaryKeyRelatedField

    found = set()
    for _method, path, serializer in write_request_serializers():
        for name, field in serializer.fields.items():
            related = field.child_relation if isinstance(field, serializers.ManyRelatedField) else field
            if isinstance(related, ScopedPrimaryKeyRelatedField):
                found.add((path, name))
    assert found == set(PROBED)
