"""Factories of the stations app."""

import datetime

import factory

from stations.models import Opinion, OpinionCategory, ReceptionDay, Station, StationAssignment
from stations.services import new_tracking_code


class StationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Station

    name = factory.Sequence(lambda n: f"测试联络站{n}")
    kind = Station.Kind.FIXED
    address = factory.Sequence(lambda n: f"测试路{n}号")
    opening_hours = "每月 15 日 9:00–12:00"


class OpinionCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OpinionCategory
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"cat{n}")
    name = factory.Sequence(lambda n: f"类别{n}")


class StationAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StationAssignment

    since = datetime.date(2023, 1, 1)


class ReceptionDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReceptionDay

    date = datetime.date(2024, 3, 15)


class OpinionFactory(factory.django.DjangoModelFactory):
    """A stored opinion without the public form's limits, for lists and figures."""

    class Meta:
        model = Opinion

    tracking_code = factory.LazyFunction(new_tracking_code)
    region = factory.LazyAttribute(lambda o: o.station.region)
    category = factory.SubFactory(OpinionCategoryFactory, code="road", name="道路交通")
    content = factory.Sequence(lambda n: f"小区门口路灯坏了第{n}盏")
    mobile = factory.Sequence(lambda n: f"137{n:08d}")
    source = Opinion.Source.QR
