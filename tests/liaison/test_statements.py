"""Statements compiled once per process (liaison.statements) return what their querysets return."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from deputies.models import Deputy, Membership
from liaison.statements import MARKER_ID, CompiledValues, stand_in_user
from tests.factories import CongressFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_values_rows_are_the_querysets_rows_for_each_set_of_parameters(regions):
    congress = CongressFactory(region=regions["zhuzhou"])
    seats = MembershipFactory.create_batch(3, congress=congress)
    other = MembershipFactory(congress=CongressFactory(region=regions["hengyang"]))

    def build(congress_id):
        return Membership.objects.filter(congress_id=congress_id, status="in_office").values(
            "id", "deputy__name", "congress__region__name"
        )

    statement = CompiledValues(build, MARKER_ID)
    for congress_id in (congress.pk, other.congress_id, 0):
        assert statement.rows(congress_id) == list(build(congress_id))
    assert len(statement.rows(congress.pk)) == len(seats)


def test_values_list_rows_go_through_the_fields_converters(regions):
    """The mobile is encrypted in its column; the field's converter decrypts it, as for any queryset."""
    MembershipFactory.create_batch(2, congress=CongressFactory(region=regions["zhuzhou"]))

    def build(since):
        return Deputy.objects.filter(created_at__date__gte=since).values_list("name", "mobile").order_by("code")

    statement = CompiledValues(build, datetime.date(1001, 1, 1))
    rows = statement.rows(datetime.date(2000, 1, 1))
    assert rows == list(build(datetime.date(2000, 1, 1)))
    assert all(mobile.startswith("139") for _name, mobile in rows)


def test_a_statement_is_counted_like_any_other_and_scoped_through_visible_to(regions):
    deputy_user = UserFactory(role="deputy")
    mine = MembershipFactory(deputy__user=deputy_user, congress=CongressFactory(region=regions["zhuzhou"]))
    MembershipFactory(congress=mine.congress)

    def build(user_id):
        return Membership.objects.visible_to(stand_in_user(user_id, "deputy")).values_list("id")

    statement = CompiledValues(build, MARKER_ID)
    with CaptureQueriesContext(connection) as ctx:
        assert statement.rows(deputy_user.pk) == [(mine.pk,)]
    assert len(ctx) == 1


def test_a_marker_that_is_not_a_parameter_is_refused():
    statement = CompiledValues(lambda limit: Membership.objects.values("id")[:limit], 987)  # LIMIT is inlined
    with pytest.raises(ValueError, match="not parameters"):
        statement.rows(5)
    flat = CompiledValues(lambda pk: Membership.objects.filter(pk=pk).values_list("id", flat=True), MARKER_ID)
    with pytest.raises(ValueError, match="values"):
        flat.rows(1)
