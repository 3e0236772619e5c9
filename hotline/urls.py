"""The native hotline API, mounted at /api/v1/hotline/ (stations/api.py includes it)."""

from django.urls import path, re_path

from stations.hotline import api

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
