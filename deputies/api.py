"""REST API of the deputies app, mounted under /api/v1/."""

from rest_framework import viewsets
from rest_framework.routers import SimpleRouter

from deputies import selectors
from deputies.models import Congress
from deputies.serializers import CongressSerializer, DeputySerializer, DutyRecordSerializer, MembershipSerializer


class CongressViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CongressSerializer
    filterset_fields = ["level", "region", "is_current"]

    def get_queryset(self):
        return Congress.objects.visible_to(self.request.user).select_related("region").order_by("region__path", "-term")


class MembershipViewSet(viewsets.ReadOnlyModelViewSet):
    """Deputies' seats (the roster), scoped to the caller's region; mobiles are masked."""

    serializer_class = MembershipSerializer
    filterset_fields = ["congress", "status", "congress__level"]

    def get_queryset(self):
        return selectors.membership_list(user=self.request.user)


class DeputyViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = DeputySerializer

    def get_queryset(self):
        return selectors.deputy_list(user=self.request.user)


class DutyRecordViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = DutyRecordSerializer
    filterset_fields = ["kind", "membership"]

    def get_queryset(self):
        return selectors.duty_records_with_points(user=self.request.user)


router = SimpleRouter()
router.register("congresses", CongressViewSet, basename="congress")
router.register("memberships", MembershipViewSet, basename="membership")
router.register("deputies", DeputyViewSet, basename="deputy")
router.register("duty-records", DutyRecordViewSet, basename="duty-record")
urlpatterns = router.urls
