"""Open311 GeoReport v2, mounted at /open311/v2/ by config/urls.py."""

from django.urls import re_path

from hotline import open311

FMT = r"(?P<fmt>json|xml)"

urlpatterns = [
    re_path(rf"^discovery\.{FMT}$", open311.discovery, name="open311-discovery"),
    re_path(rf"^services\.{FMT}$", open311.service_list, name="open311-services"),
    re_path(rf"^services/(?P<code>[-a-zA-Z0-9_]{{1,32}})\.{FMT}$", open311.service_definition, name="open311-service"),
    re_path(rf"^requests\.{FMT}$", open311.requests_collection, name="open311-requests"),
    re_path(rf"^requests/(?P<request_id>\d{{1,12}})\.{FMT}$", open311.request_detail, name="open311-request"),
]
