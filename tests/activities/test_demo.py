"""The demo data holds a lived activity year: a closed activity with duty records, one held today, one planned."""

import io

import pytest
from django.core.management import call_command

from activities.models import Activity
from deputies.models import DutyRecord

pytestmark = pytest.mark.django_db


def test_load_demo_adds_the_activities_once_with_duty_records_from_the_closed_one():
    call_command("load_demo", stdout=io.StringIO())
    statuses = dict(Activity.objects.values_list("title", "status"))
    assert statuses == {
        "视察城区老旧小区改造": "closed",
        "屋场恳谈会：马家河村道路硬化": "held",
        "代表小组活动：学习贯彻代表法": "planned",
    }
    closed = Activity.objects.get(status="closed")
    records = DutyRecord.objects.filter(source_key=f"activity:{closed.pk}").count()
    assert records == closed.attendances.count() > 0
    call_command("load_demo", stdout=io.StringIO())
    assert Activity.objects.count() == 3
    assert DutyRecord.objects.filter(source_key=f"activity:{closed.pk}").count() == records
