"""factory_boy factories shared by every test module."""

import datetime

import factory

from deputies.models import Congress, Deputy, DutyRecord, Membership
from liaison.models import Organization, Region, User

TEST_PASSWORD = "Test-password-2024!"


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"9{n:05d}")
    name = factory.Sequence(lambda n: f"测试区域{n}")
    level = Region.Level.CITY
    parent = None


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    region = factory.SubFactory(RegionFactory)
    kind = Organization.Kind.HANDLING_UNIT
    name = factory.Sequence(lambda n: f"测试承办单位{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"用户{n}")
    role = User.Role.STAFF
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class CongressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Congress

    region = factory.SubFactory(RegionFactory)
    level = 3
    term = factory.Sequence(lambda n: n + 1)
    name = factory.LazyAttribute(lambda o: f"{o.region.name}第{o.term}届人民代表大会")


class DeputyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Deputy

    code = factory.Sequence(lambda n: f"D{n:06d}")
    name = factory.Sequence(lambda n: f"代表{n}")
    gender = "M"
    mobile = factory.Sequence(lambda n: f"139{n:08d}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    deputy = factory.SubFactory(DeputyFactory)
    congress = factory.SubFactory(CongressFactory)
    electoral_unit = "测试选区"


class DutyRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DutyRecord

    membership = factory.SubFactory(MembershipFactory)
    kind = "inspection"
    occurred_on = factory.LazyFunction(lambda: datetime.date(2024, 3, 1))
