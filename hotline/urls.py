"""The hotline's URLs: the native API, mounted at /api/v1/hotline/ (``urlpatterns``, included by liaison/urls.py),
and the 代表专线 page, which keeps its place among the stations pages (``station_pages``: /stations/hotline/, URL
name ``stations:deputy_line``). Open311 has its own module, open311_urls."""

from django.urls import path, re_path

from hotline import api, views

urlpatterns = [
    path("hotline/ping", api.PingView.as_view(), name="hotline-ping"),
    path("hotline/work-orders/", api.WorkOrderPushView.as_view(), name="hotline-work-order-push"),
    # Any segment reaches the views, so a malformed id gets the JSON 404 of the API, not the portal's HTML page.
    re_path(r"^hotline/work-orders/(?P<pk>[^/]+)/$", api.WorkOrderDetailView.as_view(), name="hotline-work-order"),
    re_path(
        r"^hotline/work-orders/(?P<pk>[^/]+)/status$",
        api.WorkOrderStatusView.as_view(),
        name="hotline-work-order-status",
    ),
]

station_pages = [
    # 代表专线: deputies forward a problem to 12345.
    path("hotline/", views.deputy_line, name="deputy_line"),
]
