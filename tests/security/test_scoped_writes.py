"""Writes cannot reference records outside the caller's scope (issue 18).

Every id a write receives is resolved through ``liaison.scoped`` with the app's rule (``*/rules.py``): an id of
another region or another congress is a 400 naming the field, and nothing is written."""

import pytest
from django.urls import reverse

from deputies.models import DutyRecord, Membership
from liaison.models import Organization
from proposals.models import Assignment, CoSigner, Proposal
from stations.models import ReceptionDay
from tests.factories import OrganizationFactory
from tests.proposals.conftest import Flow
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


def test_schedule_on_a_station_outside_scope_is_refused(client, world, regions):
    client.force_login(world.users["manager"])
    other = StationFactory(region=regions["hengyang"], name="衡阳某站")
    days = ReceptionDay.objects.count()
    for station in (other.pk, 99999999):
        response = post(client, "/api/v1/reception-days/schedule/", {"station": station, "date": "2027-01-16"})
        assert_out_of_scope(response, "station", "联络站")
    assert ReceptionDay.objects.count() == days


def test_draft_in_a_congress_of_another_region_is_refused(client, world):
    client.force_login(world.users["deputy"])
    drafts = Proposal.objects.count()
    body = {"congress": world["hy_congress"].pk, "title": "关于增设公交站的建议", "content": "建议增设公交站。"}
    response = post(client, "/api/v1/proposals/drafts/", body)
    assert_out_of_scope(response, "congress", "人民代表大会")
    assert Proposal.objects.count() == drafts


def test_activity_plan_refuses_a_congress_group_or_seat_of_another_region(client, world, hy_deputy):
    from activities.models import Activity
    from deputies.models import DeputyGroup

    client.force_login(world.users["staff"])
    activities = Activity.objects.count()
    hy_group = DeputyGroup.objects.create(congress=world["hy_congress"], name="雁峰区代表小组")
    hy_seat = hy_deputy.memberships.get(congress=world["hy_congress"])
    body = {
        "congress": world["congress"].pk,
        "kind": "group",
        "title": "代表小组活动",
        "place": "会议室",
        "starts_at": "2027-01-16T09:00:00+08:00",
        "ends_at": "2027-01-16T11:00:00+08:00",
        "memberships": [world["membership"].pk],
    }
    url = "/api/v1/activities/plan/"
    assert_out_of_scope(post(client, url, {**body, "congress": world["hy_congress"].pk}), "congress", "人民代表大会")
    assert_out_of_scope(post(client, url, {**body, "group": hy_group.pk}), "group", "代表小组")
    assert_out_of_scope(post(client, url, {**body, "memberships": [hy_seat.pk]}), "memberships", "受邀代表")
    assert Activity.objects.count() == activities


def test_activity_outcome_refuses_a_proposal_of_another_region(client, world, staff_zz):
    import datetime

    from django.utils import timezone

    from activities import services as activity_services
    from activities.models import Activity, Outcome
    from tests.factories import DeputyFactory

    activity = world["activity"]
    Activity.objects.filter(pk=activity.pk).update(starts_at=timezone.now() - datetime.timedelta(minutes=5))
    activity_services.activity_mark_held(actor=staff_zz, activity=activity)
    foreign = ProposalFactory(congress=world["hy_congress"], lead_deputy=DeputyFactory())
    client.force_login(world.users["staff"])
    body = {"kind": "opinion", "title": "意见", "proposal": foreign.pk}
    response = post(client, f"/api/v1/activities/{activity.pk}/outcomes/", body)
    assert_out_of_scope(response, "proposal", "转为建议")
    assert not Outcome.objects.exists()


@pytest.fixture
def accepted(world, staff_zz):
    flow = Flow(world["congress"], world.users["deputy"], staff_zz, world.users["unit"])
    return flow.accepted(title="关于增设社区食堂的建议")


def assign_body(proposal, lead_unit, co_units=()):
    items = [{"proposal": proposal, "lead_unit": lead_unit, "co_units": list(co_units)}]
    return {"meeting_title": "2025年建议交办会", "held_on": "2025-03-20", "items": items}


def test_assign_refuses_a_proposal_a_lead_unit_or_a_co_unit_outside_scope(client, world, regions, accepted, staff_hy):
    hy_unit = OrganizationFactory(region=regions["hengyang"], name="衡阳市住房和城乡建设局")
    hy_proposal = ProposalFactory(
        congress=world["hy_congress"],
        lead_deputy=Membership.objects.filter(congress=world["hy_congress"]).first().deputy,
        status=Proposal.Status.ACCEPTED,
    )
    unit = world["organization"].pk
    client.force_login(world.users["staff"])
    cases = [
        (assign_body(hy_proposal.pk, unit), "proposal", "建议"),
        (assign_body(accepted.pk, hy_unit.pk), "lead_unit", "主办单位"),
        (assign_body(accepted.pk, unit, [world["other_organization"].pk, hy_unit.pk]), "co_units", "协办单位"),
        (assign_body(accepted.pk, 99999999), "lead_unit", "主办单位"),
    ]
    for body, field, label in cases:
        response = post(client, "/api/v1/proposals/assign/", body)
        assert_out_of_scope(response, field, label)
    assert not Assignment.objects.filter(proposal__in=[accepted, hy_proposal]).exists()
    accepted.refresh_from_db()
    assert accepted.status == Proposal.Status.ACCEPTED


