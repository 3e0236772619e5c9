"""The native hotline API, mounted at /api/v1/hotline/ (stations/api.py includes it)."""

from django.urls import path

from stations.hotline import api

urlpatterns = [
    path("hotline/ping", api.PingView.as_view(), name="hotline-ping"),
    path("hotline/work-orders/", api.WorkOrderPushView.as_view(), name="hotline-work-order-push"),
    path("hotline/work-orders/<int:pk>/", api.WorkOrderDetailView.as_view(), name="hotline-work-order"),
    path("hotline/work-orders/<int:pk>/status", api.WorkOrderStatusView.as_view(), name="hotline-work-order-status"),
]
