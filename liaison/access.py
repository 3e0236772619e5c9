"""Access scoping that every app uses: the roles, the scoped queryset, the region-subtree lookup, the permissions.

Each scoped model's queryset is a :class:`ScopedQuerySet` with a small table, ``access``, of which rule applies to
which role; ``visible_to(user)`` is generated from it. Pages and API views fetch single records through
:func:`get_visible_or_404`, so a record outside the caller's scope is indistinguishable from one that does not exist.

A rule in the table is one of:

- ``InRegion("congress__region")``: the rows whose region (reached through that field) lies in the user's region
  subtree; it applies only to a user who has a region (``InRegion(rule=f)``: the same, said by a function);
- ``"cosigners__deputy__user"`` (a lookup to the user) or ``Through(lookup, distinct=True)`` where the lookup crosses
  a to-many relation that can match a row more than once;
- ``OwnOrganization("unit_id")``: the rows of the user's organisation; it applies only to a user who has one;
- ``Via("station")``: the rows whose station the user may see (the related model's own table decides);
- a named function ``rule(queryset, user) -> queryset`` for what a lookup cannot say.

The key ``ANYONE`` is the rule for a signed-in user whose role has no rule (or whose role's rule does not apply).
Anonymous users see nothing, superusers everything. No region-path lookup is written outside this module (and
``Region``'s own queryset): ``tests/liaison/test_access_layer.py`` greps the source for one.
"""

from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.permissions import BasePermission


class Role(models.TextChoices):
    """What a login is for; ``User.Role`` is this class."""

    STAFF = "staff", gettext_lazy("联络工作人员")
    UNIT = "unit", gettext_lazy("承办单位用户")
    DEPUTY = "deputy", gettext_lazy("人大代表")
    STATION_MANAGER = "station_manager", gettext_lazy("联络站管理员")


ANYONE = "*"


def in_region(field, region):
    """The rows whose region, reached through ``field`` (``None``: the row is a region), is ``region`` or below it."""
    lookup = f"{field}__path__startswith" if field else "path__startswith"
    return Q(**{lookup: region.path})


def region_contains(outer, inner):
    """Whether region ``inner`` is ``outer`` or lies below it (the in-memory twin of :func:`in_region`)."""
    return inner.is_within(outer)


def staff_covers(user, region):
    """Whether ``user`` is liaison staff whose region subtree holds ``region``."""
    return bool(user.role == Role.STAFF and user.region_id and region_contains(user.region, region))


class InRegion:
    """Staff's rule: the rows in the user's region subtree, the region reached through ``field``.

    ``rule(queryset, user)`` replaces the plain lookup where the subtree is reached another way (a subquery); it is
    still only applied to a user who has a region.
    """

    def __init__(self, field=None, *, rule=None):
        self.field = field
        self.rule = rule

    def applies(self, user):
        return bool(user.region_id)

    def q(self, user):
        return in_region(self.field, user.region)

    def __call__(self, queryset, user):
        if self.rule is not None:
            return self.rule(queryset, user)
        return queryset.filter(self.q(user))


class Through:
    """The rows a lookup ties to the user (``lead_deputy__user``); ``distinct`` where it crosses a to-many relation
    that can match a row more than once."""

    def __init__(self, lookup, *, distinct=False):
        self.lookup = lookup
        self.distinct = distinct

    def applies(self, user):
        return True

    def __call__(self, queryset, user):
        queryset = queryset.filter(**{self.lookup: user})
        return queryset.distinct() if self.distinct else queryset


class OwnOrganization:
    """The rows of the user's organisation, ``lookup`` being the organisation's id on the row (``unit_id``);
    ``rule(queryset, user)`` where a lookup cannot say it (still only for a user with an organisation)."""

    def __init__(self, lookup=None, *, rule=None):
        self.lookup = lookup
        self.rule = rule

    def applies(self, user):
        return bool(user.organization_id)

    def __call__(self, queryset, user):
        if self.rule is not None:
            return self.rule(queryset, user)
        return queryset.filter(**{self.lookup: user.organization_id})


class Via:
    """The rows whose ``field`` (a foreign key) points at a row the user may see, by that model's own table."""

    def __init__(self, field):
        self.field = field

    def applies(self, user):
        return True

    def __call__(self, queryset, user):
        related = queryset.model._meta.get_field(self.field).related_model
        return queryset.filter(**{f"{self.field}__in": related._default_manager.visible_to(user)})


def _rule(entry):
    return Through(entry) if isinstance(entry, str) else entry


class ScopedQuerySet(models.QuerySet):
    """A queryset whose ``visible_to(user)`` comes from the class's ``access`` table (see the module docstring)."""

    access = {}

    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        for key in (user.role, ANYONE):
            rule = self.access.get(key)
            if rule is None:
                continue
            rule = _rule(rule)
            if getattr(rule, "applies", None) is None or rule.applies(user):
                return rule(self, user)
        return self.none()


def get_visible_or_404(queryset, user, **lookup):
    obj = queryset.visible_to(user).filter(**lookup).first()
    if obj is None:
        from liaison.audit import audit_refusal  # liaison.models imports this module; audit imports the models

        audit_refusal(user, queryset.model, lookup)
        refusal = Http404(_("记录不存在或无权查看。"))
        refusal.audited = True  # the API's exception handler audits the other 404s on a record
        raise refusal
    return obj


def user_is_staff(user):
    return user.is_authenticated and (user.is_superuser or user.role == Role.STAFF)


class IsLiaisonStaff(BasePermission):
    message = gettext_lazy("仅限人大联络工作人员。")

    def has_permission(self, request, view):
        return user_is_staff(request.user)


class IsDeputy(BasePermission):
    message = gettext_lazy("仅限人大代表。")

    def has_permission(self, request, view):
        return request.user.is_authenticated and request.user.role == Role.DEPUTY


class IsUnitUser(BasePermission):
    message = gettext_lazy("仅限承办单位用户。")

    def has_permission(self, request, view):
        return request.user.is_authenticated and request.user.role == Role.UNIT
