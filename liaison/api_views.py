from drf_spectacular.utils import extend_schema
from rest_framework import generics, viewsets

from liaison.models import Organization, Region
from liaison.serializers import MeSerializer, OrganizationSerializer, RegionSerializer


class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    """Administrative regions within the caller's scope."""

    serializer_class = RegionSerializer
    filterset_fields = ["level", "parent", "code"]

    def get_queryset(self):
        return Region.objects.visible_to(self.request.user).order_by("path")


class OrganizationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = OrganizationSerializer
    filterset_fields = ["kind", "region"]

    def get_queryset(self):
        return Organization.objects.visible_to(self.request.user).order_by("region__path", "name")


class MeView(generics.RetrieveAPIView):
    serializer_class = MeSerializer

    @extend_schema(summary="当前登录用户")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_object(self):
        return self.request.user
