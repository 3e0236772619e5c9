"""The reports app's API, mounted under /api/v1/ by config/urls.py."""

from django.urls import path

from reports.figures.api import FiguresView

urlpatterns = [
    path("figures/", FiguresView.as_view(), name="api-figures"),
]
