"""Access scoping that every app uses.

Each scoped model's queryset has ``visible_to(user)``; pages and API views fetch single
records through :func:`get_visible_or_404`, so a record outside the caller's scope is
indistinguishable from one that does not exist.
"""

from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.permissions import BasePermission

from liaison.audit import audit_refusal


def region_scope_q(user, field="region"):
    """Filter on a region foreign key (``field``) for liaison staff: their region and everything below it."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    if user.role == "staff" and user.region_id:
        return Q(**{f"{field}__path__startswith": user.region.path})
    return Q(pk__in=[])


def get_visible_or_404(queryset, user, **lookup):
    obj = queryset.visible_to(user).filter(**lookup).first()
    if obj is None:
        audit_refusal(user, queryset.model, lookup)
        refusal = Http404(_("记录不存在或无权查看。"))
        refusal.audited = True  # the API's exception handler audits the other 404s on a record
        raise refusal
    return obj


def user_is_staff(user):
    return user.is_authenticated and (user.is_superuser or user.role == "staff")


class IsLiaisonStaff(BasePermission):
    message = gettext_lazy("仅限人大联络工作人员。")

    def has_permission(self, request, view):
        return user_is_staff(request.user)


class IsDeputy(BasePermission):
    message = gettext_lazy("仅限人大代表。")

    def has_permission(self, request, view):
        return request.user.is_authenticated and request.user.role == "deputy"


class IsUnitUser(BasePermission):
    message = gettext_lazy("仅限承办单位用户。")

    def has_permission(self, request, view):
        return request.user.is_authenticated and request.user.role == "unit"