def test_assign_to_a_unit_of_another_regions_government_is_refused_even_when_visible(client, world, regions, accepted):
    """The superuser sees every unit; a 株洲 proposal still goes only to units of 株洲's tree (proposals.rules)."""
    hy_unit = OrganizationFactory(region=regions["hengyang"], name="衡阳市住房和城乡建设局")
    client.force_login(world.users["superuser"])
    for body, field in [
        (assign_body(accepted.pk, hy_unit.pk), "lead_unit"),
        (assign_body(accepted.pk, world["organization"].pk, [hy_unit.pk]), "co_units"),
    ]:
        response = post(client, "/api/v1/proposals/assign/", body)
        assert response.status_code == 400, response.content
        assert str(hy_unit.pk) in response.json()["fields"][field][0]
    assert not Assignment.objects.filter(proposal=accepted).exists()


def test_assign_accepts_units_of_the_proposals_region_and_below(client, world, regions, accepted):
    county_unit = OrganizationFactory(region=regions["tianyuan"], name="天元区住房和城乡建设局")
    client.force_login(world.users["staff"])
    response = post(
        client, "/api/v1/proposals/assign/", assign_body(accepted.pk, world["organization"].pk, [county_unit.pk])
    )
    assert response.status_code == 200, response.content
    units = set(Assignment.objects.filter(proposal=accepted).values_list("unit_id", flat=True))
    assert units == {world["organization"].pk, county_unit.pk}


def test_proposal_units_rule_keeps_the_region_tree(world, regions):
    from liaison.models import Organization
    from proposals import rules

    hy_unit = OrganizationFactory(region=regions["hengyang"], name="衡阳市教育局")
    county_unit = OrganizationFactory(region=regions["tianyuan"], name="天元区教育局")
    units = set(rules.proposal_units(world.users["superuser"], {"proposal": world["proposal"]}))
    assert {world["organization"], world["other_organization"], county_unit} <= units
    assert hy_unit not in units
    assert units <= set(Organization.objects.filter(region__path__startswith=world["region"].path))


def test_joint_supervision_refuses_a_committee_or_proposals_outside_scope(client, world, regions, accepted):
    from proposals.models import JointSupervision

    hy_committee = OrganizationFactory(
        region=regions["hengyang"], name="衡阳市人大常委会城建环资工作委员会", kind=Organization.Kind.SPECIAL_COMMITTEE
    )
    hy_proposal = ProposalFactory(
        congress=world["hy_congress"],
        lead_deputy=Membership.objects.filter(congress=world["hy_congress"]).first().deputy,
        status=Proposal.Status.ACCEPTED,
    )
    committee = world["joint_supervision"].committee
    client.force_login(world.users["staff"])
    supervisions = JointSupervision.objects.count()
    body = {"committee": hy_committee.pk, "title": "联合督办", "proposals": [accepted.pk]}
    assert_out_of_scope(post(client, "/api/v1/joint-supervisions/create/", body), "committee", "牵头专门委员会")
    body = {"committee": committee.pk, "title": "联合督办", "proposals": [accepted.pk, hy_proposal.pk]}
    response = post(client, "/api/v1/joint-supervisions/create/", body)
    assert_out_of_scope(response, "proposals", "督办建议")
    assert str(hy_proposal.pk) in response.json()["fields"]["proposals"][0]
    assert JointSupervision.objects.count() == supervisions
    supervision = world["joint_supervision"]
    url = f"/api/v1/joint-supervisions/{supervision.pk}/proposals/"
    assert_out_of_scope(post(client, url, {"proposals": [hy_proposal.pk]}), "proposals", "督办建议")
    assert not supervision.proposals.filter(pk=hy_proposal.pk).exists()


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
    ("/api/v1/reception-days/schedule/", "station"): test_schedule_on_a_station_outside_scope_is_refused,
    ("/api/v1/proposals/drafts/", "congress"): test_draft_in_a_congress_of_another_region_is_refused,
    ("/api/v1/activities/plan/", "congress"): test_activity_plan_refuses_a_congress_group_or_seat_of_another_region,
    ("/api/v1/activities/plan/", "group"): test_activity_plan_refuses_a_congress_group_or_seat_of_another_region,
    ("/api/v1/activities/plan/", "memberships"): test_activity_plan_refuses_a_congress_group_or_seat_of_another_region,
    (
        "/api/v1/activities/{activity_id}/outcomes/",
        "proposal",
    ): test_activity_outcome_refuses_a_proposal_of_another_region,
    (
        "/api/v1/joint-supervisions/create/",
        "committee",
    ): test_joint_supervision_refuses_a_committee_or_proposals_outside_scope,
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


def test_assign_page_action_refuses_a_unit_of_another_region_naming_the_field(client, world, regions, accepted):
    hy_unit = OrganizationFactory(region=regions["hengyang"], name="衡阳市住房和城乡建设局")
    client.force_login(world.users["staff"])
    url = reverse("proposals:act", args=[accepted.pk, "assign"])
    response = client.post(url, {"lead_unit": world["organization"].pk, "co_units": [hy_unit.pk]}, follow=True)
    assert response.status_code == 200
    assert f"“协办单位”：编号 {hy_unit.pk} 不存在或不在可选范围内。" in response.content.decode()
    assert not Assignment.objects.filter(proposal=accepted).exists()
