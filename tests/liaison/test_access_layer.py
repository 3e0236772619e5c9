"""The access layer: one home for scoping (liaison/access.py), generated from each model's table.

The source checks keep what was scattered from creeping back: raw region-path lookups, hand-written
``visible_to`` methods and role string literals in app code.
"""

import pathlib
import re

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser

from liaison.access import ANYONE, Role, ScopedQuerySet, Through
from liaison.models import Organization, User
from tests.factories import CongressFactory, DeputyFactory, MembershipFactory, OrganizationFactory, UserFactory

ROOT = pathlib.Path(__file__).resolve().parents[2]
ACCESS_MODULE = ROOT / "liaison" / "access.py"
SKIPPED_DIRS = {".venv", "tests", "migrations", "node_modules", "static", "docs", ".git"}


def _app_sources():
    for path in sorted(ROOT.rglob("*.py")):
        parts = set(path.relative_to(ROOT).parts[:-1])
        if parts & SKIPPED_DIRS or any(part.startswith(".") for part in parts):
            continue
        yield path


def _hits(pattern, *, skip=()):
    found = []
    for path in _app_sources():
        if path == ACCESS_MODULE or path.relative_to(ROOT).parts[0] in skip:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if pattern.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    return found


def test_the_source_scan_sees_the_apps():
    names = {str(path.relative_to(ROOT)) for path in _app_sources()}
    assert {"proposals/models.py", "votes/services.py", "deputies/selectors.py"} <= names


def test_no_raw_region_path_lookup_outside_the_access_layer():
    hits = _hits(re.compile(r"path__startswith"))
    assert hits == [], "use liaison.access.in_region(field, region):\n" + "\n".join(hits)


def test_no_hand_made_region_containment_outside_the_kernel():
    region_prefix = re.compile(r"(?<!request)\.path\.startswith\(")
    hits = [hit for hit in _hits(region_prefix) if not hit.startswith("liaison/models.py:")]  # Region.is_within
    assert hits == [], "use liaison.access.region_contains / staff_covers:\n" + "\n".join(hits)


def test_no_hand_written_visible_to_outside_the_access_layer():
    hits = _hits(re.compile(r"def visible_to\b"))
    assert hits == [], "give the queryset an access table (ScopedQuerySet):\n" + "\n".join(hits)


ROLE_LITERAL = re.compile(
    r"""\brole\s*(==|!=|=)\s*["'](staff|deputy|unit|station_manager)["']"""
    r"""|["']role["']\s*:\s*["'](staff|deputy|unit|station_manager)["']"""
    r"""|\brole\s+(not\s+)?in\s*[(\[{][^)\]}]*["'](staff|deputy|unit|station_manager)["']"""
)


def test_no_role_string_literal_in_app_code():
    hits = _hits(ROLE_LITERAL, skip={"scripts"})  # the bench scripts write raw rows, as the database stores them
    assert hits == [], "compare with User.Role.*:\n" + "\n".join(hits)


def test_the_role_literal_check_catches_the_usual_shapes():
    caught = ['if user.role == "staff":', "x.role != 'unit'", 'filter(role="deputy")', 'role in ("staff", "unit")']
    caught.append('{"role": "station_manager"}')
    for line in caught:
        assert ROLE_LITERAL.search(line), line
    assert not ROLE_LITERAL.search("if user.role == User.Role.STAFF:")
    assert not ROLE_LITERAL.search('filterset_fields = ["role", "unit"]')


def _scoped_querysets():
    for model in apps.get_models():
        queryset = type(model._default_manager.all())
        if issubclass(queryset, ScopedQuerySet):
            yield model, queryset


def test_every_model_with_visible_to_is_scoped_by_a_table_of_roles():
    scoped = dict(_scoped_querysets())
    assert len(scoped) >= 18  # the 17 querysets that had visible_to, and the hotline's work orders
    for model in apps.get_models():
        if hasattr(model._default_manager.all(), "visible_to"):
            assert model in scoped, model
    for model, queryset in scoped.items():
        assert queryset.access, model
        for key in queryset.access:
            assert key == ANYONE or key in Role.values, (model, key)


def test_user_role_is_the_kernel_role():
    assert User.Role is Role
    assert User._meta.get_field("role").choices == Role.choices


@pytest.mark.django_db
def test_anonymous_sees_nothing_and_superuser_everything(regions):
    OrganizationFactory(region=regions["zhuzhou"])
    OrganizationFactory(region=regions["hengyang"])
    root = UserFactory(is_superuser=True, role=User.Role.UNIT)
    assert Organization.objects.visible_to(AnonymousUser()).count() == 0
    assert Organization.objects.visible_to(root).count() == 2


@pytest.mark.django_db
def test_staff_see_their_region_subtree_only(regions, staff_zz):
    own = OrganizationFactory(region=regions["tianyuan"])
    OrganizationFactory(region=regions["hengnan"])
    assert list(Organization.objects.visible_to(staff_zz)) == [own]


@pytest.mark.django_db
def test_staff_without_a_region_fall_back_to_their_own_organisation(regions):
    org = OrganizationFactory(region=regions["hengyang"])
    OrganizationFactory(region=regions["zhuzhou"])
    staff = UserFactory(role=User.Role.STAFF, region=None, organization=org)
    assert list(Organization.objects.visible_to(staff)) == [org]


@pytest.mark.django_db
def test_a_role_without_a_rule_sees_nothing(regions):
    from deputies.models import Congress

    CongressFactory(region=regions["zhuzhou"])
    manager = UserFactory(role=User.Role.STATION_MANAGER, region=regions["zhuzhou"])
    assert Congress.objects.visible_to(manager).count() == 0


@pytest.mark.django_db
def test_distinct_only_where_the_table_asks_for_it(regions):
    from deputies.models import Congress, Membership

    user = UserFactory(role=User.Role.DEPUTY)
    deputy = DeputyFactory(user=user)
    congress = CongressFactory(region=regions["zhuzhou"])
    MembershipFactory(deputy=deputy, congress=congress)
    assert isinstance(type(Congress.objects.all()).access[Role.DEPUTY], Through)
    assert Congress.objects.visible_to(user).query.distinct
    assert list(Congress.objects.visible_to(user)) == [congress]
    assert not Membership.objects.visible_to(user).query.distinct


@pytest.mark.django_db
def test_work_order_scope_is_one_table_for_admin_and_selectors(regions, staff_zz, staff_hy, unit_zz):
    from hotline import selectors, services
    from hotline.models import HotlineWorkOrder

    zz, _ = services.api_client_register(actor=None, name="株洲12345", region=regions["zhuzhou"])
    hy, _ = services.api_client_register(actor=None, name="衡阳12345", region=regions["hengyang"])
    failed = {"direction": HotlineWorkOrder.Direction.OUTBOUND, "status": HotlineWorkOrder.Status.FAILED}
    in_zz = HotlineWorkOrder.objects.create(client=zz, **failed)
    in_hy = HotlineWorkOrder.objects.create(client=hy, **failed)
    assert list(HotlineWorkOrder.objects.visible_to(staff_zz)) == [in_zz]
    assert list(HotlineWorkOrder.objects.visible_to(staff_hy)) == [in_hy]
    assert list(HotlineWorkOrder.objects.visible_to(unit_zz)) == []
    assert list(selectors.failed_work_orders(user=staff_zz)) == [in_zz]
    assert list(selectors.failed_work_orders(user=unit_zz)) == []
