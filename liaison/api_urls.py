from django.urls import path
from rest_framework.routers import SimpleRouter

from liaison import api_views

router = SimpleRouter()
router.register("regions", api_views.RegionViewSet, basename="region")
router.register("organizations", api_views.OrganizationViewSet, basename="organization")

urlpatterns = [
    path("me/", api_views.MeView.as_view(), name="api-me"),
    *router.urls,
]
