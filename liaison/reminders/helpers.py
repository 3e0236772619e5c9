"""Helpers for rules that sweep large tables: recipients loaded once per sweep instead of once per object, and
object links built without a ``reverse()`` per row."""

from collections import defaultdict

from django.urls import reverse

from liaison.models import User

_PLACEHOLDER = 987654321


def unit_users_by_organization() -> dict[int, list[int]]:
    """Active unit users' ids per organisation id (handling units are a few hundred; their users a few thousand)."""
    found = defaultdict(list)
    rows = (
        User.objects.filter(role=User.Role.UNIT, is_active=True, organization__isnull=False)
        .order_by("pk")
        .values_list("organization_id", "pk")
    )
    for organization_id, user_id in rows:
        found[organization_id].append(user_id)
    return dict(found)


def staff_by_region() -> dict[int, list[int]]:
    """Active liaison staff ids per region id (the region they are attached to, not its ancestors)."""
    found = defaultdict(list)
    rows = (
        User.objects.filter(role=User.Role.STAFF, is_active=True, region__isnull=False)
        .order_by("pk")
        .values_list("region_id", "pk")
    )
    for region_id, user_id in rows:
        found[region_id].append(user_id)
    return dict(found)


def link_builder(viewname: str):
    """``pk -> path`` for a URL taking one integer argument, reversing once."""
    pattern = reverse(viewname, args=[_PLACEHOLDER])
    head, _, tail = pattern.partition(str(_PLACEHOLDER))
    return lambda pk: f"{head}{pk}{tail}"
